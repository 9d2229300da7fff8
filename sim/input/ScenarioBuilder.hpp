#pragma once
// ScenarioBuilder: validates a resolved scenario tree (extends and --set applied) and
// converts it into model::ScenarioConfig in one pass: every default filled, every name
// resolved to an index, every quantity in hours or per hour. It reports every problem it
// finds to Diagnostics and keeps going, so one run shows all of a file's mistakes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "input/DistributionReader.hpp"
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

    explicit ScenarioBuilder(Diagnostics& diags) : diags_(diags), values_(diags), dists_(values_) {}

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
        int find(const std::string& name) const;
        std::vector<std::string> valid_names() const;
    };

    NamedList collect(const MapReader& top, const std::string& key, const std::string& what);
    void read_simulation(const ConfigNode& n, model::SimulationConfig& out);
    std::optional<model::CalendarSpec> read_calendar(const ConfigNode& n, const std::string& path);
    void read_source(const ConfigNode& item, const std::string& path, model::SourceConfig& out);
    void read_stage(const ConfigNode& item, const std::string& path, int index, model::StageConfig& out);
    void read_role(const ConfigNode& item, const std::string& path, model::RoleConfig& out,
                   const std::vector<model::SourceConfig>& sources);
    void read_ownership(const ConfigNode& n, model::OwnershipConfig& out);
    void read_handoff(const ConfigNode& n, model::HandoffConfig& out);
    void check_remove(const MapReader& m);
    // A name used as a reference (stage.role, rework.to, ...): its index, or -1 after
    // reporting "undefined ..." with the nearest defined name.
    int resolve(const ConfigNode& n, const std::string& path, const NamedList& list, const std::string& what);

    Diagnostics& diags_;
    ValueReader values_;
    DistributionReader dists_;
    NamedList sources_, stages_, roles_;
    std::optional<double> horizon_h_;
    bool prospecting_refs_broken_ = false;
};

}  // namespace salesflow::input
