#pragma once
// Tally: running statistics of observations (count, mean, variance, min, max, sum) in
// O(1) memory. Sums are kept shifted by the first observation (the "shifted data"
// algorithm): as stable as Welford's for simulation outputs, with no division per
// observation, which matters on the per-event path.
#include <cstdint>
#include <limits>

namespace salesflow::kernel {

class Tally {
public:
    void add(double x) {
        if (n_ == 0) shift_ = x;
        ++n_;
        const double d = x - shift_;
        s1_ += d;
        s2_ += d * d;
        if (x < min_) min_ = x;
        if (x > max_) max_ = x;
    }
    void reset() { *this = Tally{}; }

    std::int64_t count() const { return n_; }
    double mean() const { return n_ > 0 ? shift_ + s1_ / static_cast<double>(n_) : 0.0; }
    double sum() const { return shift_ * static_cast<double>(n_) + s1_; }
    double variance() const;  // sample variance (n - 1); 0 for n < 2
    double sd() const;
    double min() const { return n_ > 0 ? min_ : 0.0; }
    double max() const { return n_ > 0 ? max_ : 0.0; }

private:
    std::int64_t n_ = 0;
    double shift_ = 0.0;
    double s1_ = 0.0;  // sum of (x - shift)
    double s2_ = 0.0;  // sum of (x - shift)^2
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace salesflow::kernel
