#include "input/ValueReader.hpp"

#include <charconv>
#include <limits>

#include "input/Quantities.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::input {
namespace {

// A quoted "3" is text by YAML's rules; say so, since the value looks right to the user.
std::string got(const ConfigNode& n) {
    std::string out = ", got " + describe(n);
    if (n.is_scalar() && n.quoted()) out += " (quoted, so it is text)";
    return out;
}

bool is_integer_literal(const std::string& s) {
    std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i >= s.size()) return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

}  // namespace

void ValueReader::error(const Position& where, const std::string& path, std::string message) {
    diags_.add(where, path, std::move(message));
}

std::optional<std::string> ValueReader::text(const ConfigNode& n, const std::string& path) {
    if (n.is_scalar()) return n.text();
    error(n.pos(), path, "must be text, got " + describe(n));
    return std::nullopt;
}

std::optional<std::string> ValueReader::name(const ConfigNode& n, const std::string& path) {
    if (n.is_scalar() && !n.text().empty()) {
        bool ok = n.text().size() <= 100;
        for (const char c : n.text())
            ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
        if (ok) return n.text();
    }
    error(n.pos(), path, "must be a name of at most 100 letters, digits, '-' and '_', got " + describe(n));
    return std::nullopt;
}

std::optional<bool> ValueReader::boolean(const ConfigNode& n, const std::string& path) {
    if (n.is_scalar() && !n.quoted()) {
        const std::string& t = n.text();
        if (t == "true" || t == "True" || t == "TRUE") return true;
        if (t == "false" || t == "False" || t == "FALSE") return false;
    }
    error(n.pos(), path, "must be true or false" + got(n));
    return std::nullopt;
}

std::optional<std::int64_t> ValueReader::integer(const ConfigNode& n, const std::string& path, std::int64_t lo,
                                                 std::int64_t hi) {
    const std::string expected = "must be an integer >= " + std::to_string(lo);
    if (!n.is_scalar() || n.quoted() || !is_integer_literal(n.text())) {
        error(n.pos(), path, expected + got(n));
        return std::nullopt;
    }
    std::string_view t = n.text();
    if (t.front() == '+') t.remove_prefix(1);
    std::int64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec == std::errc::result_out_of_range) {
        error(n.pos(), path, (t.front() == '-' ? expected : "must be at most " + std::to_string(hi)) + got(n));
        return std::nullopt;
    }
    if (v < lo) {
        error(n.pos(), path, expected + got(n));
        return std::nullopt;
    }
    if (v > hi) {
        error(n.pos(), path, "must be at most " + std::to_string(hi) + got(n));
        return std::nullopt;
    }
    return v;
}

std::optional<std::uint64_t> ValueReader::unsigned64(const ConfigNode& n, const std::string& path) {
    const std::string expected = "must be an integer from 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max());
    if (!n.is_scalar() || n.quoted() || !is_integer_literal(n.text()) || n.text().front() == '-') {
        // "-0" is zero, but nobody writes it on purpose; refusing it keeps the rule simple.
        error(n.pos(), path, expected + got(n));
        return std::nullopt;
    }
    std::string_view t = n.text();
    if (t.front() == '+') t.remove_prefix(1);
    std::uint64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc()) {
        error(n.pos(), path, expected + got(n));
        return std::nullopt;
    }
    return v;
}

std::optional<double> ValueReader::number(const ConfigNode& n, const std::string& path, const Range& range) {
    const std::string r = range.str();
    const std::string expected = "must be a number" + (r.empty() ? std::string() : " " + r);
    if (!n.is_scalar() || n.quoted()) {
        error(n.pos(), path, expected + got(n));
        return std::nullopt;
    }
    double v = 0.0;
    try {
        if (!try_parse_number(n.text(), v)) {
            error(n.pos(), path, expected + got(n));
            return std::nullopt;
        }
    } catch (const QuantityError&) {
        // Grammatically a number, but .inf, .nan or beyond the range of a double.
        const bool special = n.text().find_first_of("0123456789") == std::string::npos;
        error(n.pos(), path, "must be a finite number" + got(n) + (special ? "" : " (too large)"));
        return std::nullopt;
    }
    if (!range.contains(v)) {
        error(n.pos(), path, expected + got(n));
        return std::nullopt;
    }
    return v;
}

std::optional<double> ValueReader::duration(const ConfigNode& n, const std::string& path, const Range& range) {
    if (!n.is_scalar()) {
        error(n.pos(), path, "must be a duration such as 90min, 2.5h, 3d, 6w or 1y (a bare number is hours), got " + describe(n));
        return std::nullopt;
    }
    double v = 0.0;
    try {
        v = parse_duration(n.text());
    } catch (const QuantityError& e) {
        error(n.pos(), path, std::string(e.what()) + ", got " + describe(n));
        return std::nullopt;
    }
    if (!range.contains(v)) {
        error(n.pos(), path, "must be a duration " + range.str() + " hours, got " + describe(n));
        return std::nullopt;
    }
    return v;
}

std::optional<double> ValueReader::rate(const ConfigNode& n, const std::string& path) {
    if (!n.is_scalar()) {
        error(n.pos(), path, "must be a rate such as 30/w, 4/d or 0.5 (per hour), got " + describe(n));
        return std::nullopt;
    }
    try {
        return parse_rate(n.text());
    } catch (const QuantityError& e) {
        error(n.pos(), path, std::string(e.what()) + ", got " + describe(n));
        return std::nullopt;
    }
}

}  // namespace salesflow::input
