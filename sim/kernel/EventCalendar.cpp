#include "kernel/EventCalendar.hpp"

#include <stdexcept>

namespace salesflow::kernel {

// A binary heap kept by hand rather than std::priority_queue: we need to look at the top
// record's slot to drop cancelled ones, and sift with a hole instead of swaps. The hot
// paths (schedule with its sift-up, pop) are inline in the header; removing the top,
// growth and the cancellable-slot bookkeeping live here.
//
// A cancellable record is live while live_seq_[slot] equals its (unique) sequence number;
// handles compare generations. Cancelling or firing bumps the generation, forgets the
// sequence number and frees the slot, so the record left in the heap is stale and a
// later event reusing the slot is never touched through an old handle.

void EventCalendar::throw_past() {
    throw std::invalid_argument("event scheduled in the past or at NaN time");
}

void EventCalendar::reserve(std::size_t n) {
    if (heap_.size() < n) heap_.resize(n);
    generation_.reserve(n);
    live_seq_.reserve(n);
    free_slots_.reserve(n);
}

void EventCalendar::clear() {
    n_ = 0;
    // Bump every generation so handles from before the clear can never match again.
    for (auto& g : generation_) ++g;
    for (auto& s : live_seq_) s = no_seq;
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
// smaller children (one comparison per level), then the last record rises from there;
// it usually belongs near the bottom, so this does about half the comparisons of the
// textbook sift-down.
void EventCalendar::pop_top() {
    const std::size_t n = --n_;  // size after removal
    if (n == 0) return;
    const Entry last = heap_[n];
    Entry* h = heap_.data();
    std::size_t i = 0;
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child + 1 < n) {
            child += later(h[child], h[child + 1]);
        } else if (child >= n) {
            break;
        }
        h[i] = h[child];
        i = child;
    }
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!later(h[parent], last)) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = last;
}

bool EventCalendar::fire_slot(const Entry& e) {
    if (live_seq_[e.slot] != e.seq) return false;  // cancelled
    ++generation_[e.slot];  // fired: handles to it are no longer pending
    live_seq_[e.slot] = no_seq;
    free_slots_.push_back(e.slot);
    return true;
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
        live_seq_.push_back(no_seq);
    }
    const std::uint64_t seq = seq_++;
    live_seq_[slot] = seq;
    push(Entry{time, seq, kind, a, b, slot});
    return EventHandle{slot, generation_[slot]};
}

bool EventCalendar::is_pending(const EventHandle& h) const {
    return h.slot != EventHandle::none && h.slot < generation_.size() && generation_[h.slot] == h.generation;
}

void EventCalendar::cancel_pending(EventHandle& h) {
    if (is_pending(h)) {
        ++generation_[h.slot];  // the record in the heap is now stale
        live_seq_[h.slot] = no_seq;
        free_slots_.push_back(h.slot);
    }
    h = EventHandle{};
}

double EventCalendar::next_time() {
    while (n_ > 0) {
        const Entry& t = heap_[0];
        if (t.slot == EventHandle::none || live_seq_[t.slot] == t.seq) return t.time;
        pop_top();  // cancelled
    }
    return std::numeric_limits<double>::infinity();
}

}  // namespace salesflow::kernel
