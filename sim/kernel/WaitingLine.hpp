#pragma once
// WaitingLine: the line in front of scarce servers, ordered by a comparator key:
// smallest key first, then arrival (insertion) order. FIFO is every key equal;
// "priority then FIFO" is key = -priority. Storage is reused: no allocation in steady
// state. Items cannot be removed from the middle; a model that lets items leave the line
// (reneging) marks them stale and skips them when they reach the front.
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

    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    void clear() { heap_.clear(); seq_ = 0; }
    void reserve(std::size_t n) { heap_.reserve(n); }

    void push(double key, const Payload& p) {
        Item it{key, seq_++, p};
        heap_.push_back(it);
        std::size_t i = heap_.size() - 1;
        while (i > 0) {
            std::size_t parent = (i - 1) / 2;
            if (!before(it, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = it;
    }
    const Item& front() const { return heap_.front(); }
    Payload pop() {
        Payload p = heap_.front().payload;
        const Item last = heap_.back();
        heap_.pop_back();
        const std::size_t n = heap_.size();
        if (n > 0) {
            std::size_t i = 0;
            for (;;) {
                std::size_t c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && before(heap_[c + 1], heap_[c])) ++c;
                if (!before(heap_[c], last)) break;
                heap_[i] = heap_[c];
                i = c;
            }
            heap_[i] = last;
        }
        return p;
    }

    static bool before(const Item& x, const Item& y) {
        return x.key < y.key || (x.key == y.key && x.seq < y.seq);
    }

private:
    std::vector<Item> heap_;
    std::uint64_t seq_ = 0;
};

}  // namespace salesflow::kernel
