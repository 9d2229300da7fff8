#include "input/ScenarioBuilder.hpp"

#include <cmath>
#include <filesystem>

#include "input/Quantities.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/TraceReader.hpp"

namespace salesflow::input {

using kernel::DistFamily;
using kernel::DistributionSpec;

namespace {

double mean_of(const DistributionSpec& d) {
    switch (d.family) {
    case DistFamily::constant:
    case DistFamily::exponential:
    case DistFamily::lognormal:
    case DistFamily::gamma: return d.p1;
    case DistFamily::uniform: return (d.p1 + d.p2) / 2.0;
    case DistFamily::triangular: return (d.p1 + d.p2 + d.p3) / 3.0;
    case DistFamily::pert: return (d.p1 + 4.0 * d.p2 + d.p3) / 6.0;
    case DistFamily::beta: return d.p1 / (d.p1 + d.p2);
    case DistFamily::empirical: {
        double s = 0.0;
        for (const double v : d.values) s += v;
        return d.values.empty() ? 0.0 : s / static_cast<double>(d.values.size());
    }
    }
    return 0.0;
}

// "HH:MM" for a time of day (day_start: 08:30). YAML 1.1 would read 08:30 as a base-60
// number; yaml-cpp hands us the text, which is what people mean.
std::optional<double> clock_time(const std::string& s) {
    const auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 2 || s.size() != colon + 3) return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != colon && (s[i] < '0' || s[i] > '9')) return std::nullopt;
    const int h = std::stoi(s.substr(0, colon));
    const int m = std::stoi(s.substr(colon + 1));
    if (h > 24 || m > 59) return std::nullopt;
    return h + m / 60.0;
}

const std::vector<std::string> discipline_names{"fifo", "oldest_lead_first", "latest_stage_first", "highest_value_first",
                                                "wsjf"};

}  // namespace

int ScenarioBuilder::NamedList::find(const std::string& name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (!names[i].empty() && names[i] == name) return static_cast<int>(i);
    return -1;
}

std::vector<std::string> ScenarioBuilder::NamedList::valid_names() const {
    std::vector<std::string> out;
    for (const auto& n : names)
        if (!n.empty()) out.push_back(n);
    return out;
}

ScenarioBuilder::NamedList ScenarioBuilder::collect(const MapReader& top, const std::string& key,
                                                    const std::string& what) {
    NamedList list;
    const ConfigNode* n = top.require(key);
    if (!n) return list;
    if (!n->is_sequence()) {
        values_.error(n->pos(), key, "must be a list of " + what + ", each a map with a name, got " + describe(*n));
        return list;
    }
    if (n->items().empty()) {
        values_.error(n->pos(), key, "must list at least one " + what.substr(0, what.size() - 1));
        return list;
    }
    list.node = n;
    for (std::size_t i = 0; i < n->items().size(); ++i) {
        const ConfigNode& item = n->items()[i];
        std::string path = key + "[" + std::to_string(i + 1) + "]";
        std::string name;
        if (!item.is_map()) {
            values_.error(item.pos(), path, "each item must be a map with a name, got " + describe(item));
        } else if (const ConfigNode* nn = item.find("name"); !nn || nn->is_null()) {
            values_.error(nn ? nn->pos() : item.pos(), join_path(path, "name"), "required key 'name' is missing");
        } else if (const auto v = values_.name(*nn, join_path(path, "name"))) {
            name = *v;
            path = join_path(key, name);
            if (const int first = list.find(name); first >= 0) {
                const ConfigNode* fn = n->items()[static_cast<std::size_t>(first)].find("name");
                values_.error(nn->pos(), path,
                              "the name " + quote(name) + " is already used in " + key + " (line " +
                                  std::to_string(fn->pos().line) + ")");
                name.clear();  // references resolve to the first one
            }
        }
        list.names.push_back(name);
        list.paths.push_back(path);
    }
    return list;
}

