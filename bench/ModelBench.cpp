// bench_model: model events per second and replications per second of a scenario file,
// through the same path as `salesflow run` (YAML -> config -> model), without writing
// results. Median of several runs; one thread unless --threads says otherwise.
//
//   bench_model SCENARIO.yaml [--runs 5] [--threads 1] [--replications N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "input/InputError.hpp"
#include "input/ScenarioLoader.hpp"
#include "models/ReplicationRunner.hpp"

using namespace salesflow;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_model SCENARIO.yaml [--runs N] [--threads N] [--replications N]\n");
        return 2;
    }
    std::string file = argv[1];
    int runs = 5, threads = 1, reps = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (a == "--runs") runs = std::max(1, v);
        else if (a == "--threads") threads = std::max(1, v);
        else if (a == "--replications") reps = std::max(1, v);
    }
    try {
        std::vector<std::string> sets;
        if (reps > 0) sets.push_back("simulation.replications=" + std::to_string(reps));
        std::vector<double> ev_rates, rep_rates;
        std::uint64_t events = 0;
        int n = 0;
        for (int r = 0; r < runs; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto cfg = input::load_scenario(file, sets);  // the scenario-file path, timed
            const model::MetricCatalog cat(cfg);
            model::RunOptions opt;
            opt.threads = threads;
            const auto res = model::run_replications(cfg, cat, opt, nullptr);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            events = res.events;
            n = static_cast<int>(res.rows.size());
            ev_rates.push_back(static_cast<double>(res.events) / s);
            rep_rates.push_back(n / s);
            std::printf("run %d: %.3f s, %.2f M events/s, %.1f replications/s\n", r + 1, s, ev_rates.back() / 1e6,
                        rep_rates.back());
        }
        std::sort(ev_rates.begin(), ev_rates.end());
        std::sort(rep_rates.begin(), rep_rates.end());
        std::printf("bench_model %s: median %.2f M events/s, %.1f replications/s over %d runs "
                    "(%llu events, %d replications each, %d thread(s))\n",
                    file.c_str(), ev_rates[ev_rates.size() / 2] / 1e6, rep_rates[rep_rates.size() / 2], runs,
                    static_cast<unsigned long long>(events), n, threads);
    } catch (const input::InputError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    return 0;
}
