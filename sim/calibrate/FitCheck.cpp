#include "calibrate/FitCheck.hpp"
#include "kernel/Time.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "models/MetricCatalog.hpp"
#include "models/ReplicationRunner.hpp"

namespace salesflow::calibrate {

namespace {

using model::LeadRecord;
using model::Outcome;

// Per-replication figures, in FitReport row order.
class FitRecorder : public model::Recorder {
public:
    FitRecorder(const model::ScenarioConfig& cfg) : cfg_(cfg) {}

    void begin_run(const model::RunInfo&) override {}
    void replication(int, std::span<const double>) override {}
    void series(int, const model::TimeSeries&) override {}
    void end_run(const std::vector<model::MetricSummary>&) override {}
    void leads(std::span<const LeadRecord> records) override {
        for (const auto& r : records) {
            if (r.replication != rep_) flush(), rep_ = r.replication;
            add(r);
        }
    }
    void finish() { flush(); }

    std::vector<std::string> names;
    std::vector<std::vector<double>> values;   // per row: one value per replication

private:
    void add(const LeadRecord& r) {
        const std::size_t ns = cfg_.stages.size();
        if (arrivals_.empty()) {
            arrivals_.assign(cfg_.sources.size(), 0);
            passed_.assign(ns, 0);
            failed_.assign(ns, 0);
            won_src_.assign(cfg_.sources.size(), 0);
            closed_src_.assign(cfg_.sources.size(), 0);
        }
        ++arrivals_[static_cast<std::size_t>(r.source)];
        const int L = std::max(0, r.last_stage);
        if (r.outcome == Outcome::won) {
            for (std::size_t s = 0; s < ns; ++s) ++passed_[s];
            won_cycle_.push_back(r.exit_h - r.arrival_h);
        } else {
            for (int s = 0; s < L; ++s) ++passed_[static_cast<std::size_t>(s)];
            if (r.outcome != Outcome::open) ++failed_[static_cast<std::size_t>(L)];
        }
        if (r.outcome != Outcome::open) {
            ++closed_src_[static_cast<std::size_t>(r.source)];
            if (r.outcome == Outcome::won) ++won_src_[static_cast<std::size_t>(r.source)];
        }
    }

    void flush() {
        if (arrivals_.empty()) {
            if (rep_ < 0) return;
            add_empty();
        }
        std::vector<std::pair<std::string, double>> row;
        const double weeks = cfg_.simulation.horizon_h / kernel::hours_per_week;
        for (std::size_t i = 0; i < arrivals_.size(); ++i)
            row.emplace_back("arrivals per week: " + cfg_.sources[i].name, static_cast<double>(arrivals_[i]) / weeks);
        for (std::size_t s = 0; s < passed_.size(); ++s) {
            const double d = static_cast<double>(passed_[s] + failed_[s]);
            row.emplace_back("conversion: " + cfg_.stages[s].name, d > 0 ? static_cast<double>(passed_[s]) / d : 0.0);
        }
        row.emplace_back("won cycle time p50 (d)", sample_quantile(won_cycle_, 0.5) / 24.0);
        row.emplace_back("won cycle time p85 (d)", sample_quantile(won_cycle_, 0.85) / 24.0);
        std::int64_t w = 0, c = 0;
        for (std::size_t i = 0; i < won_src_.size(); ++i) { w += won_src_[i]; c += closed_src_[i]; }
        row.emplace_back("win rate", c > 0 ? static_cast<double>(w) / static_cast<double>(c) : 0.0);
        if (won_src_.size() > 1)
            for (std::size_t i = 0; i < won_src_.size(); ++i)
                row.emplace_back("win rate: " + cfg_.sources[i].name,
                                 closed_src_[i] > 0 ? static_cast<double>(won_src_[i]) / static_cast<double>(closed_src_[i]) : 0.0);
        if (names.empty()) {
            for (auto& [n, v] : row) names.push_back(n);
            values.resize(names.size());
        }
        for (std::size_t i = 0; i < row.size() && i < values.size(); ++i) values[i].push_back(row[i].second);
        arrivals_.clear();
        won_cycle_.clear();
    }
    void add_empty() {
        arrivals_.assign(cfg_.sources.size(), 0);
        passed_.assign(cfg_.stages.size(), 0);
        failed_.assign(cfg_.stages.size(), 0);
        won_src_.assign(cfg_.sources.size(), 0);
        closed_src_.assign(cfg_.sources.size(), 0);
    }

    const model::ScenarioConfig& cfg_;
    int rep_ = -1;
    std::vector<std::int64_t> arrivals_, passed_, failed_, won_src_, closed_src_;
    std::vector<double> won_cycle_;
};

}  // namespace

int FitReport::outside() const {
    return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const FitRow& r) { return !r.inside; }));
}

FitReport fit_check(const model::ScenarioConfig& cfg, const Calibration& cal, int threads) {
    model::MetricCatalog catalog(cfg);
    model::RunOptions opt;
    opt.threads = std::max(1, threads);
    opt.model.record_leads = true;
    FitRecorder rec(cfg);
    model::run_replications(cfg, catalog, opt, &rec);
    rec.finish();

    // Observed figures in the same order.
    std::map<std::string, double> obs;
    for (const auto& s : cal.sources) {
        obs["arrivals per week: " + s.name] = s.rate_per_week.est;
        obs["win rate: " + s.name] = s.win_rate.est;
    }
    for (const auto& s : cal.stages) obs["conversion: " + s.name] = s.conversion.est;
    obs["won cycle time p50 (d)"] = cal.won_p50_h / 24.0;
    obs["won cycle time p85 (d)"] = cal.won_p85_h / 24.0;
    obs["win rate"] = cal.win_rate.est;

    FitReport rep;
    rep.replications = cfg.simulation.replications;
    for (std::size_t i = 0; i < rec.names.size(); ++i) {
        FitRow r;
        r.metric = rec.names[i];
        r.observed = obs.count(r.metric) ? obs[r.metric] : 0.0;
        const auto& v = rec.values[i];
        double m = 0;
        for (double x : v) m += x;
        r.sim_mean = v.empty() ? 0.0 : m / static_cast<double>(v.size());
        r.sim_low = sample_quantile(v, 0.025);
        r.sim_high = sample_quantile(v, 0.975);
        r.inside = r.observed >= r.sim_low - 1e-12 && r.observed <= r.sim_high + 1e-12;
        rep.rows.push_back(r);
    }
    return rep;
}

void print_fit(std::ostream& os, const FitReport& r) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-34s %12s %12s %25s\n", "fit check", "observed", "simulated", "simulated 95% range");
    os << buf;
    for (const auto& x : r.rows) {
        std::snprintf(buf, sizeof buf, "%-34s %12.4g %12.4g   [%10.4g, %10.4g]  %s\n", x.metric.c_str(), x.observed, x.sim_mean, x.sim_low,
                      x.sim_high, x.inside ? "ok" : "OUTSIDE");
        os << buf;
    }
    os << r.outside() << " of " << r.rows.size() << " figures outside the simulated 95% range (" << r.replications << " replications)\n";
}

}  // namespace salesflow::calibrate
