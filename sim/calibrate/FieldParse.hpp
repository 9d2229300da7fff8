#pragma once
// FieldParse: the values of a CRM export's cells: timestamps with time zones, money
// amounts written as currency strings, and the reverse (for the export generator).
#include <optional>
#include <string>
#include <string_view>

namespace salesflow::calibrate {

enum class DateOrder { ymd, mdy, dmy };   // how a date with slashes is read
enum class DecimalMark { point, comma };  // "12,500.00" or "12.500,00"

// Hours since 1970-01-01T00:00Z, or nullopt. Accepted (calibrate.md, "Timestamps"):
//   2024-03-05, 2024-03-05T14:02, 2024-03-05 14:02:11, with optional fraction of a second,
//   then optionally Z, UTC, GMT, +01:00, +0100, +01 (offset of the local time from UTC);
//   03/05/2024 [2:02[:11] [PM]] with the slash order given by `order`.
// A timestamp without a zone is read as UTC plus `default_offset_h`.
std::optional<double> parse_timestamp(std::string_view text, DateOrder order = DateOrder::ymd,
                                      double default_offset_h = 0.0);

// A non-negative amount: digits with thousands separators and an optional decimal part,
// with an optional currency symbol or ISO code before or after ($, EUR, €, £, USD, ...)
// and optional spaces. "$12,500.00", "12500", "EUR 3.000,00" (with DecimalMark::comma).
// Returns nullopt for anything else (negative amounts included).
std::optional<double> parse_amount(std::string_view text, DecimalMark mark = DecimalMark::point);

// Civil date <-> days since 1970-01-01 (proleptic Gregorian).
long long days_from_civil(int y, int m, int d);
void civil_from_days(long long z, int& y, int& m, int& d);

// "2024-03-05T14:02:11+01:00" for `t_h` (hours since the epoch, UTC) shown at `offset_h`;
// with `offset_h` = 0 and `zulu`, "...Z". `millis` adds ".000" and writes the offset as
// +0100 (the Salesforce shape).
std::string format_timestamp(double t_h, double offset_h, bool zulu = true, bool millis = false);

// Calendar month index (year * 12 + month - 1) of a time in hours since the epoch (UTC).
int month_index(double t_h);

}  // namespace salesflow::calibrate
