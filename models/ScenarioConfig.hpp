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

struct SourceConfig {
    std::string name;
    SourceKind kind = SourceKind::poisson;
    double rate_per_h = 0.0;                 // poisson: mean arrivals per hour
    std::vector<double> seasonality;         // empty or 12 monthly multipliers (month = 730 h)
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

}  // namespace salesflow::model
