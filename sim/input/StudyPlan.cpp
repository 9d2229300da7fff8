#include "input/StudyPlan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "input/InputError.hpp"
#include "input/PathCheck.hpp"
#include "input/Quantities.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/TreeLoader.hpp"
#include "input/ValueReader.hpp"
#include "input/YamlEmitter.hpp"

namespace salesflow::input {

namespace {

const std::vector<std::string> top_keys = {"name",    "description", "designs", "objective", "budget", "selection",
                                           "uncertain", "outer",      "claims",  "quick"};

bool is_name(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    return true;
}

bool number_of(const ConfigNode& n, double& out) {
    if (!n.is_scalar() || n.quoted()) return false;
    try {
        return try_parse_number(n.text(), out);
    } catch (const QuantityError&) {
        return false;
    }
}

bool is_integer(double v) { return std::floor(v) == v && std::abs(v) < 9e15; }

// An amount of money: a number >= 0, optionally with k (thousand), M (million) or G
// (billion) right after it: 2.4M = 2400000.
std::optional<double> money(const ConfigNode& n, const std::string& path, Diagnostics& diags) {
    double v = 0.0;
    if (n.is_scalar() && !n.quoted() && !n.text().empty()) {
        std::string t = n.text();
        double scale = 1.0;
        const char last = t.back();
        if (last == 'k' || last == 'M' || last == 'G') {
            scale = last == 'k' ? 1e3 : last == 'M' ? 1e6 : 1e9;
            t.pop_back();
        }
        bool ok = false;
        try {
            ok = try_parse_number(t, v);
        } catch (const QuantityError&) {
            ok = false;
        }
        if (ok && v >= 0.0 && std::isfinite(v * scale)) return v * scale;  // 1e300G overflows
    }
    diags.add(n.pos(), path, "must be an amount of money >= 0 (a number, optionally with k, M or G: 2.4M), got " + describe(n));
    return std::nullopt;
}

// The map node at `key` of `m`, or nullptr; reports a value that is not a map.
const ConfigNode* map_at(const ConfigNode& m, const std::string& key, const std::string& path, Diagnostics& diags) {
    const ConfigNode* n = m.find(key);
    if (n && !n->is_map()) {
        diags.add(n->pos(), path, "must be a map, got " + describe(*n));
        return nullptr;
    }
    return n;
}

void unknown_keys(const ConfigNode& m, const std::string& where, const std::vector<std::string>& known, Diagnostics& diags) {
    for (const auto& e : m.entries())
        if (std::find(known.begin(), known.end(), e.key) == known.end())
            diags.add(e.key_pos, join_path(where, e.key), "unknown key " + quote(e.key) + suggestion(e.key, known));
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

double annual_cost_of(const model::ScenarioConfig& cfg) {
    double cost = 0.0;
    for (const auto& r : cfg.roles) cost += r.headcount * (r.cost_per_year + cfg.costs.overhead_per_person_per_year);
    return cost;
}

ConfigNode number_node(double v, const Position& pos) { return ConfigNode::scalar(format_number(v), false, pos); }

}  // namespace

const char* claim_compare_name(ClaimCompare c) {
    switch (c) {
    case ClaimCompare::ratio: return "ratio";
    case ClaimCompare::change: return "change";
    case ClaimCompare::difference: return "difference";
    }
    return "?";
}

std::vector<double> StudyPlan::central_values() const {
    std::vector<double> v;
    for (const auto& q : inverse_) v.push_back(q(0.5));
    return v;
}

std::vector<double> StudyPlan::point_values(std::size_t point) const {
    const design::LatinHypercube lhs(points_, std::max<std::size_t>(1, assumptions_.size()), outer_seed_);
    std::vector<double> v;
    for (std::size_t k = 0; k < inverse_.size(); ++k) v.push_back(inverse_[k](lhs.value(point, k)));
    return v;
}

ConfigNode StudyPlan::tree_for(std::size_t d, std::size_t c, const std::vector<double>& values) const {
    const StudyDesign& des = designs_[d];
    ConfigNode tree = des.tree;
    Diagnostics diags;
    if (c < des.candidates.size())
        for (std::size_t l = 0; l < des.levers.size(); ++l)
            apply_set(tree, des.levers[l].path, des.levers[l].values[des.candidates[c][l]], des.levers[l].pos, diags);
    for (std::size_t k = 0; k < assumptions_.size() && k < values.size(); ++k)
        if (des.has_assumption[k])
            apply_set(tree, assumptions_[k].path, number_node(values[k], assumptions_[k].pos), assumptions_[k].pos, diags);
    apply_set(tree, "simulation.seed", ConfigNode::scalar(std::to_string(seed_), false, {}), {}, diags);
    diags.throw_if_any();
    return tree;
}

model::ScenarioConfig StudyPlan::scenario(std::size_t d, std::size_t c, const std::vector<double>& values) const {
    return build_scenario(tree_for(d, c, values), designs_[d].base.source_file);
}

std::string StudyPlan::candidate_text(std::size_t d, std::size_t c) const {
    const StudyDesign& des = designs_[d];
    std::string out;
    for (std::size_t l = 0; l < des.levers.size(); ++l)
        out += (l ? ", " : "") + des.levers[l].path + "=" + flow_text(des.levers[l].values[des.candidates[c][l]]);
    return out;
}

StudyPlan StudyPlan::load(const std::string& path, bool quick, std::optional<std::uint64_t> seed,
                          const std::vector<std::string>& sets) {
    Diagnostics diags;
    auto loaded = load_tree(path, diags);
    if (!loaded) {
        diags.throw_if_any();
        throw InputError({Diagnostic(Position{path, 0, 0}, "", "cannot load the study file")});
    }
    diags.throw_if_any();
    const ConfigNode& root = *loaded;
    if (!root.is_map()) throw InputError({Diagnostic(root.pos(), "", "a study file is a map of keys")});
    ValueReader values(diags);
    StudyPlan plan;
    plan.file_ = path;
    plan.quick_ = quick;
    plan.study_text_ = emit_yaml(root);
    unknown_keys(root, "", top_keys, diags);

    // name
    if (const ConfigNode* n = root.find("name"); !n || !n->is_scalar() || !is_name(n->text()))
        diags.add(n ? n->pos() : root.pos(), "name",
                  std::string(n ? "" : "required: ") + "the study's name: letters, digits, '-' and '_'" +
                      (n ? ", got " + describe(*n) : ""));
    else
        plan.name_ = n->text();

    // designs
    const ConfigNode* designs = root.find("designs");
    if (!designs || !designs->is_sequence() || designs->items().empty()) {
        diags.add(designs ? designs->pos() : root.pos(), "designs",
                  "required: a list of {name, scenario, levers} (at least one organisation)");
        diags.throw_if_any();
    }
    if (designs->items().size() > max_designs)
        diags.add(designs->pos(), "designs", "at most " + std::to_string(max_designs) + " designs, got " +
                                                 std::to_string(designs->items().size()));
    std::vector<const ConfigNode*> lever_nodes;
    for (std::size_t i = 0; i < designs->items().size() && i < max_designs; ++i) {
        const ConfigNode& item = designs->items()[i];
        const std::string where = "designs[" + std::to_string(i + 1) + "]";
        if (!item.is_map()) {
            diags.add(item.pos(), where, "must be a map {name, scenario, levers}, got " + describe(item));
            continue;
        }
        unknown_keys(item, where, {"name", "scenario", "levers"}, diags);
        StudyDesign des;
        const ConfigNode* nm = item.find("name");
        if (!nm || !nm->is_scalar() || !is_name(nm->text())) {
            diags.add(nm ? nm->pos() : item.pos(), where + ".name",
                      "required: the design's name: letters, digits, '-' and '_'" + (nm ? ", got " + describe(*nm) : std::string()));
        } else {
            des.name = nm->text();
            for (const auto& other : plan.designs_)
                if (other.name == des.name) diags.add(nm->pos(), where + ".name", "two designs are named " + quote(des.name));
        }
        const ConfigNode* scen = item.find("scenario");
        if (!scen || !scen->is_scalar() || scen->text().empty()) {
            diags.add(scen ? scen->pos() : item.pos(), where + ".scenario", "required: the scenario file, relative to the study file");
            continue;
        }
        des.scenario_file = path_relative_to(path, scen->text());
        auto named = load_named_scenario(path, *scen, where + ".scenario", sets, diags);
        if (!named) continue;
        des.base = std::move(named->config);
        des.tree = std::move(named->tree);
        lever_nodes.push_back(item.find("levers"));
        plan.designs_.push_back(std::move(des));
        if (lever_nodes.back() && !lever_nodes.back()->is_map()) {
            diags.add(lever_nodes.back()->pos(), where + ".levers", "must map dotted PATHs to lists of values or {min, max, step}, got " +
                                                                     describe(*lever_nodes.back()));
            lever_nodes.back() = nullptr;
        }
    }
    diags.throw_if_any();
    plan.seed_ = seed ? *seed : plan.designs_.front().base.simulation.seed;

    // objective
    if (const ConfigNode* o = root.find("objective")) {
        if (const auto t = values.text(*o, "objective")) plan.objective_ = *t;
    }
    const ConfigNode* objective_node = root.find("objective");
    const Position objective_pos = objective_node ? objective_node->pos() : root.pos();
    for (const auto& des : plan.designs_) {
        const model::MetricCatalog cat(des.base);
        const int m = cat.index_of(plan.objective_);
        if (m < 0) {
            diags.add(objective_pos, "objective", "design " + quote(des.name) + " has no metric " + quote(plan.objective_) +
                                                      suggestion(plan.objective_, cat.names()) + ", got " + quote(plan.objective_));
            break;
        }
        plan.direction_ = cat.info(static_cast<std::size_t>(m)).direction;
        if (plan.direction_ == model::Direction::neither) {
            diags.add(objective_pos, "objective", "metric " + quote(plan.objective_) +
                                                      " has no direction (neither higher nor lower is better), got " +
                                                      quote(plan.objective_));
            break;
        }
    }

    // budget
    const ConfigNode* budget = map_at(root, "budget", "budget", diags);
    if (budget) {
        unknown_keys(*budget, "budget", {"cost_at_most", "equal_cost", "tolerance"}, diags);
        const ConfigNode* at_most = budget->find("cost_at_most");
        const ConfigNode* equal = budget->find("equal_cost");
        if ((at_most != nullptr) == (equal != nullptr)) {
            diags.add(budget->pos(), "budget", "give exactly one of cost_at_most and equal_cost");
        } else if (at_most) {
            plan.budget_kind_ = BudgetKind::cost_at_most;
            if (const auto v = money(*at_most, "budget.cost_at_most", diags)) plan.budget_ = *v;
            if (const ConfigNode* t = budget->find("tolerance"))
                diags.add(t->pos(), "budget.tolerance", "only with equal_cost, got " + describe(*t));
        } else {
            plan.budget_kind_ = BudgetKind::equal_cost;
            if (const auto v = money(*equal, "budget.equal_cost", diags)) plan.budget_ = *v;
            plan.tolerance_ = 0.02;
            if (const ConfigNode* t = budget->find("tolerance"))
                if (const auto v = values.number(*t, "budget.tolerance", Range::closed(0.0, 1.0))) plan.tolerance_ = *v;
        }
    }

    // selection
    if (const ConfigNode* sel = map_at(root, "selection", "selection", diags)) {
        unknown_keys(*sel, "selection", {"alpha", "indifference_zone", "first_stage", "max_replications", "step"}, diags);
        if (const ConfigNode* a = sel->find("alpha"))
            if (const auto v = values.number(*a, "selection.alpha", Range{0.0, 0.5, true, false})) plan.alpha_ = *v;
        if (const ConfigNode* z = sel->find("indifference_zone")) {
            if (const auto v = values.number(*z, "selection.indifference_zone", Range::above(0.0))) plan.delta_ = *v;
        } else {
            diags.add(sel->pos(), "selection.indifference_zone",
                      "required: the smallest difference in the objective worth detecting (> 0, in its units)");
        }
        if (const ConfigNode* f = sel->find("first_stage"))
            if (const auto v = values.integer(*f, "selection.first_stage", 2, max_replications_cap)) plan.first_stage_ = static_cast<int>(*v);
        if (const ConfigNode* m = sel->find("max_replications"))
            if (const auto v = values.integer(*m, "selection.max_replications", 2, max_replications_cap))
                plan.max_replications_ = static_cast<int>(*v);
        if (const ConfigNode* s = sel->find("step"))
            if (const auto v = values.integer(*s, "selection.step", 1, max_replications_cap)) plan.step_ = static_cast<int>(*v);
    } else {
        diags.add(root.pos(), "selection", "required: {indifference_zone: D} at least (alpha, first_stage, max_replications, step optional)");
    }

    // outer
    if (const ConfigNode* outer = map_at(root, "outer", "outer", diags)) {
        unknown_keys(*outer, "outer", {"points", "seed", "replications", "reoptimise"}, diags);
        if (const ConfigNode* p = outer->find("points"))
            if (const auto v = values.integer(*p, "outer.points", 4, static_cast<std::int64_t>(max_points))) plan.points_ = static_cast<std::size_t>(*v);
        if (const ConfigNode* s = outer->find("seed"))
            if (const auto v = values.unsigned64(*s, "outer.seed")) plan.outer_seed_ = *v;
        if (const ConfigNode* r = outer->find("replications"))
            if (const auto v = values.integer(*r, "outer.replications", 1, max_replications_cap)) plan.outer_replications_ = static_cast<int>(*v);
        if (const ConfigNode* r = outer->find("reoptimise"))
            if (const auto v = values.boolean(*r, "outer.reoptimise")) plan.reoptimise_ = *v;
    }

    // quick
    if (const ConfigNode* q = map_at(root, "quick", "quick", diags)) {
        unknown_keys(*q, "quick", {"points", "replications", "first_stage", "max_replications"}, diags);
        if (quick) {
            if (const ConfigNode* p = q->find("points"))
                if (const auto v = values.integer(*p, "quick.points", 4, static_cast<std::int64_t>(max_points))) plan.points_ = static_cast<std::size_t>(*v);
            if (const ConfigNode* r = q->find("replications"))
                if (const auto v = values.integer(*r, "quick.replications", 1, max_replications_cap)) plan.outer_replications_ = static_cast<int>(*v);
            if (const ConfigNode* f = q->find("first_stage"))
                if (const auto v = values.integer(*f, "quick.first_stage", 2, max_replications_cap)) plan.first_stage_ = static_cast<int>(*v);
            if (const ConfigNode* m = q->find("max_replications"))
                if (const auto v = values.integer(*m, "quick.max_replications", 2, max_replications_cap)) plan.max_replications_ = static_cast<int>(*v);
        }
    }
    if (plan.max_replications_ < plan.first_stage_)
        diags.add(root.find("selection") ? root.find("selection")->pos() : root.pos(), "selection.max_replications",
                  "must be >= first_stage (" + std::to_string(plan.first_stage_) + "), got " + std::to_string(plan.max_replications_));

    // uncertain
    const ConfigNode* uncertain = root.find("uncertain");
    if (!uncertain) {
        diags.add(root.pos(), "uncertain", "required: `from_scenarios` or a map {PATH: DISTRIBUTION}");
    } else if (uncertain->is_scalar() && uncertain->text() == "from_scenarios") {
        std::map<std::string, std::size_t> seen;
        for (const auto& des : plan.designs_) {
            const ConfigNode* block = des.tree.find("assumptions");
            if (!block) continue;
            for (auto& a : read_assumptions(*block, "assumptions", &des.tree, diags)) {
                const auto it = seen.find(a.path);
                if (it == seen.end()) {
                    seen.emplace(a.path, plan.assumptions_.size());
                    plan.assumptions_.push_back(std::move(a));
                } else if (!plan.assumptions_[it->second].spec.same_content(a.spec)) {
                    const auto& first = plan.assumptions_[it->second];
                    diags.add(a.pos, "assumptions." + a.path,
                              "this assumption is also listed, differently, at " + first.pos.file + ":" +
                                  std::to_string(first.pos.line) + ": one distribution per PATH across the designs, got " +
                                  describe(a.spec));
                }
            }
        }
        if (plan.assumptions_.empty() && diags.empty())
            diags.add(uncertain->pos(), "uncertain",
                      "from_scenarios: no design's scenario lists `assumptions:`; list them there or give a map here");
    } else if (uncertain->is_map()) {
        plan.assumptions_ = read_assumptions(*uncertain, "uncertain", nullptr, diags);
        if (uncertain->entries().empty()) diags.add(uncertain->pos(), "uncertain", "must list at least one assumption");
    } else {
        diags.add(uncertain->pos(), "uncertain", "must be `from_scenarios` or a map {PATH: DISTRIBUTION}, got " + describe(*uncertain));
    }
    for (const auto& a : plan.assumptions_) plan.inverse_.emplace_back(a.dist);
    for (auto& des : plan.designs_) {
        des.has_assumption.assign(plan.assumptions_.size(), false);
        for (std::size_t k = 0; k < plan.assumptions_.size(); ++k) {
            const ConfigNode* target = find_path(des.tree, plan.assumptions_[k].path);
            des.has_assumption[k] = target && target->is_scalar();
        }
    }
    for (std::size_t k = 0; k < plan.assumptions_.size(); ++k) {
        bool any = false;
        for (const auto& des : plan.designs_) any = any || des.has_assumption[k];
        if (!any)
            diags.add(plan.assumptions_[k].pos, "uncertain." + plan.assumptions_[k].path,
                      "no design's scenario has this value (an assumption applies to every design whose scenario sets "
                      "the PATH), got " + quote(plan.assumptions_[k].path));
    }

    // claims
    std::vector<std::string> design_names;
    for (const auto& des : plan.designs_) design_names.push_back(des.name);
    plan.measures_.push_back(plan.objective_);
    if (const ConfigNode* claims = root.find("claims")) {
        if (!claims->is_sequence()) diags.add(claims->pos(), "claims", "must be a list of {name, metric, compare, of, to, test}, got " + describe(*claims));
        std::set<std::string> names;
        for (std::size_t i = 0; claims->is_sequence() && i < claims->items().size(); ++i) {
            const ConfigNode& c = claims->items()[i];
            const std::string where = "claims[" + std::to_string(i + 1) + "]";
            if (!c.is_map()) {
                diags.add(c.pos(), where, "must be a map {name, metric, compare, of, to, test}, got " + describe(c));
                continue;
            }
            unknown_keys(c, where, {"name", "metric", "compare", "of", "to", "test"}, diags);
            StudyClaim claim;
            bool ok = true;
            auto need = [&](const char* key) -> const ConfigNode* {
                const ConfigNode* n = c.find(key);
                if (!n || !n->is_scalar() || n->text().empty()) {
                    diags.add(n ? n->pos() : c.pos(), where + "." + key, std::string("required: ") + key);
                    ok = false;
                    return nullptr;
                }
                return n;
            };
            const ConfigNode* nm = need("name");
            const ConfigNode* metric = need("metric");
            const ConfigNode* cmp = need("compare");
            const ConfigNode* of = need("of");
            const ConfigNode* to = need("to");
            const ConfigNode* test = need("test");
            if (nm) {
                claim.name = nm->text();
                if (!is_name(claim.name)) {
                    diags.add(nm->pos(), where + ".name", "letters, digits, '-' and '_', got " + describe(*nm));
                    ok = false;
                } else if (!names.insert(claim.name).second) {
                    diags.add(nm->pos(), where + ".name", "two claims are named " + quote(claim.name));
                    ok = false;
                }
            }
            if (cmp) {
                const std::string t = cmp->text();
                if (t == "ratio") claim.compare = ClaimCompare::ratio;
                else if (t == "change") claim.compare = ClaimCompare::change;
                else if (t == "difference") claim.compare = ClaimCompare::difference;
                else {
                    diags.add(cmp->pos(), where + ".compare", "must be ratio, change or difference, got " + describe(*cmp));
                    ok = false;
                }
            }
            auto design_of = [&](const ConfigNode* n, const char* key, std::size_t& out) {
                if (!n) return;
                const auto it = std::find(design_names.begin(), design_names.end(), n->text());
                if (it == design_names.end()) {
                    diags.add(n->pos(), where + "." + key, "no design named " + quote(n->text()) +
                                                               suggestion(n->text(), design_names) + ", got " + describe(*n));
                    ok = false;
                } else {
                    out = static_cast<std::size_t>(it - design_names.begin());
                }
            };
            design_of(of, "of", claim.of);
            design_of(to, "to", claim.to);
            if (test) {
                try {
                    claim.test = design::parse_claim(test->text());
                } catch (const design::ClaimError& e) {
                    diags.add(test->pos(), where + ".test", e.what());
                    ok = false;
                } catch (const std::exception& e) {
                    diags.add(test->pos(), where + ".test", std::string(e.what()) + ", got " + describe(*test));
                    ok = false;
                }
            }
            if (metric && ok) {
                claim.metric = metric->text();
                for (const std::size_t d : {claim.of, claim.to}) {
                    const model::MetricCatalog cat(plan.designs_[d].base);
                    if (cat.index_of(claim.metric) < 0) {
                        diags.add(metric->pos(), where + ".metric",
                                  "design " + quote(plan.designs_[d].name) + " has no metric " + quote(claim.metric) +
                                      suggestion(claim.metric, cat.names()) + ", got " + describe(*metric));
                        ok = false;
                        break;
                    }
                }
            }
            if (!ok) continue;
            const auto it = std::find(plan.measures_.begin(), plan.measures_.end(), claim.metric);
            claim.measure = static_cast<std::size_t>(it - plan.measures_.begin());
            if (it == plan.measures_.end()) plan.measures_.push_back(claim.metric);
            plan.claims_.push_back(std::move(claim));
        }
    }
    diags.throw_if_any();

    // Levers: each path checked alone, then every combination built, costed and kept
    // when it is within the budget.
    const std::vector<double> central = plan.central_values();
    for (std::size_t d = 0; d < plan.designs_.size(); ++d) {
        StudyDesign& des = plan.designs_[d];
        const std::string where = "designs[" + std::to_string(d + 1) + "].levers";
        if (const ConfigNode* lv = lever_nodes[d]) {
            for (const auto& e : lv->entries()) {
                StudyLever lever{e.key, e.key_pos, {}};
                const std::string lp = where + "." + e.key;
                if (e.value.is_sequence() && !e.value.items().empty()) {
                    lever.values = e.value.items();
                } else if (e.value.is_map()) {
                    unknown_keys(e.value, lp, {"min", "max", "step"}, diags);
                    const ConfigNode* lo = e.value.find("min");
                    const ConfigNode* hi = e.value.find("max");
                    const ConfigNode* st = e.value.find("step");
                    double a = 0, b = 0, s = 1;
                    if (!lo || !hi || !number_of(*lo, a) || !number_of(*hi, b) || (st && !number_of(*st, s))) {
                        diags.add(e.value.pos(), lp, "must be {min: NUMBER, max: NUMBER, step: NUMBER} (step 1 by default), got " +
                                                         describe(e.value));
                        continue;
                    }
                    if (a > b || !(s > 0) || (!st && !(is_integer(a) && is_integer(b)))) {
                        diags.add(e.value.pos(), lp, a > b ? "min must be <= max, got " + describe(e.value)
                                                            : "step must be > 0 (and given when min or max is not an integer), got " +
                                                                  describe(e.value));
                        continue;
                    }
                    const double count = std::floor((b - a) / s + 1e-9) + 1;
                    if (count > static_cast<double>(max_combinations)) {
                        diags.add(e.value.pos(), lp, "more than " + std::to_string(max_combinations) + " values, got " + describe(e.value));
                        continue;
                    }
                    for (double k = 0; k < count; ++k) lever.values.push_back(number_node(a + k * s, e.value.pos()));
                } else {
                    diags.add(e.value.pos(), lp, "must be a non-empty list of values or {min, max, step}, got " + describe(e.value));
                    continue;
                }
                if (e.key.rfind("simulation.", 0) == 0 || e.key == "name") {
                    diags.add(e.key_pos, lp, "cannot be a lever (the study sets the simulation and names), got " + quote(e.key));
                    continue;
                }
                bool clash = false;
                for (std::size_t k = 0; k < plan.assumptions_.size(); ++k)
                    if (plan.assumptions_[k].path == e.key) clash = true;
                if (clash) {
                    diags.add(e.key_pos, lp, "is also an uncertain assumption: a value is either chosen or uncertain, got " + quote(e.key));
                    continue;
                }
                // The path must lead to a value of the scenario; each value is checked alone.
                if (!find_path(des.tree, e.key)) {
                    const Diagnostics one = check_setting(des.tree, e.key, lever.values.front(), e.key_pos);
                    if (!one.empty()) {
                        for (const auto& dg : one.items())
                            diags.add(dg.file == e.key_pos.file ? Diagnostic(dg.line > 0 ? Position{dg.file, dg.line, dg.column} : e.key_pos, lp,
                                                                             dg.message + ", got " + quote(e.key))
                                                                : dg);
                        continue;
                    }
                }
                for (const auto& v : lever.values) {
                    const Diagnostics one = check_setting(des.tree, e.key, v, e.key_pos);
                    if (!one.empty()) {
                        diags.add(v.pos(), lp, "this value does not make a valid scenario of " + quote(des.name) + ": " +
                                                   first_line(one.items().front().message) + ", got " + describe(v));
                        break;
                    }
                }
                des.levers.push_back(std::move(lever));
            }
        }
        for (const auto& l : des.levers) {
            if (des.combinations > max_combinations / l.values.size()) des.combinations = max_combinations + 1;
            else des.combinations *= l.values.size();
        }
        if (des.combinations > max_combinations)
            diags.add(lever_nodes[d]->pos(), where, "more than " + std::to_string(max_combinations) +
                                                         " lever combinations (the product of the numbers of values); use fewer values");
    }
    diags.throw_if_any();

    Position budget_pos = budget ? budget->pos() : root.pos();
    std::string budget_text = "no budget";
    if (budget)
        for (const auto& e : budget->entries())
            if (e.key == "cost_at_most" || e.key == "equal_cost") {
                budget_pos = e.value.pos();
                budget_text = e.key + " " + quote(e.value.text());
            }
    for (std::size_t d = 0; d < plan.designs_.size(); ++d) {
        StudyDesign& des = plan.designs_[d];
        double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
        bool broken = false;
        std::vector<std::size_t> digit(des.levers.size(), 0);
        const std::vector<std::string> base_metrics = model::MetricCatalog(des.base).names();
        for (std::uint64_t combo = 0; combo < des.combinations; ++combo) {
            std::uint64_t rest = combo;
            for (std::size_t l = des.levers.size(); l-- > 0;) {
                digit[l] = static_cast<std::size_t>(rest % des.levers[l].values.size());
                rest /= des.levers[l].values.size();
            }
            ConfigNode t = des.tree;
            Diagnostics one;
            for (std::size_t l = 0; l < des.levers.size(); ++l)
                apply_set(t, des.levers[l].path, des.levers[l].values[digit[l]], des.levers[l].pos, one);
            model::ScenarioConfig cfg;
            try {
                one.throw_if_any();
                cfg = build_scenario(t, des.base.source_file);
            } catch (const InputError& err) {
                std::string shown;
                for (std::size_t l = 0; l < des.levers.size(); ++l)
                    shown += (l ? ", " : "") + des.levers[l].path + "=" + flow_text(des.levers[l].values[digit[l]]);
                diags.add(lever_nodes[d]->pos(), "designs[" + std::to_string(d + 1) + "].levers",
                          "the combination " + shown + " is not a valid scenario: " + first_line(err.what()));
                broken = true;
                break;
            }
            // Every candidate reports the design's metrics (a lever that switches nurture,
            // no_decision or quarter_end on or off adds or drops some: the study then
            // failed part way, exit 1).
            if (model::MetricCatalog(cfg).names() != base_metrics) {
                std::string shown;
                for (std::size_t l = 0; l < des.levers.size(); ++l)
                    shown += (l ? ", " : "") + des.levers[l].path + "=" + flow_text(des.levers[l].values[digit[l]]);
                diags.add(lever_nodes[d]->pos(), "designs[" + std::to_string(d + 1) + "].levers",
                          "the combination " + shown + " changes the design's metrics (a lever may not switch a "
                          "mechanism with metrics of its own, such as nurture, no_decision or quarter_end, on or off; "
                          "set it in the scenario)");
                broken = true;
                break;
            }
            const double cost = annual_cost_of(cfg);
            lo = std::min(lo, cost);
            hi = std::max(hi, cost);
            const bool within = plan.budget_kind_ == BudgetKind::none ||
                                (plan.budget_kind_ == BudgetKind::cost_at_most && cost <= plan.budget_ * (1 + 1e-12)) ||
                                (plan.budget_kind_ == BudgetKind::equal_cost &&
                                 std::abs(cost - plan.budget_) <= plan.tolerance_ * plan.budget_ * (1 + 1e-12));
            if (!within) continue;
            des.candidates.push_back(digit);
            des.annual_cost.push_back(cost);
        }
        if (broken) continue;
        if (des.candidates.empty()) {
            diags.add(budget_pos, "budget",
                      "no configuration of design " + quote(des.name) + " meets the budget: its " +
                          std::to_string(des.combinations) + " lever combinations cost " + format_number(lo) + " to " +
                          format_number(hi) + " a year, got " + budget_text);
        } else if (des.candidates.size() > max_candidates) {
            diags.add(lever_nodes[d] ? lever_nodes[d]->pos() : budget_pos, "designs[" + std::to_string(d + 1) + "].levers",
                      std::to_string(des.candidates.size()) + " lever combinations of design " + quote(des.name) +
                          " are within the budget; at most " + std::to_string(max_candidates) +
                          " are compared (use fewer values or a tighter budget)");
        }
    }
    diags.throw_if_any();

    // Every replication's measures are held in memory until the analysis: the most the
    // study could run (every candidate to max_replications, at every point when
    // reoptimising, plus the outer design) is bounded.
    {
        double selection = 0.0;
        for (const auto& des : plan.designs_)
            selection += static_cast<double>(des.candidates.size()) * plan.max_replications_;
        if (plan.reoptimise_) selection *= static_cast<double>(plan.points_) + 1.0;
        const double outer_items =
            static_cast<double>(plan.points_) * static_cast<double>(plan.designs_.size()) * plan.outer_replications_;
        if (selection + outer_items > static_cast<double>(max_study_replications)) {
            const ConfigNode* outer = root.find("outer");
            diags.add(outer ? outer->pos() : root.pos(), "outer",
                      "the study could run " + format_number(selection + outer_items) + " replications (selection: " +
                          format_number(selection) + ", candidates x max_replications" +
                          (plan.reoptimise_ ? std::string(" x (points + 1)") : std::string()) + "; outer: " +
                          format_number(outer_items) + ", points x designs x replications), each held in memory; at most " +
                          format_number(static_cast<double>(max_study_replications)) +
                          ": use fewer points, replications or candidates, got points " + std::to_string(plan.points_) +
                          " and replications " + std::to_string(plan.outer_replications_));
        }
    }
    diags.throw_if_any();

    // Each assumption at its median and near both ends (quantiles 0.001 and 0.999, and
    // the smallest and largest coordinates the outer points give it, the others at their
    // medians) must make a valid scenario of every design that has it: an unbounded
    // distribution's top stratum lies beyond 0.999 with more than 1000 points, and a value
    // there failed the study part way.
    std::vector<double> u_min(plan.assumptions_.size(), 0.001), u_max(plan.assumptions_.size(), 0.999);
    if (!plan.assumptions_.empty()) {
        const design::LatinHypercube lhs(plan.points_, plan.assumptions_.size(), plan.outer_seed_);
        for (std::size_t i = 0; i < plan.points_; ++i)
            for (std::size_t k = 0; k < plan.assumptions_.size(); ++k) {
                u_min[k] = std::min(u_min[k], lhs.value(i, k));
                u_max[k] = std::max(u_max[k], lhs.value(i, k));
            }
    }
    for (std::size_t k = 0; k < plan.assumptions_.size(); ++k) {
        for (std::size_t d = 0; d < plan.designs_.size(); ++d) {
            if (!plan.designs_[d].has_assumption[k]) continue;
            for (const double u : {0.5, 0.001, 0.999, u_min[k], u_max[k]}) {
                std::vector<double> v = central;
                v[k] = plan.inverse_[k](u);
                try {
                    (void)plan.scenario(d, 0, v);
                } catch (const InputError& err) {
                    diags.add(plan.assumptions_[k].pos, plan.assumptions_[k].path,
                              "the value " + format_number(v[k]) + " (quantile " + format_number(u) +
                                  ") does not make a valid scenario of " + quote(plan.designs_[d].name) + ": " +
                                  first_line(err.diagnostics().empty() ? err.what() : err.diagnostics().front().message));
                    break;
                }
            }
        }
    }
    diags.throw_if_any();

    for (auto& des : plan.designs_) {
        const model::MetricCatalog cat(des.base);
        des.metrics = cat.size();
        for (const auto& m : plan.measures_) des.measure_index.push_back(cat.index_of(m));
    }

    // The identity of the study as run (the journal of a resumed study must match it).
    ConfigNode id = root;
    id.set("quick", {}, ConfigNode::scalar(quick ? "true" : "false", false, {}));
    id.set("seed", {}, ConfigNode::scalar(std::to_string(plan.seed_), false, {}));
    id.set("generator", {}, ConfigNode::scalar("study-1", true, {}));
    plan.resolved_yaml_ = emit_yaml(id);
    for (const auto& des : plan.designs_) plan.resolved_yaml_ += des.base.resolved_yaml;
    for (const auto& a : plan.assumptions_) plan.resolved_yaml_ += a.path + ": " + emit_yaml(a.spec);
    return plan;
}

}  // namespace salesflow::input
