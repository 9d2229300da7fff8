#pragma once
// WorkingCalendar: the hours in which people work, repeating every 168-hour week.
// Work in progress pauses outside working hours and resumes at the next working hour,
// so a task's completion time is found by counting working hours, not calendar hours.
// Arrivals are not affected: buyers keep arriving at any hour (a Poisson source with
// working_hours_share concentrates them in simulation.calendar's hours, Arrivals.hpp).
#include "kernel/CalendarSpec.hpp"
#include "kernel/Time.hpp"

namespace salesflow::kernel {

class WorkingCalendar {
public:
    WorkingCalendar() : WorkingCalendar(CalendarSpec::always()) {}
    explicit WorkingCalendar(const CalendarSpec& spec);

    bool always() const { return always_; }
    double hours_per_week() const { return always_ ? kernel::hours_per_week : h_ * static_cast<double>(d_); }

    // Working hours in [0, t).
    double working_hours_until(double t) const;
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
    bool is_working(double t) const;
    // The start of the first working window that begins after t (t itself excluded):
    // when people who are off at t next start work.
    double next_start_after(double t) const;

private:
    double advance_slow(double t, double work) const;
    double advance_from_slow(double t, double wh_t, double work) const;
    // Inverse of working_hours_until: earliest time with W(time) = w.
    double time_of_working_hour(double w) const;

    bool always_ = true;
    double h_ = 24.0;      // hours per working day
    int d_ = 7;            // working days per week
    double start_ = 0.0;   // start of the working window within the day
};

}  // namespace salesflow::kernel
