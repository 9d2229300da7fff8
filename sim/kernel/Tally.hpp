#pragma once
// Tally: running statistics of observations (count, mean, variance by Welford's method,
// min, max, sum). Numerically stable; O(1) memory.
#include <cstdint>
#include <limits>

namespace salesflow::kernel {

class Tally {
public:
    void add(double x) {
        ++n_;
        const double d = x - mean_;
        mean_ += d / static_cast<double>(n_);
        m2_ += d * (x - mean_);
        sum_ += x;
        if (x < min_) min_ = x;
        if (x > max_) max_ = x;
    }
    void reset() { *this = Tally{}; }

    std::int64_t count() const { return n_; }
    double mean() const { return n_ > 0 ? mean_ : 0.0; }
    double sum() const { return sum_; }
    double variance() const;  // sample variance (n - 1); 0 for n < 2
    double sd() const;
    double min() const { return n_ > 0 ? min_ : 0.0; }
    double max() const { return n_ > 0 ? max_ : 0.0; }

private:
    std::int64_t n_ = 0;
    double mean_ = 0.0;
    double m2_ = 0.0;
    double sum_ = 0.0;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace salesflow::kernel