int ScenarioBuilder::resolve(const ConfigNode& n, const std::string& path, const NamedList& list,
                             const std::string& what) {
    const auto name = values_.text(n, path);
    if (!name) return -1;
    if (!list.node) return -1;  // the list itself is missing or malformed, already reported
    const int i = list.find(*name);
    if (i < 0) {
        const auto names = list.valid_names();
        values_.error(n.pos(), path, "undefined " + what + " " + quote(*name) + suggestion(*name, names));
    }
    return i;
}

void ScenarioBuilder::check_remove(const MapReader& m) {
    if (m.node().is_map() && m.node().find("remove"))
        values_.error(m.key_pos("remove"), m.path("remove"),
                      "remove is only meaningful in a file that extends another (it drops an inherited item)");
}

model::ScenarioConfig ScenarioBuilder::build(const ConfigNode& root) {
    sources_ = stages_ = roles_ = NamedList{};
    horizon_h_.reset();
    prospecting_refs_broken_ = false;
    model::ScenarioConfig cfg;
    MapReader top(root, "", {"name", "description", "extends", "simulation", "sources", "stages", "roles", "ownership", "handoff"},
                  diags_, "a map of keys (name, simulation, sources, stages, roles, ...)");
    if (!top.is_map()) return cfg;

    if (const ConfigNode* n = top.require("name"))
        if (const auto v = values_.name(*n, "name")) cfg.name = *v;
    if (const ConfigNode* n = top.get("description"))
        if (const auto v = values_.text(*n, "description")) cfg.description = *v;
    if (top.get("extends"))
        values_.error(top.key_pos("extends"), "extends",
                      "extends is applied when a scenario file is loaded; it cannot be given here (e.g. by --set)");
    if (const ConfigNode* n = top.require("simulation")) read_simulation(*n, cfg.simulation);

    // Names first: stages refer to roles, roles to stages and sources, so every name must
    // be known before any reference is checked.
    sources_ = collect(top, "sources", "sources");
    stages_ = collect(top, "stages", "stages");
    roles_ = collect(top, "roles", "roles");

    if (sources_.node) {
        cfg.sources.resize(sources_.node->items().size());
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            cfg.sources[i].name = sources_.names[i];
            if (sources_.node->items()[i].is_map())
                read_source(sources_.node->items()[i], sources_.paths[i], cfg.sources[i]);
        }
    }
    if (stages_.node) {
        cfg.stages.resize(stages_.node->items().size());
        for (std::size_t i = 0; i < cfg.stages.size(); ++i) {
            cfg.stages[i].name = stages_.names[i];
            if (stages_.node->items()[i].is_map())
                read_stage(stages_.node->items()[i], stages_.paths[i], static_cast<int>(i), cfg.stages[i]);
        }
    }
    if (roles_.node) {
        cfg.roles.resize(roles_.node->items().size());
        for (std::size_t i = 0; i < cfg.roles.size(); ++i) {
            cfg.roles[i].name = roles_.names[i];
            cfg.roles[i].efficiency.assign(cfg.stages.size(), 1.0);
            if (roles_.node->items()[i].is_map())
                read_role(roles_.node->items()[i], roles_.paths[i], cfg.roles[i], cfg.sources);
        }
    }
    if (const ConfigNode* n = top.get("ownership")) read_ownership(*n, cfg.ownership);
    if (const ConfigNode* n = top.get("handoff")) read_handoff(*n, cfg.handoff);

    // A prospecting source only produces leads when some role spends time on it. Not
    // said when a role's reference to a source was itself broken (already reported).
    if (!prospecting_refs_broken_ && roles_.node) {
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            if (cfg.sources[i].kind != model::SourceKind::prospecting || cfg.sources[i].name.empty()) continue;
            bool fed = false;
            for (const auto& r : cfg.roles) fed = fed || r.prospecting_source == static_cast<int>(i);
            if (fed) continue;
            const ConfigNode::Entry* e = sources_.node->items()[i].find_entry("prospecting");
            values_.error(e ? e->key_pos : sources_.node->items()[i].pos(), join_path(sources_.paths[i], "prospecting"),
                          "no role prospects for source " + quote(cfg.sources[i].name) +
                              "; give a role prospecting: {policy: when_idle, source: " + cfg.sources[i].name + "}");
        }
    }
    return cfg;
}

