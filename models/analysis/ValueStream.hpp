#pragma once
// ValueStream: where a lead's time goes and where leads end, measured from the per-lead
// flow events (ModelOptions::record_events) of a run's replications.
//
// A lead's life from its arrival to its exit is cut at each of its flow events; each
// piece goes to one stage and one part, by the events that bound it:
//   blocked  a piece that ends with `enter`: waiting to get into that stage (a full
//            stage, or the arrival itself), counted at the stage entered;
//   queue    a piece that starts with `queue`: waiting in a line for a person;
//   work     a piece that starts with `start`: a session in progress (calendar time,
//            pauses outside working hours included);
//   handoff  a piece that starts with `handoff_delay`: the lead waits for a handoff
//            delay (handoff.delay) before the receiver's session;
//   between  any other piece (after `enter`, `end` or `handoff`): the buyer's response
//            between touches and batch holds.
// So the parts of a stage add up to the lead's time in that stage, and the stages add up
// to its lead time (exit - arrival) exactly. Only leads that exit after the warm-up count
// (the leads of the lead_time_mean_h metric). Per replication the figures are means per
// such lead (a stage a lead never entered counts 0 for it); for "won" over won leads.
#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "kernel/Summary.hpp"
#include "models/FlowEvent.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::model::analysis {

enum class StreamPart : std::uint8_t { queue = 0, work = 1, between = 2, blocked = 3, handoff = 4 };
inline constexpr std::size_t stream_parts = 5;
const char* stream_part_name(StreamPart p);  // "queue", "work", "between", "blocked", "handoff"


inline constexpr std::size_t outcome_count = 5;  // Outcome::won .. Outcome::open

class ValueStream {
public:
    explicit ValueStream(const ScenarioConfig& cfg);

    // One replication's events, in the order the model emitted them (time order).
    void add_replication(std::span<const FlowEvent> events);

    struct StageFigures {
        // Hours per closed lead in this stage, by part, and their sum; over replications.
        std::array<kernel::Summary, stream_parts> part{};
        kernel::Summary total;
        kernel::Summary handoffs;       // handoff events at this stage per closed lead
    };
    struct Figures {
        std::vector<StageFigures> stages;
        kernel::Summary lead_time;      // mean exit - arrival of the leads counted
        kernel::Summary leads;          // leads counted per replication
    };
    // subset 0: every lead closed after the warm-up; 1: the won ones.
    Figures figures(int subset) const;

    // The funnel over replications (means per replication of the closed leads): leads
    // that entered each stage at least once, and the leads that ended there by outcome.
    struct FunnelStage {
        kernel::Summary entered;
        std::array<kernel::Summary, outcome_count> ended{};
    };
    std::vector<FunnelStage> funnel() const;

    int replications() const { return static_cast<int>(reps_.size()); }

private:
    struct LeadState {
        double last_t = 0.0;
        FlowEventType last_type = FlowEventType::arrive;
        std::int32_t stage = -1;
        double arrival = 0.0;
        std::vector<double> parts;        // stages x parts, hours
        std::vector<std::int32_t> handoffs;  // per stage
        std::vector<std::uint8_t> entered;   // per stage
    };
    struct Rep {
        // [subset][stage * parts + part], [subset][stage], ...
        std::array<std::vector<double>, 2> parts, handoffs;
        std::array<double, 2> lead_time{}, leads{};
        std::vector<double> entered;
        std::vector<double> ended;        // stage * outcome_count + outcome
    };
    std::size_t stages_ = 0;
    double warmup_ = 0.0;
    std::vector<Rep> reps_;
};

}  // namespace salesflow::model::analysis
