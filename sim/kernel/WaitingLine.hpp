#pragma once
// WaitingLine: the line in front of scarce servers, ordered by a comparator key:
// smallest key first, then arrival (insertion) order. FIFO is every key equal;
// "priority then FIFO" is key = -priority. Storage is reused: no allocation in steady
// state. Items cannot be removed from the middle; a model that lets items leave the line
// (reneging) marks them stale and skips them when they reach the front.
//
// While every waiting item has the same key (a FIFO line, the common case) the items are
// kept in arrival order and served from the front in O(1); the first item with another
// key turns the line into a binary heap until it empties. The order served is the same
// either way: (key, insertion sequence).
#include <algorithm>
#include <cstdint>
#include <vector>

namespace salesflow::kernel {

template <class Payload>
class WaitingLine {
public:
    struct Item {
        double key;
        std::uint64_t seq;
        Payload payload;
    };

    bool empty() const { return items_.size() == head_; }
    std::size_t size() const { return items_.size() - head_; }
    void clear() {
        items_.clear();
        head_ = 0;
        seq_ = 0;
        heap_mode_ = false;
    }
    void reserve(std::size_t n) { items_.reserve(n); }

    void push(double key, const Payload& p) {
        const Item it{key, seq_++, p};
        if (!heap_mode_) {
            if (empty() || key == items_[head_].key) {
                items_.push_back(it);
                return;
            }
            to_heap();
        }
        items_.push_back(it);
        std::size_t i = items_.size() - 1;
        while (i > 0) {
            std::size_t parent = (i - 1) / 2;
            if (!before(it, items_[parent])) break;
            items_[i] = items_[parent];
            i = parent;
        }
        items_[i] = it;
    }

    const Item& front() const { return items_[head_]; }

    Payload pop() {
        if (!heap_mode_) {
            Payload p = items_[head_].payload;
            ++head_;
            if (head_ == items_.size()) {
                items_.clear();
                head_ = 0;
            } else if (head_ >= 64 && head_ * 2 >= items_.size()) {
                // Drop the served prefix now and then: amortised O(1), storage kept.
                items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
                head_ = 0;
            }
            return p;
        }
        Payload p = items_.front().payload;
        const Item last = items_.back();
        items_.pop_back();
        const std::size_t n = items_.size();
        if (n == 0) {
            heap_mode_ = false;  // empty again: back to the FIFO fast path
            return p;
        }
        std::size_t i = 0;
        for (;;) {
            std::size_t c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && before(items_[c + 1], items_[c])) ++c;
            if (!before(items_[c], last)) break;
            items_[i] = items_[c];
            i = c;
        }
        items_[i] = last;
        return p;
    }

    // The first item in serving order (key, then insertion) whose payload `ok` accepts,
    // or null. For a server that may not take the front item (it belongs to someone
    // else): it looks further down the line instead of being blocked by the front.
    // O(size); the item stays in the line (the caller makes it stale).
    template <class Pred> const Item* first_where(Pred ok) const {
        if (!heap_mode_) {  // every key equal: insertion order
            for (std::size_t i = head_; i < items_.size(); ++i)
                if (ok(items_[i].payload)) return &items_[i];
            return nullptr;
        }
        const Item* best = nullptr;
        for (const Item& it : items_)
            if ((!best || before(it, *best)) && ok(it.payload)) best = &it;
        return best;
    }

    static bool before(const Item& x, const Item& y) {
        return x.key < y.key || (x.key == y.key && x.seq < y.seq);
    }

private:
    void to_heap() {
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
        // Items in arrival order with equal keys already form a valid heap.
        heap_mode_ = true;
    }

    std::vector<Item> items_;
    std::size_t head_ = 0;       // first waiting item (FIFO mode)
    std::uint64_t seq_ = 0;
    bool heap_mode_ = false;
};

}  // namespace salesflow::kernel