void ScenarioBuilder::read_simulation(const ConfigNode& n, model::SimulationConfig& out) {
    const MapReader m(n, "simulation", {"horizon", "warmup", "replications", "seed", "calendar", "sample_every"}, diags_);
    if (!m.is_map()) return;
    if (const ConfigNode* v = m.require("horizon")) {
        if (const auto h = values_.duration(*v, m.path("horizon"), Range::above(0))) {
            if (*h > max_horizon_h) {
                values_.error(v->pos(), m.path("horizon"), "must be at most 1000y, got " + describe(*v));
            } else {
                out.horizon_h = *h;
                horizon_h_ = *h;
            }
        }
    }
    if (const ConfigNode* v = m.get("warmup")) {
        if (const auto w = values_.duration(*v, m.path("warmup"))) {
            if (horizon_h_ && *w >= *horizon_h_)
                values_.error(v->pos(), m.path("warmup"),
                              "must be shorter than the horizon (" + format_number(*horizon_h_) + " h), got " + describe(*v));
            else
                out.warmup_h = *w;
        }
    }
    if (const ConfigNode* v = m.get("replications"))
        if (const auto r = values_.integer(*v, m.path("replications"), 1, max_replications))
            out.replications = static_cast<int>(*r);
    if (const ConfigNode* v = m.get("seed"))
        if (const auto s = values_.unsigned64(*v, m.path("seed"))) out.seed = *s;
    if (const ConfigNode* v = m.get("calendar"))
        if (const auto c = read_calendar(*v, m.path("calendar"))) out.calendar = *c;
    if (const ConfigNode* v = m.get("sample_every")) {
        if (const auto s = values_.duration(*v, m.path("sample_every"))) {
            if (*s > 0.0 && horizon_h_ && *s > *horizon_h_) {
                values_.error(v->pos(), m.path("sample_every"),
                              "must be at most the horizon (" + format_number(*horizon_h_) + " h), got " + describe(*v));
            } else if (*s > 0.0 && horizon_h_ && *horizon_h_ / *s > max_samples) {
                values_.error(v->pos(), m.path("sample_every"),
                              "is too short: it would record " + format_number(std::floor(*horizon_h_ / *s)) +
                                  " samples per replication (at most 1000000), got " + describe(*v));
            } else {
                out.sample_every_h = *s;
            }
        }
    }
}

std::optional<model::CalendarSpec> ScenarioBuilder::read_calendar(const ConfigNode& n, const std::string& path) {
    static const char* const form = "must be 24/7 or a map {hours_per_day, days_per_week, day_start}";
    if (n.is_scalar()) {
        if (n.text() == "24/7") return model::CalendarSpec::always();
        values_.error(n.pos(), path, std::string(form) + ", got " + describe(n));
        return std::nullopt;
    }
    const MapReader m(n, path, {"hours_per_day", "days_per_week", "day_start"}, diags_, form);
    if (!m.is_map()) return std::nullopt;
    const std::size_t before = diags_.size();
    model::CalendarSpec c;
    if (const ConfigNode* v = m.get("hours_per_day"))
        if (const auto h = values_.duration(*v, m.path("hours_per_day"), Range{0.0, 24.0, true, false})) c.hours_per_day = *h;
    if (const ConfigNode* v = m.get("days_per_week")) {
        const auto d = values_.integer(*v, m.path("days_per_week"), 1, 7);
        if (d) c.days_per_week = static_cast<int>(*d);
    }
    // The default start (9:00) moves earlier for long days, so that {hours_per_day: 16}
    // alone is a valid calendar.
    c.day_start_h = std::min(9.0, 24.0 - c.hours_per_day);
    if (const ConfigNode* v = m.get("day_start")) {
        std::optional<double> start;
        if (v->is_scalar()) start = clock_time(v->text());
        if (!start) start = values_.duration(*v, m.path("day_start"), Range{0.0, 24.0, false, true});
        if (start) {
            if (*start + c.hours_per_day > 24.0 + 1e-9)
                values_.error(v->pos(), m.path("day_start"),
                              "the working day must end by midnight: day_start " + format_number(*start) + " h plus " +
                                  format_number(c.hours_per_day) + " hours per day is past 24 h, got " + describe(*v));
            else
                c.day_start_h = *start;
        }
    }
    if (diags_.size() != before) return std::nullopt;
    return c;
}

