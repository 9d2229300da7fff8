#pragma once
// SweepPlan: a sweep file (shared/design/cli-core.md) made ready to run: the base
// scenario's resolved tree (or, with `scenarios:`, each listed scenario's: every point
// runs all of them on the same random numbers), the varied dotted paths, and the value of
// every path at every point. Designs: `vary` (full grid), `design: {latin_hypercube: ...}` over ranges
// (integers rounded when both bounds are integers) and `points` (an explicit list).
//
// Points are not stored: point i is computed on demand (a grid decodes i into one index
// per path; a Latin hypercube computes its strata by a keyed permutation), so the plan's
// memory does not grow with the number of points (docs/limits.md).
//
// Every point is checked before anything runs, without building every point: each value
// of a path whose key depends on no other value is checked alone; the paths whose keys
// are coupled to others are checked together, every combination of their values that
// some point takes (docs/limits.md, "Sweeps"). Problems are reported at their place in
// the sweep file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

class SweepPlan {
public:
    // Most points a sweep may have (grid, Latin hypercube or explicit list).
    static constexpr std::uint64_t max_points = 10'000'000;
    // Most combinations of values of coupled paths checked before a sweep runs.
    static constexpr std::uint64_t max_coupled_checks = 20'000;
    // Most scenarios a sweep may list (`scenarios:`), as a study's designs.
    static constexpr std::size_t max_scenarios = 8;

    // Throws InputError listing every problem. `sets` apply to the base scenario.
    static SweepPlan load(const std::string& path, const std::vector<std::string>& sets = {});

    const std::string& name() const { return name_; }
    const std::vector<std::string>& paths() const { return paths_; }
    std::size_t points() const { return static_cast<std::size_t>(points_); }
    int replications() const { return replications_; }
    const model::ScenarioConfig& base() const { return bases_.front(); }
    // The scenarios every point runs: one (`scenario:`) or those listed (`scenarios:`),
    // each with the sweep's --set and the first one's seed (common random numbers).
    std::size_t scenario_count() const { return bases_.size(); }
    const model::ScenarioConfig& base(std::size_t s) const { return bases_[s]; }
    // Whether the file lists its scenarios (`scenarios:`): the tables then say which
    // scenario each row belongs to.
    bool listed() const { return listed_; }

    // The design as generated (stored with the results): "grid", "latin_hypercube" or
    // "points"; the hypercube's seed and each path's [min, max]; each path's number of
    // levels (a grid's list lengths; a hypercube's points; the explicit points).
    const char* design_name() const;
    std::uint64_t lhs_seed() const { return lhs_seed_; }
    const std::vector<std::pair<double, double>>& ranges() const { return bounds_; }
    std::uint64_t levels(std::size_t k) const;
    // The sweep as resolved: its name, base scenario file, replications and design (the
    // grid's lists, the hypercube's ranges, the explicit points), as YAML. Identifies
    // the sweep; it does not grow with the number of points of a grid or hypercube.
    const std::string& resolved_yaml() const { return resolved_yaml_; }

    // Value of path `k` at `point`, as text, and whether every value of path k is a number.
    // (A value that is a map or a list, such as a distribution, reads as one line of YAML.)
    std::string value_text(std::size_t point, std::size_t k) const;
    bool numeric(std::size_t k) const { return numeric_[k]; }
    double value_number(std::size_t point, std::size_t k) const;
    // The value of path `k` at `point` as a tree node (positioned in the sweep file).
    ConfigNode value(std::size_t point, std::size_t k) const;

    // Scenario `s` at a point. Throws InputError.
    model::ScenarioConfig scenario(std::size_t point, std::size_t s = 0) const;

private:
    enum class Design { grid, latin_hypercube, points };

    // Latin hypercube: the stratum of `point` for path `k`, and its value.
    double lhs_value(std::size_t point, std::size_t k) const;
    // Builds the base scenario with every combination of values of the `coupled` paths
    // that some point takes; reports the first combination that fails.
    void check_combinations(const std::vector<std::size_t>& coupled, const Position& where, Diagnostics& diags) const;

    std::string file_;
    std::string name_;
    int replications_ = 0;
    std::vector<ConfigNode> trees_;                   // each scenario's tree, with the sets and seed
    std::vector<model::ScenarioConfig> bases_;
    std::vector<std::string> scenario_text_;          // as written in the sweep file
    bool listed_ = false;
    std::vector<std::string> paths_;
    std::vector<Position> path_pos_;
    Design design_ = Design::grid;
    std::uint64_t points_ = 0;
    std::vector<std::vector<ConfigNode>> lists_;      // grid: the values of each path
    std::vector<std::vector<ConfigNode>> rows_;       // points: [point][path]
    std::vector<std::pair<double, double>> bounds_;   // latin hypercube: [min, max] of each path
    std::vector<bool> integer_;                       // latin hypercube: values rounded
    std::vector<Position> range_pos_;                 // latin hypercube: where each range is written
    std::uint64_t lhs_seed_ = 1;
    std::vector<bool> numeric_;
    std::string resolved_yaml_;
};

}  // namespace salesflow::input
