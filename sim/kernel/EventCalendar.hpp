#pragma once
// EventCalendar: the simulation clock and the future event list. Events are small tagged
// records (kind + two integer arguments) dispatched by the model with a switch; they are
// ordered by (time, insertion sequence), so simultaneous events run in the order they
// were scheduled and every run is reproducible. Cancellable events (reneging timers,
// preemption) get a handle; cancelling is O(1) and the stale record is dropped when it
// reaches the top. Storage is reused, so steady state allocates nothing.
#include <cstdint>
#include <limits>
#include <vector>

namespace salesflow::kernel {

struct Event {
    double time = 0.0;
    std::uint32_t kind = 0;
    std::uint32_t a = 0;
    std::uint32_t b = 0;
};

struct EventHandle {
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t slot = none;
    std::uint32_t generation = 0;
    bool valid() const { return slot != none; }
};

class EventCalendar {
public:
    EventCalendar() = default;

    double now() const { return now_; }
    std::uint64_t processed() const { return processed_; }
    std::size_t size() const { return heap_.size(); }  // includes cancelled records not yet dropped

    void reserve(std::size_t n);
    // Forget every event and restart the clock at 0 (keeps the storage).
    void clear();

    // Schedules an event; time must be >= now() (throws std::invalid_argument otherwise).
    void schedule(double time, std::uint32_t kind, std::uint32_t a = 0, std::uint32_t b = 0);
    EventHandle schedule_cancellable(double time, std::uint32_t kind, std::uint32_t a = 0, std::uint32_t b = 0);
    // Cancels a pending event; cancelling a fired or already cancelled event does nothing.
    void cancel(EventHandle& h);
    bool is_pending(const EventHandle& h) const;

    // Time of the next live event, or +infinity.
    double next_time();
    // Removes the next live event, advances the clock to its time and returns true;
    // returns false when no live event is left.
    bool pop(Event& out);
    // As pop(), but only an event with time <= `until`; later events stay pending.
    bool pop_until(double until, Event& out);

private:
    struct Entry {
        double time;
        std::uint64_t seq;
        std::uint32_t kind;
        std::uint32_t a;
        std::uint32_t b;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    static bool later(const Entry& x, const Entry& y) {
        return x.time > y.time || (x.time == y.time && x.seq > y.seq);
    }
    void push(const Entry& e);
    void pop_top();
    bool top_is_stale() const;

    std::vector<Entry> heap_;
    std::vector<std::uint32_t> generation_;  // current generation of each cancellable slot
    std::vector<std::uint32_t> free_slots_;
    double now_ = 0.0;
    std::uint64_t seq_ = 0;
    std::uint64_t processed_ = 0;
};

}  // namespace salesflow::kernel