void ScenarioBuilder::read_source(const ConfigNode& item, const std::string& path, model::SourceConfig& out) {
    const MapReader m(item, path,
                      {"name", "remove", "arrivals", "trace", "prospecting", "seasonality", "campaigns", "quality", "value",
                       "half_life", "patience", "response_time"},
                      diags_);
    check_remove(m);

    // Exactly one way of producing leads (campaigns alone are allowed).
    // In file order, so the complaint points at the second one written.
    const std::string* chosen = nullptr;
    for (const auto& e : item.entries()) {  // read_source is only called for maps
        if ((e.key != "arrivals" && e.key != "trace" && e.key != "prospecting") || e.value.is_null()) continue;
        if (chosen)
            values_.error(e.key_pos, m.path(e.key),
                          "give only one of arrivals, trace and prospecting; got both " + quote(*chosen) + " and " +
                              quote(e.key));
        else
            chosen = &e.key;
    }
    const ConfigNode* campaigns = m.get("campaigns");
    if (!chosen && !(campaigns && campaigns->is_sequence() && !campaigns->items().empty()))
        values_.error(item.pos(), path,
                      "needs one of arrivals (a rate such as 30/w), trace (a CSV file of leads) or prospecting "
                      "(leads found by a role's work), or at least campaigns");

    if (const ConfigNode* v = m.get("arrivals")) {
        if (const auto r = values_.rate(*v, m.path("arrivals"))) out.rate_per_h = *r;
        out.kind = model::SourceKind::poisson;
    }
    if (const ConfigNode* v = m.get("trace")) {
        out.kind = model::SourceKind::trace;
        if (const auto t = values_.text(*v, m.path("trace"))) {
            if (t->empty()) {
                values_.error(v->pos(), m.path("trace"), "must be the path of a CSV file, got ''");
            } else {
                const std::string shown = path_relative_to(v->pos().file, *t);
                out.trace_path = std::filesystem::absolute(std::filesystem::path(shown)).lexically_normal().string();
                if (auto leads = read_trace(shown, m.path("trace"), v->pos(), diags_)) out.trace = std::move(*leads);
            }
        }
    }
    if (const ConfigNode* v = m.get("prospecting")) {
        out.kind = model::SourceKind::prospecting;
        const MapReader p(*v, m.path("prospecting"), {"effort", "lag"}, diags_,
                          "a map {effort: working hours per lead found, lag: time until the lead answers}");
        if (const ConfigNode* e = p.require("effort")) {
            if (auto d = dists_.read(*e, p.path("effort"), QuantityKind::time)) {
                if (!(mean_of(*d) > 0.0))
                    values_.error(e->pos(), p.path("effort"),
                                  "must take some time on average (a mean of 0 h would find leads without end), got " +
                                      describe(*e));
                else
                    out.prospecting_effort = *d;
            }
        }
        if (const ConfigNode* g = p.get("lag"))
            if (auto d = dists_.read(*g, p.path("lag"), QuantityKind::time)) out.prospecting_lag = *d;
    }
    if (const ConfigNode* v = m.get("seasonality")) {
        const std::string sp = m.path("seasonality");
        if (!v->is_sequence() || v->items().size() != 12) {
            values_.error(v->pos(), sp,
                          "must be a list of exactly 12 monthly factors >= 0, got " +
                              (v->is_sequence() ? std::to_string(v->items().size()) + " values" : describe(*v)));
        } else {
            std::vector<double> f;
            bool any = false;
            for (std::size_t i = 0; i < 12; ++i) {
                if (const auto x = values_.number(v->items()[i], sp + "[" + std::to_string(i + 1) + "]", Range::at_least(0))) {
                    f.push_back(*x);
                    any = any || *x > 0.0;
                }
            }
            if (f.size() == 12 && !any)
                values_.error(v->pos(), sp, "at least one month must have a factor > 0, got all 0");
            else if (f.size() == 12)
                out.seasonality = std::move(f);
        }
    }
    if (campaigns) {
        const std::string cp = m.path("campaigns");
        if (!campaigns->is_sequence()) {
            values_.error(campaigns->pos(), cp, "must be a list of {at, leads}, got " + describe(*campaigns));
        } else {
            for (std::size_t i = 0; i < campaigns->items().size(); ++i) {
                const std::string ip = cp + "[" + std::to_string(i + 1) + "]";
                const MapReader c(campaigns->items()[i], ip, {"at", "leads"}, diags_, "a map {at, leads}");
                model::CampaignConfig cc;
                bool ok = c.is_map();
                if (const ConfigNode* at = c.require("at")) {
                    const auto a = values_.duration(*at, c.path("at"));
                    if (a && horizon_h_ && *a >= *horizon_h_) {
                        values_.error(at->pos(), c.path("at"),
                                      "must be before the end of the horizon (" + format_number(*horizon_h_) + " h), got " +
                                          describe(*at));
                        ok = false;
                    } else if (a) {
                        cc.at_h = *a;
                    } else {
                        ok = false;
                    }
                } else {
                    ok = false;
                }
                if (const ConfigNode* l = c.require("leads")) {
                    if (const auto n = values_.integer(*l, c.path("leads"), 1, max_campaign_leads))
                        cc.leads = static_cast<int>(*n);
                    else
                        ok = false;
                } else {
                    ok = false;
                }
                if (ok) out.campaigns.push_back(cc);
            }
        }
    }
    if (const ConfigNode* v = m.get("quality"))
        if (auto d = dists_.read(*v, m.path("quality"), QuantityKind::quality)) out.quality = *d;
    if (const ConfigNode* v = m.get("value"))
        if (auto d = dists_.read(*v, m.path("value"), QuantityKind::amount)) out.value = *d;
    if (const ConfigNode* v = m.get("half_life"))
        if (const auto h = values_.duration(*v, m.path("half_life"))) out.half_life_h = *h;
    if (const ConfigNode* v = m.get("patience"))
        if (auto d = dists_.read(*v, m.path("patience"), QuantityKind::time)) out.patience = *d;
    if (const ConfigNode* v = m.get("response_time"))
        if (auto d = dists_.read(*v, m.path("response_time"), QuantityKind::time)) out.response_time = *d;
}

