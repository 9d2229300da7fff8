#pragma once
// Runs a scenario in memory and gives its summary, plus textbook queueing formulas.
#include <cmath>
#include <string>

#include "../SanitizedBuild.hpp"
#include "models/MemoryRecorder.hpp"
#include "models/ReplicationRunner.hpp"

namespace salesflow::test {

inline model::MemoryRecorder run_in_memory(const model::ScenarioConfig& cfg, int threads = 2,
                                           model::ModelOptions opts = {}) {
    model::MetricCatalog cat(cfg);
    model::MemoryRecorder rec;
    rec.begin_run(model::run_info(cfg, cat, cfg.simulation.replications));
    model::RunOptions o;
    o.threads = threads;
    o.model = opts;
    auto r = model::run_replications(cfg, cat, o, &rec);
    rec.end_run(model::summarise(cat, r.rows));
    return rec;
}

inline double mean_of(const model::MemoryRecorder& rec, const std::string& metric) {
    const auto* s = rec.find(metric);
    return s ? s->mean : std::nan("");
}

// Erlang C: probability an arrival waits in M/M/c with offered load a = lambda/mu.
inline double erlang_c(double lambda, double mu, int c) {
    const double a = lambda / mu;
    double term = 1.0, sum = 1.0;  // sum_{k<c} a^k/k!
    for (int k = 1; k < c; ++k) {
        term *= a / k;
        sum += term;
    }
    const double last = term * a / c;  // a^c / c!
    const double rho = a / c;
    const double top = last / (1.0 - rho);
    return top / (sum + top);
}

// Mean wait in queue of M/M/c.
inline double mmc_wq(double lambda, double mu, int c) {
    return erlang_c(lambda, mu, c) / (c * mu - lambda);
}

// Pollaczek-Khinchine mean wait of M/G/1: lambda E[S^2] / (2 (1 - rho)).
inline double pk_wq(double lambda, double mean_s, double var_s) {
    const double rho = lambda * mean_s;
    return lambda * (var_s + mean_s * mean_s) / (2.0 * (1.0 - rho));
}

}  // namespace salesflow::test
