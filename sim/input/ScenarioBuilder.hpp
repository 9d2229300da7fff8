#pragma once
// ScenarioBuilder: validates a resolved scenario tree (extends and --set applied) and
// converts it into model::ScenarioConfig in one pass: every default filled, every name
// resolved to an index, every quantity in hours or per hour. It reports every problem it
// finds to Diagnostics and keeps going, so one run shows all of a file's mistakes.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "input/DistributionReader.hpp"
#include "input/FieldTable.hpp"
#include "input/MapReader.hpp"
#include "input/ValueReader.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

class ScenarioBuilder {
public:
    // Limits that catch typos and runaway values before they become a run that never ends.
    static constexpr double max_horizon_h = 1000.0 * 365.0 * 24.0;  // 1000 years
    static constexpr std::int64_t max_replications = 10'000'000;
    static constexpr std::int64_t max_headcount = 100'000;
    static constexpr std::int64_t max_touches = 1000;
    static constexpr std::int64_t max_wip_limit = 1'000'000;
    static constexpr std::int64_t max_campaign_leads = 1'000'000;
    static constexpr double max_samples = 1'000'000.0;  // time-series points per replication
    static constexpr double max_money = 1e15;            // cost_per_year (sums of a run stay finite)
    static constexpr double max_efficiency = 1000.0;     // a faster person would work in no time
    static constexpr double max_skill = 1000.0;          // roles[].skill (the chance is capped at 1 anyway)
    static constexpr double max_learning_gain = 10.0;    // roles[].learning.max_gain
    static constexpr double max_visits = 1e9;            // roles[].learning.visits, initial
    static constexpr double min_tenure_h = 24.0;         // roles[].attrition.tenure: shorter is a typo and an event storm
    // A rework loop in which every stage's effort can take no time (docs/limits.md): the
    // highest rework probability it may have (at most 1000 repetitions on average at one
    // instant), and what "no time" means (an atom of the effort at or below this).
    // Most leads one source may bring in one replication, on average (rate x horizon x
    // the largest seasonal factor, plus campaigns): every lead costs memory and time.
    static constexpr double max_expected_leads = 1e8;
    static constexpr double max_zero_time_rework = 0.999;
    static constexpr double zero_time_h = 1e-6;
    // The largest share of an outcome that nurture may recycle: every lead comes back at
    // most 1 / (1 - share) = 100 times on average.
    static constexpr double max_nurture_share = 0.99;
    // The shortest period of a repeated event a scenario may ask for (a stage's `batch`,
    // a prospecting `block`), other than 0 (off): a shorter one repeats its event without
    // end, at one instant when it is below the clock's resolution (1e-300 h hung a run).
    static constexpr double min_period_h = 1.0 / 60.0;

    explicit ScenarioBuilder(Diagnostics& diags);
    ScenarioBuilder(const ScenarioBuilder&) = delete;
    ScenarioBuilder& operator=(const ScenarioBuilder&) = delete;

    // Every key the scenario format accepts, from the field tables: the dotted place of
    // its map ("", "simulation", "sources[]", "stages[].rework", ...), the key, whether it
    // is required, its default as documented and a one-line description.
    struct KeyDoc {
        std::string section, key;
        bool required = false;
        std::string default_text, doc;
    };
    static std::vector<KeyDoc> reference();

    // For sweeps: checks `value` for the key at the dotted `path` (as for --set) on its
    // own, reporting at `value`'s position under `shown`, when that key's validity depends
    // on no other value (an independent field: integers, numbers and durations with a
    // range, words from a list). Returns false, reporting nothing, when the value can
    // only be judged inside a whole scenario.
    static bool check_alone(const std::string& path, const ConfigNode& value, const std::string& shown,
                            Diagnostics& diags);

    // The scenario described by `root`; check the Diagnostics before using it. Each call
    // starts afresh, so one builder may build several trees (one per sweep point).
    model::ScenarioConfig build(const ConfigNode& root);

private:
    // The items of one of the lists `sources`, `stages`, `roles`, with the name of each
    // item (empty when it has none) and its path for messages (`roles.ae`, `roles[3]`).
    struct NamedList {
        const ConfigNode* node = nullptr;
        std::vector<std::string> names;
        std::vector<std::string> paths;
        std::unordered_map<std::string, int> index;  // first item of each name
        int find(const std::string& name) const;
        std::vector<std::string> valid_names() const;
    };

    // The keys of each map of the scenario, declared once (FieldTable.hpp).
    struct Tables;
    static const Tables& tables();

    NamedList collect(const MapReader& top, const std::string& key, const std::string& what);
    std::optional<model::CalendarSpec> read_calendar(const ConfigNode& n, const std::string& path);
    void read_source(const ConfigNode& item, const std::string& path, model::SourceConfig& out);
    void read_trace_key(const ConfigNode& v, const std::string& path, model::SourceConfig& out);
    void read_seasonality(const ConfigNode& v, const std::string& path, model::SourceConfig& out);
    void read_campaigns(const ConfigNode& v, const std::string& path, model::SourceConfig& out);
    void read_stage(const ConfigNode& item, const std::string& path, int index, model::StageConfig& out);
    void read_stage_roles(const MapReader& m, const ConfigNode& item, model::StageConfig& out);
    void read_role(const ConfigNode& item, const std::string& path, model::RoleConfig& out,
                   const std::vector<model::SourceConfig>& sources);
    void read_role_prospecting(const ConfigNode& v, const std::string& path, model::RoleConfig& out,
                               const std::vector<model::SourceConfig>& sources);
    void read_efficiency(const ConfigNode& v, const std::string& path, model::RoleConfig& out);
    void read_context_switching(const ConfigNode& v, const std::string& path, model::RoleConfig& out);
    void read_context_switching_map(const ConfigNode& v, const std::string& path, model::RoleConfig& out);
    void check_remove(const MapReader& m);
    void check_zero_time_loops(const model::ScenarioConfig& cfg);
    void check_lead_counts(const model::ScenarioConfig& cfg);
    void check_working_hours_share(const model::ScenarioConfig& cfg);
    void check_recycled_leads(const model::ScenarioConfig& cfg, const ConfigNode& at);
    // A name used as a reference (stage.role, rework.to, ...): its index, or -1 after
    // reporting "undefined ..." with the nearest defined name.
    int resolve(const ConfigNode& n, const std::string& path, const NamedList& list, const std::string& what);

    Diagnostics& diags_;
    ValueReader values_;
    DistributionReader dists_;
    FieldReaders readers_;
    int stage_index_ = 0;  // of the stage being read
    NamedList sources_, stages_, roles_;
    std::optional<double> horizon_h_;
    bool prospecting_refs_broken_ = false;
};

}  // namespace salesflow::input
