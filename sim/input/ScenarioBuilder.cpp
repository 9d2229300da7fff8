#include "input/ScenarioBuilder.hpp"

#include <algorithm>
#include "input/Assumptions.hpp"

#include <cmath>
#include <optional>
#include <cstdio>
#include <filesystem>

#include "input/CurveReader.hpp"
#include "input/Quantities.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/TraceReader.hpp"
#include "kernel/Time.hpp"

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
    if (h > 23 || m > 59) return std::nullopt;
    return h + m / 60.0;
}

// Digits, one ':' and digits: meant as a clock time, right or wrong ("25:00", "8:5").
bool looks_like_clock(const std::string& s) {
    const auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != colon && (s[i] < '0' || s[i] > '9')) return false;
    return true;
}

// A large count for messages, to three significant digits ("6.72e+302", "1.01e+08").
std::string about(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

// `KEY: default` means the same as `KEY: {}`: every key of the map at its default.
const ConfigNode& defaults_word(const ConfigNode& v) {
    static const ConfigNode empty = ConfigNode::map(Position{});
    return v.is_scalar() && !v.quoted() && v.text() == "default" ? empty : v;
}

// A calendar time that must fall before the end of the horizon (`campaigns[].at`,
// `roles[].hires[].at`): the value, or nothing after reporting why not. The horizon is
// read before these keys; when it is itself invalid, only the duration is checked.
std::optional<double> time_before_horizon(FieldReaders& r, const ConfigNode& v, const std::string& p,
                                          const std::optional<double>& horizon) {
    const auto a = r.values.duration(v, p);
    if (!a) return std::nullopt;
    if (horizon && *a >= *horizon) {
        r.values.error(v.pos(), p,
                       "must be before the end of the horizon (" + format_number(*horizon) + " h), got " + describe(v));
        return std::nullopt;
    }
    return a;
}

// A period that is 0 (off) or at least ScenarioBuilder::min_period_h (one minute). Not
// independent for sweeps: the valid values are not an interval, so a range's two bounds
// do not cover the values between them.
template <class Config>
auto period_reader(double Config::*member) {
    return [member](FieldReaders& r, const ConfigNode& v, const std::string& p, Config& out) {
        const auto x = r.values.duration(v, p, Range::at_least(0));
        if (!x) return;
        if (*x > 0.0 && *x < ScenarioBuilder::min_period_h)
            r.values.error(v.pos(), p, "must be 0 (off) or at least 1 minute: a shorter period repeats its event "
                                       "without end, got " + describe(v));
        else
            out.*member = *x;
    };
}

const std::vector<std::string> discipline_names{"fifo", "oldest_lead_first", "latest_stage_first", "highest_value_first",
                                                "wsjf"};

}  // namespace

