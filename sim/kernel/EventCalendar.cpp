#include "kernel/EventCalendar.hpp"

#include <cmath>
#include <stdexcept>

namespace salesflow::kernel {

// A binary heap kept by hand rather than std::priority_queue: we need to look at the top
// record's slot to drop cancelled ones, and sift with a hole instead of swaps.

void EventCalendar::reserve(std::size_t n) {
    heap_.reserve(n);
    generation_.reserve(n);
    free_slots_.reserve(n);
}

void EventCalendar::clear() {
    heap_.clear();
    // Bump every generation so handles from before the clear can never match again.
    for (auto& g : generation_) ++g;
    free_slots_.clear();
    for (std::uint32_t i = 0; i < generation_.size(); ++i) free_slots_.push_back(static_cast<std::uint32_t>(generation_.size()) - 1 - i);
    now_ = 0.0;
    seq_ = 0;
    processed_ = 0;
}

void EventCalendar::push(const Entry& e) {
    heap_.push_back(e);
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
        std::size_t parent = (i - 1) / 2;
        if (!later(heap_[parent], e)) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = e;
}

void EventCalendar::pop_top() {
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && later(heap_[child], heap_[child + 1])) ++child;
        if (!later(last, heap_[child])) break;
        heap_[i] = heap_[child];
        i = child;
    }
    heap_[i] = last;
}

void EventCalendar::schedule(double time, std::uint32_t kind, std::uint32_t a, std::uint32_t b) {
    if (!(time >= now_)) throw std::invalid_argument("event scheduled in the past or at NaN time");
    push(Entry{time, seq_++, kind, a, b, EventHandle::none, 0});
}

EventHandle EventCalendar::schedule_cancellable(double time, std::uint32_t kind, std::uint32_t a, std::uint32_t b) {
    if (!(time >= now_)) throw std::invalid_argument("event scheduled in the past or at NaN time");
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(generation_.size());
        generation_.push_back(0);
    }
    const std::uint32_t gen = generation_[slot];
    push(Entry{time, seq_++, kind, a, b, slot, gen});
    return EventHandle{slot, gen};
}

bool EventCalendar::is_pending(const EventHandle& h) const {
    return h.slot != EventHandle::none && h.slot < generation_.size() && generation_[h.slot] == h.generation;
}

void EventCalendar::cancel(EventHandle& h) {
    if (is_pending(h)) {
        ++generation_[h.slot];  // the record in the heap is now stale
        free_slots_.push_back(h.slot);
    }
    h = EventHandle{};
}

bool EventCalendar::top_is_stale() const {
    const Entry& t = heap_.front();
    return t.slot != EventHandle::none && generation_[t.slot] != t.generation;
}

double EventCalendar::next_time() {
    while (!heap_.empty() && top_is_stale()) pop_top();
    return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_.front().time;
}

bool EventCalendar::pop(Event& out) {
    return pop_until(std::numeric_limits<double>::infinity(), out);
}

bool EventCalendar::pop_until(double until, Event& out) {
    while (!heap_.empty()) {
        const Entry top = heap_.front();
        if (top.time > until) {
            // Stale records past `until` may stay: they are dropped when they surface.
            return false;
        }
        pop_top();
        if (top.slot != EventHandle::none) {
            if (generation_[top.slot] != top.generation) continue;  // cancelled
            ++generation_[top.slot];  // fired: handles to it are no longer pending
            free_slots_.push_back(top.slot);
        }
        now_ = top.time;
        ++processed_;
        out = Event{top.time, top.kind, top.a, top.b};
        return true;
    }
    return false;
}

}  // namespace salesflow::kernel
