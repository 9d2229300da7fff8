#pragma once
// FitCheck: simulates a calibrated scenario and sets what the export shows beside what
// the simulation gives over the same window: arrivals per source, conversion per stage,
// cycle-time quantiles of won deals, win rate (overall and by source). A figure is
// flagged when the observed value is outside the 2.5%-97.5% range of the replications.
// Per-lead records are reduced replication by replication (bounded memory).
#include <ostream>
#include <string>
#include <vector>

#include "calibrate/Estimates.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::calibrate {

struct FitRow {
    std::string metric;
    double observed = 0.0;
    double sim_mean = 0.0, sim_low = 0.0, sim_high = 0.0;   // over replications; low/high: 2.5% and 97.5%
    bool inside = true;
};

struct FitReport {
    std::vector<FitRow> rows;
    int replications = 0;
    int outside() const;
};

FitReport fit_check(const model::ScenarioConfig& cfg, const Calibration& cal, int threads);

void print_fit(std::ostream& os, const FitReport& r);

}  // namespace salesflow::calibrate