int ScenarioBuilder::NamedList::find(const std::string& name) const {
    if (name.empty()) return -1;
    const auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
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
        if (!name.empty()) list.index.emplace(name, static_cast<int>(list.names.size()));
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

ScenarioBuilder::ScenarioBuilder(Diagnostics& diags)
    : diags_(diags), values_(diags), dists_(values_), readers_{values_, dists_, diags_, this} {}

// Every map of the scenario, declared once: its keys in the order they are read, their
// kind, range, default and destination. Keys whose reading depends on other keys or on
// the lists of names have readers of their own, below.
struct ScenarioBuilder::Tables {
    FieldTable<model::ScenarioConfig> top{"a map of keys (name, simulation, sources, stages, roles, ...)"};
    FieldTable<model::SimulationConfig> simulation;
    FieldTable<model::CalendarSpec> calendar{"24/7 or a map {hours_per_day, days_per_week, day_start}"};
    FieldTable<model::SourceConfig> source;
    FieldTable<model::SourceConfig> source_prospecting{
        "a map {effort: working hours per lead found, lag: time until the lead answers}"};
    FieldTable<model::CampaignConfig> campaign{"a map {at, leads}"};
    FieldTable<model::StageConfig> stage;
    FieldTable<model::StageConfig> rework{"a map {to: STAGE, probability: P}"};
    FieldTable<model::GateConfig> gate{"a map {threshold, noise_sd}"};
    FieldTable<model::RoleConfig> role;
    FieldTable<model::RoleConfig> role_prospecting{"a map {policy: when_idle | reserved, share, source}"};
    FieldTable<model::OwnershipConfig> ownership{"a map {from: STAGE}"};
    FieldTable<model::FunnelConfig> funnel{"a map {opportunity: STAGE, proposal: STAGE}"};
    FieldTable<model::HandoffConfig> handoff{"a map {effort, delay}"};
    FieldTable<model::CostConfig> costs{"a map {overhead_per_person, reorganisation}"};
    FieldTable<model::SourceConfig> speed_to_lead{
        "the word default or a map {curve: default | [[TIME, CHANCE], ...], strength, normalise}"};
    FieldTable<model::NoDecisionConfig> no_decision{
        "the word default or a map {share, per_week_waited, per_week_lead_time, from}"};
    FieldTable<model::NurtureConfig> nurture{
        "the word default or a map {disqualified, abandoned, lost, no_decision, delay, quality, source}"};
    // Organisation over time (models/mechanisms/Skill.hpp, Staffing.hpp, QuarterEnd.hpp).
    FieldTable<model::LearningConfig> role_learning{"a map {max_gain, visits, initial}"};
    FieldTable<model::HireConfig> role_hire{"a map {at, count}"};
    FieldTable<model::RoleConfig> role_attrition{"a map {tenure}"};
    FieldTable<model::RampConfig> role_ramp{"a map {time, efficiency, skill}"};
    FieldTable<model::RoleConfig> role_context_switching{"a map {curve, loss, max}"};
    FieldTable<model::QuarterEndConfig> quarter_end{"a map {window, discount, extra_loss, priority, speed}"};
};

const ScenarioBuilder::Tables& ScenarioBuilder::tables() {
    static const Tables table = [] {
        using model::CalendarSpec;
        using model::RoleConfig;
        using model::SimulationConfig;
        using model::SourceConfig;
        using model::StageConfig;
        Tables t;
        const auto b = [](FieldReaders& r) -> ScenarioBuilder& { return *r.builder; };

        t.top.custom("name", FieldKind::name, "", "name of the scenario",
                     [](FieldReaders& r, const ConfigNode& v, const std::string& p, model::ScenarioConfig& out) {
                         if (const auto x = r.values.name(v, p)) out.name = *x;
                     })
            .required()
            .custom("description", FieldKind::text, "''", "free text",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, model::ScenarioConfig& out) {
                        if (const auto x = r.values.text(v, p)) out.description = *x;
                    })
            .handled("extends", FieldKind::text, "a scenario file this one builds on (applied when loading)")
            .custom("simulation", FieldKind::map, "", "horizon, replications, seed, calendar, ...",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, model::ScenarioConfig& out) {
                        const auto& sim = tables().simulation;
                        sim.read(sim.map(v, p, r.diags), r, out.simulation);
                    })
            .required()
            .handled("sources", FieldKind::list, "where leads come from")
            .handled("stages", FieldKind::list, "the steps a lead goes through")
            .handled("roles", FieldKind::list, "the people who do the work")
            .handled("ownership", FieldKind::map, "{from: STAGE}: from which stage a deal stays with its person")
            .handled("handoff", FieldKind::map, "{effort, delay}: the cost of passing a lead between people")
            .handled("costs", FieldKind::map, "{overhead_per_person, reorganisation}: costs beyond the roles' own")
            .handled("funnel", FieldKind::map, "{opportunity: STAGE, proposal: STAGE}: the stages whose entry counts as an opportunity and a proposal")
            .handled("no_decision", FieldKind::map, "default or {share, per_week_waited, per_week_lead_time, from}: deals that end without a decision")
            .handled("nurture", FieldKind::map, "default or {disqualified, abandoned, lost, no_decision, delay, quality, source}: leads that come back later")
            .handled("quarter_end", FieldKind::map,
                     "{window, discount, extra_loss, priority, speed}: pressure to close near the end of each 13-week quarter")
            .handled("assumptions", FieldKind::map, "{PATH: {DISTRIBUTION, why: TEXT}}: the uncertain parameters a study samples (docs/study.md)");

        t.simulation
            .custom("horizon", FieldKind::duration, "", "simulated calendar time of one replication; > 0, at most 1000y",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SimulationConfig& out) {
                        const auto h = r.values.duration(v, p, Range::above(0));
                        if (!h) return;
                        if (*h > max_horizon_h) {
                            r.values.error(v.pos(), p, "must be at most 1000y, got " + describe(v));
                            return;
                        }
                        out.horizon_h = *h;
                        b(r).horizon_h_ = *h;
                    })
            .required()
            .custom("warmup", FieldKind::duration, "0", "time discarded from every statistic; < horizon",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SimulationConfig& out) {
                        const auto w = r.values.duration(v, p);
                        if (!w) return;
                        const auto& horizon = b(r).horizon_h_;
                        if (horizon && *w >= *horizon)
                            r.values.error(v.pos(), p,
                                           "must be shorter than the horizon (" + format_number(*horizon) + " h), got " +
                                               describe(v));
                        else
                            out.warmup_h = *w;
                    })
            .integer("replications", 1, max_replications, &SimulationConfig::replications, "10",
                     "independent runs; 1 to 10,000,000")
            .unsigned64("seed", &SimulationConfig::seed, "1", "random seed, 0 to 2^64-1")
            .custom("calendar", FieldKind::map, "8 h x 5 d from 9:00", "working hours of everyone",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SimulationConfig& out) {
                        if (const auto c = b(r).read_calendar(v, p)) out.calendar = *c;
                    })
            .custom("sample_every", FieldKind::duration, "0",
                    "period of the time series; 0 = none; at most horizon and 1,000,000 samples",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SimulationConfig& out) {
                        const auto s = r.values.duration(v, p);
                        if (!s) return;
                        const auto& horizon = b(r).horizon_h_;
                        if (*s > 0.0 && horizon && *s > *horizon) {
                            r.values.error(v.pos(), p,
                                           "must be at most the horizon (" + format_number(*horizon) + " h), got " +
                                               describe(v));
                        } else if (*s > 0.0 && horizon && *horizon / *s > max_samples) {
                            r.values.error(v.pos(), p,
                                           "is too short: it would record " + format_number(std::floor(*horizon / *s)) +
                                               " samples per replication (at most 1000000), got " + describe(v));
                        } else {
                            out.sample_every_h = *s;
                        }
                    });

        t.calendar.duration("hours_per_day", Range{0.0, 24.0, true, false}, &CalendarSpec::hours_per_day, "8",
                            "working hours per day, in (0, 24]")
            .coupled()  // day_start + hours_per_day <= 24 h
            .integer("days_per_week", 1, 7, &CalendarSpec::days_per_week, "5", "working days per week, 1 to 7")
            .custom("day_start", FieldKind::duration, "9:00, earlier when hours_per_day > 15",
                    "time of day the work starts: HH:MM or a duration after midnight",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, CalendarSpec& out) {
                        std::optional<double> start;
                        if (v.is_scalar() && looks_like_clock(v.text())) {
                            start = clock_time(v.text());
                            if (!start) {
                                r.values.error(v.pos(), p,
                                               "must be a time of day from 00:00 to 23:59 (HH:MM), got " + describe(v));
                                return;
                            }
                        } else {
                            start = r.values.duration(v, p, Range{0.0, 24.0, false, true});
                        }
                        if (!start) return;
                        if (*start + out.hours_per_day > 24.0 + 1e-9)
                            r.values.error(v.pos(), p,
                                           "the working day must end by midnight: day_start " + format_number(*start) +
                                               " h plus " + format_number(out.hours_per_day) +
                                               " hours per day is past 24 h, got " + describe(v));
                        else
                            out.day_start_h = *start;
                    });

        t.source.handled("name", FieldKind::name, "name of the source")
            .handled("remove", FieldKind::text, "true drops an inherited source (extends)")
            .custom("arrivals", FieldKind::rate, "", "Poisson arrivals: a rate such as 30/w",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        if (const auto x = r.values.rate(v, p)) out.rate_per_h = *x;
                        out.kind = model::SourceKind::poisson;
                    })
            .custom("trace", FieldKind::text, "", "a CSV file of leads",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        b(r).read_trace_key(v, p, out);
                    })
            .custom("prospecting", FieldKind::map, "", "leads found by a role's work: {effort, lag}",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        out.kind = model::SourceKind::prospecting;
                        const auto& pt = tables().source_prospecting;
                        pt.read(pt.map(v, p, r.diags), r, out);
                    })
            .custom("seasonality", FieldKind::list, "none", "12 monthly factors >= 0",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        b(r).read_seasonality(v, p, out);
                    })
            .custom("working_hours_share", FieldKind::number, "none",
                    "share of the Poisson leads arriving in simulation.calendar's working hours, in [0, 1]",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        if (const auto x = r.values.probability(v, p)) out.working_hours_share = *x;
                    })
            .custom("campaigns", FieldKind::list, "none", "bursts of leads: a list of {at, leads}",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        b(r).read_campaigns(v, p, out);
                    })
            .distribution("quality", QuantityKind::quality, &SourceConfig::quality, "{beta: {a: 2, b: 3}}",
                          "latent chance to buy, in [0, 1]")
            .distribution("value", QuantityKind::amount, &SourceConfig::value, "1", "deal value when won")
            .duration("half_life", Range::at_least(0), &SourceConfig::half_life_h, "0",
                      "win chance halves per this much waiting; 0 = no decay")
            .custom("patience", FieldKind::distribution, "none", "longest wait in one queue before the lead leaves",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        if (auto d = r.dists.read(v, p, QuantityKind::time)) out.patience = *d;
                    })
            .distribution("response_time", QuantityKind::time, &SourceConfig::response_time, "0",
                          "buyer's latency between touches")
            .custom("speed_to_lead", FieldKind::map, "none",
                    "default or {curve, strength, normalise}: chance to reach and qualify a lead against its time to first contact",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        const ConfigNode& m = defaults_word(v);
                        const auto& st = tables().speed_to_lead;
                        out.speed_to_lead = model::published_speed_to_lead_curve();
                        st.read(st.map(m, p, r.diags), r, out);
                    });

        t.speed_to_lead
            .custom("curve", FieldKind::list, "default: [[1h, 1], [1h, 1/7], [2h, 1/7], [24h, 1/60]] (HBR 2011)",
                    "the word default or points [time to first contact, relative chance in [0, 1]], times not "
                    "decreasing (two at one time: a step); linear between points",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        if (v.is_scalar() && !v.quoted() && v.text() == "default") {
                            out.speed_to_lead = model::published_speed_to_lead_curve();
                            return;
                        }
                        if (auto c = read_curve(r.values, v, p, Range::probability())) out.speed_to_lead = std::move(*c);
                    })
            .number("strength", Range::probability(), &SourceConfig::speed_to_lead_strength, "1",
                    "the chance is f(t)^strength: 1 the curve, 0 flat (no loss)")
            .choice("normalise", {"none", "typical"}, "normalisation", &SourceConfig::speed_to_lead_normalise, "none",
                    "typical: the Poisson rate is divided by the chance a typical firm's lead is kept");

        t.source_prospecting
            .custom("effort", FieldKind::distribution, "", "working hours per lead found; mean > 0",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, SourceConfig& out) {
                        auto d = r.dists.read(v, p, QuantityKind::time);
                        if (!d) return;
                        if (!(mean_of(*d) > 0.0))
                            r.values.error(v.pos(), p,
                                           "must take some time on average (a mean of 0 h would find leads without "
                                           "end), got " +
                                               describe(v));
                        else
                            out.prospecting_effort = *d;
                    })
            .required()
            .distribution("lag", QuantityKind::time, &SourceConfig::prospecting_lag, "0",
                          "calendar time from outreach to the lead")
            .custom("block", FieldKind::duration, "1h",
                    "working hours prospected before looking at waiting leads again; 0: a whole prospect at once; "
                    "otherwise at least 1 minute",
                    period_reader(&SourceConfig::prospecting_block_h));

        t.campaign
            .custom("at", FieldKind::duration, "", "calendar time of the burst; before the end of the horizon",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::CampaignConfig& out) {
                        if (const auto a = time_before_horizon(r, v, p, b(r).horizon_h_)) out.at_h = *a;
                    })
            .required()
            .integer("leads", 1, max_campaign_leads, &model::CampaignConfig::leads, "",
                     "leads arriving at once, 1 to 1,000,000")
            .required()
            .coupled();  // counted with the source's arrivals (max_expected_leads)

        t.stage.handled("name", FieldKind::name, "name of the stage")
            .handled("remove", FieldKind::text, "true drops an inherited stage (extends)")
            .handled("role", FieldKind::name, "the role doing the work")
            .handled("roles", FieldKind::list, "roles in order of preference")
            .distribution("effort", QuantityKind::time, &StageConfig::effort, "", "working hours of one visit")
            .required()
            .custom("advance", FieldKind::number, "1", "probability of moving on, or the word quality",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, StageConfig& out) {
                        if (v.is_scalar() && v.text() == "quality") {
                            out.advance_by_quality = true;
                            return;
                        }
                        double x = 0.0;
                        bool parsed = false;
                        try {
                            parsed = v.is_scalar() && !v.quoted() && try_parse_number(v.text(), x);
                        } catch (const QuantityError&) {
                            parsed = false;
                        }
                        if (parsed && x >= 0.0 && x <= 1.0)
                            out.advance_probability = x;
                        else
                            r.values.error(v.pos(), p,
                                           "must be a probability in [0, 1] or the word quality, got " + describe(v));
                    })
            .independent()
            .custom("rework", FieldKind::map, "none", "{to: STAGE, probability: P}: send back to an earlier stage",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, StageConfig& out) {
                        const auto& rw = tables().rework;
                        const MapReader m = rw.map(v, p, r.diags);
                        if (!m.is_map()) return;
                        const std::size_t before = r.diags.size();
                        rw.read(m, r, out);
                        out.has_rework = r.diags.size() == before;
                    })
            .integer("touches", 1, max_touches, &StageConfig::touches, "1", "work sessions per visit, 1 to 1000")
            .integer("wip_limit", 0, max_wip_limit, &StageConfig::wip_limit, "0",
                     "leads in the stage at once; 0 = unlimited")
            .custom("gate", FieldKind::map, "none", "{threshold, noise_sd}: disqualify leads of low estimated quality",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, StageConfig& out) {
                        const auto& g = tables().gate;
                        const MapReader m = g.map(v, p, r.diags);
                        if (!m.is_map()) return;
                        const std::size_t before = r.diags.size();
                        g.read(m, r, out.gate);
                        out.gate.enabled = r.diags.size() == before;
                    })
            .custom("batch", FieldKind::duration, "0",
                    "release entering leads together, every this long; 0 = no batching; otherwise at least 1 minute",
                    period_reader(&StageConfig::batch_every_h));

        t.rework
            .custom("to", FieldKind::name, "", "this stage or an earlier one",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, StageConfig& out) {
                        auto& self = b(r);
                        const int s = self.resolve(v, p, self.stages_, "stage");
                        const int index = self.stage_index_;
                        if (s > index) {
                            const auto& own = self.stages_.names[static_cast<std::size_t>(index)];
                            r.values.error(v.pos(), p,
                                           "must name this stage or an earlier one, but " + quote(v.text()) +
                                               " comes after " + quote(own.empty() ? self.stages_.paths[static_cast<std::size_t>(index)] : own));
                        } else if (s >= 0) {
                            out.rework_to = s;
                        }
                    })
            .required()
            // With probability 1 a lead would be sent back forever.
            .number("probability", Range{0.0, 1.0, false, true}, &StageConfig::rework_probability, "",
                    "chance of being sent back, in [0, 1)")
            .required()
            .coupled();  // a loop that takes no time (docs/limits.md)

        t.gate.number("threshold", Range::probability(), &model::GateConfig::threshold, "",
                      "disqualify when the estimated quality is below this")
            .required()
            .number("noise_sd", Range::at_least(0), &model::GateConfig::noise_sd, "0",
                    "sd of the qualifier's estimate of quality");

        t.role.handled("name", FieldKind::name, "name of the role")
            .handled("remove", FieldKind::text, "true drops an inherited role (extends)")
            .integer("headcount", 0, max_headcount, &RoleConfig::headcount, "", "people in the role, 0 to 100,000")
            .required()
            .number("cost_per_year", Range::closed(0, max_money), &RoleConfig::cost_per_year, "0",
                    "cost of one person per year, at most 1e15")
            .number("availability", Range{0.0, 1.0, true, false}, &RoleConfig::availability, "1",
                    "share of working time for pipeline work, in (0, 1]")
            .custom("efficiency", FieldKind::map, "1 for every stage", "speed factor > 0 per stage name",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        b(r).read_efficiency(v, p, out);
                    })
            .custom("calendar", FieldKind::map, "simulation.calendar", "this role's working hours",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        out.calendar = b(r).read_calendar(v, p);
                    })
            .integer("wip_limit", 0, max_wip_limit, &RoleConfig::wip_limit, "0",
                     "open deals one person may own; 0 = unlimited")
            .choice("discipline", discipline_names, "discipline", &RoleConfig::discipline, "fifo",
                    "which waiting lead is served first")
            .handled("prospecting", FieldKind::map, "{policy, share, source}: time spent finding leads")
            .custom("context_switching", FieldKind::other, "false",
                    "false, true (Weinberg's curve) or a list of losses in [0, 1)",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        b(r).read_context_switching(v, p, out);
                    })
            .custom("skill", FieldKind::map, "1 for every stage",
                    "factor > 0 per stage name multiplying the chance to advance after this role's visit (capped at 1)",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        auto& self = b(r);
                        if (!v.is_map()) {
                            r.values.error(v.pos(), p, "must be a map from stage names to skill factors > 0, got " + describe(v));
                            return;
                        }
                        out.skill.assign(out.efficiency.size(), 1.0);
                        for (const auto& entry : v.entries()) {
                            const std::string ep = join_path(p, entry.key);
                            const int s = self.stages_.find(entry.key);
                            if (s < 0) {
                                r.values.error(entry.key_pos, ep, "undefined stage " + quote(entry.key) +
                                                                      suggestion(entry.key, self.stages_.valid_names()));
                                continue;
                            }
                            if (entry.value.is_null()) continue;
                            if (const auto x = r.values.number(entry.value, ep, Range{0.0, max_skill, true, false}))
                                if (static_cast<std::size_t>(s) < out.skill.size()) out.skill[static_cast<std::size_t>(s)] = *x;
                        }
                    })
            .custom("learning", FieldKind::map, "none", "{max_gain, visits, initial}: efficiency rises with the visits a person has done",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        const auto& sub = tables().role_learning;
                        sub.read(sub.map(v, p, r.diags), r, out.learning);
                    })
            .custom("hires", FieldKind::list, "none", "people who join at dates: a list of {at, count}",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        if (!v.is_sequence()) {
                            r.values.error(v.pos(), p, "must be a list of {at, count}, got " + describe(v));
                            return;
                        }
                        const auto& sub = tables().role_hire;
                        for (std::size_t i = 0; i < v.items().size(); ++i) {
                            const std::string ip = p + "[" + std::to_string(i + 1) + "]";
                            const MapReader h = sub.map(v.items()[i], ip, r.diags);
                            if (!h.is_map()) continue;
                            const std::size_t before = r.diags.size();
                            model::HireConfig hc;
                            sub.read(h, r, hc);
                            if (r.diags.size() == before) out.hires.push_back(hc);
                        }
                        std::stable_sort(out.hires.begin(), out.hires.end(),
                                         [](const model::HireConfig& a, const model::HireConfig& c) { return a.at_h < c.at_h; });
                        if (out.slots() > max_headcount)
                            r.values.error(v.pos(), p,
                                           "headcount plus hires must be at most 100,000 people, got " +
                                               format_number(out.slots()));
                    })
            .coupled()
            .custom("attrition", FieldKind::map, "none", "{tenure}: people leave after an exponential tenure",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        const auto& sub = tables().role_attrition;
                        sub.read(sub.map(v, p, r.diags), r, out);
                    })
            .distribution("vacancy", QuantityKind::time, &RoleConfig::vacancy, "0",
                          "time from a departure to the start of the replacement (with attrition)")
            .coupled()  // only with attrition
            .custom("ramp", FieldKind::map, "none", "{time, efficiency, skill}: a new person's ramp-up",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        const auto& sub = tables().role_ramp;
                        sub.read(sub.map(v, p, r.diags), r, out.ramp);
                    })
            .custom("quota", FieldKind::other, "true for the roles of the last stage",
                    "true when the role carries a sales quota (revenue_per_quota_person)",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        if (const auto x = r.values.boolean(v, p)) out.quota = *x;
                    });

        t.role_learning
            .number("max_gain", Range::closed(0, max_learning_gain), &model::LearningConfig::max_gain, "",
                    "largest relative rise of efficiency, in [0, 10]")
            .required()
            .number("visits", Range{0.0, max_visits, true, false}, &model::LearningConfig::visits_scale, "",
                    "visits after which 1 - 1/e (63%) of the gain is reached, in (0, 1e9]")
            .required()
            .number("initial", Range::closed(0, max_visits), &model::LearningConfig::initial_visits, "0",
                    "visits credited to the people present at time 0, in [0, 1e9]");
        t.role_hire
            .custom("at", FieldKind::duration, "", "calendar time they start; before the end of the horizon",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::HireConfig& out) {
                        if (const auto a = time_before_horizon(r, v, p, b(r).horizon_h_)) out.at_h = *a;
                    })
            .required()
            .integer("count", 1, max_headcount, &model::HireConfig::count, "", "people who start then, 1 to 100,000")
            .required();
        t.role_attrition
            .duration("tenure", Range::at_least(min_tenure_h), &RoleConfig::attrition_tenure_h, "",
                      "mean time a person stays (exponential), at least 1d")
            .required();
        t.role_ramp
            .duration("time", Range::above(0), &model::RampConfig::time_h, "", "time from a person's start to full speed and skill")
            .required()
            .number("efficiency", Range{0.0, 1.0, true, false}, &model::RampConfig::efficiency_from, "0.5",
                    "efficiency multiplier at the start, in (0, 1]")
            .number("skill", Range{0.0, 1.0, true, false}, &model::RampConfig::skill_from, "1",
                    "skill multiplier at the start, in (0, 1]");
        t.role_context_switching
            .handled("curve", FieldKind::other, "weinberg, per_open_deal, or a list of losses")
            .handled("loss", FieldKind::number, "per_open_deal: efficiency lost per open deal beyond the first, in (0, 1)")
            .handled("max", FieldKind::number, "per_open_deal: the largest loss, in [0, 1); default 0.75");
        t.quarter_end
            .duration("window", Range{0.0, 13.0 * 168.0, true, false}, &model::QuarterEndConfig::window_h, "",
                      "the last part of each 13-week quarter under pressure, in (0, 13w]")
            .required()
            .number("discount", Range{0.0, 1.0, false, true}, &model::QuarterEndConfig::discount, "0",
                    "share of value given away on a deal won in the window, in [0, 1)")
            .number("extra_loss", Range::probability(), &model::QuarterEndConfig::extra_loss, "0",
                    "the chance to win a deal closed in the window is multiplied by 1 - extra_loss")
            .custom("priority", FieldKind::text, "true", "closing work queued in the window goes first",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, model::QuarterEndConfig& out) {
                        if (const auto x = r.values.boolean(v, p)) out.priority = *x;
                    })
            .independent()
            .number("speed", Range{0.0, max_efficiency, true, false}, &model::QuarterEndConfig::speed, "1",
                    "closing sessions started in the window take work / speed, in (0, 1000]");

        t.role_prospecting
            .custom("policy", FieldKind::text, "", "when_idle or reserved",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, RoleConfig& out) {
                        const auto x = r.values.text(v, p);
                        if (x && *x == "when_idle") out.prospecting = model::ProspectingPolicy::when_idle;
                        else if (x && *x == "reserved") out.prospecting = model::ProspectingPolicy::reserved;
                        else if (x)
                            r.values.error(v.pos(), p,
                                           "unknown policy " + quote(*x) + suggestion(*x, {"when_idle", "reserved"}));
                    })
            .required()
            .handled("share", FieldKind::number, "reserved share of working time, in (0, 1] (policy reserved only)")
            .handled("source", FieldKind::name, "the source fed (default: the only prospecting source)");

        t.ownership
            .custom("from", FieldKind::name, "", "the stage from which a deal stays with its person",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::OwnershipConfig& out) {
                        auto& self = b(r);
                        const int s = self.resolve(v, p, self.stages_, "stage");
                        if (s >= 0) {
                            out.enabled = true;
                            out.from_stage = s;
                        }
                    })
            .required();

        t.funnel
            .custom("opportunity", FieldKind::name, "", "a lead's first entry into this stage makes it an opportunity",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::FunnelConfig& out) {
                        auto& self = b(r);
                        const int s = self.resolve(v, p, self.stages_, "stage");
                        if (s >= 0) out.opportunity_stage = s;
                    })
            .custom("proposal", FieldKind::name, "", "a lead's first entry into this stage makes it a proposal",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::FunnelConfig& out) {
                        auto& self = b(r);
                        const int s = self.resolve(v, p, self.stages_, "stage");
                        if (s >= 0) out.proposal_stage = s;
                    });

        t.handoff
            .distribution("effort", QuantityKind::time, &model::HandoffConfig::effort, "0",
                          "receiver's extra working hours at a change of person")
            .distribution("delay", QuantityKind::time, &model::HandoffConfig::delay, "0",
                          "calendar delay before the next stage at a change of person");
        t.no_decision
            .number("share", Range::probability(), &model::NoDecisionConfig::share, "0.4",
                    "chance that a failing deal ends in no decision before any wait (CSO Insights, Forrester)")
            .number("per_week_waited", Range::probability(), &model::NoDecisionConfig::per_week_waited, "0.02",
                    "added to the chance per week the lead waited for us")
            .number("per_week_lead_time", Range::probability(), &model::NoDecisionConfig::per_week_lead_time, "0.005",
                    "added to the chance per week since the lead arrived")
            .custom("from", FieldKind::name, "the last stage", "failures at this stage or a later one may end in no decision",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::NoDecisionConfig& out) {
                        auto& self = b(r);
                        const int s = self.resolve(v, p, self.stages_, "stage");
                        if (s >= 0) out.from_stage = s;
                    });

        const Range share{0.0, max_nurture_share, false, false};
        t.nurture
            .number("disqualified", share, &model::NurtureConfig::disqualified, "0.5",
                    "share of disqualified leads put into nurture, in [0, 0.99]")
            .coupled()  // with the sources' leads (max_expected_leads)
            .number("abandoned", share, &model::NurtureConfig::abandoned, "0.5",
                    "share of abandoned leads put into nurture, in [0, 0.99]")
            .coupled()
            .number("lost", share, &model::NurtureConfig::lost, "0", "share of lost leads put into nurture, in [0, 0.99]")
            .coupled()
            .number("no_decision", share, &model::NurtureConfig::no_decision, "0.5",
                    "share of no-decision leads put into nurture, in [0, 0.99]")
            .coupled()
            .distribution("delay", QuantityKind::time, &model::NurtureConfig::delay, "{uniform: {min: 26w, max: 52w}}",
                          "time in nurture before the lead comes back")
            .custom("quality", FieldKind::distribution, "same", "the quality it comes back with: same, or a quality distribution",
                    [](FieldReaders& r, const ConfigNode& v, const std::string& p, model::NurtureConfig& out) {
                        if (v.is_scalar() && !v.quoted() && v.text() == "same") {
                            out.quality.reset();
                            return;
                        }
                        if (auto d = r.dists.read(v, p, QuantityKind::quality)) out.quality = *d;
                    })
            .custom("source", FieldKind::name, "the lead's own source", "the source it comes back as",
                    [b](FieldReaders& r, const ConfigNode& v, const std::string& p, model::NurtureConfig& out) {
                        auto& self = b(r);
                        const int s = self.resolve(v, p, self.sources_, "source");
                        if (s >= 0) out.source = s;
                    });

        t.costs
            .number("overhead_per_person", Range::closed(0, max_money), &model::CostConfig::overhead_per_person_per_year, "0",
                    "money per person per year on top of the role's cost_per_year (office, tools, management)")
            .number("reorganisation", Range::closed(0, max_money), &model::CostConfig::reorganisation, "0",
                    "one-off money to move to this organisation, charged once in each replication's measured span");
        return t;
    }();
    return table;
}