void ScenarioBuilder::read_stage(const ConfigNode& item, const std::string& path, int index, model::StageConfig& out) {
    const MapReader m(item, path,
                      {"name", "remove", "role", "roles", "effort", "advance", "rework", "touches", "wip_limit", "gate", "batch"}, diags_);
    check_remove(m);

    const ConfigNode* role = m.get("role");
    const ConfigNode* roles = m.get("roles");
    if (role && roles) {
        values_.error(m.key_pos("roles"), m.path("roles"),
                      "give either role (one role) or roles (a list in order of preference), not both");
    } else if (role) {
        const int r = resolve(*role, m.path("role"), roles_, "role");
        if (r >= 0) out.roles = {r};
    } else if (roles) {
        if (!roles->is_sequence() || roles->items().empty()) {
            values_.error(roles->pos(), m.path("roles"),
                          "must be a non-empty list of role names in order of preference, got " +
                              (roles->is_sequence() ? std::string("an empty list") : describe(*roles)));
        } else {
            for (std::size_t i = 0; i < roles->items().size(); ++i) {
                const ConfigNode& r_n = roles->items()[i];
                const std::string rp = m.path("roles") + "[" + std::to_string(i + 1) + "]";
                const int r = resolve(r_n, rp, roles_, "role");
                if (r < 0) continue;
                bool repeated = false;
                for (const int seen : out.roles) repeated = repeated || seen == r;
                if (repeated)
                    values_.error(r_n.pos(), rp, "the role " + quote(r_n.text()) + " is listed twice");
                else
                    out.roles.push_back(r);
            }
        }
    } else if (m.is_map()) {
        values_.error(item.pos(), m.path("role"),
                      "required key 'role' is missing (or give roles: a list of roles in order of preference)");
    }

    if (const ConfigNode* v = m.require("effort"))
        if (auto d = dists_.read(*v, m.path("effort"), QuantityKind::time)) out.effort = *d;

    if (const ConfigNode* v = m.get("advance")) {
        double p = 0.0;
        bool parsed = false;
        if (v->is_scalar() && v->text() == "quality") {
            out.advance_by_quality = true;
        } else {
            try {
                parsed = v->is_scalar() && !v->quoted() && try_parse_number(v->text(), p);
            } catch (const QuantityError&) {
                parsed = false;
            }
            if (parsed && p >= 0.0 && p <= 1.0)
                out.advance_probability = p;
            else
                values_.error(v->pos(), m.path("advance"),
                              "must be a probability in [0, 1] or the word quality, got " + describe(*v));
        }
    }
    if (const ConfigNode* v = m.get("rework")) {
        const MapReader r(*v, m.path("rework"), {"to", "probability"}, diags_, "a map {to: STAGE, probability: P}");
        if (r.is_map()) {
            bool ok = true;
            if (const ConfigNode* to = r.require("to")) {
                const int s = resolve(*to, r.path("to"), stages_, "stage");
                if (s > index) {
                    values_.error(to->pos(), r.path("to"),
                                  "must name this stage or an earlier one, but " + quote(to->text()) + " comes after " +
                                      quote(stages_.names[static_cast<std::size_t>(index)].empty()
                                                ? path
                                                : stages_.names[static_cast<std::size_t>(index)]));
                    ok = false;
                } else if (s < 0) {
                    ok = false;
                } else {
                    out.rework_to = s;
                }
            } else {
                ok = false;
            }
            if (const ConfigNode* p = r.require("probability")) {
                // With probability 1 a lead would be sent back forever.
                if (const auto x = values_.number(*p, r.path("probability"), Range{0.0, 1.0, false, true}))
                    out.rework_probability = *x;
                else
                    ok = false;
            } else {
                ok = false;
            }
            out.has_rework = ok;
        }
    }
    if (const ConfigNode* v = m.get("touches"))
        if (const auto t = values_.integer(*v, m.path("touches"), 1, max_touches)) out.touches = static_cast<int>(*t);
    if (const ConfigNode* v = m.get("wip_limit"))
        if (const auto w = values_.integer(*v, m.path("wip_limit"), 0, max_wip_limit)) out.wip_limit = static_cast<int>(*w);
    if (const ConfigNode* v = m.get("batch"))
        if (const auto b = values_.duration(*v, m.path("batch"))) out.batch_every_h = *b;
    if (const ConfigNode* v = m.get("gate")) {
        const MapReader g(*v, m.path("gate"), {"threshold", "noise_sd"}, diags_, "a map {threshold, noise_sd}");
        if (g.is_map()) {
            bool ok = true;
            if (const ConfigNode* t = g.require("threshold")) {
                if (const auto x = values_.probability(*t, g.path("threshold"))) out.gate.threshold = *x;
                else ok = false;
            } else {
                ok = false;
            }
            if (const ConfigNode* s = g.get("noise_sd")) {
                if (const auto x = values_.number(*s, g.path("noise_sd"), Range::at_least(0))) out.gate.noise_sd = *x;
                else ok = false;
            }
            out.gate.enabled = ok;
        }
    }
}

