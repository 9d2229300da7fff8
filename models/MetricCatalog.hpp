#pragma once
// MetricCatalog: the per-replication metrics of a scenario, in column order, each with
// its unit, its direction (is more better, less better, or neither) and a human label.
// It is the concatenation of what the model's statistics declare (models/observe/: each
// statistic declares its columns next to the values it produces), so the model, the
// summary, the recorders, the command line and the reports agree on columns, and nothing
// downstream reads a metric by position or rebuilds its name by hand.
#include <cstdint>
#include <string>
#include <vector>

#include "models/ScenarioConfig.hpp"

namespace salesflow::model {

// Which way is better. Volumes and costs (leads closed, cost, utilisation) are `neither`:
// a report never colours their change as good or bad.
enum class Direction : std::uint8_t { higher, lower, neither };
const char* direction_name(Direction d);  // "higher", "lower", "neither"

enum class Unit : std::uint8_t {
    count,                  // leads or deals (a number of events)
    hours,                  // a duration in hours
    per_week,               // events per week
    share,                  // a fraction in [0, 1]
    money,                  // the scenario's currency
    money_per_person_year,  // currency per person per year
    money_per_win,          // currency per won deal
    leads,                  // a time-average number of leads
    ratio,                  // a dimensionless ratio (may exceed 1)
};
const char* unit_name(Unit u);  // the enumerator's name, e.g. "per_week"

struct MetricInfo {
    std::string name;       // column name, e.g. "stage.qualify.wait_mean_h"
    Unit unit = Unit::count;
    Direction direction = Direction::neither;
    std::string label;      // human label, e.g. "Wait at qualify, mean"
};

class MetricCatalog {
public:
    MetricCatalog() = default;
    // Every statistic's declarations for this scenario, in the model's order.
    explicit MetricCatalog(const ScenarioConfig& cfg);

    void add(MetricInfo info);
    const std::vector<MetricInfo>& metrics() const { return metrics_; }
    const MetricInfo& info(std::size_t i) const { return metrics_[i]; }
    const std::vector<std::string>& names() const { return names_; }
    std::size_t size() const { return names_.size(); }
    // Index of a metric name, or -1.
    int index_of(const std::string& name) const;

    // Names of the per-stage and per-role metrics.
    static std::string stage_metric(const std::string& stage, const char* metric) { return "stage." + stage + "." + metric; }
    static std::string role_metric(const std::string& role, const char* metric) { return "role." + role + "." + metric; }

private:
    std::vector<MetricInfo> metrics_;
    std::vector<std::string> names_;
};

// The sinks a statistic's report(cfg, sink) writes to: declaring its columns (the
// catalogue) or its values (a replication's row), one call per column in the same order:
//   sink(MetricInfo{...}, [&] { return value; });
struct DeclareMetrics {
    MetricCatalog& catalog;
    template <class Value> void operator()(MetricInfo info, Value&&) { catalog.add(std::move(info)); }
};
struct WriteMetrics {
    std::vector<double>& row;
    template <class Value> void operator()(const MetricInfo&, Value&& value) { row.push_back(value()); }
};

}  // namespace salesflow::model