std::vector<ScenarioBuilder::KeyDoc> ScenarioBuilder::reference() {
    std::vector<KeyDoc> out;
    const auto add = [&out](const std::string& section, const auto& table) {
        for (const auto& f : table.fields()) out.push_back(KeyDoc{section, f.key, f.required, f.default_text, f.doc});
    };
    const auto& t = tables();
    add("", t.top);
    add("simulation", t.simulation);
    add("simulation.calendar", t.calendar);
    add("sources[]", t.source);
    add("sources[].prospecting", t.source_prospecting);
    add("sources[].campaigns[]", t.campaign);
    add("stages[]", t.stage);
    add("stages[].rework", t.rework);
    add("stages[].gate", t.gate);
    add("roles[]", t.role);
    add("roles[].prospecting", t.role_prospecting);
    add("ownership", t.ownership);
    add("handoff", t.handoff);
    add("costs", t.costs);
    add("funnel", t.funnel);
    add("sources[].speed_to_lead", t.speed_to_lead);
    add("no_decision", t.no_decision);
    add("nurture", t.nurture);
    add("roles[].learning", t.role_learning);
    add("roles[].hires[]", t.role_hire);
    add("roles[].attrition", t.role_attrition);
    add("roles[].ramp", t.role_ramp);
    add("roles[].context_switching", t.role_context_switching);
    add("quarter_end", t.quarter_end);
    return out;
}

