#pragma once
// DurationFit: fits time-in-stage observations with right-censoring (deals still in the
// stage at the export date) by maximum likelihood: lognormal and gamma, the better one by
// AIC, and the Kaplan-Meier curve for the empirical alternative and the fit check.
// The mean's 95% interval comes from the observed information (delta method on log mean).
#include <string>
#include <vector>

#include "calibrate/ExportData.hpp"

namespace salesflow::calibrate {

struct FamilyFit {
    std::string family;        // "lognormal" or "gamma"
    double p1 = 0.0, p2 = 0.0; // lognormal: mu, sigma of log; gamma: shape k, scale theta
    double loglik = 0.0;
    double aic = 0.0;
    double mean = 0.0, sd = 0.0;
    double mean_low = 0.0, mean_high = 0.0;   // 95% interval of the mean
    bool ok = false;
    double cdf(double t) const;
    double quantile(double p) const;
};

struct DurationEstimate {
    std::int64_t n = 0, n_censored = 0;
    FamilyFit lognormal, gamma;
    int best_index = -1;                 // 0 lognormal, 1 gamma (lower AIC); -1 nothing fitted
    const FamilyFit* best() const { return best_index < 0 ? nullptr : best_index == 0 ? &lognormal : &gamma; }
    double naive_mean = 0.0;             // mean of the complete observations only (biased low)
    double km_distance = 0.0;            // sup |Kaplan-Meier - best CDF| over the observed range
    double km_critical = 0.0;            // 1.36 / sqrt(n complete): the 5% Kolmogorov bound
    bool use_empirical = false;          // n complete >= 200 and km_distance > km_critical
    std::vector<double> empirical;       // 50 quantiles (Kaplan-Meier, the tail from `best`)
    std::string family() const { return use_empirical ? "empirical" : best() ? best()->family : "none"; }
    double mean() const;
};

// Durations below one minute count as one minute (lognormal and gamma need t > 0).
DurationEstimate fit_durations(const std::vector<Duration>& data);

}  // namespace salesflow::calibrate
