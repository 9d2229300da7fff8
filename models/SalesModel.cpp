#include "models/SalesModel.hpp"

#include <algorithm>
#include <initializer_list>
#include <cmath>
#include <limits>
#include <string>

#include <boost/random/normal_distribution.hpp>

#include "kernel/Distribution.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "kernel/Tally.hpp"
#include "kernel/TimeWeighted.hpp"
#include "kernel/WaitingLine.hpp"
#include "kernel/WorkingCalendar.hpp"

namespace salesflow::model {

using kernel::Distribution;
using kernel::Engine;
using kernel::Event;
using kernel::EventHandle;
using kernel::Tally;
using kernel::TimeWeighted;
using kernel::WorkingCalendar;

namespace {

constexpr double hours_per_year = 8760.0;
constexpr double hours_per_week = 168.0;
constexpr double hours_per_month = 730.0;
constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

// Event kinds: a switch in dispatch() replaces a virtual call or std::function per event.
enum EventKind : std::uint32_t {
    ev_arrival,        // a = source
    ev_campaign,       // a = source, b = campaign index
    ev_trace,          // a = source, b = row
    ev_work_done,      // a = person
    ev_response_done,  // a = lead: the buyer answered, next touch
    ev_patience,       // a = lead: the buyer stops waiting
    ev_handoff_done,   // a = lead, b = stage it enters
    ev_sample,         // time-series sample
    ev_warmup_end,
    ev_batch_release,  // a = stage: leads held for the stage's batch start work
    ev_prospect_reply, // a = source: a prospect found earlier answers and becomes a lead
};

enum class TaskKind : std::uint8_t { none, pipeline, prospecting };

// A queue entry: the lead and the ticket it had when queued; a lead that left the queue
// (abandoned) has a new ticket, so its old entry is skipped when it reaches the front.
struct QueueEntry {
    std::uint32_t lead;
    std::uint32_t ticket;
    double since;
};
using Line = kernel::WaitingLine<QueueEntry>;

struct Lead {
    std::int64_t id = 0;
    double arrival = 0.0;
    double quality = 0.0;
    double value = 0.0;
    double waited = 0.0;       // total hours waiting for us (drives win-chance decay)
    double work = 0.0;         // working hours spent on it
    double queued_at = 0.0;    // when the current wait began
    double visit_effort = 0.0; // effort drawn for the current visit
    double visit_work = 0.0;
    double patience = 0.0;     // the buyer's patience in any one queue (infinite without)
    double held_since = 0.0;   // when the lead joined its stage's batch
    double visit_hold = 0.0;   // hours this visit was held for a batch
    std::int32_t source = 0;
    std::int32_t stage = -1;
    std::int32_t touch = 0;
    std::int32_t owner = -1;
    std::int32_t last_person = -1;
    std::int32_t hands = 0;         // changes of person so far
    std::int32_t owned_by = -1;     // the owner, kept after exit for the lead log
    std::int32_t queued_role = -1;  // role whose queue holds it (for queue statistics), -1 blocked
    std::uint32_t ticket = 0;
    EventHandle patience_timer;
    bool waiting = false;      // in a queue for a person, or blocked before a full stage
    bool blocked = false;
    bool counted = false;      // arrived after warm-up
    bool reached_last = false;
    bool first_session_of_visit = true;
    bool alive = true;
};

struct Person {
    std::int32_t role = 0;
    TaskKind task = TaskKind::none;
    std::uint32_t lead = no_index;
    double start = 0.0;       // calendar start of the current session
    double session_work = 0.0;  // effort hours of the session (before availability)
    std::int32_t owned = 0;
    double busy_h = 0.0;      // working hours busy (pipeline + prospecting), after warm-up
    double prospect_h = 0.0;  // working hours prospecting, after warm-up
    double prospect_total_h = 0.0;  // working hours prospecting since time 0 (reserved share)
    Line own;                 // owned deals' work waiting for this person
};

struct StageState {
    std::vector<std::uint32_t> batch;  // leads held until the next batch release
    Line line;                // unowned work waiting for any eligible person
    Line blocked;             // leads waiting for room (stage WIP limit)
    std::int32_t count = 0;   // leads in the stage
    std::int32_t live_queued = 0;
    Tally wait;
    Tally work;
    TimeWeighted queue_tw;
    TimeWeighted wip_tw;
    double visits = 0.0;
    double arrivals_cum = 0.0;
    double departures_cum = 0.0;
    Distribution effort;
    Engine effort_rng;
    Engine routing_rng;
    Engine gate_rng;
    double remaining_effort = 0.0;  // mean effort of this and later stages (WSJF)
};

struct RoleState {
    std::vector<double> work_factor;    // per stage: 1 / (touches x efficiency)
    double elapsed_factor = 1.0;        // 1 / availability: working hours per hour of work
    std::int32_t first_person = 0;
    std::int32_t headcount = 0;
    WorkingCalendar calendar;
    std::vector<std::int32_t> stages;   // stages this role may work, ascending
    std::int32_t idle = 0;
    std::int32_t queued = 0;
    TimeWeighted queue_tw;
};

struct SourceState {
    Engine arrivals_rng;
    Engine quality_rng;
    Engine value_rng;
    Engine patience_rng;
    Engine response_rng;
    Engine prospect_rng;
    Distribution quality;
    Distribution value;
    Distribution patience;
    Distribution response;
    Distribution prospect_effort;
    Distribution prospect_lag;
    Engine lag_rng;
    bool has_patience = false;
    double max_rate = 0.0;
};

// The whole replication engine lives in this file's anonymous namespace: with internal
// linkage the compiler may inline its many single-caller steps into the event loop.
class ModelRun {
public:
    ModelRun(const ScenarioConfig& cfg, const MetricCatalog& cat, ModelOptions opt) : cfg_(cfg), cat_(cat), opt_(opt) {}