bool ScenarioBuilder::check_alone(const std::string& path, const ConfigNode& value, const std::string& shown,
                                  Diagnostics& diags) {
    std::vector<std::string> seg;
    for (std::size_t i = 0;;) {
        const std::size_t dot = path.find('.', i);
        seg.push_back(path.substr(i, dot == std::string::npos ? std::string::npos : dot - i));
        if (dot == std::string::npos) break;
        i = dot + 1;
    }
    for (const auto& s : seg)
        if (s.empty() || s.find('[') != std::string::npos) return false;
    ValueReader values(diags);
    DistributionReader dists(values);
    FieldReaders r{values, dists, diags};
    const auto& t = tables();
    const auto n = seg.size();
    if (seg[0] == "simulation") {
        if (n == 2) return t.simulation.check_value(seg[1], value, shown, r);
        if (n == 3 && seg[1] == "calendar") return t.calendar.check_value(seg[2], value, shown, r);
        return false;
    }
    if (n < 3) return false;  // seg[1] names an item of a list
    if (seg[0] == "sources") {
        if (n == 3) return t.source.check_value(seg[2], value, shown, r);
        if (n == 4 && seg[2] == "speed_to_lead") return t.speed_to_lead.check_value(seg[3], value, shown, r);
        return false;
    }
    if (seg[0] == "stages") {
        if (n == 3) return t.stage.check_value(seg[2], value, shown, r);
        if (n == 4 && seg[2] == "gate") return t.gate.check_value(seg[3], value, shown, r);
        if (n == 4 && seg[2] == "rework") return t.rework.check_value(seg[3], value, shown, r);
        return false;
    }
    if (seg[0] == "roles") {
        if (n == 3) return t.role.check_value(seg[2], value, shown, r);
        if (n == 4 && seg[2] == "calendar") return t.calendar.check_value(seg[3], value, shown, r);
        return false;
    }
    return false;
}

