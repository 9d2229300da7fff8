#pragma once
// Reservoir: a uniform random sample of at most `capacity` items from a stream of any
// length (Vitter's algorithm R, with a fixed seed so that a calibration is repeatable).
// Keeps the statistics of a 1 GB export in bounded memory; below the capacity it holds
// every item.
#include <cstdint>
#include <vector>

namespace salesflow::calibrate {

template <class T>
class Reservoir {
public:
    explicit Reservoir(std::size_t capacity = 20000, std::uint64_t seed = 0x5eed) : capacity_(capacity), state_(seed) {}

    void add(const T& item) {
        ++seen_;
        if (items_.size() < capacity_) {
            items_.push_back(item);
            return;
        }
        const std::uint64_t j = next() % seen_;
        if (j < capacity_) items_[j] = item;
    }
    const std::vector<T>& items() const { return items_; }
    std::uint64_t seen() const { return seen_; }
    std::size_t capacity() const { return capacity_; }

private:
    std::uint64_t next() {  // splitmix64
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t capacity_;
    std::uint64_t state_;
    std::uint64_t seen_ = 0;
    std::vector<T> items_;
};

}  // namespace salesflow::calibrate
