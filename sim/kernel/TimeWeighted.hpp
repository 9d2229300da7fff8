#pragma once
// TimeWeighted: the time average of a piecewise-constant quantity (queue length, WIP,
// busy servers), integrated exactly between changes. Observation starts at reset(t).

namespace salesflow::kernel {

class TimeWeighted {
public:
    // Starts (or restarts) observation at time t, keeping the current value.
    void reset(double t) {
        start_ = t;
        last_ = t;
        area_ = 0.0;
    }
    void set(double t, double v) {
        if (t > last_) {
            area_ += value_ * (t - last_);
            last_ = t;
        }
        value_ = v;
    }
    void add(double t, double dv) { set(t, value_ + dv); }

    double value() const { return value_; }
    // Integral of the value from the start of observation to t (t >= last change).
    double area(double t) const { return area_ + (t > last_ ? value_ * (t - last_) : 0.0); }
    double mean(double t) const { return t > start_ ? area(t) / (t - start_) : value_; }

private:
    double start_ = 0.0;
    double last_ = 0.0;
    double value_ = 0.0;
    double area_ = 0.0;
};

}  // namespace salesflow::kernel
