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
    std::size_t size() const { return n_; }  // includes cancelled records not yet dropped

    void reserve(std::size_t n);
    // Forget every event and restart the clock at 0 (keeps the storage).
    void clear();

    // Schedules an event; time must be >= now() (throws std::invalid_argument otherwise).
    void schedule(double time, std::uint32_t kind, std::uint32_t a = 0, std::uint32_t b = 0) {
        if (!(time >= now_)) throw_past();
        push(Entry{time, seq_++, kind, a, b, EventHandle::none});
    }
    EventHandle schedule_cancellable(double time, std::uint32_t kind, std::uint32_t a = 0, std::uint32_t b = 0);
    // Cancels a pending event; cancelling a fired or already cancelled event does nothing.
    void cancel(EventHandle& h) {
        if (h.valid()) cancel_pending(h);
    }
    bool is_pending(const EventHandle& h) const;

    // Time of the next live event, or +infinity.
    double next_time();
    // Removes the next live event, advances the clock to its time and returns true;
    // returns false when no live event is left.
    bool pop(Event& out) { return pop_until(std::numeric_limits<double>::infinity(), out); }
    // As pop(), but only an event with time <= `until`; later events stay pending.
    bool pop_until(double until, Event& out) {
        while (n_ > 0) {
            const Entry& top = heap_[0];
            if (top.time > until) return false;  // stale records past `until` are dropped when they surface
            if (top.slot != EventHandle::none && !fire_slot(top)) {
                pop_top();  // cancelled
                continue;
            }
            now_ = top.time;
            ++processed_;
            out = Event{top.time, top.kind, top.a, top.b};
            pop_top();
            return true;
        }
        return false;
    }

private:
    void cancel_pending(EventHandle& h);
    // 32 bytes: two records per cache line, and no 40-byte stride in the sift loops.
    struct Entry {
        double time;
        std::uint64_t seq;
        std::uint32_t kind;
        std::uint32_t a;
        std::uint32_t b;
        std::uint32_t slot;  // cancellable slot, or EventHandle::none
    };
    static bool later(const Entry& x, const Entry& y) {
        return x.time > y.time || (x.time == y.time && x.seq > y.seq);
    }
    [[noreturn]] static void throw_past();
    // Sift-up with a hole; storage grows out of line.
    void push(const Entry& e) {
        if (n_ == heap_.size()) grow();
        Entry* h = heap_.data();
        std::size_t i = n_++;
        while (i > 0) {
            const std::size_t parent = (i - 1) / 2;
            if (!later(h[parent], e)) break;
            h[i] = h[parent];
            i = parent;
        }
        h[i] = e;
    }
    void grow();
    void pop_top();
    // For the top record of a cancellable event: false when it was cancelled (stale);
    // otherwise retires its slot (handles to it stop being pending) and returns true.
    bool fire_slot(const Entry& e);

    std::vector<Entry> heap_;  // records [0, n_) form the heap; the rest is spare storage
    std::size_t n_ = 0;
    std::vector<std::uint32_t> generation_;  // current generation of each cancellable slot (handles)
    std::vector<std::uint64_t> live_seq_;    // seq of the pending record of each slot, or no_seq
    std::vector<std::uint32_t> free_slots_;
    double now_ = 0.0;
    std::uint64_t seq_ = 0;
    std::uint64_t processed_ = 0;
    static constexpr std::uint64_t no_seq = std::numeric_limits<std::uint64_t>::max();
};

}  // namespace salesflow::kernel
