#pragma once
// Units of calendar time (the simulation clock runs in hours). One definition for the
// whole program: the kernel's working calendars, the model, the input layer's units and
// the command line's reports all use these.
namespace salesflow::kernel {

inline constexpr double hours_per_day = 24.0;
inline constexpr double days_per_week = 7.0;
inline constexpr double hours_per_week = hours_per_day * days_per_week;  // 168
inline constexpr double hours_per_year = 365.0 * hours_per_day;          // 8760: a 365-day year
inline constexpr double hours_per_month = hours_per_year / 12.0;         // 730: a twelfth of it

}  // namespace salesflow::kernel
