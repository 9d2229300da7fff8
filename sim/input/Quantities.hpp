#pragma once
// Quantities: the text forms of numbers, durations and rates in scenario files
// (scenario-core.md, "Quantities"). Durations come back in hours, rates in events per
// hour. Each parser throws QuantityError whose what() says what is wrong, without the
// value; callers add the position and quote the value.
#include <stdexcept>
#include <string>
#include <string_view>

namespace salesflow::input {

class QuantityError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A decimal number as YAML writes one: `12`, `-3.5`, `.5`, `2e-3`, `+1`. `.inf` and
// `.nan` and overflow (`1e999`) are refused as not finite. No hex, no `_` separators.
double parse_number(std::string_view text);

// Same grammar as parse_number; returns false instead of throwing when `text` is not a
// number at all (still throws QuantityError when it is a number that is not finite).
bool try_parse_number(std::string_view text, double& out);

// A duration in hours: a number (hours) or a number with a unit: min, h, d (24 h),
// w (7 d), y (365 d); a space before the unit is allowed. Negative values are refused;
// `m` is refused as ambiguous (minutes or months?).
double parse_duration(std::string_view text);

// A rate in events per hour: a number (per hour) or `N/u` with u one of min, h, d, w,
// y, month (730 h). Negative values are refused.
double parse_rate(std::string_view text);

// Shortest text that reads back to the same double (for messages and emitted YAML).
std::string format_number(double value);

}  // namespace salesflow::input