model::ScenarioConfig ScenarioBuilder::build(const ConfigNode& root) {
    sources_ = stages_ = roles_ = NamedList{};
    horizon_h_.reset();
    prospecting_refs_broken_ = false;
    model::ScenarioConfig cfg;
    const auto& t = tables();
    MapReader top = t.top.map(root, "", diags_);
    if (!top.is_map()) return cfg;
    t.top.read(top, readers_, cfg);  // name, description, simulation
    if (top.get("extends"))
        values_.error(top.key_pos("extends"), "extends",
                      "extends is applied when a scenario file is loaded; it cannot be given here (e.g. by --set)");

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
    check_lead_counts(cfg);
    check_working_hours_share(cfg);
    if (const ConfigNode* n = top.get("ownership")) t.ownership.read(t.ownership.map(*n, "ownership", diags_), readers_, cfg.ownership);
    if (const ConfigNode* n = top.get("handoff")) t.handoff.read(t.handoff.map(*n, "handoff", diags_), readers_, cfg.handoff);
    if (const ConfigNode* n = top.get("costs")) t.costs.read(t.costs.map(*n, "costs", diags_), readers_, cfg.costs);
    if (const ConfigNode* n = top.get("funnel")) t.funnel.read(t.funnel.map(*n, "funnel", diags_), readers_, cfg.funnel);
    if (const ConfigNode* n = top.get("no_decision")) {
        cfg.no_decision.enabled = true;
        t.no_decision.read(t.no_decision.map(defaults_word(*n), "no_decision", diags_), readers_, cfg.no_decision);
    }
    if (const ConfigNode* n = top.get("nurture")) {
        cfg.nurture.enabled = true;
        t.nurture.read(t.nurture.map(defaults_word(*n), "nurture", diags_), readers_, cfg.nurture);
        check_recycled_leads(cfg, *n);
    }
    if (const ConfigNode* n = top.get("quarter_end")) {
        const MapReader m = t.quarter_end.map(*n, "quarter_end", diags_);
        const std::size_t before = diags_.size();
        t.quarter_end.read(m, readers_, cfg.quarter_end);
        cfg.quarter_end.enabled = m.is_map() && diags_.size() == before;
    }
    check_zero_time_loops(cfg);  // after the roles and quarter_end: their speed factors count
    if (const ConfigNode* n = top.get("assumptions")) (void)read_assumptions(*n, "assumptions", &root, diags_);

    // A prospecting source only produces leads when some role spends time on it. Not
    // said when a role's reference to a source was itself broken (already reported).
    if (!prospecting_refs_broken_ && roles_.node) {
        std::vector<bool> fed(cfg.sources.size(), false);
        for (const auto& r : cfg.roles)
            if (r.prospecting_source >= 0 && static_cast<std::size_t>(r.prospecting_source) < fed.size())
                fed[static_cast<std::size_t>(r.prospecting_source)] = true;
        for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
            if (cfg.sources[i].kind != model::SourceKind::prospecting || cfg.sources[i].name.empty()) continue;
            if (fed[i]) continue;
            const ConfigNode::Entry* e = sources_.node->items()[i].find_entry("prospecting");
            values_.error(e ? e->key_pos : sources_.node->items()[i].pos(), join_path(sources_.paths[i], "prospecting"),
                          "no role prospects for source " + quote(cfg.sources[i].name) +
                              "; give a role prospecting: {policy: when_idle, source: " + cfg.sources[i].name + "}");
        }
    }
    return cfg;
}

