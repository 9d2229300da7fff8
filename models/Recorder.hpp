#pragma once
// Recorder: where the model's results go. The model and the replication runner report
// (run description, one metric row per replication, time series, per-lead records,
// summaries); a recorder decides how they are kept: an HDF5 file (salesflow::output), or
// memory for tests. Calls arrive from one thread, in replication order.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/MetricCatalog.hpp"

namespace salesflow::model {

// no_decision (NoDecision) and nurtured (Nurture) only occur with their keys.
enum class Outcome : std::int32_t { won = 0, lost = 1, disqualified = 2, abandoned = 3, open = 4, no_decision = 5, nurtured = 6 };
const char* outcome_name(Outcome o);

// One lead's life, for the optional per-lead log.
struct LeadRecord {
    std::int32_t replication = 0;
    std::int64_t lead = 0;        // sequence number within the replication
    std::int32_t source = 0;      // source index
    double arrival_h = 0.0;
    double exit_h = 0.0;          // horizon for open leads
    Outcome outcome = Outcome::open;
    double quality = 0.0;
    double value = 0.0;
    std::int32_t last_stage = -1; // last stage index worked or queued for
    double work_h = 0.0;          // working hours spent on the lead
    double wait_h = 0.0;          // hours waiting for a person
    std::int32_t hands = 0;       // times the lead's work passed to a different person
    std::int32_t owner = -1;      // person index of the owner (-1: never owned)
};

// Time series of one replication: rows of (time_h, values...), row-major.
struct TimeSeries {
    std::vector<std::string> columns;   // first column is "time_h"
    std::vector<double> data;           // rows x columns.size()
    std::size_t rows() const { return columns.empty() ? 0 : data.size() / columns.size(); }
};

struct MetricSummary {
    std::string metric;
    double mean = 0.0;
    double sd = 0.0;
    double ci_low = 0.0;
    double ci_high = 0.0;
    std::int64_t n = 0;
};

struct RunInfo {
    std::string name;               // scenario name: the group /runs/<name>
    std::string scenario_yaml;      // resolved scenario
    std::uint64_t seed = 1;
    int replications = 0;
    double horizon_h = 0.0;
    double warmup_h = 0.0;
    std::vector<std::string> metric_names;   // column order of replication rows
    std::vector<MetricInfo> metrics;         // the same columns with unit, direction and label
    std::vector<std::string> source_names;
    std::vector<std::string> stage_names;
    std::vector<std::string> role_names;
};

class Recorder {
public:
    virtual ~Recorder() = default;
    virtual void begin_run(const RunInfo& info) = 0;
    virtual void replication(int rep, std::span<const double> metrics) = 0;
    virtual void series(int rep, const TimeSeries& ts) = 0;
    virtual void leads(std::span<const LeadRecord> records) = 0;
    virtual void end_run(const std::vector<MetricSummary>& summary) = 0;
};

}  // namespace salesflow::model
