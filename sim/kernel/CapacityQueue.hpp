#pragma once
// CapacityQueue: c identical servers and a waiting line (an M/M/c or G/G/c station),
// with the accounting a queueing study needs: waits, number waiting and busy servers
// over time. Customers are plain ids; the caller schedules service completions.
#include <cstdint>
#include <optional>

#include "kernel/Tally.hpp"
#include "kernel/TimeWeighted.hpp"
#include "kernel/WaitingLine.hpp"

namespace salesflow::kernel {

enum class QueueOrdering { fifo, priority_then_fifo };

class CapacityQueue {
public:
    CapacityQueue(int servers, QueueOrdering ordering);

    // A customer arrives at t; returns true when a server takes it at once (the caller then
    // schedules its completion), false when it joins the line.
    bool arrive(double t, std::uint32_t id, double priority = 0.0);
    // A server finishes at t; returns the customer that takes the freed server, if any.
    std::optional<std::uint32_t> release(double t);

    // Restart statistics at t (end of warm-up); state is kept.
    void reset_statistics(double t);

    int servers() const { return servers_; }
    int busy() const { return busy_; }
    std::size_t waiting() const { return line_.size(); }
    const Tally& waits() const { return waits_; }
    double utilisation(double t) const;     // mean busy servers / servers
    double mean_waiting(double t) const { return queue_len_.mean(t); }

private:
    struct Waiter {
        std::uint32_t id;
        double since;
    };
    int servers_;
    QueueOrdering ordering_;
    int busy_ = 0;
    WaitingLine<Waiter> line_;
    Tally waits_;
    TimeWeighted busy_tw_;
    TimeWeighted queue_len_;
};

}  // namespace salesflow::kernel
