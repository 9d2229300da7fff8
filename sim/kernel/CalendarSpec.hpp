#pragma once
// CalendarSpec: when people work. `24/7` is hours_per_day = 24, days_per_week = 7.
// The working window of a working day is [day_start_h, day_start_h + hours_per_day);
// days 0 .. days_per_week-1 of every 168-hour week are working days (time 0 is the
// start of the first working day's calendar day, a Monday 00:00).

namespace salesflow::kernel {

struct CalendarSpec {
    double hours_per_day = 8.0;
    int days_per_week = 5;
    double day_start_h = 9.0;

    static CalendarSpec always() { return {24.0, 7, 0.0}; }
    bool is_always() const { return hours_per_day >= 24.0 && days_per_week >= 7; }
    double hours_per_week() const { return hours_per_day * days_per_week; }
};

}  // namespace salesflow::kernel
