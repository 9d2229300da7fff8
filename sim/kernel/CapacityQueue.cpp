#include "kernel/CapacityQueue.hpp"

#include <stdexcept>

namespace salesflow::kernel {

CapacityQueue::CapacityQueue(int servers, QueueOrdering ordering) : servers_(servers), ordering_(ordering) {
    if (servers < 0) throw std::invalid_argument("CapacityQueue needs servers >= 0");
}

bool CapacityQueue::arrive(double t, std::uint32_t id, double priority) {
    if (busy_ < servers_) {
        ++busy_;
        busy_tw_.set(t, busy_);
        waits_.add(0.0);
        return true;
    }
    // Higher priority is served first; the key sorts ascending.
    const double key = ordering_ == QueueOrdering::fifo ? 0.0 : -priority;
    line_.push(key, Waiter{id, t});
    queue_len_.set(t, static_cast<double>(line_.size()));
    return false;
}

std::optional<std::uint32_t> CapacityQueue::release(double t) {
    if (line_.empty()) {
        --busy_;
        busy_tw_.set(t, busy_);
        return std::nullopt;
    }
    const Waiter w = line_.pop();
    queue_len_.set(t, static_cast<double>(line_.size()));
    waits_.add(t - w.since);
    return w.id;  // the server passes straight to the next customer: busy count unchanged
}

void CapacityQueue::reset_statistics(double t) {
    waits_.reset();
    busy_tw_.reset(t);
    queue_len_.reset(t);
}

double CapacityQueue::utilisation(double t) const {
    return servers_ > 0 ? busy_tw_.mean(t) / servers_ : 0.0;
}

}  // namespace salesflow::kernel
