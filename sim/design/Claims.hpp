#pragma once
// Claims: a claim about a quantity ("productivity_ratio >= 2") is a comparison and a
// number; over a sample of the quantity (one value per point of the outer design) its
// probability is the share of values that satisfy it, with a Wilson score interval
// (docs/study-method.md, "Claims and quantiles"). Also quantiles of a sample (type 7).
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::design {

enum class Comparison { greater, greater_equal, less, less_equal, equal };

struct Claim {
    Comparison op = Comparison::greater_equal;
    double threshold = 0.0;
    bool holds(double v) const;       // NaN never holds
    std::string text() const;         // canonical form, ">= 2"
};

// The grammar: optional spaces, one of ">=", ">", "<=", "<", "==", optional spaces, a
// finite decimal number (optional sign, digits with an optional fraction, optional
// exponent), optional spaces. Anything else throws ClaimError whose what() is
//   expected a comparison and a number, like ">= 2", "> 0", "<= -0.1" or "== 0", got "TEXT"
struct ClaimError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};
Claim parse_claim(std::string_view text);

// A proportion with its Wilson score interval at `level`:
//   z = Phi^-1((1 + level)/2), p = hits/n,
//   centre = (p + z^2/(2n)) / (1 + z^2/n),
//   half   = z / (1 + z^2/n) * sqrt(p (1-p)/n + z^2/(4 n^2)),
//   [centre - half, centre + half] clipped to [0, 1].
// n = 0 gives estimate NaN and the interval [0, 1].
struct Proportion {
    std::size_t hits = 0;
    std::size_t n = 0;
    double estimate = 0.0;
    double lower = 0.0, upper = 1.0;
};
Proportion wilson_interval(std::size_t hits, std::size_t n, double level = 0.95);

// The probability that the claim holds over `samples`; NaN samples are left out of n
// (and counted in `missing`).
struct ClaimProbability {
    Proportion p;
    std::size_t missing = 0;
};
ClaimProbability claim_probability(const Claim& claim, std::span<const double> samples, double level = 0.95);

// Type-7 quantile (Hyndman and Fan 1996; R's default) of an ascending sample:
// h = (n - 1) q, x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)), 0-based.
// q in [0, 1]; an empty sample gives NaN.
double quantile_sorted(std::span<const double> sorted, double q);
// Sorts a copy (NaN left out) and returns one quantile per entry of qs.
std::vector<double> quantiles(std::span<const double> samples, std::span<const double> qs);

}  // namespace salesflow::design
