#pragma once
// Units of calendar time used by the model (hours).
namespace salesflow::model {

inline constexpr double hours_per_week = 168.0;
inline constexpr double hours_per_month = 730.0;   // a twelfth of a 365-day year
inline constexpr double hours_per_year = 8760.0;   // 365 days

}  // namespace salesflow::model
