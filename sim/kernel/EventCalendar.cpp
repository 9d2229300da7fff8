#include "kernel/EventCalendar.hpp"

#include <stdexcept>

namespace salesflow::kernel {

// A 4-ary heap kept by hand rather than std::priority_queue: we need to remove a
// cancelled record from the middle, and sift with a hole instead of swaps. The hot paths
// (schedule with its sift-up, pop) are inline in the header; removing the top, removing
// a cancelled record, growth and the cancellable-slot bookkeeping live here.
//
// Each cancellable record knows its heap index (pos_), kept up to date by every move, so
// cancelling removes it in O(log n). Handles compare generations: firing or cancelling
// bumps the slot's generation and frees it, so a later event reusing the slot is never
// touched through an old handle. Because records are ordered by (time, seq), a total
// order, the events fire in the same order whatever the heap's shape.

void EventCalendar::throw_past() {
    throw std::invalid_argument("event scheduled in the past or at NaN time");
}

void EventCalendar::reserve(std::size_t n) {
    if (heap_.size() < n) heap_.resize(n);
    generation_.reserve(n);
    pos_.reserve(n);
    pending_.reserve(n);
    free_slots_.reserve(n);
}

void EventCalendar::clear() {
    n_ = 0;
    cancellable_ = 0;
    // Bump every generation so handles from before the clear can never match again.
    for (auto& g : generation_) ++g;
    for (auto& p : pending_) p = 0;
    free_slots_.clear();
    for (std::uint32_t i = 0; i < generation_.size(); ++i) free_slots_.push_back(static_cast<std::uint32_t>(generation_.size()) - 1 - i);
    now_ = 0.0;
    seq_ = 0;
    processed_ = 0;
}

void EventCalendar::grow() {
    heap_.resize(heap_.empty() ? 64 : 2 * heap_.size());
}

// Removes the top record. Bottom-up: the hole at the root sinks to a leaf along the
// smallest children, then the last record rises from there; it usually belongs near
// the bottom, so this does fewer comparisons than the textbook sift-down.
template <bool Track> void EventCalendar::pop_top_impl() {
    const std::size_t n = --n_;  // size after removal
    if (n == 0) return;
    const Entry last = heap_[n];
    Entry* h = heap_.data();
    std::size_t i = 0;
    for (;;) {
        const std::size_t c = arity * i + 1;
        if (c >= n) break;
        const std::size_t child = smallest_child(c, n);
        place<Track>(i, h[child]);
        i = child;
    }
    while (i > 0) {
        const std::size_t parent = parent_of(i);
        if (!later(h[parent], last)) break;
        place<Track>(i, h[parent]);
        i = parent;
    }
    place<Track>(i, last);
}
template void EventCalendar::pop_top_impl<true>();

void EventCalendar::push_tracked(const Entry& e) { sift_up<true>(n_++, e); }
template void EventCalendar::pop_top_impl<false>();

// Removes the record at index i: the last record takes its place and moves up or down.
void EventCalendar::remove_at(std::size_t i) {
    const std::size_t n = --n_;
    if (i == n) return;
    const Entry last = heap_[n];
    Entry* h = heap_.data();
    if (i > 0 && later(h[parent_of(i)], last)) {
        while (i > 0) {
            const std::size_t parent = parent_of(i);
            if (!later(h[parent], last)) break;
            place<true>(i, h[parent]);
            i = parent;
        }
    } else {
        for (;;) {
            const std::size_t c = arity * i + 1;
            if (c >= n) break;
            const std::size_t child = smallest_child(c, n);
            if (!later(last, h[child])) break;
            place<true>(i, h[child]);
            i = child;
        }
    }
    place<true>(i, last);
}

void EventCalendar::retire_slot(std::uint32_t slot) {
    --cancellable_;
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
    ++cancellable_;
    push(Entry{time, seq_++, kind, a, b, slot});
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
    return n_ > 0 ? heap_[0].time : std::numeric_limits<double>::infinity();
}

}  // namespace salesflow::kernel
