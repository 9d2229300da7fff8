#pragma once
// ScenarioConfig: one organisation working one market, as validated plain data.
// Filled by the input layer (salesflow::input) with every default applied and every
// cross-reference resolved to an index; the model never sees YAML. Units: hours for
// every time, leads per hour for every rate, money in the scenario's own currency.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/CalendarSpec.hpp"
#include "kernel/DistributionSpec.hpp"

namespace salesflow::model {

using kernel::CalendarSpec;
using kernel::DistributionSpec;

struct SimulationConfig {
    double horizon_h = 0.0;          // required, > 0
    double warmup_h = 0.0;           // >= 0, < horizon
    int replications = 10;           // >= 1
    std::uint64_t seed = 1;
    CalendarSpec calendar{};          // default 8 h x 5 d
    double sample_every_h = 0.0;     // time-series sampling period; 0 = none
};

struct CampaignConfig {
    double at_h = 0.0;   // calendar time of the burst
    int leads = 0;       // leads arriving at once
};

struct TraceLead {
    double arrival_h = 0.0;
    std::optional<double> quality;
    std::optional<double> value;
};

enum class SourceKind { poisson, trace, prospecting };

// One point of a curve: a time in hours and the value there.
struct CurvePoint {
    double at_h = 0.0;
    double value = 0.0;
};

// How a source's arrivals relate to its speed-to-lead curve (sources[].speed_to_lead.normalise).
enum class SpeedToLeadNormalise { none, typical };

struct SourceConfig {
    std::string name;
    SourceKind kind = SourceKind::poisson;
    double rate_per_h = 0.0;                 // poisson: mean arrivals per hour
    std::vector<double> seasonality;         // empty or 12 monthly multipliers (month = 730 h)
    // poisson: share of the leads that arrive inside simulation.calendar's working hours,
    // in [0, 1]; none = round the clock. Rate inside = rate x p / w, outside = rate x
    // (1 - p) / (1 - w), w = working hours per week / 168 (the mean rate stays `rate`).
    std::optional<double> working_hours_share;
    std::vector<CampaignConfig> campaigns;   // bursts of leads
    std::string trace_path;                  // trace: CSV file, resolved path
    std::vector<TraceLead> trace;            // trace: rows, sorted by arrival
    DistributionSpec prospecting_effort = DistributionSpec::constant(1.0);  // prospecting: working hours per lead
    DistributionSpec prospecting_lag = DistributionSpec::constant(0.0);     // calendar time from outreach to the lead
    double prospecting_block_h = 1.0;        // prospecting: working hours a person prospects before looking at leads again
    DistributionSpec quality = DistributionSpec::beta(2.0, 3.0);  // latent chance to buy, in [0,1]
    DistributionSpec value = DistributionSpec::constant(1.0);     // deal value when won
    // Buyer behaviour of this source's leads.
    double half_life_h = 0.0;                // win chance halves per this much waiting for us; 0 = no decay
    std::optional<DistributionSpec> patience;  // max wait in one queue before abandoning; none = infinite
    DistributionSpec response_time = DistributionSpec::constant(0.0);  // buyer latency between touches
    // SpeedToLead: relative chance that a lead is reached and qualifies against its time
    // to first contact (hours not decreasing, values in [0, 1], linear between points, a
    // step where two points share a time, the first value before the first point, the
    // last after the last); empty = off.
    std::vector<CurvePoint> speed_to_lead;
    double speed_to_lead_strength = 1.0;  // the chance is f(t)^strength, strength in [0, 1]; 0 = flat
    // typical: the Poisson rate is divided by the chance a typical firm's lead is kept
    // (SpeedToLead::typical_chance), so `arrivals` counts the leads a typical firm reaches.
    SpeedToLeadNormalise speed_to_lead_normalise = SpeedToLeadNormalise::none;
};

struct GateConfig {
    bool enabled = false;
    double threshold = 0.0;   // disqualify when estimated quality < threshold
    double noise_sd = 0.0;    // sd of the qualifier's estimate of quality
};

struct StageConfig {
    std::string name;
    std::vector<int> roles;                  // role indices in order of preference (>= 1)
    DistributionSpec effort;                 // working hours of one visit (split over touches)
    bool advance_by_quality = false;         // `advance: quality`
    double advance_probability = 1.0;
    bool has_rework = false;
    int rework_to = -1;                      // stage index <= this one
    double rework_probability = 0.0;
    int touches = 1;                         // work sessions per visit, separated by buyer response time
    int wip_limit = 0;                       // leads in the stage at once; 0 = unlimited
    double batch_every_h = 0.0;              // > 0: leads entering wait for the next release, every this many hours
    GateConfig gate;
};

// A date at which people join a role (`roles[].hires`).
struct HireConfig {
    double at_h = 0.0;   // calendar time they start
    int count = 0;       // people who start then
};

// Ramp-up of a new person (`roles[].ramp`): their efficiency and skill multipliers rise
// linearly from `efficiency_from` / `skill_from` at their start to 1 after `time_h`.
struct RampConfig {
    double time_h = 0.0;            // 0 = no ramp-up
    double efficiency_from = 0.5;
    double skill_from = 1.0;
};

// Learning (`roles[].learning`): a person's efficiency is multiplied by
// 1 + max_gain x (1 - exp(-visits done / visits_scale)).
struct LearningConfig {
    double max_gain = 0.0;          // 0 = no learning
    double visits_scale = 1.0;
    double initial_visits = 0.0;    // visits credited to the people present at time 0
};

enum class Discipline { fifo, oldest_lead_first, latest_stage_first, highest_value_first, wsjf };
enum class ProspectingPolicy { none, when_idle, reserved };

struct RoleConfig {
    std::string name;
    int headcount = 0;
    double cost_per_year = 0.0;
    double availability = 1.0;               // share of working time for pipeline work, (0,1]
    std::vector<double> efficiency;          // per stage index, speed multiplier (> 0); size = stages
    std::optional<CalendarSpec> calendar;    // none = simulation.calendar
    int wip_limit = 0;                       // open deals one person may own; 0 = unlimited
    Discipline discipline = Discipline::fifo;
    ProspectingPolicy prospecting = ProspectingPolicy::none;
    double prospecting_share = 0.0;          // reserved share of working time for prospecting
    int prospecting_source = -1;             // source index that prospecting feeds
    std::vector<double> context_switch_loss; // loss of efficiency with n open deals at index n-1; empty = none
    double context_switch_per_deal = 0.0;    // > 0: loss = min(context_switch_max, this x (n - 1)) instead of the list
    double context_switch_max = 0.75;
    // Skill and staffing over time (models/mechanisms/Skill.hpp, Staffing.hpp).
    std::vector<double> skill;               // per stage index, advance-chance multiplier (> 0); empty = 1 everywhere
    LearningConfig learning;
    std::vector<HireConfig> hires;           // sorted by at_h
    double attrition_tenure_h = 0.0;         // mean of an exponential tenure; 0 = nobody leaves
    DistributionSpec vacancy = DistributionSpec::constant(0.0);  // time from a departure to the replacement's start
    RampConfig ramp;
    int hired() const {
        int n = 0;
        for (const auto& h : hires) n += h.count;
        return n;
    }
    // People slots of the role: its headcount and everyone hired later.
    int slots() const { return headcount + hired(); }
    bool staffing_changes() const { return !hires.empty() || attrition_tenure_h > 0.0; }
    std::optional<bool> quota;               // carries a sales quota; none = the role works the last stage
};

struct OwnershipConfig {
    bool enabled = false;
    int from_stage = 0;                      // stage index from which a deal stays with its person
};

struct HandoffConfig {
    DistributionSpec effort = DistributionSpec::constant(0.0);  // receiver's extra working hours
    DistributionSpec delay = DistributionSpec::constant(0.0);   // calendar delay before the next stage
    bool enabled() const { return !effort.is_constant_zero() || !delay.is_constant_zero(); }
};

// The funnel's named steps: which stage's entry makes a lead an opportunity, and a
// proposal. -1: the defaults (an opportunity passes the last gate, or arrives when there
// is no gate; a proposal enters the last stage).
struct FunnelConfig {
    int opportunity_stage = -1;
    int proposal_stage = -1;
};

struct CostConfig {
    double overhead_per_person_per_year = 0.0;  // on top of each role's cost_per_year, per person
    double reorganisation = 0.0;                // one-off cost of moving to this organisation
};

// NoDecision: a lead that fails to advance at `from_stage` or later ends in no decision
// (instead of lost) with probability min(1, share + per_week_waited x weeks waited for us
// + per_week_lead_time x weeks since arrival).
struct NoDecisionConfig {
    bool enabled = false;
    double share = 0.4;
    double per_week_waited = 0.02;
    double per_week_lead_time = 0.005;
    int from_stage = -1;                      // -1: the last stage
};

// Nurture: a share of the leads that end disqualified, abandoned, lost or in no decision
// enter a nurture pool instead (outcome `nurtured`) and come back, after `delay`, as new
// leads of `source` (-1: their own) with the same value and the same or a new quality.
struct NurtureConfig {
    bool enabled = false;
    double disqualified = 0.5;
    double abandoned = 0.5;
    double lost = 0.0;
    double no_decision = 0.5;
    DistributionSpec delay = DistributionSpec::uniform(26.0 * 168.0, 52.0 * 168.0);
    std::optional<DistributionSpec> quality;  // none: the same quality
    int source = -1;
};

// Quarter-end pressure (`quarter_end`, models/mechanisms/QuarterEnd.hpp): in the last
// `window_h` of each 13-week quarter from time 0, work on the last stage goes first and
// runs `speed` times faster, a deal won there loses `discount` of its value, and its
// chance to be won is multiplied by 1 - extra_loss.
struct QuarterEndConfig {
    bool enabled = false;
    double window_h = 0.0;
    double discount = 0.0;
    double extra_loss = 0.0;
    bool priority = true;
    double speed = 1.0;
};

struct ScenarioConfig {
    std::string name;
    std::string description;
    std::string source_file;                 // path of the scenario file as given
    std::string resolved_yaml;               // after extends and --set, as YAML text
    SimulationConfig simulation;
    std::vector<SourceConfig> sources;
    std::vector<StageConfig> stages;
    std::vector<RoleConfig> roles;
    OwnershipConfig ownership;
    HandoffConfig handoff;
    CostConfig costs;
    FunnelConfig funnel;
    NoDecisionConfig no_decision;
    NurtureConfig nurture;
    QuarterEndConfig quarter_end;

