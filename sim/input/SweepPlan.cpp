#include "input/SweepPlan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "design/LatinHypercube.hpp"
#include "input/InputError.hpp"
#include "input/PathCheck.hpp"
#include "input/Quantities.hpp"
#include "input/ScenarioBuilder.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/TreeLoader.hpp"
#include "input/ValueReader.hpp"
#include "input/YamlEmitter.hpp"
#include "kernel/RandomStreams.hpp"
#include "models/MetricCatalog.hpp"

namespace salesflow::input {

namespace {

const std::vector<std::string> top_keys = {"name", "description", "scenario", "scenarios", "replications", "vary", "design", "points"};

// The one number grammar of scenario files (Quantities.hpp): a plain, unquoted, finite
// decimal number.
bool number_of(const ConfigNode& n, double& out) {
    if (!n.is_scalar() || n.quoted()) return false;
    try {
        return try_parse_number(n.text(), out);
    } catch (const QuantityError&) {
        return false;
    }
}

bool is_integer(double v) { return std::floor(v) == v && std::abs(v) < 9e15; }

std::string number_text(double v) {
    char buf[64];
    if (is_integer(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// `a` is `b` or a path inside it (`roles.ae` and `roles.ae.headcount`).
bool path_within(const std::string& a, const std::string& b) {
    return a.size() >= b.size() && a.compare(0, b.size(), b) == 0 &&
           (a.size() == b.size() || a[b.size()] == '.' || a[b.size()] == '[');
}

// Builds `tree` as a scenario without recording it (the check of a sweep point).
// Builds `tree`; with `metrics`, the scenario must also report exactly those metrics (the
// results table's columns are the base scenario's: a value that switches nurture,
// no_decision or quarter_end on or off failed the sweep part way, exit 1).
void check_tree(const ConfigNode& tree, Diagnostics& diags, const std::vector<std::string>* metrics = nullptr,
                const Position& where = {}, const std::string& path = {}, const std::string& got = {}) {
    const auto cfg = ScenarioBuilder(diags).build(tree);
    if (metrics && diags.empty() && model::MetricCatalog(cfg).names() != *metrics)
        diags.add(where, path,
                  "this value changes the scenario's metrics (the columns of the results): a sweep may not switch a "
                  "mechanism with metrics of its own, such as nurture, no_decision or quarter_end, on or off; set "
                  "it in the scenario, got " + got);
}


}  // namespace

double SweepPlan::lhs_value(std::size_t point, std::size_t k) const {
    // Each range is cut into n equal strata; each stratum is used by exactly one point,
    // the strata of different paths paired by independent keyed permutations; the value
    // lies uniformly inside its stratum.
    const std::uint64_t n = points_;
    const std::uint64_t strata_key = kernel::stream_key(lhs_seed_, k, "sweep/latin-hypercube/strata");
    const std::uint64_t offset_key = kernel::stream_key(lhs_seed_, k, "sweep/latin-hypercube/offset");
    const std::uint64_t stratum = design::feistel_permute(point, n, strata_key);
    const double u = static_cast<double>(design::mix64(offset_key ^ design::mix64(point)) >> 11) * 0x1.0p-53;
    const double x = (static_cast<double>(stratum) + u) / static_cast<double>(n);
    const double v = bounds_[k].first + x * (bounds_[k].second - bounds_[k].first);
    return integer_[k] ? std::round(v) : v;
}

ConfigNode SweepPlan::value(std::size_t point, std::size_t k) const {
    switch (design_) {
    case Design::grid: {
        std::size_t rest = point;
        for (std::size_t j = lists_.size(); j-- > k + 1;) rest /= lists_[j].size();
        return lists_[k][rest % lists_[k].size()];
    }
    case Design::latin_hypercube: return ConfigNode::scalar(number_text(lhs_value(point, k)), false, range_pos_[k]);
    case Design::points: return rows_[point][k];
    }
    return {};
}

std::string SweepPlan::value_text(std::size_t point, std::size_t k) const { return flow_text(value(point, k)); }

double SweepPlan::value_number(std::size_t point, std::size_t k) const {
    if (design_ == Design::latin_hypercube) return lhs_value(point, k);
    double v = 0.0;
    number_of(value(point, k), v);
    return v;
}

model::ScenarioConfig SweepPlan::scenario(std::size_t point, std::size_t s) const {
    ConfigNode tree = trees_[s];
    Diagnostics diags;
    for (std::size_t k = 0; k < paths_.size(); ++k) apply_set(tree, paths_[k], value(point, k), path_pos_[k], diags);
    diags.throw_if_any();
    return build_scenario(tree, bases_[s].source_file);
}

const char* SweepPlan::design_name() const {
    switch (design_) {
    case Design::grid: return "grid";
    case Design::latin_hypercube: return "latin_hypercube";
    case Design::points: return "points";
    }
    return "";
}

std::uint64_t SweepPlan::levels(std::size_t k) const {
    return design_ == Design::grid ? static_cast<std::uint64_t>(lists_[k].size()) : points_;
}

void SweepPlan::check_combinations(const std::vector<std::size_t>& coupled, const Position& where,
                                   Diagnostics& diags) const {
    std::vector<std::vector<std::string>> base_metrics;  // each scenario's metrics
    for (const auto& b : bases_) base_metrics.push_back(model::MetricCatalog(b).names());
    auto check = [&](const std::vector<ConfigNode>& values, std::uint64_t point) {
        Diagnostics one;
        for (std::size_t sc = 0; sc < trees_.size() && one.empty(); ++sc) {
            ConfigNode tree = trees_[sc];
            for (std::size_t j = 0; j < coupled.size(); ++j) apply_set(tree, paths_[coupled[j]], values[j], path_pos_[coupled[j]], one);
            if (one.empty()) check_tree(tree, one, &base_metrics[sc], where, "", "a combination");
        }
        if (one.empty()) return true;
        std::string shown;
        for (std::size_t j = 0; j < coupled.size(); ++j)
            shown += (j ? ", " : "") + paths_[coupled[j]] + "=" + flow_text(values[j]);
        for (const auto& d : one.items()) diags.add(d);
        diags.add(where, "", "point " + std::to_string(point + 1) + " is not a valid scenario: with " + shown +
                                 " (reported above)");
        return false;
    };
    std::vector<ConfigNode> values(coupled.size());
    if (design_ == Design::grid) {
        // Every combination of the coupled lists, whatever the other paths.
        std::uint64_t count = 1;
        for (const std::size_t k : coupled) count *= lists_[k].size();
        std::vector<std::size_t> digit(paths_.size(), 0);
        for (std::uint64_t c = 0; c < count; ++c) {
            std::uint64_t rest = c;
            for (std::size_t j = coupled.size(); j-- > 0;) {
                const auto& list = lists_[coupled[j]];
                digit[coupled[j]] = static_cast<std::size_t>(rest % list.size());
                values[j] = list[digit[coupled[j]]];
                rest /= list.size();
            }
            // The first point with these values (the other paths at their first value).
            std::uint64_t point = 0;
            for (std::size_t k = 0; k < paths_.size(); ++k) point = point * lists_[k].size() + digit[k];
            if (!check(values, point)) return;
        }
        return;
    }
    for (std::uint64_t p = 0; p < points_; ++p) {
        for (std::size_t j = 0; j < coupled.size(); ++j) values[j] = value(static_cast<std::size_t>(p), coupled[j]);
        if (!check(values, p)) return;
    }
}

SweepPlan SweepPlan::load(const std::string& path, const std::vector<std::string>& sets) {
    Diagnostics diags;
    auto tree = load_tree(path, diags);
    if (!tree) {
        diags.throw_if_any();
        throw InputError({Diagnostic(Position{path, 0, 0}, "", "cannot load the sweep file")});
    }
    diags.throw_if_any();
    const ConfigNode& root = *tree;
    ValueReader values(diags);
    SweepPlan plan;
    plan.file_ = path;
    if (!root.is_map()) throw InputError({Diagnostic(root.pos(), "", "a sweep file is a map of keys")});
    for (const auto& e : root.entries())
        if (std::find(top_keys.begin(), top_keys.end(), e.key) == top_keys.end())
            diags.add(e.key_pos, e.key, "unknown key '" + e.key + "'" + suggestion(e.key, top_keys));

    const ConfigNode* name = root.find("name");
    if (!name || !name->is_scalar() || name->text().empty()) {
        diags.add(name ? name->pos() : root.pos(), "name", "required: the sweep's name");
    } else {
        plan.name_ = name->text();
        for (char c : plan.name_)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
                diags.add(name->pos(), "name", "only letters, digits, '-' and '_', got '" + plan.name_ + "'");
    }
    // The scenarios: `scenario: FILE` (one) or `scenarios: [FILE, ...]` (each point runs
    // every one of them on the same random numbers), relative to the sweep file.
    const ConfigNode* scen = root.find("scenario");
    const ConfigNode* scens = root.find("scenarios");
    std::vector<const ConfigNode*> files;
    if (scen && scens) {
        diags.add(scens->pos(), "scenarios", "give only one of `scenario` and `scenarios`");
    } else if (scens) {
        plan.listed_ = true;
        if (!scens->is_sequence() || scens->items().empty()) {
            diags.add(scens->pos(), "scenarios", "must be a non-empty list of scenario files, relative to the sweep file");
        } else if (scens->items().size() > max_scenarios) {
            diags.add(scens->pos(), "scenarios", "at most " + std::to_string(max_scenarios) + " scenarios, got " +
                                                     std::to_string(scens->items().size()));
        } else {
            for (std::size_t i = 0; i < scens->items().size(); ++i) {
                const ConfigNode& f = scens->items()[i];
                if (!f.is_scalar() || f.text().empty())
                    diags.add(f.pos(), "scenarios[" + std::to_string(i + 1) + "]", "must be a scenario file, got " + quote(flow_text(f)));
                else
                    files.push_back(&f);
            }
        }
    } else if (!scen || !scen->is_scalar() || scen->text().empty()) {
        diags.add(scen ? scen->pos() : root.pos(), "scenario", "required: the base scenario file, relative to the sweep file");
    } else {
        files.push_back(scen);
    }
    diags.throw_if_any();
    for (std::size_t i = 0; i < files.size(); ++i) {
        const ConfigNode& f = *files[i];
        const std::string key = plan.listed_ ? "scenarios[" + std::to_string(i + 1) + "]" : "scenario";
        std::vector<std::string> own = sets;
        // Common random numbers: every scenario runs with the first one's seed (as in
        // compare), whatever its file says.
        if (i > 0) own.push_back("simulation.seed=" + std::to_string(plan.bases_.front().simulation.seed));
        auto named = load_named_scenario(path, f, key, own, diags);
        diags.throw_if_any();
        if (!named) throw InputError({Diagnostic(f.pos(), key, "cannot load " + quote(f.text()))});
        plan.bases_.push_back(std::move(named->config));
        plan.trees_.push_back(std::move(named->tree));
        plan.scenario_text_.push_back(f.text());
    }
    // Each scenario's rows are told apart by its name: two listed scenarios with the
    // same name are refused (as compare refuses them).
    for (std::size_t i = 1; i < plan.bases_.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (plan.bases_[i].name == plan.bases_[j].name)
                diags.add(files[i]->pos(), "scenarios[" + std::to_string(i + 1) + "]",
                          "two listed scenarios are named " + quote(plan.bases_[i].name) + " (scenarios[" +
                              std::to_string(j + 1) + "] too); names must differ, got " + quote(files[i]->text()));
    diags.throw_if_any();
    plan.replications_ = plan.bases_.front().simulation.replications;
    if (const ConfigNode* r = root.find("replications"))
        if (const auto v = values.integer(*r, "replications", 1, ScenarioBuilder::max_replications))
            plan.replications_ = static_cast<int>(*v);

    const ConfigNode* vary = root.find("vary");
    const ConfigNode* design = root.find("design");
    const ConfigNode* points = root.find("points");
    const int designs = (vary ? 1 : 0) + (design ? 1 : 0) + (points ? 1 : 0);
    if (designs != 1) {
        diags.add(root.pos(), "", designs == 0 ? "no design: give `vary` (a grid), `design` or `points`"
                                               : "give only one of `vary`, `design` and `points`");
        diags.throw_if_any();
    }
    const ConfigNode* design_node = vary ? vary : design ? design : points;
    const std::string max_text = "at most " + std::to_string(max_points) + " points";

    if (vary) {
        plan.design_ = Design::grid;
        if (!vary->is_map() || vary->entries().empty()) {
            diags.add(vary->pos(), "vary", "must map at least one dotted PATH to a list of values");
        } else {
            for (const auto& e : vary->entries()) {
                plan.paths_.push_back(e.key);
                plan.path_pos_.push_back(e.key_pos);
                if (!e.value.is_sequence() || e.value.items().empty()) {
                    diags.add(e.value.pos(), "vary." + e.key, "must be a non-empty list of values");
                    plan.lists_.push_back({});
                } else {
                    plan.lists_.push_back(e.value.items());
                }
            }
            diags.throw_if_any();
            // Full grid, the first path varying slowest. The count saturates: a grid of
            // 2^64 points must not wrap to a small number.
            std::uint64_t total = 1;
            for (const auto& l : plan.lists_) {
                if (total > max_points / l.size()) {
                    total = max_points + 1;
                    break;
                }
                total *= l.size();
            }
            if (total > max_points) {
                diags.add(vary->pos(), "vary", "the grid has more than " + std::to_string(max_points) +
                                                   " points (the product of the list lengths); a sweep has " + max_text);
                diags.throw_if_any();
            }
            plan.points_ = total;
        }
    }
    if (design) {
        plan.design_ = Design::latin_hypercube;
        const ConfigNode* lhs = design->is_map() ? design->find("latin_hypercube") : nullptr;
        if (!lhs || !lhs->is_map() || design->entries().size() != 1) {
            diags.add(design->pos(), "design", "expected {latin_hypercube: {points: N, seed: S, ranges: {PATH: {min, max}}}}");
            diags.throw_if_any();
        }
        for (const auto& e : lhs->entries())
            if (e.key != "points" && e.key != "seed" && e.key != "ranges")
                diags.add(e.key_pos, "design.latin_hypercube." + e.key,
                          "unknown key '" + e.key + "'" + suggestion(e.key, {"points", "seed", "ranges"}));
        const ConfigNode* np = lhs->find("points");
        if (!np) diags.add(lhs->pos(), "design.latin_hypercube.points", "required key 'points' is missing");
        else if (const auto n = values.integer(*np, "design.latin_hypercube.points", 1, static_cast<std::int64_t>(max_points)))
            plan.points_ = static_cast<std::uint64_t>(*n);
        if (const ConfigNode* sp = lhs->find("seed"))
            if (const auto s = values.unsigned64(*sp, "design.latin_hypercube.seed")) plan.lhs_seed_ = *s;
        const ConfigNode* ranges = lhs->find("ranges");
        if (!ranges || !ranges->is_map() || ranges->entries().empty()) {
            diags.add(ranges ? ranges->pos() : lhs->pos(), "design.latin_hypercube.ranges",
                      "must map at least one dotted PATH to {min, max}");
        } else {
            for (const auto& e : ranges->entries()) {
                const std::string where = "design.latin_hypercube.ranges." + e.key;
                plan.paths_.push_back(e.key);
                plan.path_pos_.push_back(e.key_pos);
                plan.range_pos_.push_back(e.value.pos());
                const ConfigNode* lo = e.value.is_map() ? e.value.find("min") : nullptr;
                const ConfigNode* hi = e.value.is_map() ? e.value.find("max") : nullptr;
                double a = 0, b = 0;
                if (!lo || !hi || !number_of(*lo, a) || !number_of(*hi, b)) {
                    diags.add(e.value.pos(), where, "must be {min: NUMBER, max: NUMBER}");
                } else if (a > b) {
                    diags.add(lo->pos(), where, "min must be <= max, got min '" + lo->text() + "' > max '" + hi->text() + "'");
                }
                plan.bounds_.emplace_back(a, b);
                plan.integer_.push_back(is_integer(a) && is_integer(b));
            }
        }
    }
    if (points) {
        plan.design_ = Design::points;
        if (!points->is_sequence() || points->items().empty()) {
            diags.add(points->pos(), "points", "must be a non-empty list of {PATH: value} maps");
            diags.throw_if_any();
        }
        const ConfigNode& first = points->items().front();
        if (first.is_map())
            for (const auto& e : first.entries()) {
                plan.paths_.push_back(e.key);
                plan.path_pos_.push_back(e.key_pos);
            }
        const std::set<std::string> known(plan.paths_.begin(), plan.paths_.end());
        for (std::size_t i = 0; i < points->items().size(); ++i) {
            const ConfigNode& pt = points->items()[i];
            const std::string where = "points[" + std::to_string(i + 1) + "]";
            if (!pt.is_map() || pt.entries().empty()) {
                diags.add(pt.pos(), where, "must be a map of PATH: value");
                continue;
            }
            std::vector<ConfigNode> row;
            for (const auto& p : plan.paths_) {
                const ConfigNode* v = pt.find(p);
                if (!v) diags.add(pt.pos(), where, "missing PATH '" + p + "' (every point sets the same paths)");
                row.push_back(v ? *v : ConfigNode());
            }
            for (const auto& e : pt.entries())
                if (!known.count(e.key))
                    diags.add(e.key_pos, where + "." + e.key, "PATH not set by the first point: every point sets the same paths");
            plan.rows_.push_back(std::move(row));
        }
        plan.points_ = plan.rows_.size();
    }
    diags.throw_if_any();
    std::set<std::string> seen;
    for (std::size_t k = 0; k < plan.paths_.size(); ++k)
        if (!seen.insert(plan.paths_[k]).second)
            diags.add(plan.path_pos_[k], plan.paths_[k], "this PATH is varied twice");
        else if (plan.paths_[k] == "simulation.replications")
            diags.add(plan.path_pos_[k], plan.paths_[k],
                      "cannot be varied: every point runs the sweep's replications (set `replications` in the sweep "
                      "file or --replications)");
    diags.throw_if_any();

    // Every point is checked before anything runs. A path whose key depends on no other
    // value (ScenarioBuilder::check_alone) has each of its values checked alone; the
    // other ("coupled") paths have each value checked in the base scenario, and then
    // every combination of their values that a point takes is built.
    std::vector<std::size_t> coupled;
    std::vector<std::vector<std::string>> base_metrics;  // each scenario's metrics
    for (const auto& b : plan.bases_) base_metrics.push_back(model::MetricCatalog(b).names());
    for (std::size_t k = 0; k < plan.paths_.size(); ++k) {
        // The distinct values this path takes (a hypercube's: its two bounds, as generated).
        std::vector<ConfigNode> distinct;
        if (plan.design_ == Design::grid) {
            distinct = plan.lists_[k];
        } else if (plan.design_ == Design::latin_hypercube) {
            for (const double b : {plan.bounds_[k].first, plan.bounds_[k].second})
                distinct.push_back(ConfigNode::scalar(number_text(plan.integer_[k] ? std::round(b) : b), false,
                                                      plan.range_pos_[k]));
        } else {
            for (const auto& row : plan.rows_) distinct.push_back(row[k]);
        }
        std::set<std::string> done;
        bool alone = true;
        for (std::size_t j = 0; j < plan.paths_.size(); ++j)
            if (j != k && (path_within(plan.paths_[j], plan.paths_[k]) || path_within(plan.paths_[k], plan.paths_[j])))
                alone = false;
        // The path must lead somewhere in the base scenario, and setting it must keep
        // the scenario whole (setting gate.noise_sd alone creates a gate without its
        // threshold): the base with the first value is built, whatever the path.
        // With several scenarios, the path must lead somewhere in every one of them (a
        // path only some have is refused, as compare refuses such a --set).
        {
            std::vector<std::string> have;
            std::size_t missing = plan.trees_.size();
            for (std::size_t sc = 0; sc < plan.trees_.size(); ++sc) {
                if (path_settable(plan.trees_[sc], plan.paths_[k], distinct.front(), plan.path_pos_[k]))
                    have.push_back(plan.bases_[sc].name);
                else if (missing == plan.trees_.size())
                    missing = sc;
            }
            if (!have.empty() && missing < plan.trees_.size()) {
                Diagnostic d = check_setting(plan.trees_[missing], plan.paths_[k], distinct.front(), plan.path_pos_[k]).items().front();
                d.message += " in " + plan.scenario_text_[missing] + "; only " + join(have) +
                             " of the listed scenarios can take it: every point sets its paths in every listed scenario";
                diags.add(d);
                continue;
            }
        }
        auto check_everywhere = [&](const ConfigNode& v) {
            for (std::size_t sc = 0; sc < plan.trees_.size(); ++sc) {
                ConfigNode t = plan.trees_[sc];
                Diagnostics one;
                if (apply_set(t, plan.paths_[k], v, plan.path_pos_[k], one))
                    check_tree(t, one, &base_metrics[sc], v.pos(), plan.paths_[k], describe(v));
                for (const auto& d : one.items()) diags.add(d);
                if (!one.empty()) return false;
            }
            return true;
        };
        if (!check_everywhere(distinct.front())) continue;
        done.insert(emit_yaml(distinct.front()));
        for (const auto& v : distinct) {
            if (!done.insert(emit_yaml(v)).second) continue;
            if (alone && ScenarioBuilder::check_alone(plan.paths_[k], v, plan.paths_[k], diags)) continue;
            alone = false;
            if (plan.design_ == Design::latin_hypercube) continue;  // judged with every point below
            check_everywhere(v);
        }
        if (!alone) coupled.push_back(k);
    }
    diags.throw_if_any();
    // With one coupled path, a grid's combinations are its values, already checked.
    if (!coupled.empty() && !(plan.design_ == Design::grid && coupled.size() == 1)) {
        std::uint64_t combinations = 1;
        if (plan.design_ == Design::grid) {
            for (const std::size_t k : coupled)
                combinations = std::min<std::uint64_t>(max_points + 1, combinations * plan.lists_[k].size());
        } else {
            combinations = plan.points_;
        }
        if (combinations > max_coupled_checks) {
            std::vector<std::string> names;
            for (const std::size_t k : coupled) names.push_back(plan.paths_[k]);
            diags.add(design_node->pos(), design == design_node ? "design" : vary ? "vary" : "points",
                      "cannot check every point before running: the values of " + join(names) +
                          " depend on other keys, so each of their " + std::to_string(combinations) +
                          " combinations would be built (at most " + std::to_string(max_coupled_checks) +
                          "); use fewer points, or vary keys checked alone (docs/limits.md)");
        } else {
            plan.check_combinations(coupled, design_node->pos(), diags);
        }
    }
    diags.throw_if_any();

    plan.numeric_.assign(plan.paths_.size(), true);
    for (std::size_t k = 0; k < plan.paths_.size(); ++k) {
        double v;
        if (plan.design_ == Design::grid) {
            for (const auto& x : plan.lists_[k]) plan.numeric_[k] = plan.numeric_[k] && number_of(x, v);
        } else if (plan.design_ == Design::points) {
            for (const auto& row : plan.rows_) plan.numeric_[k] = plan.numeric_[k] && number_of(row[k], v);
        }
    }
    // The identity of the sweep: its name, base, replications and design (a grid's lists,
    // a hypercube's ranges and seed, the explicit points) with the generator's version.
    ConfigNode id = ConfigNode::map({});
    id.set("name", {}, ConfigNode::scalar(plan.name_, true, {}));
    if (plan.listed_) {
        ConfigNode listed = ConfigNode::sequence({});
        for (const auto& f : plan.scenario_text_) listed.push_back(ConfigNode::scalar(f, true, {}));
        id.set("scenarios", {}, std::move(listed));
    } else {
        id.set("scenario", {}, ConfigNode::scalar(plan.scenario_text_.front(), true, {}));
    }
    id.set("replications", {}, ConfigNode::scalar(std::to_string(plan.replications_), false, {}));
    const std::string design_key = vary ? "vary" : design ? "design" : "points";
    id.set(design_key, {}, *design_node);
    if (design) id.set("generator", {}, ConfigNode::scalar("latin-hypercube-feistel-1", true, {}));
    plan.resolved_yaml_ = emit_yaml(id);
    return plan;
}

}  // namespace salesflow::input
