#include "calibrate/FieldParse.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace salesflow::calibrate {

long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(long long z, int& y, int& m, int& d) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long yy = yoe + era * 400;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yy + (m <= 2));
}

int month_index(double t_h) {
    const long long days = static_cast<long long>(std::floor(t_h / 24.0));
    int y, m, d;
    civil_from_days(days, y, m, d);
    return y * 12 + m - 1;
}

namespace {

struct Cursor {
    std::string_view s;
    std::size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    // 1..max digits; returns -1 when none.
    long digits(int min_n, int max_n) {
        long v = 0;
        int n = 0;
        while (!done() && n < max_n && std::isdigit(static_cast<unsigned char>(s[i]))) {
            v = v * 10 + (s[i] - '0');
            ++i;
            ++n;
        }
        return n >= min_n ? v : -1;
    }
    bool eat(char c) {
        if (peek() != c) return false;
        ++i;
        return true;
    }
    void spaces() {
        while (!done() && s[i] == ' ') ++i;
    }
};

int days_in_month(int y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

}  // namespace

std::optional<double> parse_timestamp(std::string_view text, DateOrder order, double default_offset_h) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    Cursor c{text};
    long y = -1, mo = -1, d = -1;
    bool slashes = false;
    const long a = c.digits(1, 4);
    if (a < 0) return std::nullopt;
    if (c.i == 4 && c.eat('-')) {
        y = a;
        mo = c.digits(1, 2);
        if (mo < 0 || !c.eat('-')) return std::nullopt;
        d = c.digits(1, 2);
    } else if (c.eat('/')) {
        slashes = true;
        const long b = c.digits(1, 2);
        if (b < 0 || !c.eat('/')) return std::nullopt;
        const long e = c.digits(4, 4);
        if (e < 0) {
            // ymd with slashes: 2024/03/05
            return std::nullopt;
        }
        if (order == DateOrder::dmy) { d = a; mo = b; } else { mo = a; d = b; }
        y = e;
    } else {
        return std::nullopt;
    }
    (void)slashes;
    if (d < 0 || y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(static_cast<int>(y), static_cast<int>(mo)))
        return std::nullopt;
    double hours = 0.0;
    double offset = default_offset_h;
    if (!c.done()) {
        if (!(c.eat('T') || c.eat(' '))) return std::nullopt;
        c.spaces();
        const long hh = c.digits(1, 2);
        if (hh < 0 || !c.eat(':')) return std::nullopt;
        const long mm = c.digits(2, 2);
        if (mm < 0 || mm > 59) return std::nullopt;
        double ss = 0.0;
        if (c.eat(':')) {
            const long s = c.digits(2, 2);
            if (s < 0 || s > 60) return std::nullopt;
            ss = static_cast<double>(s);
            if (c.eat('.') || c.eat(',')) {
                double f = 0.1;
                int n = 0;
                while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek()))) {
                    ss += f * (c.peek() - '0');
                    f /= 10.0;
                    ++c.i;
                    ++n;
                }
                if (n == 0) return std::nullopt;
            }
        }
        long h = hh;
        c.spaces();
        const std::string_view rest = text.substr(c.i);
        if (rest.size() >= 2 && (iequal(rest.substr(0, 2), "AM") || iequal(rest.substr(0, 2), "PM"))) {
            if (h < 1 || h > 12) return std::nullopt;
            const bool pm = iequal(rest.substr(0, 2), "PM");
            h = (h % 12) + (pm ? 12 : 0);
            c.i += 2;
            c.spaces();
        }
        if (h > 23) return std::nullopt;
        hours = static_cast<double>(h) + static_cast<double>(mm) / 60.0 + ss / 3600.0;
        if (!c.done()) {
            const std::string_view z = text.substr(c.i);
            if (z == "Z" || iequal(z, "UTC") || iequal(z, "GMT")) {
                offset = 0.0;
                c.i = text.size();
            } else if (c.peek() == '+' || c.peek() == '-') {
                const double sign = c.peek() == '-' ? -1.0 : 1.0;
                ++c.i;
                const long oh = c.digits(2, 2);
                if (oh < 0 || oh > 14) return std::nullopt;
                long om = 0;
                if (c.eat(':')) {
                    om = c.digits(2, 2);
                    if (om < 0) return std::nullopt;
                } else if (!c.done()) {
                    om = c.digits(2, 2);
                    if (om < 0) return std::nullopt;
                }
                if (om > 59) return std::nullopt;
                offset = sign * (static_cast<double>(oh) + static_cast<double>(om) / 60.0);
            } else {
                return std::nullopt;
            }
            if (!c.done()) return std::nullopt;
        }
    }
    const double days = static_cast<double>(days_from_civil(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d)));
    return days * 24.0 + hours - offset;
}

std::optional<double> parse_amount(std::string_view text, DecimalMark mark) {
    // Strip the currency: letters, symbols (any non-ASCII byte: €, £, ¥) and '$', and spaces.
    std::size_t b = 0, e = text.size();
    auto strip = [](unsigned char ch) { return ch == ' ' || ch == '$' || ch >= 0x80 || std::isalpha(ch) || ch == '\t'; };
    while (b < e && strip(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && strip(static_cast<unsigned char>(text[e - 1]))) --e;
    const std::string_view num = text.substr(b, e - b);
    if (num.empty()) return std::nullopt;
    const char dec = mark == DecimalMark::point ? '.' : ',';
    const char group = mark == DecimalMark::point ? ',' : '.';
    double v = 0.0;
    bool seen_digit = false, in_frac = false;
    double f = 0.1;
    int since_group = -1;  // digits since the last group separator (-1: none yet)
    for (char ch : num) {
        if (std::isdigit(static_cast<unsigned char>(ch))) {
            seen_digit = true;
            if (in_frac) {
                v += f * (ch - '0');
                f /= 10.0;
            } else {
                v = v * 10.0 + (ch - '0');
                if (since_group >= 0) ++since_group;
            }
        } else if (ch == group && !in_frac) {
            if (!seen_digit || (since_group >= 0 && since_group != 3)) return std::nullopt;
            since_group = 0;
        } else if ((ch == ' ' || ch == '\'') && !in_frac && seen_digit) {
            if (since_group >= 0 && since_group != 3) return std::nullopt;
            since_group = 0;  // 12 500,00 and 12'500.00
        } else if (ch == dec && !in_frac) {
            if (since_group >= 0 && since_group != 3) return std::nullopt;
            in_frac = true;
        } else {
            return std::nullopt;
        }
    }
    if (!seen_digit || (since_group >= 0 && !in_frac && since_group != 3)) return std::nullopt;
    if (!std::isfinite(v)) return std::nullopt;
    return v;
}

std::string format_timestamp(double t_h, double offset_h, bool zulu, bool millis) {
    const double local = t_h + offset_h;
    long long secs = static_cast<long long>(std::floor(local * 3600.0 + 0.5));
    long long days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long rem = secs - days * 86400;
    int y, m, d;
    civil_from_days(days, y, m, d);
    const int hh = static_cast<int>(rem / 3600), mi = static_cast<int>((rem % 3600) / 60), ss = static_cast<int>(rem % 60);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, hh, mi, ss);
    std::string out = buf;
    if (millis) out += ".000";
    if (offset_h == 0.0 && zulu && !millis) return out + "Z";
    const int total = static_cast<int>(std::lround(std::fabs(offset_h) * 60.0));
    std::snprintf(buf, sizeof buf, millis ? "%c%02d%02d" : "%c%02d:%02d", offset_h < 0 ? '-' : '+', total / 60, total % 60);
    return out + buf;
}

}  // namespace salesflow::calibrate
