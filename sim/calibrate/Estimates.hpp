#pragma once
// Estimates: the numbers a scenario needs, from one scan of an export, each with a 95%
// interval and its sample size (docs/calibrate.md, "Estimates"). Keys with too little
// data keep a default and are marked `defaulted` (they become assumptions).
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/DurationFit.hpp"
#include "calibrate/ExportData.hpp"

namespace salesflow::calibrate {

struct Interval {
    double est = 0.0, low = 0.0, high = 0.0;
    std::int64_t n = 0;          // sample size behind it
    bool defaulted = false;      // too few data: a default, kept as an assumption
};

// Minimum sample sizes below which a key keeps its default.
struct Minimums {
    std::int64_t conversion = 10;   // deals decided at the stage
    std::int64_t durations = 10;    // complete visits of the stage
    std::int64_t values = 5;        // won deals with an amount
    std::int64_t deals = 2;         // deals in the whole export (below: unusable, exit 2)
};

struct SourceEstimate {
    std::string name;
    Interval rate_per_week;            // exact Poisson interval
    double dispersion = 1.0;           // variance / mean of the counts of full months
    int full_months = 0;
    std::vector<double> seasonality;   // 12 factors, month 1 = the calendar month of the export's start; empty: none
    double season_p = 1.0;             // p-value of the test of equal monthly rates (chi-square, 11 df)
    Interval win_rate;                 // won / closed, Clopper-Pearson
    std::int64_t no_decision = 0, closed = 0;
    Interval value_mean;               // amounts of won deals, Student-t interval
    double value_sd = 0.0;
    double quality_mean = 0.5;         // chance to win at the last stage (advance: quality)
};

struct StageEstimate {
    std::string name;
    Interval conversion;               // passed / (passed + lost + no decision), Clopper-Pearson
    double lost_share = 0.0, no_decision_share = 0.0;   // of the deals decided here
    std::int64_t open = 0, skipped = 0;
    DurationEstimate time;             // elapsed time in the stage (hours), censored fit
    Interval time_mean;                // mean of the chosen fit, delta-method interval
    bool time_defaulted = false;
};

struct Calibration {
    const ExportData* data = nullptr;
    double window_h = 0.0;             // export start (first creation) -> export date
    int start_month = 1;               // calendar month (1..12) of the export's start
    std::vector<SourceEstimate> sources;
    std::vector<StageEstimate> stages;
    Interval headcount;                // distinct owners per month over the last 12 full months
    Interval win_rate;                 // all sources
    Interval no_decision_share;        // no decision / closed deals
    std::int64_t won = 0;
    double won_p50_h = 0.0, won_p85_h = 0.0;   // observed cycle time of won deals
    double won_mean_h = 0.0, won_sd_h = 0.0;
    std::vector<std::string> notes;
};

// Throws input::InputError when the export is unusable (fewer than Minimums::deals deals,
// no time span).
Calibration estimate(const ExportData& data, const Minimums& min = {});

// Exact intervals.
Interval clopper_pearson(std::int64_t k, std::int64_t n);
Interval poisson_rate(std::int64_t count, double exposure);
// Type-7 quantile of a sample (copied and sorted).
double sample_quantile(std::vector<double> v, double p);

}  // namespace salesflow::calibrate
