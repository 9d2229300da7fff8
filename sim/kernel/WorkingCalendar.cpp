#include "kernel/WorkingCalendar.hpp"
#include "kernel/Time.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salesflow::kernel {

namespace {
constexpr double week_h = hours_per_week;
constexpr double day_h = hours_per_day;
}  // namespace

WorkingCalendar::WorkingCalendar(const CalendarSpec& spec)
    : always_(spec.is_always()), h_(spec.hours_per_day), d_(spec.days_per_week), start_(spec.day_start_h) {
    if (always_) {
        h_ = 24.0;
        d_ = 7;
        start_ = 0.0;
    }
}

// W(t) is continuous and piecewise linear, so advance() is its inverse after adding the
// work: exact, with no stepping through days (horizons of years stay O(1) per task).
double WorkingCalendar::working_hours_until_slow(double t) const {
    if (t <= 0.0) return 0.0;
    const double weeks = std::floor(t / week_h);
    const double in_week = t - weeks * week_h;
    const double day = std::floor(in_week / day_h);
    const double in_day = in_week - day * day_h;
    double w = weeks * h_ * d_;
    const double full_days = std::min(day, static_cast<double>(d_));
    w += full_days * h_;
    if (day < d_) w += std::clamp(in_day - start_, 0.0, h_);
    remember_day(weeks, day);
    return w;
}

// The cached path computes in_day as t - origin, the full formula as
// (t - weeks x 168) - day x 24: both subtractions are exact (Sterbenz: t lies within
// [origin, origin + 24), origin a whole number of hours), so both give the exact
// t - origin. The margin keeps t / 168 and in_week / 24 (rounded divisions, relative
// error below 2^-52) away from the whole numbers where floor() could step.
void WorkingCalendar::remember_day(double weeks, double day) const {
    if (!(weeks >= 0.0) || !(day >= 0.0) || day >= 7.0 || weeks > 1e9) {
        cell_lo_ = 1.0;
        cell_hi_ = 0.0;
        return;
    }
    const double origin = weeks * week_h + day * day_h;
    const double margin = 1e-6 + origin * 1e-12;
    cell_origin_ = origin;
    cell_lo_ = origin + margin;
    cell_hi_ = origin + day_h - margin;
    cell_base_ = weeks * h_ * d_ + std::min(day, static_cast<double>(d_)) * h_;
    cell_working_day_ = day < d_;
}

double WorkingCalendar::time_of_working_hour(double w) const {
    const double per_week = h_ * d_;
    double weeks = std::floor(w / per_week);
    double rem = w - weeks * per_week;
    if (rem <= 0.0 && weeks > 0.0) {  // exactly at a week boundary: end of the last working day
        weeks -= 1.0;
        rem = per_week;
    }
    double day = std::floor(rem / h_);
    double within = rem - day * h_;
    if (within <= 0.0 && day > 0.0) {  // exactly at a day boundary: end of the previous day
        day -= 1.0;
        within = h_;
    }
    return weeks * week_h + day * day_h + start_ + within;
}

double WorkingCalendar::advance_slow(double t, double work) const {
    if (work <= 0.0) return t;
    return std::max(t, time_of_working_hour(working_hours_until(t) + work));
}

double WorkingCalendar::advance_from_slow(double t, double wh_t, double work) const {
    return std::max(t, time_of_working_hour(wh_t + work));
}

double WorkingCalendar::next_start_after(double t) const {
    if (always_) return std::numeric_limits<double>::infinity();  // never starts: always on
    const double week = std::floor(t / week_h);
    const double in_week = t - week * week_h;
    double day = std::floor(in_week / day_h);
    // This day's window if it starts later today, else the next working day's.
    if (!(day < d_ && in_week - day * day_h < start_)) day += 1.0;
    if (day >= d_) return (week + 1.0) * week_h + start_;
    return week * week_h + day * day_h + start_;
}

bool WorkingCalendar::is_working_slow(double t) const {
    const double weeks = std::floor(t / week_h);
    const double in_week = t - weeks * week_h;
    const double day = std::floor(in_week / day_h);
    const double in_day = in_week - day * day_h;
    remember_day(weeks, day);
    return day < d_ && in_day >= start_ && in_day < start_ + h_;
}

}  // namespace salesflow::kernel