// Recycling multiplies the leads: at most by 1 / (1 - the largest share), when every lead
// ends in the outcome of that share and comes back within the horizon.
void ScenarioBuilder::check_recycled_leads(const model::ScenarioConfig& cfg, const ConfigNode& at) {
    if (!horizon_h_) return;
    const auto& n = cfg.nurture;
    const double top = std::max({n.disqualified, n.abandoned, n.lost, n.no_decision});
    double leads = 0.0;
    for (const auto& src : cfg.sources) {
        double peak = 1.0;
        for (const double f : src.seasonality) peak = std::max(peak, f);
        if (src.kind == model::SourceKind::poisson) leads += src.rate_per_h * *horizon_h_ * peak;
        for (const auto& c : src.campaigns) leads += c.leads;
        if (src.kind == model::SourceKind::trace) leads += static_cast<double>(src.trace.size());
    }
    const double most = leads / (1.0 - std::min(top, max_nurture_share));
    if (!(most > max_expected_leads)) return;
    values_.error(at.pos(), "nurture",
                  "with recycling the sources' " + about(leads) + " leads per replication could become " + about(most) +
                      " (leads / (1 - the largest share, " + format_number(top) + ")); at most " +
                      format_number(max_expected_leads) + " are allowed, got " + describe(at));
}

// sources[].working_hours_share needs Poisson arrivals and hours outside the working
// calendar for the share 1 - p of the leads that arrive outside it.
void ScenarioBuilder::check_working_hours_share(const model::ScenarioConfig& cfg) {
    if (!sources_.node) return;
    for (std::size_t i = 0; i < cfg.sources.size() && i < sources_.node->items().size(); ++i) {
        const auto& src = cfg.sources[i];
        if (!src.working_hours_share) continue;
        const ConfigNode* at = sources_.node->items()[i].find("working_hours_share");
        if (!at) continue;
        const std::string path = join_path(sources_.paths[i], "working_hours_share");
        if (src.kind == model::SourceKind::trace)
            values_.error(at->pos(), path,
                          "applies only to a source with `arrivals` (Poisson); a trace gives its own arrival times, got " +
                              describe(*at));
        else if (src.kind == model::SourceKind::prospecting)
            values_.error(at->pos(), path,
                          "applies only to a source with `arrivals` (Poisson); prospected leads arrive when people find "
                          "them, got " +
                              describe(*at));
        else if (cfg.simulation.calendar.is_always() && *src.working_hours_share < 1.0)
            values_.error(at->pos(), path,
                          "simulation.calendar is 24/7: every hour is a working hour, so no lead can arrive outside "
                          "working hours; give 1 or remove the key, got " +
                              describe(*at));
        else if (horizon_h_ && !cfg.simulation.calendar.is_always()) {
            // Thinning draws candidates at the larger of the two rates: bound their number
            // as the leads' (a calendar of minutes a week would make an event storm).
            const double p = *src.working_hours_share;
            const double w = cfg.simulation.calendar.hours_per_week() / kernel::hours_per_week;
            double peak = 1.0;
            for (const double f : src.seasonality) peak = std::max(peak, f);
            const double candidates = src.rate_per_h * *horizon_h_ * peak * std::max(p / w, (1.0 - p) / (1.0 - w));
            if (candidates > max_expected_leads)
                values_.error(at->pos(), path,
                              "the arrivals would be drawn from about " + about(candidates) +
                                  " candidates per replication (rate x horizon x the largest seasonal factor x "
                                  "max(p / w, (1 - p) / (1 - w)), w = " +
                                  format_number(w) + " the calendar's working share of the week); at most " +
                                  format_number(max_expected_leads) + " are allowed, got " + describe(*at));
        }
    }
}

