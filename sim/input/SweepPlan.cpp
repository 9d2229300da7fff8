#include "input/SweepPlan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>

#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/ScenarioLoader.hpp"
#include "input/SetOverride.hpp"
#include "input/TextUtil.hpp"
#include "input/TreeLoader.hpp"
#include "input/YamlEmitter.hpp"
#include "kernel/RandomStreams.hpp"

namespace salesflow::input {

namespace {

const std::vector<std::string> top_keys = {"name", "description", "scenario", "replications", "vary", "design", "points"};

bool parse_number(const ConfigNode& n, double& out) {
    if (!n.is_scalar() || n.quoted() || n.text().empty()) return false;
    const char* s = n.text().c_str();
    char* end = nullptr;
    out = std::strtod(s, &end);
    return end && *end == '\0' && std::isfinite(out);
}

bool is_integer(double v) { return std::floor(v) == v && std::abs(v) < 9e15; }

std::string number_text(double v) {
    char buf[64];
    if (is_integer(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// Latin hypercube: each range is cut into n equal strata, each stratum used once, the
// strata of different paths paired by independent random permutations.
std::vector<std::vector<double>> latin_hypercube(std::size_t n, const std::vector<std::pair<double, double>>& ranges,
                                                 std::uint64_t seed) {
    auto eng = kernel::make_engine(seed, 0, "sweep/latin-hypercube");
    std::vector<std::vector<double>> pts(n, std::vector<double>(ranges.size()));
    for (std::size_t k = 0; k < ranges.size(); ++k) {
        std::vector<std::size_t> perm(n);
        std::iota(perm.begin(), perm.end(), 0);
        for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates with our own stream
            const auto j = static_cast<std::size_t>(kernel::uniform01(eng) * static_cast<double>(i));
            std::swap(perm[i - 1], perm[std::min(j, i - 1)]);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const double u = (static_cast<double>(perm[i]) + kernel::uniform01(eng)) / static_cast<double>(n);
            pts[i][k] = ranges[k].first + u * (ranges[k].second - ranges[k].first);
        }
    }
    return pts;
}

}  // namespace

namespace {
// Flow-style YAML on one line, for a table cell: {exponential: {mean: 10h}}.
std::string flow_text(const ConfigNode& v) {
    if (v.is_scalar()) return v.text();
    if (v.is_null()) return "~";
    std::string out;
    if (v.is_sequence()) {
        out = "[";
        for (std::size_t i = 0; i < v.items().size(); ++i) out += (i ? ", " : "") + flow_text(v.items()[i]);
        return out + "]";
    }
    out = "{";
    for (std::size_t i = 0; i < v.entries().size(); ++i)
        out += (i ? ", " : "") + v.entries()[i].key + ": " + flow_text(v.entries()[i].value);
    return out + "}";
}
}  // namespace

std::string SweepPlan::value_text(std::size_t point, std::size_t k) const { return flow_text(values_[point][k]); }

double SweepPlan::value_number(std::size_t point, std::size_t k) const {
    double v = 0.0;
    parse_number(values_[point][k], v);
    return v;
}

model::ScenarioConfig SweepPlan::scenario(std::size_t point) const {
    ConfigNode tree = base_tree_;
    Diagnostics diags;
    for (std::size_t k = 0; k < paths_.size(); ++k) apply_set(tree, paths_[k], values_[point][k], path_pos_[k], diags);
    diags.throw_if_any();
    return build_scenario(tree, base_.source_file);
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
    const ConfigNode* scen = root.find("scenario");
    if (!scen || !scen->is_scalar() || scen->text().empty()) {
        diags.add(scen ? scen->pos() : root.pos(), "scenario", "required: the base scenario file, relative to the sweep file");
        diags.throw_if_any();
    }
    const std::string scen_path =
        (std::filesystem::path(path).parent_path() / scen->text()).lexically_normal().string();
    try {
        plan.base_ = load_scenario(scen_path, sets);
        plan.base_tree_ = load_tree(scen_path);
        for (const auto& s : sets) apply_set_argument(plan.base_tree_, s);
    } catch (const InputError& e) {
        for (const auto& d : e.diagnostics()) diags.add(d);
        if (!std::filesystem::exists(scen_path))
            diags.add(scen->pos(), "scenario", "cannot open '" + scen->text() + "'");
        diags.throw_if_any();
    }
    plan.replications_ = plan.base_.simulation.replications;
    if (const ConfigNode* r = root.find("replications")) {
        double v = 0;
        if (!parse_number(*r, v) || !is_integer(v) || v < 1 || v > 1e7)
            diags.add(r->pos(), "replications", "must be an integer >= 1, got '" + r->text() + "'");
        else plan.replications_ = static_cast<int>(v);
    }

    const ConfigNode* vary = root.find("vary");
    const ConfigNode* design = root.find("design");
    const ConfigNode* points = root.find("points");
    const int designs = (vary ? 1 : 0) + (design ? 1 : 0) + (points ? 1 : 0);
    if (designs != 1) {
        diags.add(root.pos(), "", designs == 0 ? "no design: give `vary` (a grid), `design` or `points`"
                                               : "give only one of `vary`, `design` and `points`");
        diags.throw_if_any();
    }

    if (vary) {
        if (!vary->is_map() || vary->entries().empty()) {
            diags.add(vary->pos(), "vary", "must map at least one dotted PATH to a list of values");
        } else {
            std::vector<std::vector<ConfigNode>> lists;
            for (const auto& e : vary->entries()) {
                plan.paths_.push_back(e.key);
                plan.path_pos_.push_back(e.key_pos);
                if (!e.value.is_sequence() || e.value.items().empty()) {
                    diags.add(e.value.pos(), "vary." + e.key, "must be a non-empty list of values");
                    lists.push_back({});
                } else {
                    lists.push_back(e.value.items());
                }
            }
            diags.throw_if_any();
            // Full grid, the first path varying slowest.
            // Saturating: 256^8 must not wrap to 0 (an empty sweep "already complete").
            std::size_t total = 1;
            for (const auto& l : lists) total = l.size() != 0 && total > 10'000'000 / l.size() ? 10'000'001 : total * l.size();
            if (total > 10'000'000) diags.add(vary->pos(), "vary", "the grid has more than 10 million points");
            diags.throw_if_any();
            for (std::size_t p = 0; p < total; ++p) {
                std::vector<ConfigNode> row(lists.size());
                std::size_t rest = p;
                for (std::size_t k = lists.size(); k-- > 0;) {
                    row[k] = lists[k][rest % lists[k].size()];
                    rest /= lists[k].size();
                }
                plan.values_.push_back(std::move(row));
            }
        }
    }
    if (design) {
        const ConfigNode* lhs = design->is_map() ? design->find("latin_hypercube") : nullptr;
        if (!lhs || !lhs->is_map() || design->entries().size() != 1) {
            diags.add(design->pos(), "design", "expected {latin_hypercube: {points: N, seed: S, ranges: {PATH: {min, max}}}}");
            diags.throw_if_any();
        }
        for (const auto& e : lhs->entries())
            if (e.key != "points" && e.key != "seed" && e.key != "ranges")
                diags.add(e.key_pos, "design.latin_hypercube." + e.key,
                          "unknown key '" + e.key + "'" + suggestion(e.key, {"points", "seed", "ranges"}));
        double n = 0, seed = 1;
        const ConfigNode* np = lhs->find("points");
        if (!np || !parse_number(*np, n) || !is_integer(n) || n < 1 || n > 10'000'000)
            diags.add(np ? np->pos() : lhs->pos(), "design.latin_hypercube.points",
                      "must be an integer >= 1, got '" + (np ? np->text() : std::string()) + "'");
        if (const ConfigNode* sp = lhs->find("seed"); sp && (!parse_number(*sp, seed) || !is_integer(seed) || seed < 0))
            diags.add(sp->pos(), "design.latin_hypercube.seed", "must be an integer >= 0, got '" + sp->text() + "'");
        const ConfigNode* ranges = lhs->find("ranges");
        std::vector<std::pair<double, double>> bounds;
        std::vector<bool> integer;
        if (!ranges || !ranges->is_map() || ranges->entries().empty()) {
            diags.add(ranges ? ranges->pos() : lhs->pos(), "design.latin_hypercube.ranges",
                      "must map at least one dotted PATH to {min, max}");
        } else {
            for (const auto& e : ranges->entries()) {
                const std::string where = "design.latin_hypercube.ranges." + e.key;
                plan.paths_.push_back(e.key);
                plan.path_pos_.push_back(e.key_pos);
                const ConfigNode* lo = e.value.is_map() ? e.value.find("min") : nullptr;
                const ConfigNode* hi = e.value.is_map() ? e.value.find("max") : nullptr;
                double a = 0, b = 0;
                if (!lo || !hi || !parse_number(*lo, a) || !parse_number(*hi, b)) {
                    diags.add(e.value.pos(), where, "must be {min: NUMBER, max: NUMBER}");
                } else if (a > b) {
                    diags.add(lo->pos(), where, "min must be <= max, got min '" + lo->text() + "' > max '" + hi->text() + "'");
                }
                bounds.emplace_back(a, b);
                integer.push_back(is_integer(a) && is_integer(b));
            }
        }
        diags.throw_if_any();
        const auto pts = latin_hypercube(static_cast<std::size_t>(n), bounds, static_cast<std::uint64_t>(seed));
        for (const auto& p : pts) {
            std::vector<ConfigNode> row;
            for (std::size_t k = 0; k < p.size(); ++k) {
                const double v = integer[k] ? std::round(p[k]) : p[k];
                row.push_back(ConfigNode::scalar(number_text(v), false, ranges->entries()[k].value.pos()));
            }
            plan.values_.push_back(std::move(row));
        }
    }
    if (points) {
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
                if (std::find(plan.paths_.begin(), plan.paths_.end(), e.key) == plan.paths_.end())
                    diags.add(e.key_pos, where + "." + e.key, "PATH not set by the first point: every point sets the same paths");
            plan.values_.push_back(std::move(row));
        }
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

    // Check every varied value against the base scenario, then (for sweeps of moderate
    // size) every point, so that no point fails half-way through a long run.
    for (std::size_t k = 0; k < plan.paths_.size(); ++k) {
        std::set<std::string> done;
        for (const auto& row : plan.values_) {
            const std::string key = emit_yaml(row[k]);
            if (!done.insert(key).second) continue;
            ConfigNode t = plan.base_tree_;
            Diagnostics one;
            if (apply_set(t, plan.paths_[k], row[k], plan.path_pos_[k], one)) {
                try {
                    (void)build_scenario(t, scen_path);
                } catch (const InputError& e) {
                    for (const auto& d : e.diagnostics()) one.add(d);
                }
            }
            for (const auto& d : one.items()) diags.add(d);
        }
    }
    diags.throw_if_any();
    if (plan.values_.size() <= 2000)
        for (std::size_t p = 0; p < plan.values_.size(); ++p) {
            try {
                (void)plan.scenario(p);
            } catch (const InputError& e) {
                for (const auto& d : e.diagnostics()) diags.add(d);
            }
        }
    diags.throw_if_any();

    plan.numeric_.assign(plan.paths_.size(), true);
    for (const auto& row : plan.values_)
        for (std::size_t k = 0; k < row.size(); ++k) {
            double v;
            if (!parse_number(row[k], v)) plan.numeric_[k] = false;
        }
    // The identity of the sweep: its name, base, replications and every point's values.
    ConfigNode id = ConfigNode::map({});
    id.set("name", {}, ConfigNode::scalar(plan.name_, true, {}));
    id.set("scenario", {}, ConfigNode::scalar(scen->text(), true, {}));
    id.set("replications", {}, ConfigNode::scalar(std::to_string(plan.replications_), false, {}));
    ConfigNode pts = ConfigNode::sequence({});
    for (const auto& row : plan.values_) {
        ConfigNode m = ConfigNode::map({});
        for (std::size_t k = 0; k < row.size(); ++k) m.set(plan.paths_[k], {}, row[k]);
        pts.push_back(std::move(m));
    }
    id.set("points", {}, std::move(pts));
    plan.resolved_yaml_ = emit_yaml(id);
    return plan;
}

}  // namespace salesflow::input
