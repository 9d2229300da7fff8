#pragma once
// Sensitivity: first-order sensitivity indices from GIVEN data, i.e. from one sample of
// (X, Y) such as a Latin hypercube over the uncertain inputs, with no extra design
// (docs/study-method.md, "Sensitivity indices"). The estimator is the partition (binning)
// estimator of Plischke, Borgonovo and Smith (2013), "Global sensitivity measures from
// given data", European Journal of Operational Research 226(3):
//
//   S_i = Var(E[Y | X_i]) / Var(Y).
//
// Sort the N points by X_i and cut them into M classes of (as nearly as possible) equal
// count: the point of rank p (0-based) is in class floor(p M / N). With ybar the overall
// mean, ybar_m and n_m the mean and count of class m,
//   SSB = sum_m n_m (ybar_m - ybar)^2,  SST = sum_p (y_p - ybar)^2,  SSW = SST - SSB,
// the raw estimate SSB / SST is biased upwards by about (M - 1)/N even when Y does not
// depend on X_i (the class means carry noise). The bias-corrected estimate subtracts the
// between-class sum of squares that noise alone produces (the one-way analysis-of-variance
// correction, "epsilon squared"):
//   S_i = (SSB - (M - 1) * SSW / (N - M)) / SST.
// It can be slightly negative for an input without influence; it is reported as computed.
// M defaults to round(sqrt(N)), clamped to [2, N/2]; an explicit M must lie in [2, N/2].
//
// Intervals: the percentile bootstrap. Resample b = 0..B-1 draws N point indices with
// replacement (floor(u N), u = kernel::uniform01 of the engine
// kernel::make_engine(seed, b, "design/sensitivity/bootstrap")), the same resample for
// every input; point p then has multiplicity c_p. In X_i's order, a point and all its
// copies go to the class of its first position (class floor(pos M / N), pos = the copies
// before it). Copies share their y, so the noise correction must count them: with
// C_m = sum_{p in m} c_p^2 and n_m = sum_{p in m} c_p,
//   S_i* = (SSB - SSW * (sum_m C_m/n_m - sum_p c_p^2/N) / (N - sum_m C_m/n_m)) / SST,
// the method-of-moments correction for weighted classes (it is the formula above when
// every c_p = 1). The interval is the type-7 quantiles (1-level)/2 and (1+level)/2 of the
// B values S_i*. The bootstrap treats the points as independent; for a Latin hypercube
// (whose estimates vary less than under independent sampling) the intervals are
// conservative.
//
// Tornado data per input: the mean of Y over the points with the lowest `tail` share of
// X_i values (the first ceil(tail N) ranks) and over the highest, with the mean of X_i in
// each group, and the overall mean of Y.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <span>
#include <vector>

namespace salesflow::design {

struct SensitivityOptions {
    std::size_t bins = 0;          // M; 0 = round(sqrt(N))
    std::size_t bootstrap = 1000;  // B resamples; 0 = no intervals (lower = upper = estimate)
    double level = 0.95;           // interval level, in (0, 1)
    std::uint64_t seed = 1;        // bootstrap seed
    double tail = 0.1;             // tornado groups: lowest and highest share of X_i, in (0, 0.5]
};

struct InputSensitivity {
    double first_order = 0.0;      // bias-corrected S_i
    double raw = 0.0;              // SSB / SST before the correction
    double lower = 0.0, upper = 0.0;  // bootstrap interval of first_order
    double low_mean = 0.0;         // tornado: mean Y over the lowest `tail` of X_i
    double high_mean = 0.0;        // tornado: mean Y over the highest `tail` of X_i
    double low_x = 0.0;            // mean X_i in the low group
    double high_x = 0.0;           // mean X_i in the high group
};

struct SensitivityResult {
    std::vector<InputSensitivity> inputs;  // one per column of X
    std::size_t n = 0;                     // points used
    std::size_t bins = 0;                  // M used
    double mean = 0.0;                     // mean of Y
    double variance = 0.0;                 // variance of Y (divisor N - 1)
};

// x: N rows of `dimensions` inputs, row-major (point p, input i at x[p * dimensions + i]);
// y: N outputs. Throws std::invalid_argument when the sizes disagree, N < 4, a value is
// not finite, or the options are out of range. When Var(Y) = 0 every index is 0.
SensitivityResult first_order_indices(std::span<const double> x, std::size_t dimensions,
                                      std::span<const double> y, const SensitivityOptions& options = {});

}  // namespace salesflow::design