void ScenarioBuilder::check_lead_counts(const model::ScenarioConfig& cfg) {
    if (!horizon_h_ || !sources_.node) return;
    for (std::size_t i = 0; i < cfg.sources.size(); ++i) {
        const auto& src = cfg.sources[i];
        double peak = 1.0;
        for (const double f : src.seasonality) peak = std::max(peak, f);
        double campaign_leads = 0.0;
        for (const auto& c : src.campaigns) campaign_leads += c.leads;
        const double poisson = src.kind == model::SourceKind::poisson ? src.rate_per_h * *horizon_h_ * peak : 0.0;
        const double expected = poisson + campaign_leads;
        if (!(expected > max_expected_leads)) continue;
        const ConfigNode& item = sources_.node->items()[i];
        const ConfigNode* arrivals = item.find("arrivals");
        const bool by_rate = arrivals && poisson > campaign_leads;
        const ConfigNode* at = by_rate ? arrivals : item.find("campaigns");
        values_.error(at ? at->pos() : item.pos(), join_path(sources_.paths[i], by_rate ? "arrivals" : "campaigns"),
                      "would bring about " + about(expected) + " leads per replication" +
                          (by_rate ? " (rate x horizon" + std::string(peak > 1.0 ? " x the largest seasonal factor" : "") + ")"
                                   : " (the campaigns' leads)") +
                          "; at most " + format_number(max_expected_leads) + " are allowed, got " +
                          (at ? describe(*at) : std::string("''")));
    }
}

void ScenarioBuilder::check_zero_time_loops(const model::ScenarioConfig& cfg) {
    // A visit "can take no time" when its effort has an atom at (or within float noise
    // of) zero once divided by the fastest speed a person may work the stage at: a
    // constant, an empirical value, or a uniform's max at most zero_time_h x that speed.
    // The speed is the largest efficiency of the stage's roles times their full learning
    // gain (1 + max_gain), times quarter_end.speed on the last stage (efficiency 1000,
    // learning 11 and speed 1000 make a 1-minute effort a 1.5e-9 h session).
    const auto can_take_no_time = [](const kernel::DistributionSpec& d, double speed) {
        const double atom = zero_time_h * speed;
        switch (d.family) {
        case DistFamily::constant: return d.p1 <= atom;
        case DistFamily::uniform: return d.p2 <= atom;
        case DistFamily::empirical:
            for (const double v : d.values)
                if (v <= atom) return true;
            return false;
        default: return false;
        }
    };
    const auto fastest = [&](std::size_t s) {
        double best = 1.0;
        for (const int r : cfg.stages[s].roles) {
            if (r < 0 || static_cast<std::size_t>(r) >= cfg.roles.size()) continue;
            const auto& rc = cfg.roles[static_cast<std::size_t>(r)];
            const double eff = s < rc.efficiency.size() ? rc.efficiency[s] : 1.0;
            best = std::max(best, eff * (1.0 + std::max(0.0, rc.learning.max_gain)));
        }
        if (cfg.quarter_end.enabled && s + 1 == cfg.stages.size()) best *= std::max(1.0, cfg.quarter_end.speed);
        return best;
    };
    // timed[i]: stages before i whose effort always takes time (a loop t..s is
    // zero-time when none of its stages is such a stage).
    std::vector<std::size_t> timed(cfg.stages.size() + 1, 0);
    for (std::size_t i = 0; i < cfg.stages.size(); ++i) timed[i + 1] = timed[i] + (can_take_no_time(cfg.stages[i].effort, fastest(i)) ? 0 : 1);
    for (std::size_t s = 0; s < cfg.stages.size(); ++s) {
        const auto& st = cfg.stages[s];
        if (!st.has_rework || st.rework_to < 0 || st.rework_probability <= max_zero_time_rework) continue;
        if (timed[s + 1] != timed[static_cast<std::size_t>(st.rework_to)]) continue;
        std::vector<std::string> names;
        bool scaled = false;  // some effort takes time only at a person's plain speed
        for (std::size_t i = static_cast<std::size_t>(st.rework_to); i <= s; ++i) {
            names.push_back(cfg.stages[i].name);
            scaled = scaled || !can_take_no_time(cfg.stages[i].effort, 1.0);
        }
        const std::string why = scaled ? "every effort in it can take at most " + format_number(zero_time_h) +
                                             " h at the fastest speed its people may reach (efficiency, learning, "
                                             "quarter_end.speed)"
                                       : std::string("every effort in it can be 0");
        const ConfigNode* rework = stages_.node->items()[s].find("rework");
        const ConfigNode* p = rework ? rework->find("probability") : nullptr;
        values_.error(p ? p->pos() : stages_.node->items()[s].pos(), join_path(join_path(stages_.paths[s], "rework"), "probability"),
                      "the rework loop " + join(names, " -> ") + " -> " + names.front() + " can take no time (" + why + "), so a lead "
                      "could go round it about " + format_number(std::round(1.0 / (1.0 - st.rework_probability))) +
                      " times at one instant; give the loop an effort that takes time, or a probability of at most " +
                      format_number(max_zero_time_rework) + ", got " + (p ? describe(*p) : std::string("''")));
    }
}

std::optional<model::CalendarSpec> ScenarioBuilder::read_calendar(const ConfigNode& n, const std::string& path) {
    static const char* const form = "must be 24/7 or a map {hours_per_day, days_per_week, day_start}";
    if (n.is_scalar()) {
        if (n.text() == "24/7") return model::CalendarSpec::always();
        values_.error(n.pos(), path, std::string(form) + ", got " + describe(n));
        return std::nullopt;
    }
    const auto& t = tables().calendar;
    const MapReader m = t.map(n, path, diags_);
    if (!m.is_map()) return std::nullopt;
    const std::size_t before = diags_.size();
    model::CalendarSpec c;
    // The default start (9:00) moves earlier for long days, so that {hours_per_day: 16}
    // alone is a valid calendar.
    c.day_start_h = -1.0;
    t.read(m, readers_, c);
    if (c.day_start_h < 0.0) c.day_start_h = std::min(9.0, 24.0 - c.hours_per_day);
    if (diags_.size() != before) return std::nullopt;
    return c;
}

void ScenarioBuilder::read_source(const ConfigNode& item, const std::string& path, model::SourceConfig& out) {
    const auto& t = tables().source;
    const MapReader m = t.map(item, path, diags_);
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
    t.read(m, readers_, out);
}

void ScenarioBuilder::read_trace_key(const ConfigNode& v, const std::string& path, model::SourceConfig& out) {
    out.kind = model::SourceKind::trace;
    const auto t = values_.text(v, path);
    if (!t) return;
    if (t->empty()) {
        values_.error(v.pos(), path, "must be the path of a CSV file, got ''");
        return;
    }
    const std::string shown = path_relative_to(v.pos().file, *t);
    out.trace_path = std::filesystem::absolute(std::filesystem::path(shown)).lexically_normal().string();
    auto leads = read_trace(shown, path, v.pos(), diags_);
    if (!leads) return;
    // A trace whose every lead comes after the end is almost always in the wrong unit.
    if (horizon_h_ && !leads->empty() && leads->front().arrival_h >= *horizon_h_) {
        values_.error(v.pos(), path,
                      "no lead of the trace arrives within the horizon (" + format_number(*horizon_h_) +
                          " h): the first arrives at " + format_number(leads->front().arrival_h) +
                          " h (a bare number is hours), got " + describe(v));
        return;
    }
    out.trace = std::move(*leads);
}

void ScenarioBuilder::read_seasonality(const ConfigNode& v, const std::string& sp, model::SourceConfig& out) {
    if (!v.is_sequence() || v.items().size() != 12) {
        values_.error(v.pos(), sp,
                      "must be a list of exactly 12 monthly factors >= 0, got " +
                          (v.is_sequence() ? std::to_string(v.items().size()) + " values" : describe(v)));
        return;
    }
    std::vector<double> f;
    bool any = false;
    for (std::size_t i = 0; i < 12; ++i) {
        if (const auto x = values_.number(v.items()[i], sp + "[" + std::to_string(i + 1) + "]", Range::at_least(0))) {
            f.push_back(*x);
            any = any || *x > 0.0;
        }
    }
    if (f.size() == 12 && !any)
        values_.error(v.pos(), sp, "at least one month must have a factor > 0, got all 0");
    else if (f.size() == 12)
        out.seasonality = std::move(f);
}

