#include "input/Quantities.hpp"

#include "kernel/Time.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace salesflow::input {
namespace {

using kernel::hours_per_day;
using kernel::hours_per_month;  // 730 h, the model's month
using kernel::hours_per_week;
using kernel::hours_per_year;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Length of the longest prefix of `s` that is a decimal number in YAML's grammar
// (sign, digits, optional fraction, optional exponent), or 0 when there is none.
std::size_t number_prefix(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') { ++i; ++digits; }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') { ++i; ++digits; }
    }
    if (digits == 0) return 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        const std::size_t exp_start = j;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
        if (j > exp_start) i = j;  // "2e" alone: the e is not part of the number
    }
    return i;
}

bool is_special_float(std::string_view s) {
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
    return s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN" ||
           s == "inf" || s == "nan" || s == "Infinity" || s == "NaN";
}

// Converts a string already known to match the number grammar.
double convert(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0.0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc::result_out_of_range) {
        // from_chars reports both overflow and underflow; a number that underflows is
        // just zero for every purpose here, one that overflows is refused.
        std::size_t i = 0;
        while (i < s.size() && (s[i] == '-' || s[i] == '0' || s[i] == '.')) ++i;
        const bool is_zero = i == s.size() || s[i] == 'e' || s[i] == 'E';
        const auto e = s.find_first_of("eE");
        const bool negative_exponent = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
        if (is_zero || negative_exponent) return 0.0;
        throw QuantityError("is too large");
    }
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) throw QuantityError("must be a number");
    return v;
}

double scale(double v, double factor) {
    const double out = v * factor;
    if (!std::isfinite(out)) throw QuantityError("is too large");
    return out;
}

}  // namespace

bool try_parse_number(std::string_view text, double& out) {
    text = trim(text);
    if (is_special_float(text)) throw QuantityError("must be a finite number");
    const std::size_t n = number_prefix(text);
    if (n == 0 || n != text.size()) return false;
    out = convert(text);
    return true;
}

double parse_number(std::string_view text) {
    double v = 0.0;
    if (!try_parse_number(text, v)) throw QuantityError("must be a number");
    return v;
}

double parse_duration(std::string_view text) {
    const std::string_view s = trim(text);
    static const char* const form = "must be a duration such as 90min, 2.5h, 3d, 6w or 1y (a bare number is hours)";
    if (s.empty()) throw QuantityError(form);
    if (is_special_float(s)) throw QuantityError("must be a finite duration");
    const std::size_t n = number_prefix(s);
    if (n == 0) throw QuantityError(form);
    const double v = convert(s.substr(0, n));
    const std::string_view unit = trim(s.substr(n));
    double hours = 0.0;
    if (unit.empty() || unit == "h") hours = v;
    else if (unit == "min") hours = v / 60.0;
    else if (unit == "d") hours = scale(v, hours_per_day);
    else if (unit == "w") hours = scale(v, hours_per_week);
    else if (unit == "y") hours = scale(v, hours_per_year);
    else if (unit == "m") throw QuantityError("has the ambiguous unit 'm' (minutes or months?): write 'min' for minutes, or use h, d, w, y");
    else if (unit == "s") throw QuantityError("has unit 's': seconds are not supported, use min, h, d, w or y");
    else throw QuantityError("has an unknown unit '" + std::string(unit) + "': use min, h, d, w or y");
    if (v < 0.0 || std::signbit(hours) != std::signbit(v)) throw QuantityError("must not be negative");
    if (hours == 0.0) hours = 0.0;  // no -0
    return hours;
}

double parse_rate(std::string_view text) {
    const std::string_view s = trim(text);
    static const char* const form = "must be a rate such as 30/w, 4/d, 100/y, 10/month or 0.5 (a bare number is per hour)";
    if (s.empty()) throw QuantityError(form);
    if (is_special_float(s)) throw QuantityError("must be a finite rate");
    const std::size_t n = number_prefix(s);
    if (n == 0) throw QuantityError(form);
    const double v = convert(s.substr(0, n));
    std::string_view rest = trim(s.substr(n));
    double per_hour = 0.0;
    if (rest.empty()) {
        per_hour = v;
    } else {
        if (rest.front() != '/') {
            throw QuantityError("must be a rate: write the unit after a '/', e.g. " + std::string(s.substr(0, n)) + "/" +
                                std::string(rest));
        }
        const std::string_view unit = trim(rest.substr(1));
        if (unit == "h") per_hour = v;
        else if (unit == "min") per_hour = scale(v, 60.0);
        else if (unit == "d") per_hour = v / hours_per_day;
        else if (unit == "w") per_hour = v / hours_per_week;
        else if (unit == "y") per_hour = v / hours_per_year;
        else if (unit == "month") per_hour = v / hours_per_month;
        else if (unit == "m") throw QuantityError("has the ambiguous unit 'm' (minutes or months?): write /min or /month");
        else throw QuantityError("has an unknown unit '" + std::string(unit) + "': use /min, /h, /d, /w, /y or /month");
    }
    if (v < 0.0) throw QuantityError("must not be negative");
    if (per_hour == 0.0) per_hour = 0.0;
    return per_hour;
}

std::string format_number(double value) {
    if (std::isnan(value)) return ".nan";
    if (std::isinf(value)) return value > 0 ? ".inf" : "-.inf";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, r.ptr);
}

}  // namespace salesflow::input
