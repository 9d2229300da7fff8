#include "input/DistributionReader.hpp"

#include "input/DistributionLimits.hpp"
#include "input/MapReader.hpp"
#include "input/Quantities.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::input {

using kernel::DistFamily;
using kernel::DistributionSpec;

namespace {

const char* kind_values(QuantityKind kind) {
    switch (kind) {
    case QuantityKind::time: return "durations";
    case QuantityKind::quality: return "numbers in [0, 1]";
    case QuantityKind::amount: return "numbers >= 0";
    }
    return "";
}

// The text of a parameter as written, for messages comparing two parameters.
std::string shown(const ConfigNode* n) { return n ? describe(*n) : std::string("''"); }

}  // namespace

const std::vector<std::string>& DistributionReader::family_names() {
    static const std::vector<std::string> names{"constant", "exponential", "uniform", "triangular", "pert",
                                                "lognormal", "gamma", "beta", "empirical"};
    return names;
}

std::optional<double> DistributionReader::param(const ConfigNode& n, const std::string& path, QuantityKind kind,
                                                const Range& range) {
    if (kind == QuantityKind::time) return values_.duration(n, path, range);
    return values_.number(n, path, range);
}

// A value the quantity itself can take: a constant, a bound, an empirical point.
std::optional<double> DistributionReader::value(const ConfigNode& n, const std::string& path, QuantityKind kind) {
    switch (kind) {
    case QuantityKind::time: return values_.duration(n, path, Range::at_least(0));
    case QuantityKind::quality: return values_.number(n, path, Range::probability());
    case QuantityKind::amount: return values_.number(n, path, Range::at_least(0));
    }
    return std::nullopt;
}

std::optional<DistributionSpec> DistributionReader::read(const ConfigNode& n, const std::string& path,
                                                         QuantityKind kind) {
    if (n.is_scalar()) {
        const auto v = value(n, path, kind);
        if (!v) return std::nullopt;
        const auto spec = DistributionSpec::constant(*v);
        if (const std::string problem = sampling_problem(spec); !problem.empty()) {
            values_.error(n.pos(), path, problem + ", got " + describe(n));
            return std::nullopt;
        }
        return spec;
    }
    const std::string form = std::string("must be a constant or a map with one key naming the family, such as ") +
                             (kind == QuantityKind::time      ? "{exponential: {mean: 2h}}"
                              : kind == QuantityKind::quality ? "{beta: {a: 2, b: 3}}"
                                                              : "{lognormal: {mean: 40000, sd: 20000}}");
    if (!n.is_map()) {
        values_.error(n.pos(), path, form + ", got " + describe(n) +
                                         (n.is_sequence() ? " (for a list of observed values write {empirical: [...]})" : ""));
        return std::nullopt;
    }
    if (n.entries().empty()) {
        values_.error(n.pos(), path, form + ", got an empty map");
        return std::nullopt;
    }
    const auto& names = family_names();
    const ConfigNode::Entry* chosen = nullptr;
    std::size_t chosen_index = 0;
    bool ok = true;
    for (const auto& e : n.entries()) {
        std::size_t idx = names.size();
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == e.key) idx = i;
        if (idx == names.size()) {
            std::string msg = "unknown distribution family " + quote(e.key) + suggestion(e.key, names);
            if (e.key == "mean" || e.key == "sd" || e.key == "min" || e.key == "max" || e.key == "mode")
                msg += "; name the family first, e.g. {exponential: {mean: 2h}}";
            values_.error(e.key_pos, join_path(path, e.key), msg);
            ok = false;
            continue;
        }
        if (chosen) {
            values_.error(e.key_pos, join_path(path, e.key),
                          "a distribution names exactly one family, got both " + quote(chosen->key) + " and " +
                              quote(e.key));
            ok = false;
            continue;
        }
        chosen = &e;
        chosen_index = idx;
    }
    if (!chosen) return std::nullopt;
    const std::string family_path = join_path(path, chosen->key);
    auto spec = family(static_cast<DistFamily>(chosen_index), chosen->value, family_path, kind);
    if (!ok || !spec) return std::nullopt;
    if (const std::string problem = sampling_problem(*spec); !problem.empty()) {
        values_.error(chosen->value.pos(), family_path,
                      "cannot be sampled faithfully: " + problem + ", got " + quote(flow_text(chosen->value)));
        return std::nullopt;
    }
    return spec;
}

