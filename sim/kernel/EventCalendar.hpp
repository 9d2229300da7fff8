#pragma once
// EventCalendar: the simulation clock and the future event list. Events are small tagged
// records (kind + two integer arguments) dispatched by the model with a switch; they are
// ordered by (time, insertion sequence), so simultaneous events run in the order they
// were scheduled and every run is reproducible. Cancellable events (reneging timers,
// preemption) get a handle; cancelling removes the record at once (O(log n)), so a model
// whose timers are mostly cancelled keeps a small calendar. Cancellable events live in a
// heap of their own (each record's index kept for cancelling), plain events in another
// (moved as plain data); the next event is the earlier of the two tops. Storage is
// reused, so steady state allocates nothing.
//
// Far plain events (set_far_span): a plain event at or after a threshold waits in a bucket
// beside the heap instead of in it, so that many far-future events (leads nurtured for
// half a year) do not deepen the heap every pop sifts through. Bucket j holds the far
// events whose time / span, truncated, is j (about j * span <= time < (j + 1) * span; the
// last bucket every quotient at or beyond its index, +infinity included). Every event in the heap is before the threshold and every
// event in a bucket at or after it; when the heap runs empty, the earliest non-empty
// bucket's events enter it and the threshold moves to that bucket's end. Each keeps the
// sequence number it got when scheduled, so the events fire in exactly the same (time,
// insertion) order as without the buckets.
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
    std::size_t size() const { return plain_.n + timers_.n + far_n_; }  // pending events

    void reserve(std::size_t n);
    // Forget every event and restart the clock at 0 (keeps the storage and the far span).
    void clear();
    // Plain events in a later bucket of width `span` than the heap's wait beside it (see
    // above); +infinity (the default) or a span <= 0: none do. Call it while no
    // event is pending (after clear()). Changes no event's order.
    void set_far_span(double span);

    // Schedules an event; time must be >= now() (throws std::invalid_argument otherwise).
    [[gnu::always_inline]] void schedule(double time, std::uint32_t kind, std::uint32_t a = 0, std::uint32_t b = 0) {
        if (!(time >= now_)) throw_past();
        if (time >= far_from_) [[unlikely]]
            push_far(time, kind, a, b);
        else
            push<false>(Entry{time, seq_++, kind, a, b, EventHandle::none});
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
        if (plain_.n == 0 && far_n_ != 0) [[unlikely]]
            refill();
        const Entry* top;
        bool timer = false;
        if (timers_.n == 0) {
            if (plain_.n == 0) return false;
            top = &plain_.v[0];
        } else if (plain_.n == 0 || later(plain_.v[0], timers_.v[0])) {
            top = &timers_.v[0];
            timer = true;
        } else {
            top = &plain_.v[0];
        }
        if (top->time > until) return false;
        now_ = top->time;
        ++processed_;
        out = Event{top->time, top->kind, top->a, top->b};
        if (timer) {
            retire_slot(top->slot);
            pop_top<true>();
        } else {
            pop_top<false>();
        }
        return true;
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
    // A 4-ary heap: children of i are 4i+1 .. 4i+4. Half the levels of a binary heap, so
    // half the moves per pop and push (each move of a cancellable record also updates its
    // index), for a few more comparisons among siblings.
    static constexpr std::size_t arity = 4;
    static std::size_t parent_of(std::size_t i) { return (i - 1) / arity; }
    struct Heap {
        std::vector<Entry> v;  // records [0, n) form the heap; the rest is spare storage
        std::size_t n = 0;
    };
    // Track: the heap of cancellable records, whose moves update pos_.
    template <bool Track> Heap& heap() {
        if constexpr (Track) return timers_;
        else return plain_;
    }
    // The smallest of the children c, c + 1, ... (at most `arity` of them) below n.
    static std::size_t smallest_child(const Entry* h, std::size_t c, std::size_t n) {
        if (c + 3 < n) {
            const std::size_t a = c + later(h[c], h[c + 1]);
            const std::size_t b = c + 2 + later(h[c + 2], h[c + 3]);
            return later(h[a], h[b]) ? b : a;
        }
        std::size_t best = c;
        for (std::size_t k = c + 1; k < n; ++k)
            if (later(h[best], h[k])) best = k;
        return best;
    }
    [[noreturn]] static void throw_past();
    // Puts e at index i of its heap, keeping a cancellable record's index.
    template <bool Track> void place(Entry* h, std::size_t i, const Entry& e) {
        h[i] = e;
        if constexpr (Track) pos_[e.slot] = static_cast<std::uint32_t>(i);
    }
    // Sift-up with a hole; storage grows out of line.
    template <bool Track> void push(const Entry& e) {
        Heap& hp = heap<Track>();
        if (hp.n == hp.v.size()) grow(hp);
        sift_up<Track>(hp.n++, e);
    }
    template <bool Track> void sift_up(std::size_t i, const Entry& e) {
        Entry* h = heap<Track>().v.data();
        while (i > 0) {
            const std::size_t parent = parent_of(i);
            if (!later(h[parent], e)) break;
            place<Track>(h, i, h[parent]);
            i = parent;
        }
        place<Track>(h, i, e);
    }
    static void grow(Heap& hp);
    // The heap ran empty: move the earliest non-empty bucket's events into it.
    void refill();
    void push_far(double time, std::uint32_t kind, std::uint32_t a, std::uint32_t b);  // out of line
    template <bool Track> void pop_top();
    void remove_at(std::size_t i);  // from the cancellable heap
    // A cancellable event fired or was cancelled: handles to it stop being pending.
    void retire_slot(std::uint32_t slot);

    Heap plain_;   // events scheduled with schedule()
    Heap timers_;  // cancellable events
    std::vector<std::uint32_t> generation_;  // current generation of each cancellable slot (handles)
    std::vector<std::uint32_t> pos_;         // index in timers_ of each pending slot's record
    std::vector<std::uint8_t> pending_;      // 1 while the slot's event is in the heap
    std::vector<std::uint32_t> free_slots_;
    static constexpr std::size_t far_buckets = 4096;  // buckets of width far_span_, then one for the rest
    std::size_t bucket_of(double time) const;
    double threshold(std::size_t j) const;
    std::vector<std::vector<Entry>> far_;  // plain events at or after far_from_, by bucket, unsorted
    std::size_t far_n_ = 0;                // how many
    std::size_t far_next_ = 1;             // far_from_ == threshold(far_next_); buckets below are empty
    double far_span_ = std::numeric_limits<double>::infinity();
    double far_from_ = std::numeric_limits<double>::infinity();  // the threshold
    double now_ = 0.0;
    std::uint64_t seq_ = 0;
    std::uint64_t processed_ = 0;
};

}  // namespace salesflow::kernel
