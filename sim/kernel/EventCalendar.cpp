#include "kernel/EventCalendar.hpp"

#include <cmath>
#include <stdexcept>

namespace salesflow::kernel {

// 4-ary heaps kept by hand rather than std::priority_queue: we need to remove a
// cancelled record from the middle, and sift with a hole instead of swaps. The hot paths
// (schedule with its sift-up, pop) are inline in the header; removing the top, removing
// a cancelled record, growth and the cancellable-slot bookkeeping live here.
//
// Cancellable records are in a heap of their own (timers_), each knowing its index
// there (pos_), kept up to date by every move, so cancelling removes it in O(log n);
// the plain heap moves records as plain data. Handles compare generations: firing or
// cancelling bumps the slot's generation and frees it, so a later event reusing the slot
// is never touched through an old handle. Because records are ordered by (time, seq), a
// total order, and the next event is the earlier of the two tops, the events fire in the
// same order whatever the heaps' shapes.

void EventCalendar::throw_past() {
    throw std::invalid_argument("event scheduled in the past or at NaN time");
}

void EventCalendar::reserve(std::size_t n) {
    if (plain_.v.size() < n) plain_.v.resize(n);
    if (timers_.v.size() < n) timers_.v.resize(n);
    generation_.reserve(n);
    pos_.reserve(n);
    pending_.reserve(n);
    free_slots_.reserve(n);
}

void EventCalendar::set_far_span(double span) {
    far_span_ = span > 0.0 ? span : std::numeric_limits<double>::infinity();
    for (auto& bucket : far_) bucket.clear();
    far_n_ = 0;
    if (far_span_ == std::numeric_limits<double>::infinity()) {
        far_from_ = far_span_;
        return;
    }
    if (far_.size() < far_buckets + 1) far_.resize(far_buckets + 1);
    far_next_ = bucket_of(now_) + 1;
    far_from_ = threshold(far_next_);
}

// A time's bucket: its quotient by the span, truncated, the last bucket for every quotient
// at or beyond it. It never decreases as the time grows (a division by a positive number
// and a truncation both keep the order), so the times of buckets j and on are those at or
// after threshold(j), and a bucket's events are all before the next one's.
std::size_t EventCalendar::bucket_of(double time) const {
    const double q = time / far_span_;
    return q < static_cast<double>(far_buckets) ? static_cast<std::size_t>(q) : far_buckets;
}

// The earliest time of bucket j or a later one (+infinity past the last bucket): j * span,
// moved by a few units in the last place where the quotient rounds across j.
double EventCalendar::threshold(std::size_t j) const {
    const double inf = std::numeric_limits<double>::infinity();
    if (j > far_buckets) return inf;
    double t = static_cast<double>(j) * far_span_;
    while (t > 0.0 && bucket_of(std::nextafter(t, 0.0)) >= j) t = std::nextafter(t, 0.0);
    while (bucket_of(t) < j) t = std::nextafter(t, inf);
    return t;
}

void EventCalendar::push_far(double time, std::uint32_t kind, std::uint32_t a, std::uint32_t b) {
    // +infinity with no buckets, or after the last bucket was emptied: into the heap.
    if (far_span_ == std::numeric_limits<double>::infinity() || far_next_ > far_buckets) {
        push<false>(Entry{time, seq_++, kind, a, b, EventHandle::none});
        return;
    }
    far_[bucket_of(time)].push_back(Entry{time, seq_++, kind, a, b, EventHandle::none});
    ++far_n_;
}

void EventCalendar::refill() {
    std::size_t j = far_next_;
    while (far_[j].empty()) ++j;  // far_n_ > 0: some bucket from far_next_ on holds events
    for (const Entry& e : far_[j]) push<false>(e);
    far_n_ -= far_[j].size();
    far_[j].clear();
    far_next_ = j + 1;
    far_from_ = threshold(far_next_);  // past the last bucket nothing is far any more
}

void EventCalendar::clear() {
    plain_.n = 0;
    timers_.n = 0;
    // Bump every generation so handles from before the clear can never match again.
    for (auto& g : generation_) ++g;
    for (auto& p : pending_) p = 0;
    free_slots_.clear();
    for (std::uint32_t i = 0; i < generation_.size(); ++i) free_slots_.push_back(static_cast<std::uint32_t>(generation_.size()) - 1 - i);
    for (auto& bucket : far_) bucket.clear();
    far_n_ = 0;
    far_next_ = 1;
    far_from_ = far_span_ == std::numeric_limits<double>::infinity() ? far_span_ : threshold(1);
    now_ = 0.0;
    seq_ = 0;
    processed_ = 0;
}

void EventCalendar::grow(Heap& hp) {
    hp.v.resize(hp.v.empty() ? 64 : 2 * hp.v.size());
}

// Removes the top record. Bottom-up: the hole at the root sinks to a leaf along the
// smallest children, then the last record rises from there; it usually belongs near
// the bottom, so this does fewer comparisons than the textbook sift-down.
template <bool Track> void EventCalendar::pop_top() {
    Heap& hp = heap<Track>();
    const std::size_t n = --hp.n;  // size after removal
    if (n == 0) return;
    Entry* h = hp.v.data();
    const Entry last = h[n];
    std::size_t i = 0;
    for (;;) {
        const std::size_t c = arity * i + 1;
        if (c >= n) break;
        const std::size_t child = smallest_child(h, c, n);
        place<Track>(h, i, h[child]);
        i = child;
    }
    while (i > 0) {
        const std::size_t parent = parent_of(i);
        if (!later(h[parent], last)) break;
        place<Track>(h, i, h[parent]);
        i = parent;
    }
    place<Track>(h, i, last);
}
template void EventCalendar::pop_top<true>();
template void EventCalendar::pop_top<false>();

// Removes the record at index i of the cancellable heap: the last record takes its place
// and moves up or down.
void EventCalendar::remove_at(std::size_t i) {
    const std::size_t n = --timers_.n;
    if (i == n) return;
    Entry* h = timers_.v.data();
    const Entry last = h[n];
    if (i > 0 && later(h[parent_of(i)], last)) {
        while (i > 0) {
            const std::size_t parent = parent_of(i);
            if (!later(h[parent], last)) break;
            place<true>(h, i, h[parent]);
            i = parent;
        }
    } else {
        for (;;) {
            const std::size_t c = arity * i + 1;
            if (c >= n) break;
            const std::size_t child = smallest_child(h, c, n);
            if (!later(last, h[child])) break;
            place<true>(h, i, h[child]);
            i = child;
        }
    }
    place<true>(h, i, last);
}

void EventCalendar::retire_slot(std::uint32_t slot) {
    ++generation_[slot];
    pending_[slot] = 0;
    free_slots_.push_back(slot);
}

EventHandle EventCalendar::schedule_cancellable(double time, std::uint32_t kind, std::uint32_t a, std::uint32_t b) {
    if (!(time >= now_)) throw_past();
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(generation_.size());
        generation_.push_back(0);
        pos_.push_back(0);
        pending_.push_back(0);
        // The free list never holds more than every slot: room for that now, so that
        // retiring a slot never allocates once the number of slots is stable.
        free_slots_.reserve(generation_.capacity());
    }
    pending_[slot] = 1;
    push<true>(Entry{time, seq_++, kind, a, b, slot});
    return EventHandle{slot, generation_[slot]};
}

bool EventCalendar::is_pending(const EventHandle& h) const {
    return h.slot != EventHandle::none && h.slot < generation_.size() && generation_[h.slot] == h.generation &&
           pending_[h.slot];
}

void EventCalendar::cancel_pending(EventHandle& h) {
    if (is_pending(h)) {
        remove_at(pos_[h.slot]);
        retire_slot(h.slot);
    }
    h = EventHandle{};
}

double EventCalendar::next_time() {
    if (plain_.n == 0 && far_n_ != 0) refill();
    const double inf = std::numeric_limits<double>::infinity();
    const double a = plain_.n > 0 ? plain_.v[0].time : inf;
    const double b = timers_.n > 0 ? timers_.v[0].time : inf;
    return a < b ? a : b;
}

}  // namespace salesflow::kernel
