#pragma once
// WorkingCalendar: the hours in which people work, repeating every 168-hour week.
// Work in progress pauses outside working hours and resumes at the next working hour,
// so a task's completion time is found by counting working hours, not calendar hours.
// Arrivals are not affected: buyers keep arriving at any hour (a Poisson source with
// working_hours_share concentrates them in simulation.calendar's hours, Arrivals.hpp).
#include "kernel/CalendarSpec.hpp"
#include "kernel/Time.hpp"

#include <algorithm>

namespace salesflow::kernel {

class WorkingCalendar {
public:
    WorkingCalendar() : WorkingCalendar(CalendarSpec::always()) {}
    explicit WorkingCalendar(const CalendarSpec& spec);

    bool always() const { return always_; }
    double hours_per_week() const { return always_ ? kernel::hours_per_week : h_ * static_cast<double>(d_); }

    // Working hours in [0, t).
    double working_hours_until(double t) const {
        if (always_) return t;
        if (t >= cell_lo_ && t < cell_hi_) {
            // The same arithmetic as the full formula, with the day's terms remembered.
            if (!cell_working_day_) return cell_base_;
            const double in_day = t - cell_origin_;
            return cell_base_ + std::clamp(in_day - start_, 0.0, h_);
        }
        return working_hours_until_slow(t);
    }
    // Working hours in [a, b), b >= a.
    double working_hours(double a, double b) const {
        return always_ ? b - a : working_hours_until(b) - working_hours_until(a);
    }
    // Earliest time t' >= t at which `work` working hours have been done since t.
    double advance(double t, double work) const {
        if (always_) return t + work;
        return advance_slow(t, work);
    }
    // As advance(), given wh_t = working_hours_until(t) already computed.
    double advance_from(double t, double wh_t, double work) const {
        if (always_) return t + work;
        if (work <= 0.0) return t;
        return advance_from_slow(t, wh_t, work);
    }
    bool is_working(double t) const {
        if (always_) return true;
        if (t >= cell_lo_ && t < cell_hi_) {
            const double in_day = t - cell_origin_;
            return cell_working_day_ && in_day >= start_ && in_day < start_ + h_;
        }
        return is_working_slow(t);
    }
    // The start of the first working window that begins after t (t itself excluded):
    // when people who are off at t next start work.
    double next_start_after(double t) const;

private:
    double working_hours_until_slow(double t) const;
    bool is_working_slow(double t) const;
    // Remembers the day of t (the full formula's week and day terms) for later calls.
    void remember_day(double weeks, double day) const;
    double advance_slow(double t, double work) const;
    double advance_from_slow(double t, double wh_t, double work) const;
    // Inverse of working_hours_until: earliest time with W(time) = w.
    double time_of_working_hour(double w) const;

    bool always_ = true;
    double h_ = 24.0;      // hours per working day
    int d_ = 7;            // working days per week
    double start_ = 0.0;   // start of the working window within the day
    // The day of the last slow call: is_working and working_hours_until of a time in
    // [cell_lo_, cell_hi_) (that day less a margin at each end, where the full formula
    // surely finds the same week and day) reuse its terms, bit for bit the same result.
    // Each engine owns its calendars: not shared between threads.
    mutable double cell_lo_ = 1.0;
    mutable double cell_hi_ = 0.0;   // empty
    mutable double cell_origin_ = 0.0;   // the day's midnight: weeks x 168 + day x 24
    mutable double cell_base_ = 0.0;     // working hours before the day
    mutable bool cell_working_day_ = false;
};

}  // namespace salesflow::kernel
