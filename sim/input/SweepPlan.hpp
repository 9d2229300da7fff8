#pragma once
// SweepPlan: a sweep file (shared/design/cli-core.md) made ready to run: the base
// scenario's resolved tree, the varied dotted paths, and the value of every path at every
// point. Designs: `vary` (full grid), `design: {latin_hypercube: ...}` over ranges
// (integers rounded when both bounds are integers) and `points` (an explicit list).
// Every varied path and value is checked against the scenario before anything runs;
// problems are reported at their place in the sweep file.
#include <cstddef>
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

class SweepPlan {
public:
    // Throws InputError listing every problem. `sets` apply to the base scenario.
    static SweepPlan load(const std::string& path, const std::vector<std::string>& sets = {});

    const std::string& name() const { return name_; }
    const std::vector<std::string>& paths() const { return paths_; }
    std::size_t points() const { return values_.size(); }
    int replications() const { return replications_; }
    const model::ScenarioConfig& base() const { return base_; }
    // The sweep as resolved (design expanded to its points), as YAML: identifies the sweep.
    const std::string& resolved_yaml() const { return resolved_yaml_; }

    // Value of path `k` at `point`, as text, and whether every value of path k is a number.
    // (A value that is a map or a list, such as a distribution, reads as one line of YAML.)
    std::string value_text(std::size_t point, std::size_t k) const;
    bool numeric(std::size_t k) const { return numeric_[k]; }
    double value_number(std::size_t point, std::size_t k) const;

    // The scenario at a point. Throws InputError.
    model::ScenarioConfig scenario(std::size_t point) const;

private:
    std::string file_;
    std::string name_;
    int replications_ = 0;
    ConfigNode base_tree_;
    model::ScenarioConfig base_;
    std::vector<std::string> paths_;
    std::vector<Position> path_pos_;
    std::vector<std::vector<ConfigNode>> values_;   // [point][path]
    std::vector<bool> numeric_;
    std::string resolved_yaml_;
};

}  // namespace salesflow::input