void ScenarioBuilder::read_campaigns(const ConfigNode& v, const std::string& cp, model::SourceConfig& out) {
    if (!v.is_sequence()) {
        values_.error(v.pos(), cp, "must be a list of {at, leads}, got " + describe(v));
        return;
    }
    const auto& t = tables().campaign;
    for (std::size_t i = 0; i < v.items().size(); ++i) {
        const std::string ip = cp + "[" + std::to_string(i + 1) + "]";
        const MapReader c = t.map(v.items()[i], ip, diags_);
        if (!c.is_map()) continue;
        const std::size_t before = diags_.size();
        model::CampaignConfig cc;
        t.read(c, readers_, cc);
        if (diags_.size() == before) out.campaigns.push_back(cc);
    }
}

void ScenarioBuilder::read_stage(const ConfigNode& item, const std::string& path, int index, model::StageConfig& out) {
    const auto& t = tables().stage;
    const MapReader m = t.map(item, path, diags_);
    check_remove(m);
    stage_index_ = index;
    read_stage_roles(m, item, out);
    t.read(m, readers_, out);
}

void ScenarioBuilder::read_stage_roles(const MapReader& m, const ConfigNode& item, model::StageConfig& out) {
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
}

void ScenarioBuilder::read_role(const ConfigNode& item, const std::string& path, model::RoleConfig& out,
                                const std::vector<model::SourceConfig>& sources) {
    const auto& t = tables().role;
    const MapReader m = t.map(item, path, diags_);
    check_remove(m);
    t.read(m, readers_, out);
    if (const ConfigNode* v = m.get("prospecting")) read_role_prospecting(*v, m.path("prospecting"), out, sources);
    if (m.get("vacancy") && !m.get("attrition"))
        values_.error(m.key_pos("vacancy"), m.path("vacancy"),
                      "vacancy only applies with attrition (the time before a leaver's replacement starts); give "
                      "attrition: {tenure: ...}, got " + describe(*m.get("vacancy")));
}

void ScenarioBuilder::read_efficiency(const ConfigNode& v, const std::string& path, model::RoleConfig& out) {
    // Its keys are stage names, checked below with suggestions, so no fixed key list.
    if (!v.is_map())
        values_.error(v.pos(), path, "must be a map from stage names to speed factors > 0, got " + describe(v));
    static const std::vector<ConfigNode::Entry> none;
    for (const auto& entry : v.is_map() ? v.entries() : none) {
        const std::string ep = join_path(path, entry.key);
        const int s = stages_.find(entry.key);
        if (s < 0) {
            values_.error(entry.key_pos, ep, "undefined stage " + quote(entry.key) + suggestion(entry.key, stages_.valid_names()));
            continue;
        }
        if (entry.value.is_null()) continue;
        if (const auto x = values_.number(entry.value, ep, Range{0.0, max_efficiency, true, false}))
            if (static_cast<std::size_t>(s) < out.efficiency.size()) out.efficiency[static_cast<std::size_t>(s)] = *x;
    }
}

void ScenarioBuilder::read_role_prospecting(const ConfigNode& v, const std::string& path, model::RoleConfig& out,
                                            const std::vector<model::SourceConfig>& sources) {
    const auto& t = tables().role_prospecting;
    const MapReader p = t.map(v, path, diags_);
    if (!p.is_map()) return;
    t.read(p, readers_, out);  // policy
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
        values_.error(v.pos(), path, "no source has prospecting: {effort}, so there is nothing to prospect for");
    } else {
        prospecting_refs_broken_ = true;
        values_.error(v.pos(), path,
                      "several sources have prospecting (" + join(prospecting_names) + "); name one with source");
    }
}

void ScenarioBuilder::read_context_switching(const ConfigNode& v, const std::string& cp, model::RoleConfig& out) {
    static const char* const form =
        "must be false, true (or weinberg) for Weinberg's curve, a list of losses in [0, 1), or a map {curve, loss, max}";
    if (v.is_scalar() && !v.quoted() && (v.text() == "false" || v.text() == "False" || v.text() == "FALSE")) {
        out.context_switch_loss.clear();
    } else if (v.is_scalar() && (v.text() == "weinberg" ||
                                 (!v.quoted() && (v.text() == "true" || v.text() == "True" || v.text() == "TRUE")))) {
        out.context_switch_loss = model::weinberg_curve();
    } else if (v.is_sequence()) {
        std::vector<double> loss;
        bool ok = true;
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            const std::string ip = cp + "[" + std::to_string(i + 1) + "]";
            const auto x = values_.number(v.items()[i], ip, Range{0.0, 1.0, false, true});
            if (!x) {
                ok = false;
                continue;
            }
            if (!loss.empty() && *x < loss.back()) {
                values_.error(v.items()[i].pos(), ip,
                              "losses must not decrease with more open deals, got " + describe(v.items()[i]) + " after " +
                                  format_number(loss.back()));
                ok = false;
            }
            loss.push_back(*x);
        }
        if (ok) out.context_switch_loss = std::move(loss);
    } else if (v.is_map()) {
        read_context_switching_map(v, cp, out);
    } else {
        values_.error(v.pos(), cp, std::string(form) + ", got " + describe(v));
    }
}

}  // namespace salesflow::input

namespace salesflow::input {

// `context_switching: {curve: weinberg | per_open_deal | [losses], loss: C, max: M}`.
void ScenarioBuilder::read_context_switching_map(const ConfigNode& v, const std::string& cp, model::RoleConfig& out) {
    const auto& t = tables().role_context_switching;
    const MapReader m = t.map(v, cp, diags_);
    const ConfigNode* curve = m.require("curve");
    const ConfigNode* loss = m.get("loss");
    const ConfigNode* max = m.get("max");
    if (!curve) return;
    const bool per_deal = curve->is_scalar() && curve->text() == "per_open_deal";
    if (!per_deal) {
        if (curve->is_map()) {
            values_.error(curve->pos(), m.path("curve"),
                          "must be weinberg, per_open_deal or a list of losses in [0, 1), got " + describe(*curve));
            return;
        }
        read_context_switching(*curve, m.path("curve"), out);
        if (loss)
            values_.error(m.key_pos("loss"), m.path("loss"), "loss only applies to curve: per_open_deal, got " + describe(*loss));
        if (max)
            values_.error(m.key_pos("max"), m.path("max"), "max only applies to curve: per_open_deal, got " + describe(*max));
        return;
    }
    out.context_switch_loss.clear();
    if (!loss) {
        values_.error(v.pos(), m.path("loss"), "required key 'loss' is missing (the loss per open deal beyond the first)");
        return;
    }
    const auto c = values_.number(*loss, m.path("loss"), Range{0.0, 1.0, true, true});
    std::optional<double> top = 0.75;
    if (max) top = values_.number(*max, m.path("max"), Range{0.0, 1.0, false, true});
    if (c && top) {
        out.context_switch_per_deal = *c;
        out.context_switch_max = *top;
    }
}

}  // namespace salesflow::input