std::optional<DistributionSpec> DistributionReader::family(DistFamily f, const ConfigNode& v, const std::string& path,
                                                           QuantityKind kind) {
    Diagnostics& diags = values_.diags();
    const std::size_t before = diags.size();
    auto failed = [&] { return diags.size() != before; };
    const std::string fname = family_names()[static_cast<std::size_t>(f)];

    if (kind == QuantityKind::quality &&
        (f == DistFamily::exponential || f == DistFamily::lognormal || f == DistFamily::gamma)) {
        values_.error(v.pos(), path,
                      "a quality must lie in [0, 1], but " + std::string(f == DistFamily::exponential ? "an " : "a ") + fname +
                          " distribution is unbounded; use beta, or constant, uniform, triangular, pert or empirical "
                          "with values in [0, 1]");
        return std::nullopt;
    }

    switch (f) {
    case DistFamily::constant: {
        if (v.is_map()) {
            MapReader m(v, path, {"value"}, diags);
            const ConfigNode* x = m.require("value");
            std::optional<double> c;
            if (x) c = value(*x, m.path("value"), kind);
            if (failed() || !c) return std::nullopt;
            return DistributionSpec::constant(*c);
        }
        if (!v.is_scalar()) {
            values_.error(v.pos(), path, std::string("must be the constant value (") + kind_values(kind) + "), got " + describe(v));
            return std::nullopt;
        }
        const auto c = value(v, path, kind);
        if (!c) return std::nullopt;
        return DistributionSpec::constant(*c);
    }
    case DistFamily::exponential: {
        MapReader m(v, path, {"mean"}, diags, "a map {mean}");
        const ConfigNode* mean = m.require("mean");
        std::optional<double> mu;
        if (mean) mu = param(*mean, m.path("mean"), kind, Range::above(0));
        if (failed() || !mu) return std::nullopt;
        return DistributionSpec::exponential(*mu);
    }
    case DistFamily::uniform: {
        MapReader m(v, path, {"min", "max"}, diags, "a map {min, max}");
        const ConfigNode* lo_n = m.require("min");
        const ConfigNode* hi_n = m.require("max");
        std::optional<double> lo;
        if (lo_n) lo = value(*lo_n, m.path("min"), kind);
        std::optional<double> hi;
        if (hi_n) hi = value(*hi_n, m.path("max"), kind);
        if (failed() || !lo || !hi) return std::nullopt;
        if (*lo > *hi) {
            values_.error(v.pos(), path, "min must be <= max, got min " + shown(lo_n) + " and max " + shown(hi_n));
            return std::nullopt;
        }
        return DistributionSpec::uniform(*lo, *hi);
    }
    case DistFamily::triangular:
    case DistFamily::pert: {
        MapReader m(v, path, {"min", "mode", "max"}, diags, "a map {min, mode, max}");
        const ConfigNode* lo_n = m.require("min");
        const ConfigNode* mo_n = m.require("mode");
        const ConfigNode* hi_n = m.require("max");
        std::optional<double> lo;
        if (lo_n) lo = value(*lo_n, m.path("min"), kind);
        std::optional<double> mo;
        if (mo_n) mo = value(*mo_n, m.path("mode"), kind);
        std::optional<double> hi;
        if (hi_n) hi = value(*hi_n, m.path("max"), kind);
        if (failed() || !lo || !mo || !hi) return std::nullopt;
        if (!(*lo <= *mo && *mo <= *hi && *lo < *hi)) {
            values_.error(v.pos(), path,
                          "needs min <= mode <= max and min < max, got min " + shown(lo_n) + ", mode " + shown(mo_n) +
                              " and max " + shown(hi_n));
            return std::nullopt;
        }
        return f == DistFamily::pert ? DistributionSpec::pert(*lo, *mo, *hi) : DistributionSpec::triangular(*lo, *mo, *hi);
    }
    case DistFamily::lognormal:
    case DistFamily::gamma: {
        MapReader m(v, path, {"mean", "sd"}, diags, "a map {mean, sd}");
        const ConfigNode* mean = m.require("mean");
        const ConfigNode* sd = m.require("sd");
        std::optional<double> mu;
        if (mean) mu = param(*mean, m.path("mean"), kind, Range::above(0));
        // A gamma with sd 0 has an infinite shape parameter; a lognormal with sd 0 is
        // just its mean, which samplers handle.
        std::optional<double> sigma;
        if (sd) sigma = param(*sd, m.path("sd"), kind, f == DistFamily::gamma ? Range::above(0) : Range::at_least(0));
        if (failed() || !mu || !sigma) return std::nullopt;
        return f == DistFamily::gamma ? DistributionSpec::gamma(*mu, *sigma) : DistributionSpec::lognormal(*mu, *sigma);
    }
    case DistFamily::beta: {
        MapReader m(v, path, {"a", "b"}, diags, "a map {a, b}");
        const ConfigNode* a_n = m.require("a");
        const ConfigNode* b_n = m.require("b");
        std::optional<double> a;
        if (a_n) a = values_.number(*a_n, m.path("a"), Range::above(0));
        std::optional<double> b;
        if (b_n) b = values_.number(*b_n, m.path("b"), Range::above(0));
        if (failed() || !a || !b) return std::nullopt;
        return DistributionSpec::beta(*a, *b);
    }
    case DistFamily::empirical: {
        if (!v.is_sequence() || v.items().empty()) {
            values_.error(v.pos(), path, std::string("must be a non-empty list of observed values (") + kind_values(kind) +
                                             "), got " + (v.is_sequence() ? "an empty list" : describe(v)));
            return std::nullopt;
        }
        std::vector<double> xs;
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            const auto x = value(v.items()[i], path + "[" + std::to_string(i + 1) + "]", kind);
            if (x) xs.push_back(*x);
        }
        if (failed()) return std::nullopt;
        return DistributionSpec::empirical(std::move(xs));
    }
    }
    return std::nullopt;
}

}  // namespace salesflow::input