    ReplicationOutput run(int rep);

private:
    // set-up and bookkeeping
    void build(int rep);
    void sample();
    void finish(ReplicationOutput& out);
    void flush_leads();
    bool measuring() const { return cal_.now() >= warmup_; }

    // leads
    std::uint32_t new_lead(int source, double quality, double value);
    void lead_arrives(int source);
    void lead_arrives_with(int source, double quality, double value);
    void enter_stage(std::uint32_t l, int s);
    void admit_blocked(int s);
    void request_work(std::uint32_t l);
    void enqueue(std::uint32_t l, Line& line, double key, int role);
    void abandon(std::uint32_t l);
    void stop_waiting(Lead& lead);
    void finish_session(std::uint32_t l);
    void finish_visit(std::uint32_t l);
    void move_to(std::uint32_t l, int from, int to);
    void leave_stage(Lead& lead);
    void exit_lead(std::uint32_t l, Outcome o);
    double effective_quality(const Lead& lead) const;
    double discipline_key(Discipline d, const Lead& lead, int stage) const;

    // people
    bool can_take(const Person& p, const Lead& lead, int stage) const;
    int find_idle_person(const Lead& lead, int stage);
    void start_session(int p, std::uint32_t l);
    void start_prospecting(int p);
    void work_done(int p);
    void dispatch(int p);
    bool pick_work(int p);
    void account_busy(Person& p, double end);
    void set_idle(Person& p, bool idle);

    const ScenarioConfig& cfg_;
    const MetricCatalog& cat_;
    ModelOptions opt_;
    int rep_ = 0;
    double warmup_ = 0.0;
    double horizon_ = 0.0;
    int last_stage_ = 0;
    int last_gate_ = -1;
    int nstages_ = 0;

    kernel::EventCalendar cal_;
    std::vector<Lead> leads_;
    std::vector<std::uint32_t> free_leads_;
    std::vector<Person> people_;
    std::vector<StageState> stages_;
    std::vector<RoleState> roles_;
    std::vector<SourceState> sources_;
    Distribution handoff_effort_;
    Distribution handoff_delay_;
    Engine handoff_rng_;
    bool handoffs_ = false;

