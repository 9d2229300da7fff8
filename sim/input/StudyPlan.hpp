#pragma once
// StudyPlan: a study file (docs/study.md) made ready to run: the designs (organisations)
// with their scenario trees and the lever combinations within the budget, the objective,
// the ranking-and-selection settings, the uncertain assumptions with their distributions
// and the outer Latin hypercube over them, and the claims. Every key is validated in one
// pass before anything runs; problems are reported at their place in the study file (or
// in the scenario file that lists an assumption) as FILE:LINE:COLUMN: key.path: reason.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "design/Claims.hpp"
#include "design/InverseCdf.hpp"
#include "design/LatinHypercube.hpp"
#include "input/Assumptions.hpp"
#include "input/ConfigNode.hpp"
#include "models/MetricCatalog.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::input {

struct StudyLever {
    std::string path;
    Position pos;
    std::vector<ConfigNode> values;
};

struct StudyDesign {
    std::string name;
    std::string scenario_file;                     // as resolved (relative to the study file)
    ConfigNode tree;                               // the scenario's merged tree
    model::ScenarioConfig base;
    std::vector<StudyLever> levers;
    std::uint64_t combinations = 1;                // lever combinations before the budget
    std::vector<std::vector<std::size_t>> candidates;  // within the budget: value index per lever
    std::vector<double> annual_cost;               // per candidate
    std::vector<bool> has_assumption;              // per plan assumption: the scenario has the path
    std::vector<int> measure_index;                // per measure: column in the scenario's metrics
    std::size_t metrics = 0;                       // metric columns of the scenario
};

enum class ClaimCompare { ratio, change, difference };
const char* claim_compare_name(ClaimCompare c);

struct StudyClaim {
    std::string name;
    std::string metric;
    ClaimCompare compare = ClaimCompare::ratio;
    std::size_t of = 0, to = 0;                    // design indices
    design::Claim test;
    std::size_t measure = 0;                       // index into measures()
};

enum class BudgetKind { none, cost_at_most, equal_cost };

class StudyPlan {
public:
    static constexpr std::size_t max_designs = 8;
    static constexpr std::size_t max_candidates = 500;           // per design, within the budget
    static constexpr std::uint64_t max_combinations = 20'000;    // per design, before the budget
    static constexpr int max_replications_cap = 10'000;
    static constexpr std::size_t max_points = 100'000;
    // Replications a study may run at most, counted before it runs (their measures are
    // held in memory until the analysis).
    static constexpr std::uint64_t max_study_replications = 2'000'000;

    // Throws InputError listing every problem. `quick` applies the file's `quick:` block;
    // `seed` replaces the scenarios' simulation seed (all designs use one seed).
    static StudyPlan load(const std::string& path, bool quick, std::optional<std::uint64_t> seed,
                          const std::vector<std::string>& sets = {});

    const std::string& name() const { return name_; }
    const std::string& file() const { return file_; }
    const std::string& resolved_yaml() const { return resolved_yaml_; }  // the study as run (identity)
    const std::string& study_text() const { return study_text_; }        // the file as written
    bool quick() const { return quick_; }

    const std::vector<StudyDesign>& designs() const { return designs_; }
    const std::vector<Assumption>& assumptions() const { return assumptions_; }
    const std::vector<StudyClaim>& claims() const { return claims_; }
    // Metrics every item reports, in order: the objective first, then the claims' metrics.
    const std::vector<std::string>& measures() const { return measures_; }

    const std::string& objective() const { return objective_; }
    model::Direction direction() const { return direction_; }
    BudgetKind budget_kind() const { return budget_kind_; }
    double budget() const { return budget_; }
    double tolerance() const { return tolerance_; }

    double alpha() const { return alpha_; }
    double indifference_zone() const { return delta_; }
    int first_stage() const { return first_stage_; }
    int max_replications() const { return max_replications_; }
    int step() const { return step_; }

    std::size_t points() const { return points_; }
    std::uint64_t outer_seed() const { return outer_seed_; }
    int outer_replications() const { return outer_replications_; }
    bool reoptimise() const { return reoptimise_; }
    std::uint64_t seed() const { return seed_; }   // the simulation seed of every design (common random numbers)

    // The assumptions' values at their medians (the central point of the selection) and
    // at an outer point (the Latin hypercube through each distribution's quantile function).
    std::vector<double> central_values() const;
    std::vector<double> point_values(std::size_t point) const;

    // The scenario of design d, candidate c, with the assumptions at `values` (one per
    // plan assumption; those the design has are set). Throws InputError.
    model::ScenarioConfig scenario(std::size_t d, std::size_t c, const std::vector<double>& values) const;
    // "roles.ae.headcount=4, stages.qualify.gate.threshold=0.25" (empty: no levers).
    std::string candidate_text(std::size_t d, std::size_t c) const;

private:
    ConfigNode tree_for(std::size_t d, std::size_t c, const std::vector<double>& values) const;

    std::string file_, name_, resolved_yaml_, study_text_;
    bool quick_ = false;
    std::vector<StudyDesign> designs_;
    std::vector<Assumption> assumptions_;
    std::vector<design::InverseCdf> inverse_;
    std::vector<StudyClaim> claims_;
    std::vector<std::string> measures_;
    std::string objective_ = "profit";
    model::Direction direction_ = model::Direction::higher;
    BudgetKind budget_kind_ = BudgetKind::none;
    double budget_ = 0.0, tolerance_ = 0.0;
    double alpha_ = 0.05, delta_ = 0.0;
    int first_stage_ = 10, max_replications_ = 200, step_ = 5;
    std::size_t points_ = 64;
    std::uint64_t outer_seed_ = 1;
    int outer_replications_ = 10;
    bool reoptimise_ = false;
    std::uint64_t seed_ = 0;
};

}  // namespace salesflow::input
