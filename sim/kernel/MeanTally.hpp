#pragma once
// MeanTally: the mean of observations, and nothing else, at the least cost per
// observation (the model's per-visit and per-lead statistics report only means). It
// keeps Tally's shifted sum, so mean() is bit for bit Tally::mean() of the same
// observations; it drops what Tally adds per observation for the variance, minimum and
// maximum.
#include <cstdint>

namespace salesflow::kernel {

class MeanTally {
public:
    void add(double x) {
        if (n_ == 0) shift_ = x;
        ++n_;
        s1_ += x - shift_;
    }
    void reset() { *this = MeanTally{}; }

    std::int64_t count() const { return n_; }
    double mean() const { return n_ > 0 ? shift_ + s1_ / static_cast<double>(n_) : 0.0; }

private:
    std::int64_t n_ = 0;
    double shift_ = 0.0;
    double s1_ = 0.0;  // sum of (x - shift)
};

}  // namespace salesflow::kernel