    // statistics (after warm-up)
    std::int64_t next_id_ = 0;
    std::int64_t in_system_ = 0;
    TimeWeighted wip_tw_;
    double arrived_ = 0, exited_ = 0, wins_ = 0, revenue_ = 0, losses_ = 0, disqualified_ = 0, abandoned_ = 0;
    double opportunities_ = 0, proposals_ = 0, outbound_ = 0;
    double arrivals_cum_ = 0, exits_cum_ = 0;  // from time 0, for the time series
    double wins_cum_ = 0, revenue_cum_ = 0;
    Tally lead_time_;
    Tally lead_time_won_;
    Tally flow_eff_;
    std::vector<double> won_times_;
    std::vector<double> exit_times_;
    ReplicationOutput* out_ = nullptr;
};


// ---------------------------------------------------------------------------------------
// set-up

void ModelRun::build(int rep) {
    rep_ = rep;
    const auto seed = cfg_.simulation.seed;
    const auto r = static_cast<std::uint64_t>(rep);
    warmup_ = cfg_.simulation.warmup_h;
    horizon_ = cfg_.simulation.horizon_h;
    nstages_ = static_cast<int>(cfg_.stages.size());
    last_stage_ = nstages_ - 1;
    last_gate_ = -1;
    for (int s = 0; s < nstages_; ++s)
        if (cfg_.stages[s].gate.enabled) last_gate_ = s;

    cal_.clear();
    cal_.reserve(1024);
    leads_.clear();
    leads_.reserve(1024);
    free_leads_.clear();

    // Streams are named after what they drive, not their position, so two scenarios that
    // share a source or stage name share its random numbers (common random numbers).
    sources_.assign(cfg_.sources.size(), SourceState{});
    for (std::size_t i = 0; i < cfg_.sources.size(); ++i) {
        const auto& sc = cfg_.sources[i];
        auto& ss = sources_[i];
        const std::string p = "source/" + sc.name + "/";
        ss.arrivals_rng = kernel::make_engine(seed, r, p + "arrivals");
        ss.quality_rng = kernel::make_engine(seed, r, p + "quality");
        ss.value_rng = kernel::make_engine(seed, r, p + "value");
        ss.patience_rng = kernel::make_engine(seed, r, p + "patience");
        ss.response_rng = kernel::make_engine(seed, r, p + "response");
        ss.prospect_rng = kernel::make_engine(seed, r, p + "prospecting");
        ss.quality = Distribution(sc.quality);
        ss.value = Distribution(sc.value);
        ss.response = Distribution(sc.response_time);
        ss.prospect_effort = Distribution(sc.prospecting_effort);
        ss.prospect_lag = Distribution(sc.prospecting_lag);
        ss.lag_rng = kernel::make_engine(seed, r, p + "prospecting-lag");
        ss.has_patience = sc.patience.has_value();
        if (ss.has_patience) ss.patience = Distribution(*sc.patience);
        double mult = 1.0;
        if (!sc.seasonality.empty()) mult = *std::max_element(sc.seasonality.begin(), sc.seasonality.end());
        ss.max_rate = sc.rate_per_h * mult;
    }

    stages_.assign(cfg_.stages.size(), StageState{});
    double remaining = 0.0;
    for (int s = nstages_ - 1; s >= 0; --s) {
        const auto& sc = cfg_.stages[s];
        auto& st = stages_[s];
        const std::string p = "stage/" + sc.name + "/";
        st.effort = Distribution(sc.effort);
        st.effort_rng = kernel::make_engine(seed, r, p + "effort");
        st.routing_rng = kernel::make_engine(seed, r, p + "routing");
        st.gate_rng = kernel::make_engine(seed, r, p + "gate");
        remaining += st.effort.mean();
        st.remaining_effort = std::max(remaining, 1e-9);
        st.line.reserve(64);
    }

    roles_.assign(cfg_.roles.size(), RoleState{});
    people_.clear();
    for (std::size_t i = 0; i < cfg_.roles.size(); ++i) {
        const auto& rc = cfg_.roles[i];
        auto& rs = roles_[i];
        rs.first_person = static_cast<std::int32_t>(people_.size());
        rs.headcount = rc.headcount;
        rs.calendar = WorkingCalendar(rc.calendar ? *rc.calendar : cfg_.simulation.calendar);
        rs.idle = rc.headcount;
        rs.elapsed_factor = 1.0 / rc.availability;
        rs.work_factor.assign(static_cast<std::size_t>(nstages_), 1.0);
        for (int s = 0; s < nstages_; ++s) {
            const double eff = rc.efficiency.empty() ? 1.0 : rc.efficiency[static_cast<std::size_t>(s)];
            rs.work_factor[static_cast<std::size_t>(s)] = 1.0 / (cfg_.stages[s].touches * eff);
        }
        for (int s = 0; s < nstages_; ++s) {
            const auto& roles = cfg_.stages[s].roles;
            if (std::find(roles.begin(), roles.end(), static_cast<int>(i)) != roles.end()) rs.stages.push_back(s);
        }
        for (int k = 0; k < rc.headcount; ++k) {
            Person p;
            p.role = static_cast<std::int32_t>(i);
            people_.push_back(std::move(p));
        }
    }

    handoffs_ = cfg_.handoff.enabled();
    handoff_effort_ = Distribution(cfg_.handoff.effort);
    handoff_delay_ = Distribution(cfg_.handoff.delay);
    handoff_rng_ = kernel::make_engine(seed, r, "handoff");

    next_id_ = 0;
    in_system_ = 0;
    wip_tw_ = TimeWeighted{};
    arrived_ = exited_ = wins_ = revenue_ = losses_ = disqualified_ = abandoned_ = 0;
    opportunities_ = proposals_ = outbound_ = 0;
    arrivals_cum_ = exits_cum_ = wins_cum_ = revenue_cum_ = 0;
    lead_time_.reset();
    lead_time_won_.reset();
    flow_eff_.reset();
    won_times_.clear();
    exit_times_.clear();
    // Room for the exits to expect, so the lists do not grow by copying during the run.
    double expected = 0.0;
    for (const auto& sc : cfg_.sources) expected += sc.rate_per_h * (horizon_ - warmup_);
    exit_times_.reserve(static_cast<std::size_t>(std::min(expected * 1.1, 5e7)));

    // First events.
    for (std::size_t i = 0; i < cfg_.sources.size(); ++i) {
        const auto& sc = cfg_.sources[i];
        const auto si = static_cast<std::uint32_t>(i);
        if (sc.kind == SourceKind::poisson && sources_[i].max_rate > 0.0) {
            const double t = boost::random::exponential_distribution<double>(sources_[i].max_rate)(sources_[i].arrivals_rng);
            if (t <= horizon_) cal_.schedule(t, ev_arrival, si);
        }
        if (sc.kind == SourceKind::trace && !sc.trace.empty() && sc.trace[0].arrival_h <= horizon_)
            cal_.schedule(sc.trace[0].arrival_h, ev_trace, si, 0);
        for (std::size_t c = 0; c < sc.campaigns.size(); ++c)
            if (sc.campaigns[c].at_h <= horizon_) cal_.schedule(sc.campaigns[c].at_h, ev_campaign, si, static_cast<std::uint32_t>(c));
    }
    if (warmup_ > 0.0) cal_.schedule(warmup_, ev_warmup_end);
    for (int s = 0; s < nstages_; ++s) {
        stages_[s].batch.clear();
        const double every = cfg_.stages[s].batch_every_h;
        if (every > 0.0 && every <= horizon_) cal_.schedule(every, ev_batch_release, static_cast<std::uint32_t>(s));
    }
    if (cfg_.simulation.sample_every_h > 0.0) cal_.schedule(0.0, ev_sample);
    for (auto& st : stages_) {
        st.queue_tw.reset(0.0);
        st.wip_tw.reset(0.0);
    }
    for (auto& rs : roles_) rs.queue_tw.reset(0.0);
    wip_tw_.reset(0.0);
    // People who prospect start at once.
    for (std::size_t p = 0; p < people_.size(); ++p) dispatch(static_cast<int>(p));
}

// ---------------------------------------------------------------------------------------
// the run

ReplicationOutput ModelRun::run(int rep) {
    ReplicationOutput out;
    out_ = &out;
    if (opt_.record_leads) out.leads.reserve(1024);
    if (cfg_.simulation.sample_every_h > 0.0) {
        auto& c = out.series.columns;
        c = {"time_h", "wip", "arrivals_cum", "exits_cum", "wins_cum", "revenue_cum"};
        for (const auto& s : cfg_.stages) {
            c.push_back("stage." + s.name + ".wip");
            c.push_back("stage." + s.name + ".queue");
            c.push_back("stage." + s.name + ".arrivals_cum");
            c.push_back("stage." + s.name + ".departures_cum");
        }
        for (const auto& r : cfg_.roles) {
            c.push_back("role." + r.name + ".queue");
            c.push_back("role." + r.name + ".busy");
        }
    }
    build(rep);

    Event e;
    while (cal_.pop_until(horizon_, e)) {
        switch (e.kind) {
            case ev_arrival: {
                const auto& sc = cfg_.sources[e.a];
                auto& ss = sources_[e.a];
                const double now = cal_.now();
                // Seasonality by thinning: candidates at the peak rate, kept with the
                // month's share of it.
                bool accept = true;
                if (!sc.seasonality.empty()) {
                    const auto month = static_cast<std::size_t>(std::fmod(std::floor(now / hours_per_month), 12.0));
                    accept = kernel::uniform01(ss.arrivals_rng) * ss.max_rate < sc.rate_per_h * sc.seasonality[month];
                }
                const double next = now + boost::random::exponential_distribution<double>(ss.max_rate)(ss.arrivals_rng);
                if (next <= horizon_) cal_.schedule(next, ev_arrival, e.a);
                if (accept) lead_arrives(static_cast<int>(e.a));
                break;
            }
            case ev_campaign:
                for (int k = 0; k < cfg_.sources[e.a].campaigns[e.b].leads; ++k) lead_arrives(static_cast<int>(e.a));
                break;
            case ev_trace: {
                const auto& sc = cfg_.sources[e.a];
                const auto& row = sc.trace[e.b];
                auto& ss = sources_[e.a];
                // Draw attributes even when the trace gives them, so streams stay aligned.
                double q = ss.quality.sample(ss.quality_rng);
                double v = ss.value.sample(ss.value_rng);
                if (row.quality) q = *row.quality;
                if (row.value) v = *row.value;
                if (e.b + 1 < sc.trace.size() && sc.trace[e.b + 1].arrival_h <= horizon_)
                    cal_.schedule(std::max(cal_.now(), sc.trace[e.b + 1].arrival_h), ev_trace, e.a, e.b + 1);
                lead_arrives_with(static_cast<int>(e.a), q, v);
                break;
            }
            case ev_work_done:
                work_done(static_cast<int>(e.a));
                break;
            case ev_response_done:
                request_work(e.a);
                break;
            case ev_patience:
                abandon(e.a);
                break;
            case ev_handoff_done:
                enter_stage(e.a, static_cast<int>(e.b));
                break;
            case ev_sample:
                sample();
                if (cal_.now() + cfg_.simulation.sample_every_h <= horizon_ + 1e-9)
                    cal_.schedule(cal_.now() + cfg_.simulation.sample_every_h, ev_sample);
                break;
            case ev_prospect_reply:
                lead_arrives(static_cast<int>(e.a));
                break;
            case ev_batch_release: {
                auto& st = stages_[e.a];
                const double every = cfg_.stages[e.a].batch_every_h;
                if (cal_.now() + every <= horizon_) cal_.schedule(cal_.now() + every, ev_batch_release, e.a);
                std::vector<std::uint32_t> released;
                released.swap(st.batch);
                for (std::uint32_t l : released) {
                    Lead& lead = leads_[l];
                    const double held = cal_.now() - lead.held_since;
                    lead.waited += held;  // the buyer waits for us while the batch fills
                    lead.visit_hold = held;
                    request_work(l);
                }
                released.clear();
                if (st.batch.empty()) st.batch.swap(released);  // keep the storage
                break;
            }
            case ev_warmup_end: {
                const double t = cal_.now();
                wip_tw_.reset(t);
                for (auto& st : stages_) {
                    st.queue_tw.reset(t);
                    st.wip_tw.reset(t);
                }
                for (auto& rs : roles_) rs.queue_tw.reset(t);
                break;
            }
            default:
                break;
        }
    }
    finish(out);
    out.events = cal_.processed();
    out_ = nullptr;
    return out;
}

// ---------------------------------------------------------------------------------------
// leads

std::uint32_t ModelRun::new_lead(int source, double quality, double value) {
    std::uint32_t l;
    if (!free_leads_.empty()) {
        l = free_leads_.back();
        free_leads_.pop_back();
        const std::uint32_t ticket = leads_[l].ticket + 1;  // keep tickets unique per slot
        leads_[l] = Lead{};
        leads_[l].ticket = ticket;
    } else {
        l = static_cast<std::uint32_t>(leads_.size());
        leads_.emplace_back();
    }
    Lead& lead = leads_[l];
    lead.id = next_id_++;
    lead.source = source;
    lead.arrival = cal_.now();
    lead.quality = std::clamp(quality, 0.0, 1.0);
    lead.value = value;
    lead.counted = measuring();
    // Patience is the buyer's, drawn once at arrival from the source's stream, so every
    // organisation facing the same market meets the same impatient buyers.
    auto& ss = sources_[source];
    lead.patience = ss.has_patience ? std::max(0.0, ss.patience.sample(ss.patience_rng))
                                    : std::numeric_limits<double>::infinity();
    ++in_system_;
    wip_tw_.set(cal_.now(), static_cast<double>(in_system_));
    arrivals_cum_ += 1;
    if (lead.counted) {
        arrived_ += 1;
        if (last_gate_ < 0) opportunities_ += 1;
        if (cfg_.sources[source].kind == SourceKind::prospecting) outbound_ += 1;
    }
    return l;
}

void ModelRun::lead_arrives(int source) {
    auto& ss = sources_[source];
    // Quality and value come from the source's own streams in arrival order, whatever
    // happens to the lead later: the same seed gives the same leads to every scenario.
    const double q = ss.quality.sample(ss.quality_rng);
    const double v = ss.value.sample(ss.value_rng);
    lead_arrives_with(source, q, v);
}

void ModelRun::lead_arrives_with(int source, double quality, double value) {
    const std::uint32_t l = new_lead(source, quality, value);
    enter_stage(l, 0);
}

void ModelRun::enter_stage(std::uint32_t l, int s) {
    Lead& lead = leads_[l];
    auto& st = stages_[s];
    const auto& sc = cfg_.stages[s];
    lead.stage = s;
    if (sc.wip_limit > 0 && st.count >= sc.wip_limit) {
        // Pull: the stage has no room, the lead waits upstream in arrival order.
        lead.blocked = true;
        enqueue(l, st.blocked, 0.0, -1);
        return;
    }
    ++st.count;
    st.wip_tw.set(cal_.now(), st.count);
    st.arrivals_cum += 1;
    lead.touch = 0;
    lead.visit_work = 0.0;
    lead.first_session_of_visit = true;
    if (measuring()) st.visits += 1;
    if (s == last_stage_ && !lead.reached_last) {
        lead.reached_last = true;
        if (lead.counted) proposals_ += 1;
    }
    lead.visit_hold = 0.0;
    if (cfg_.stages[s].batch_every_h > 0.0) {
        // Batching: the lead waits for the stage's next release with the others.
        lead.held_since = cal_.now();
        st.batch.push_back(l);
        return;
    }
    request_work(l);
}

void ModelRun::admit_blocked(int s) {
    auto& st = stages_[s];
    const auto& sc = cfg_.stages[s];
    while (!st.blocked.empty() && (sc.wip_limit == 0 || st.count < sc.wip_limit)) {
        const QueueEntry q = st.blocked.pop();
        Lead& lead = leads_[q.lead];
        if (q.ticket != lead.ticket || !lead.waiting) continue;  // abandoned meanwhile
        stop_waiting(lead);
        lead.blocked = false;
        enter_stage(q.lead, s);
    }
}

double ModelRun::effective_quality(const Lead& lead) const {
    const double hl = cfg_.sources[lead.source].half_life_h;
    if (hl <= 0.0) return lead.quality;
    return lead.quality * std::exp2(-lead.waited / hl);
}

double ModelRun::discipline_key(Discipline d, const Lead& lead, int stage) const {
    switch (d) {
        case Discipline::fifo: return 0.0;
        case Discipline::oldest_lead_first: return lead.arrival;
        case Discipline::latest_stage_first: return -static_cast<double>(stage);
        case Discipline::highest_value_first: return -lead.value;
        case Discipline::wsjf: return -(lead.value * effective_quality(lead) / stages_[stage].remaining_effort);
    }
    return 0.0;
}

void ModelRun::enqueue(std::uint32_t l, Line& line, double key, int role) {
    Lead& lead = leads_[l];
    const double now = cal_.now();
    lead.waiting = true;
    lead.queued_at = now;
    lead.queued_role = role;
    line.push(key, QueueEntry{l, lead.ticket, now});
    if (role >= 0) {
        auto& rs = roles_[role];
        ++rs.queued;
        rs.queue_tw.set(now, rs.queued);
        auto& st = stages_[lead.stage];
        ++st.live_queued;
        st.queue_tw.set(now, st.live_queued);
    }
    if (std::isfinite(lead.patience)) lead.patience_timer = cal_.schedule_cancellable(now + lead.patience, ev_patience, l);
}

// The lead stops waiting (it starts work, is admitted to a full stage, or gives up): its
// wait counts towards decay, its patience timer is cancelled, its queue entry goes stale.
// Inlined: it sits on the path of every queued lead.
[[gnu::always_inline]] inline void ModelRun::stop_waiting(Lead& lead) {
    const double now = cal_.now();
    cal_.cancel(lead.patience_timer);
    lead.waited += now - lead.queued_at;
    if (lead.queued_role >= 0) {
        auto& rs = roles_[lead.queued_role];
        --rs.queued;
        rs.queue_tw.set(now, rs.queued);
        auto& st = stages_[lead.stage];
        --st.live_queued;
        st.queue_tw.set(now, st.live_queued);
    }
    lead.queued_role = -1;
    lead.waiting = false;
    ++lead.ticket;
}

void ModelRun::abandon(std::uint32_t l) {
    Lead& lead = leads_[l];
    if (!lead.waiting) return;
    stop_waiting(lead);  // (its timer has just fired: cancelling it is a no-op)
    if (lead.blocked) {
        // It never entered the stage it was blocked before: nothing to leave there.
        lead.blocked = false;
        lead.stage = -1;
    }
    exit_lead(l, Outcome::abandoned);
}

bool ModelRun::can_take(const Person& p, const Lead& lead, int stage) const {
    const auto& rc = cfg_.roles[p.role];
    // A task that would make this person the deal's owner needs room under the WIP limit.
    if (cfg_.ownership.enabled && rc.wip_limit > 0 && lead.owner < 0 && stage >= cfg_.ownership.from_stage &&
        p.owned >= rc.wip_limit)
        return false;
    return true;
}

int ModelRun::find_idle_person(const Lead& lead, int stage) {
    for (int r : cfg_.stages[stage].roles) {
        auto& rs = roles_[r];
        if (rs.idle == 0) continue;
        for (int k = 0; k < rs.headcount; ++k) {
            const int p = rs.first_person + k;
            if (people_[p].task == TaskKind::none && can_take(people_[p], lead, stage)) return p;
        }
    }
    return -1;
}

void ModelRun::request_work(std::uint32_t l) {
    Lead& lead = leads_[l];
    const int s = lead.stage;
    const auto& sc = cfg_.stages[s];
    // An owned deal's work goes to its owner when the owner's role does this stage.
    if (lead.owner >= 0) {
        Person& o = people_[lead.owner];
        if (std::find(sc.roles.begin(), sc.roles.end(), o.role) != sc.roles.end()) {
            if (o.task == TaskKind::none) {
                lead.queued_at = cal_.now();
                start_session(lead.owner, l);
            } else {
                enqueue(l, o.own, discipline_key(cfg_.roles[o.role].discipline, lead, s), o.role);
            }
            return;
        }
    }
    const int p = find_idle_person(lead, s);
    if (p >= 0) {
        lead.queued_at = cal_.now();
        start_session(p, l);
        return;
    }
    const int primary = sc.roles.front();
    enqueue(l, stages_[s].line, discipline_key(cfg_.roles[primary].discipline, lead, s), primary);
}

void ModelRun::set_idle(Person& p, bool idle) {
    roles_[p.role].idle += idle ? 1 : -1;
}

void ModelRun::start_session(int pi, std::uint32_t l) {
    Person& p = people_[pi];
    Lead& lead = leads_[l];
    const int s = lead.stage;
    const auto& rc = cfg_.roles[p.role];
    const double now = cal_.now();
    auto& st = stages_[s];

    // Work that starts at once (not queued) has queued_at = now: a wait of 0.
    const double wait = now - lead.queued_at;
    if (lead.waiting) stop_waiting(lead);
    if (lead.first_session_of_visit) {
        lead.visit_effort = st.effort.sample(st.effort_rng);
        if (now >= warmup_) st.wait.add(wait + lead.visit_hold);
    }
    // Ownership begins when the first owning stage's work starts.
    if (cfg_.ownership.enabled && lead.owner < 0 && s >= cfg_.ownership.from_stage) {
        lead.owner = pi;
        lead.owned_by = pi;
        ++p.owned;
    }
    auto& rs = roles_[p.role];
    double work = std::max(0.0, lead.visit_effort) * rs.work_factor[static_cast<std::size_t>(s)];
    if (!rc.context_switch_loss.empty() && p.owned > 0) {
        const auto& loss = rc.context_switch_loss;
        const double lost = loss[std::min<std::size_t>(static_cast<std::size_t>(p.owned), loss.size()) - 1];
        work /= std::max(1e-6, 1.0 - lost);
    }
    if (lead.last_person >= 0 && lead.last_person != pi) {
        ++lead.hands;
        if (handoffs_ && lead.first_session_of_visit) work += std::max(0.0, handoff_effort_.sample(handoff_rng_));
    }
    lead.first_session_of_visit = false;

    if (p.task == TaskKind::none) set_idle(p, false);
    p.task = TaskKind::pipeline;
    p.lead = l;
    p.start = now;
    p.session_work = work;
    const double end = rs.calendar.advance(now, work * rs.elapsed_factor);
    cal_.schedule(end, ev_work_done, static_cast<std::uint32_t>(pi));
}

void ModelRun::start_prospecting(int pi) {
    Person& p = people_[pi];
    const auto& rc = cfg_.roles[p.role];
    auto& ss = sources_[rc.prospecting_source];
    // A session produces one lead; a floor on its length keeps a zero-effort
    // distribution from looping at one instant.
    const double work = std::max(1.0 / 60.0, ss.prospect_effort.sample(ss.prospect_rng));
    if (p.task == TaskKind::none) set_idle(p, false);
    p.task = TaskKind::prospecting;
    p.lead = no_index;
    p.start = cal_.now();
    p.session_work = work;
    const double end = roles_[p.role].calendar.advance(cal_.now(), work / rc.availability);
    cal_.schedule(end, ev_work_done, static_cast<std::uint32_t>(pi));
}

void ModelRun::account_busy(Person& p, double end) {
    const auto& cal = roles_[p.role].calendar;
    const double h = cal.working_hours(std::max(p.start, warmup_), std::max(end, warmup_));
    p.busy_h += h;
    if (p.task == TaskKind::prospecting) {
        p.prospect_h += h;
        p.prospect_total_h += cal.working_hours(p.start, end);
    }
}

void ModelRun::work_done(int pi) {
    Person& p = people_[pi];
    const double now = cal_.now();
    account_busy(p, now);
    const TaskKind kind = p.task;
    const std::uint32_t l = p.lead;
    // The person stays marked busy while the lead moves on, so the lead's next work is
    // queued and competes by discipline instead of jumping ahead of waiting work.
    if (kind == TaskKind::pipeline) {
        Lead& lead = leads_[l];
        lead.work += p.session_work;
        lead.visit_work += p.session_work;
        lead.last_person = pi;
        finish_session(l);
    } else if (kind == TaskKind::prospecting) {
        // The prospect answers after the lag (calendar time): the lead enters the
        // pipeline then, so prospecting that stops today starves the pipeline later.
        const int src = cfg_.roles[p.role].prospecting_source;
        auto& ss = sources_[src];
        const double lag = ss.prospect_lag.is_constant() ? ss.prospect_lag.mean()
                                                          : std::max(0.0, ss.prospect_lag.sample(ss.lag_rng));
        if (lag <= 0.0) {
            lead_arrives(src);
        } else if (now + lag <= horizon_) {
            cal_.schedule(now + lag, ev_prospect_reply, static_cast<std::uint32_t>(src));
        }
    }
    Person& q = people_[pi];
    q.task = TaskKind::none;
    q.lead = no_index;
    set_idle(q, true);
    dispatch(pi);
}

void ModelRun::finish_session(std::uint32_t l) {
    Lead& lead = leads_[l];
    const auto& sc = cfg_.stages[lead.stage];
    ++lead.touch;
    if (lead.touch < sc.touches) {
        // The buyer answers after their own response time (calendar hours).
        auto& ss = sources_[lead.source];
        const double rt = std::max(0.0, ss.response.sample(ss.response_rng));
        if (rt > 0.0) {
            cal_.schedule(cal_.now() + rt, ev_response_done, l);
        } else {
            request_work(l);
        }
        return;
    }
    finish_visit(l);
}

void ModelRun::finish_visit(std::uint32_t l) {
    Lead& lead = leads_[l];
    const int s = lead.stage;
    const auto& sc = cfg_.stages[s];
    auto& st = stages_[s];
    if (cal_.now() >= warmup_) st.work.add(lead.visit_work);

    if (sc.gate.enabled) {
        const double noise = sc.gate.noise_sd > 0.0
                                 ? boost::random::normal_distribution<double>(0.0, sc.gate.noise_sd)(st.gate_rng)
                                 : 0.0;
        if (lead.quality + noise < sc.gate.threshold) {
            exit_lead(l, Outcome::disqualified);
            return;
        }
        if (s == last_gate_ && lead.counted) opportunities_ += 1;
    }
    // Where routing can go two ways both draws are always made, so routing streams stay
    // aligned across scenarios; a stage that always advances needs none (its stream is
    // then never read, so skipping changes no other draw).
    const bool certain = !sc.has_rework && !sc.advance_by_quality && sc.advance_probability >= 1.0;
    const double u_rework = sc.has_rework ? kernel::uniform01(st.routing_rng) : 1.0;
    const double u_advance = certain ? 0.0 : kernel::uniform01(st.routing_rng);
    if (sc.has_rework && u_rework < sc.rework_probability) {
        move_to(l, s, sc.rework_to);
        return;
    }
    const double p_advance = sc.advance_by_quality ? effective_quality(lead) : sc.advance_probability;
    if (u_advance < p_advance) {
        if (s == last_stage_) {
            exit_lead(l, Outcome::won);
        } else {
            move_to(l, s, s + 1);
        }
    } else {
        exit_lead(l, Outcome::lost);
    }
}

void ModelRun::leave_stage(Lead& lead) {
    if (lead.stage < 0 || lead.blocked) return;
    auto& st = stages_[lead.stage];
    --st.count;
    st.wip_tw.set(cal_.now(), st.count);
    st.departures_cum += 1;
    const int s = lead.stage;
    if (!st.blocked.empty()) admit_blocked(s);
}

void ModelRun::move_to(std::uint32_t l, int from, int to) {
    leave_stage(leads_[l]);
    Lead& lead = leads_[l];
    lead.stage = -1;
    // A handoff delay applies where the work passes to another role.
    if (handoffs_ && cfg_.stages[from].roles.front() != cfg_.stages[to].roles.front()) {
        const double d = std::max(0.0, handoff_delay_.sample(handoff_rng_));
        if (d > 0.0) {
            lead.waited += d;  // the buyer waits for us while the deal changes hands
            cal_.schedule(cal_.now() + d, ev_handoff_done, l, static_cast<std::uint32_t>(to));
            return;
        }
    }
    enter_stage(l, to);
}

void ModelRun::exit_lead(std::uint32_t l, Outcome o) {
    const double now = cal_.now();
    Lead& ld = leads_[l];
    leave_stage(ld);
    --in_system_;
    wip_tw_.set(now, static_cast<double>(in_system_));
    exits_cum_ += 1;
    if (o == Outcome::won) {
        wins_cum_ += 1;
        revenue_cum_ += ld.value;
    }
    if (now >= warmup_) {
        const double lt = now - ld.arrival;
        exited_ += 1;
        lead_time_.add(lt);
        exit_times_.push_back(lt);
        if (lt > 0.0) flow_eff_.add(std::min(1.0, ld.work / lt));
        else flow_eff_.add(1.0);
        switch (o) {
            case Outcome::won:
                wins_ += 1;
                revenue_ += ld.value;
                lead_time_won_.add(lt);
                won_times_.push_back(lt);
                break;
            case Outcome::lost: losses_ += 1; break;
            case Outcome::disqualified: disqualified_ += 1; break;
            case Outcome::abandoned: abandoned_ += 1; break;
            case Outcome::open: break;
        }
    }
    if (opt_.record_leads) {
        out_->leads.push_back(LeadRecord{rep_, ld.id, ld.source, ld.arrival, now, o, ld.quality, ld.value,
                                         ld.stage, ld.work, ld.waited, ld.hands, ld.owned_by});
        if (opt_.lead_sink && out_->leads.size() >= opt_.lead_chunk) flush_leads();
    }
    const int owner = ld.owner;
    ld.owner = -1;
    ld.stage = -1;
    ++ld.ticket;
    ld.alive = false;
    free_leads_.push_back(l);
    if (owner >= 0) {
        Person& p = people_[owner];
        --p.owned;
        // Room under the WIP limit: an idle owner may now pull a new deal.
        if (p.task == TaskKind::none) dispatch(owner);
    }
}

// ---------------------------------------------------------------------------------------
// people

void ModelRun::dispatch(int pi) {
    Person& p = people_[pi];
    if (p.task != TaskKind::none) return;
    const auto& rc = cfg_.roles[p.role];
    if (rc.prospecting == ProspectingPolicy::reserved) {
        // Keep the reserved share: prospect first whenever behind it.
        const double worked = roles_[p.role].calendar.working_hours_until(cal_.now());
        if (p.prospect_total_h < rc.prospecting_share * worked) {
            start_prospecting(pi);
            return;
        }
    }
    if (pick_work(pi)) return;
    if (rc.prospecting != ProspectingPolicy::none) start_prospecting(pi);
}

bool ModelRun::pick_work(int pi) {
    Person& p = people_[pi];
    // Candidates: the head of the person's own line and of every stage line the role may
    // serve; the smallest (key, time queued) wins, keys from each line's discipline.
    Line* best = nullptr;
    double best_key = 0.0, best_since = 0.0;
    auto consider = [&](Line& line, int stage_for_check) {
        while (!line.empty()) {
            const auto& f = line.front();
            const Lead& ld = leads_[f.payload.lead];
            if (f.payload.ticket != ld.ticket || !ld.waiting) {
                line.pop();  // stale: the lead left this line
                continue;
            }
            if (stage_for_check >= 0 && !can_take(p, ld, stage_for_check)) return;
            if (!best || f.key < best_key || (f.key == best_key && f.payload.since < best_since)) {
                best = &line;
                best_key = f.key;
                best_since = f.payload.since;
            }
            return;
        }
    };
    consider(p.own, -1);
    for (int s : roles_[p.role].stages) consider(stages_[s].line, s);
    if (!best) return false;
    const QueueEntry q = best->pop();
    start_session(pi, q.lead);
    return true;
}

// ---------------------------------------------------------------------------------------
// reporting

void ModelRun::sample() {
    auto& ts = out_->series;
    auto& d = ts.data;
    d.push_back(cal_.now());
    d.push_back(static_cast<double>(in_system_));
    d.push_back(arrivals_cum_);
    d.push_back(exits_cum_);
    d.push_back(wins_cum_);
    d.push_back(revenue_cum_);
    for (const auto& st : stages_) {
        d.push_back(st.count);
        d.push_back(st.live_queued);
        d.push_back(st.arrivals_cum);
        d.push_back(st.departures_cum);
    }
    for (const auto& rs : roles_) {
        d.push_back(rs.queued);
        d.push_back(rs.headcount - rs.idle);
    }
}

void ModelRun::flush_leads() {
    if (out_->leads.empty()) return;
    opt_.lead_sink(rep_, out_->leads);
    out_->leads.clear();
}

namespace {
// Percentiles with linear interpolation between order statistics (numpy's default), by
// selection rather than a full sort. `qs` ascending; each selection only searches above
// the previous one. Reorders v.
std::vector<double> percentiles(std::vector<double>& v, std::initializer_list<double> qs) {
    std::vector<double> out;
    std::size_t from = 0;
    for (double q : qs) {
        if (v.empty()) {
            out.push_back(0.0);
            continue;
        }
        const double pos = q * static_cast<double>(v.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const auto first = v.begin() + static_cast<std::ptrdiff_t>(from);
        std::nth_element(first, v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
        const double a = v[lo];
        double b = a;
        if (lo + 1 < v.size()) b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
        out.push_back(a + (b - a) * (pos - static_cast<double>(lo)));
        from = lo;
    }
    return out;
}
double ratio(double a, double b) { return b > 0.0 ? a / b : 0.0; }
}  // namespace

void ModelRun::finish(ReplicationOutput& out) {
    const double end = horizon_;
    const double span = horizon_ - warmup_;
    // Sessions still running at the horizon count as busy up to it.
    for (auto& p : people_)
        if (p.task != TaskKind::none) {
            account_busy(p, end);
            p.start = end;
        }
    if (opt_.record_leads) {
        for (std::uint32_t l = 0; l < leads_.size(); ++l) {
            const Lead& ld = leads_[l];
            if (!ld.alive) continue;
            out.leads.push_back(LeadRecord{rep_, ld.id, ld.source, ld.arrival, end, Outcome::open, ld.quality,
                                           ld.value, ld.stage, ld.work, ld.waited, ld.hands, ld.owned_by});
        }
        if (opt_.lead_sink) flush_leads();
    }

    auto& m = out.metrics;
    m.assign(cat_.size(), 0.0);
    using C = MetricCatalog;
    double fte = 0.0, cost_rate = 0.0;
    for (const auto& rc : cfg_.roles) {
        fte += rc.headcount;
        cost_rate += rc.headcount * rc.cost_per_year;
    }
    const double years = span / hours_per_year;
    const double cost = cost_rate * years;
    m[C::leads_arrived] = arrived_;
    m[C::leads_exited] = exited_;
    m[C::wins] = wins_;
    m[C::revenue] = revenue_;
    m[C::lead_time_mean_h] = lead_time_.mean();
    m[C::wip_mean] = wip_tw_.mean(end);
    m[C::throughput_per_week] = ratio(exited_, span / hours_per_week);
    m[C::hit_rate] = ratio(wins_, proposals_);
    m[C::losses] = losses_;
    m[C::disqualified] = disqualified_;
    m[C::abandoned] = abandoned_;
    m[C::leads_open_at_end] = static_cast<double>(in_system_);
    m[C::opportunities] = opportunities_;
    m[C::proposals] = proposals_;
    m[C::win_rate] = ratio(wins_, opportunities_);
    m[C::cost] = cost;
    m[C::productivity] = fte > 0.0 && years > 0.0 ? revenue_ / fte / years : 0.0;
    m[C::cost_per_win] = ratio(cost, wins_);
    m[C::flow_efficiency] = flow_eff_.mean();
    m[C::lead_time_won_mean_h] = lead_time_won_.mean();
    m[C::lead_time_won_p85_h] = percentiles(won_times_, {0.85})[0];
    m[C::outbound_leads] = outbound_;
    const auto p = percentiles(exit_times_, {0.50, 0.85, 0.95});
    m[C::lead_time_p50_h] = p[0];
    m[C::lead_time_p85_h] = p[1];
    m[C::lead_time_p95_h] = p[2];
    for (int s = 0; s < nstages_; ++s) {
        const int b = cat_.stage_base(s);
        const auto& st = stages_[s];
        m[b + 0] = st.wait.mean();
        m[b + 1] = st.visits;
        m[b + 2] = st.work.mean();
        m[b + 3] = st.queue_tw.mean(end);
        m[b + 4] = st.wip_tw.mean(end);
    }
    for (std::size_t r = 0; r < roles_.size(); ++r) {
        const auto& rs = roles_[r];
        double busy = 0.0, prospect = 0.0;
        for (int k = 0; k < rs.headcount; ++k) {
            busy += people_[rs.first_person + k].busy_h;
            prospect += people_[rs.first_person + k].prospect_h;
        }
        const double available = rs.headcount * rs.calendar.working_hours(warmup_, end);
        const int b = cat_.role_base(static_cast<int>(r));
        m[b + 0] = std::clamp(ratio(busy, available), 0.0, 1.0);
        m[b + 1] = std::clamp(ratio(prospect, available), 0.0, 1.0);
        m[b + 2] = rs.queue_tw.mean(end);
    }
}

}  // namespace

class SalesModel::Impl : public ModelRun {
public:
    using ModelRun::ModelRun;
};

SalesModel::SalesModel(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
    : impl_(std::make_unique<Impl>(cfg, catalog, options)) {}
SalesModel::~SalesModel() = default;
ReplicationOutput SalesModel::run(int rep) { return impl_->run(rep); }

}  // namespace salesflow::model
