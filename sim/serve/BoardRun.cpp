#include "serve/BoardRun.hpp"

#include <chrono>
#include <cmath>
#include <span>

#include <nlohmann/json.hpp>

#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/SetOverride.hpp"
#include "kernel/Time.hpp"
#include "models/FlowEvent.hpp"
#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"
#include "serve/Levers.hpp"

namespace salesflow::serve {

using nlohmann::json;

namespace {

bool file_key(std::string_view k) { return k == "trace" || k == "extends"; }

// A key naming a file anywhere in the value tree of an override.
const input::ConfigNode* find_file_key(const input::ConfigNode& n, std::string& key) {
    if (n.is_map()) {
        for (const auto& e : n.entries()) {
            if (file_key(e.key)) {
                key = e.key;
                return &e.value;
            }
            if (const auto* f = find_file_key(e.value, key)) return f;
        }
    } else if (n.is_sequence()) {
        for (const auto& i : n.items())
            if (const auto* f = find_file_key(i, key)) return f;
    }
    return nullptr;
}

const char* source_kind(model::SourceKind k) {
    switch (k) {
        case model::SourceKind::poisson: return "poisson";
        case model::SourceKind::trace: return "trace";
        case model::SourceKind::prospecting: return "prospecting";
    }
    return "unknown";
}

json scenario_object(const model::ScenarioConfig& cfg, const std::string& file, const std::vector<std::string>& sets) {
    json s;
    s["file"] = file;
    s["sets"] = sets;
    s["name"] = cfg.name;
    s["description"] = cfg.description;
    s["horizon_h"] = cfg.simulation.horizon_h;
    s["warmup_h"] = cfg.simulation.warmup_h;
    s["sample_every_h"] = cfg.simulation.sample_every_h;
    s["seed"] = cfg.simulation.seed;
    json sources = json::array();
    for (const auto& src : cfg.sources) sources.push_back({{"name", src.name}, {"kind", source_kind(src.kind)}});
    s["sources"] = sources;
    json stages = json::array();
    for (const auto& st : cfg.stages)
        stages.push_back({{"name", st.name}, {"roles", st.roles}, {"wip_limit", st.wip_limit},
                          {"batch_h", st.batch_every_h}, {"gate", st.gate.enabled ? json(st.gate.threshold) : json()}});
    s["stages"] = stages;
    json roles = json::array();
    int first = 0;
    for (const auto& r : cfg.roles) {
        roles.push_back({{"name", r.name}, {"headcount", r.headcount}, {"first_person", first}, {"wip_limit", r.wip_limit}});
        first += r.headcount;
    }
    s["roles"] = roles;
    s["people"] = first;
    json levers = json::array();
    for (const auto& l : levers_for(cfg))
        levers.push_back({{"path", l.path}, {"label", l.label}, {"unit", l.unit}, {"suffix", l.suffix},
                          {"value", l.value}, {"min", l.min}, {"max", l.max}, {"step", l.step}});
    s["levers"] = levers;
    return s;
}

// Finite numbers as they are; NaN and infinities as null.
json number(double v) { return std::isfinite(v) ? json(v) : json(); }

}  // namespace

void check_overrides(const std::vector<std::string>& sets, const ServeLimits& limits) {
    if (sets.size() > limits.max_sets)
        throw LimitError("too many overrides: " + std::to_string(sets.size()) + " (at most " +
                         std::to_string(limits.max_sets) + " per request)");
    input::Diagnostics diags;
    for (const auto& s : sets) {
        if (s.size() > limits.max_set_chars)
            throw LimitError("an override is " + std::to_string(s.size()) + " characters long (at most " +
                             std::to_string(limits.max_set_chars) + ")");
        auto arg = input::parse_set_argument(s, diags);
        if (!arg) continue;
        // Path segments, without list indices.
        std::string key;
        std::size_t start = 0;
        bool refused = false;
        while (start <= arg->path.size() && !refused) {
            const auto dot = arg->path.find('.', start);
            std::string seg = arg->path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            if (const auto br = seg.find('['); br != std::string::npos) seg.resize(br);
            if (file_key(seg)) {
                key = seg;
                refused = true;
            }
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        const input::ConfigNode* where = nullptr;
        if (!refused) where = find_file_key(arg->value, key);
        if (refused || where)
            diags.add(refused ? arg->path_pos : where->pos(), arg->path,
                      "the board does not read files named in an override ('" + key +
                          "'): name them in a scenario file of the served folder, got '" + s + "'");
    }
    diags.throw_if_any();
}

std::vector<std::string> overrides_with_seed(const std::vector<std::string>& sets, std::optional<std::uint64_t> seed) {
    std::vector<std::string> all = sets;
    if (seed) all.push_back("simulation.seed=" + std::to_string(*seed));
    return all;
}

void check_limits(const model::ScenarioConfig& cfg, const ServeLimits& limits) {
    const auto& sim = cfg.simulation;
    auto weeks = [](double h) { return std::to_string(static_cast<long long>(std::ceil(h / kernel::hours_per_week))); };
    if (sim.horizon_h > limits.max_horizon_h + 1e-9)
        throw LimitError("simulation.horizon: the board runs at most " + weeks(limits.max_horizon_h) +
                         " weeks, got " + weeks(sim.horizon_h) + " weeks (set simulation.horizon lower)");
    long people = 0;
    for (const auto& r : cfg.roles) {
        people += r.headcount;
        for (const auto& h : r.hires) people += h.count;  // hires are people too (99990 of them were run)
    }
    if (people > limits.max_people)
        throw LimitError("roles: the board runs at most " + std::to_string(limits.max_people) +
                         " people (headcounts plus hires), got " + std::to_string(people));
    long campaign = 0;
    for (const auto& s : cfg.sources)
        for (const auto& c : s.campaigns) campaign += c.leads;
    if (campaign > limits.max_campaign_leads)
        throw LimitError("sources: the board runs at most " + std::to_string(limits.max_campaign_leads) +
                         " campaign leads, got " + std::to_string(campaign));
    if (sim.sample_every_h > 0.0 && sim.horizon_h / sim.sample_every_h > static_cast<double>(limits.max_series_rows))
        throw LimitError("simulation.sample_every: the board draws at most " + std::to_string(limits.max_series_rows) +
                         " samples per run, got " + std::to_string(static_cast<long long>(sim.horizon_h / sim.sample_every_h)));
}

std::string scenario_json(const model::ScenarioConfig& cfg, const std::string& file, const std::vector<std::string>& sets) {
    return scenario_object(cfg, file, sets).dump();
}

std::string run_board_json(const model::ScenarioConfig& cfg, const std::string& file,
                           const std::vector<std::string>& sets, int rep, const ServeLimits& limits,
                           RunControl& control) {
    const auto t0 = std::chrono::steady_clock::now();
    const model::MetricCatalog catalog(cfg);
    std::vector<model::FlowEvent> events;
    model::ModelOptions opt;
    opt.record_events = true;
    opt.record_leads = true;
    opt.event_chunk = 4096;
    opt.stop = &control.stop;
    opt.event_sink = [&](int, std::span<const model::FlowEvent> chunk) {
        if (events.size() + chunk.size() > limits.max_events) {
            control.request_stop(StopReason::events);
            return;
        }
        events.insert(events.end(), chunk.begin(), chunk.end());
    };
    model::ReplicationOutput out;
    {
        model::SalesModel sim(cfg, catalog, opt);
        out = sim.run(rep);
    }
    if (out.stopped || control.stop.load()) {
        switch (static_cast<StopReason>(control.reason.load())) {
            case StopReason::events:
                throw LimitError("the run made more than " + std::to_string(limits.max_events) +
                                 " flow events (the board's bound per run): shorten simulation.horizon or lower the arrivals");
            case StopReason::deadline:
                throw LimitError("the run took longer than the board's time budget of " +
                                 std::to_string(static_cast<double>(limits.run_budget.count()) / 1000.0).substr(0, 4) +
                                 " s: shorten simulation.horizon or lower the arrivals");
            default: throw LimitError("the server is shutting down");
        }
    }

    json doc = scenario_object(cfg, file, sets);
    doc["replication"] = rep;
    json metrics = json::array();
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        const auto& m = catalog.info(i);
        metrics.push_back({{"name", m.name}, {"label", m.label}, {"unit", model::unit_name(m.unit)},
                           {"direction", model::direction_name(m.direction)}, {"value", number(out.metrics[i])}});
    }
    doc["metrics"] = metrics;
    json rows = json::array();
    const std::size_t nc = out.series.columns.size();
    for (std::size_t r = 0; r < out.series.rows(); ++r) {
        json row = json::array();
        for (std::size_t c = 0; c < nc; ++c) row.push_back(number(out.series.data[r * nc + c]));
        rows.push_back(std::move(row));
    }
    doc["series"] = {{"columns", out.series.columns}, {"rows", rows}};

    std::vector<double> t;
    std::vector<std::int64_t> lead;
    std::vector<int> type, source, stage, person, role, outcome;
    t.reserve(events.size());
    for (const auto& e : events) {
        t.push_back(e.time_h);
        lead.push_back(e.lead);
        type.push_back(static_cast<int>(e.type));
        source.push_back(e.source);
        stage.push_back(e.stage);
        person.push_back(e.person);
        role.push_back(e.role);
        outcome.push_back(e.outcome);
    }
    doc["events"] = {{"count", events.size()}, {"time_h", t}, {"lead", lead}, {"type", type}, {"source", source},
                     {"stage", stage}, {"person", person}, {"role", role}, {"outcome", outcome}};
    json types = json::array();
    for (int k = 0; k < model::flow_event_type_count; ++k)
        types.push_back(model::flow_event_name(static_cast<model::FlowEventType>(k)));
    doc["event_types"] = types;
    json outcomes = json::array();
    for (int k = 0; k <= static_cast<int>(model::Outcome::nurtured); ++k)
        outcomes.push_back(model::outcome_name(static_cast<model::Outcome>(k)));
    doc["outcomes"] = outcomes;
    std::vector<std::int64_t> lid;
    std::vector<double> quality, value;
    for (const auto& l : out.leads) {
        lid.push_back(l.lead);
        quality.push_back(l.quality);
        value.push_back(l.value);
    }
    doc["leads"] = {{"lead", lid}, {"quality", quality}, {"value", value}};
    doc["kernel_events"] = out.events;
    doc["elapsed_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return doc.dump();
}

}  // namespace salesflow::serve