    int stage_index(const std::string& n) const {
        for (std::size_t i = 0; i < stages.size(); ++i) if (stages[i].name == n) return static_cast<int>(i);
        return -1;
    }
    int role_index(const std::string& n) const {
        for (std::size_t i = 0; i < roles.size(); ++i) if (roles[i].name == n) return static_cast<int>(i);
        return -1;
    }
};

// Weinberg's context-switching curve: efficiency lost with 1..5 open deals.
inline std::vector<double> weinberg_curve() { return {0.0, 0.2, 0.4, 0.6, 0.75}; }

// `speed_to_lead: default`: Harvard Business Review 2011 (2,241 firms): firms that tried to
// contact a lead within an hour were nearly 7 times as likely to qualify it as those that
// tried an hour later (in the second hour), and more than 60 times as likely as those that
// waited 24 hours or longer. So 1 up to 1 h (the reference bucket), a step to 1/7 for the
// second hour, linear from 1/7 at 2 h to 1/60 at 24 h (no figure between), 1/60 after.
inline std::vector<CurvePoint> published_speed_to_lead_curve() {
    return {{1.0, 1.0}, {1.0, 1.0 / 7.0}, {2.0, 1.0 / 7.0}, {24.0, 1.0 / 60.0}};
}

}  // namespace salesflow::model