void ScenarioBuilder::read_role(const ConfigNode& item, const std::string& path, model::RoleConfig& out,
                                const std::vector<model::SourceConfig>& sources) {
    const MapReader m(item, path,
                      {"name", "remove", "headcount", "cost_per_year", "availability", "efficiency", "calendar", "wip_limit",
                       "discipline", "prospecting", "context_switching"},
                      diags_);
    check_remove(m);

    if (const ConfigNode* v = m.require("headcount"))
        if (const auto h = values_.integer(*v, m.path("headcount"), 0, max_headcount)) out.headcount = static_cast<int>(*h);
    if (const ConfigNode* v = m.get("cost_per_year"))
        if (const auto c = values_.number(*v, m.path("cost_per_year"), Range::at_least(0))) out.cost_per_year = *c;
    if (const ConfigNode* v = m.get("availability"))
        if (const auto a = values_.number(*v, m.path("availability"), Range{0.0, 1.0, true, false})) out.availability = *a;
    if (const ConfigNode* v = m.get("efficiency")) {
        // Its keys are stage names, checked below with suggestions, so no fixed key list.
        if (!v->is_map())
            values_.error(v->pos(), m.path("efficiency"), "must be a map from stage names to speed factors > 0, got " + describe(*v));
        static const std::vector<ConfigNode::Entry> none;
        for (const auto& entry : v->is_map() ? v->entries() : none) {
            const std::string ep = join_path(m.path("efficiency"), entry.key);
            const int s = stages_.find(entry.key);
            if (s < 0) {
                values_.error(entry.key_pos, ep, "undefined stage " + quote(entry.key) + suggestion(entry.key, stages_.valid_names()));
                continue;
            }
            if (entry.value.is_null()) continue;
            if (const auto x = values_.number(entry.value, ep, Range::above(0)))
                if (static_cast<std::size_t>(s) < out.efficiency.size()) out.efficiency[static_cast<std::size_t>(s)] = *x;
        }
    }
    if (const ConfigNode* v = m.get("calendar")) out.calendar = read_calendar(*v, m.path("calendar"));
    if (const ConfigNode* v = m.get("wip_limit"))
        if (const auto w = values_.integer(*v, m.path("wip_limit"), 0, max_wip_limit)) out.wip_limit = static_cast<int>(*w);
    if (const ConfigNode* v = m.get("discipline")) {
        if (const auto t = values_.text(*v, m.path("discipline"))) {
            std::size_t i = 0;
            while (i < discipline_names.size() && discipline_names[i] != *t) ++i;
            if (i < discipline_names.size())
                out.discipline = static_cast<model::Discipline>(i);
            else
                values_.error(v->pos(), m.path("discipline"),
                              "unknown discipline " + quote(*t) + suggestion(*t, discipline_names));
        }
    }
    if (const ConfigNode* v = m.get("prospecting")) {
        const MapReader p(*v, m.path("prospecting"), {"policy", "share", "source"}, diags_,
                          "a map {policy: when_idle | reserved, share, source}");
        if (p.is_map()) {
            if (const ConfigNode* pol = p.require("policy")) {
                const auto t = values_.text(*pol, p.path("policy"));
                if (t && *t == "when_idle") out.prospecting = model::ProspectingPolicy::when_idle;
                else if (t && *t == "reserved") out.prospecting = model::ProspectingPolicy::reserved;
                else if (t)
                    values_.error(pol->pos(), p.path("policy"),
                                  "unknown policy " + quote(*t) + suggestion(*t, {"when_idle", "reserved"}));
            }
            const ConfigNode* share = p.get("share");
            if (out.prospecting == model::ProspectingPolicy::reserved) {
                if (const ConfigNode* s = p.require("share"))
                    if (const auto x = values_.number(*s, p.path("share"), Range{0.0, 1.0, true, false})) out.prospecting_share = *x;
            } else if (share && out.prospecting == model::ProspectingPolicy::when_idle) {
                values_.error(p.key_pos("share"), p.path("share"),
                              "share only applies to policy reserved (when_idle prospects whenever there is no other work)");
            }
            // Which source the prospecting feeds: named, or the only one there is.
            std::vector<std::string> prospecting_names;
            int only = -1;
            for (std::size_t i = 0; i < sources.size(); ++i) {
                if (sources[i].kind == model::SourceKind::prospecting && !sources[i].name.empty()) {
                    prospecting_names.push_back(sources[i].name);
                    only = static_cast<int>(i);
                }
            }
            if (const ConfigNode* s = p.get("source")) {
                const int i = resolve(*s, p.path("source"), sources_, "source");
                if (i < 0) prospecting_refs_broken_ = true;
                if (i >= 0 && static_cast<std::size_t>(i) < sources.size()) {
                    if (sources[static_cast<std::size_t>(i)].kind != model::SourceKind::prospecting) {
                        prospecting_refs_broken_ = true;
                        values_.error(s->pos(), p.path("source"),
                                      "source " + quote(s->text()) +
                                          " has no prospecting: {effort} key, so a role cannot prospect for it" +
                                          (prospecting_names.empty() ? std::string()
                                                                     : " (prospecting sources: " + join(prospecting_names) + ")"));
                    } else {
                        out.prospecting_source = i;
                    }
                }
            } else if (prospecting_names.size() == 1) {
                out.prospecting_source = only;
            } else if (prospecting_names.empty()) {
                values_.error(v->pos(), m.path("prospecting"),
                              "no source has prospecting: {effort}, so there is nothing to prospect for");
            } else {
                prospecting_refs_broken_ = true;
                values_.error(v->pos(), m.path("prospecting"),
                              "several sources have prospecting (" + join(prospecting_names) + "); name one with source");
            }
        }
    }
    if (const ConfigNode* v = m.get("context_switching")) {
        const std::string cp = m.path("context_switching");
        static const char* const form = "must be false, true (or weinberg) for Weinberg's curve, or a list of losses in [0, 1)";
        if (v->is_scalar() && !v->quoted() && (v->text() == "false" || v->text() == "False" || v->text() == "FALSE")) {
            out.context_switch_loss.clear();
        } else if (v->is_scalar() && (v->text() == "weinberg" ||
                                      (!v->quoted() && (v->text() == "true" || v->text() == "True" || v->text() == "TRUE")))) {
            out.context_switch_loss = model::weinberg_curve();
        } else if (v->is_sequence()) {
            std::vector<double> loss;
            bool ok = true;
            for (std::size_t i = 0; i < v->items().size(); ++i) {
                const std::string ip = cp + "[" + std::to_string(i + 1) + "]";
                const auto x = values_.number(v->items()[i], ip, Range{0.0, 1.0, false, true});
                if (!x) {
                    ok = false;
                    continue;
                }
                if (!loss.empty() && *x < loss.back()) {
                    values_.error(v->items()[i].pos(), ip,
                                  "losses must not decrease with more open deals, got " + describe(v->items()[i]) +
                                      " after " + format_number(loss.back()));
                    ok = false;
                }
                loss.push_back(*x);
            }
            if (ok) out.context_switch_loss = std::move(loss);
        } else {
            values_.error(v->pos(), cp, std::string(form) + ", got " + describe(*v));
        }
    }
}

void ScenarioBuilder::read_ownership(const ConfigNode& n, model::OwnershipConfig& out) {
    const MapReader m(n, "ownership", {"from"}, diags_, "a map {from: STAGE}");
    if (const ConfigNode* f = m.require("from")) {
        const int s = resolve(*f, m.path("from"), stages_, "stage");
        if (s >= 0) {
            out.enabled = true;
            out.from_stage = s;
        }
    }
}

void ScenarioBuilder::read_handoff(const ConfigNode& n, model::HandoffConfig& out) {
    const MapReader m(n, "handoff", {"effort", "delay"}, diags_, "a map {effort, delay}");
    if (const ConfigNode* v = m.get("effort"))
        if (auto d = dists_.read(*v, m.path("effort"), QuantityKind::time)) out.effort = *d;
    if (const ConfigNode* v = m.get("delay"))
        if (auto d = dists_.read(*v, m.path("delay"), QuantityKind::time)) out.delay = *d;
}

}  // namespace salesflow::input
