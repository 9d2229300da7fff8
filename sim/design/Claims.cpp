#include "design/Claims.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include <boost/math/distributions/normal.hpp>

namespace salesflow::design {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A finite decimal number: [+-]digits[.digits][(e|E)[+-]digits], or [+-].digits...
bool decimal_number(std::string_view s, double& out) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp_digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
        if (exp_digits == 0) return false;
    }
    if (i != s.size()) return false;
    // from_chars does not take a leading '+'.
    std::string_view body = s;
    if (!body.empty() && body[0] == '+') body.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), out);
    return ec == std::errc() && ptr == body.data() + body.size() && std::isfinite(out);
}

std::string shortest(double v) {
    char buf[32];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        double back = 0.0;
        std::from_chars(buf, buf + std::char_traits<char>::length(buf), back);
        if (back == v) break;
    }
    return buf;
}

}  // namespace

bool Claim::holds(double v) const {
    switch (op) {
        case Comparison::greater: return v > threshold;
        case Comparison::greater_equal: return v >= threshold;
        case Comparison::less: return v < threshold;
        case Comparison::less_equal: return v <= threshold;
        case Comparison::equal: return v == threshold;
    }
    return false;
}

std::string Claim::text() const {
    const char* ops[] = {">", ">=", "<", "<=", "=="};
    return std::string(ops[static_cast<int>(op)]) + " " + shortest(threshold);
}

Claim parse_claim(std::string_view text) {
    auto fail = [&]() -> Claim {
        throw ClaimError("expected a comparison and a number, like \">= 2\", \"> 0\", \"<= -0.1\" or \"== 0\", got \"" +
                         std::string(text) + "\"");
    };
    std::string_view s = text;
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    Claim c;
    if (s.starts_with(">=")) c.op = Comparison::greater_equal, s.remove_prefix(2);
    else if (s.starts_with("<=")) c.op = Comparison::less_equal, s.remove_prefix(2);
    else if (s.starts_with("==")) c.op = Comparison::equal, s.remove_prefix(2);
    else if (s.starts_with(">")) c.op = Comparison::greater, s.remove_prefix(1);
    else if (s.starts_with("<")) c.op = Comparison::less, s.remove_prefix(1);
    else return fail();
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    if (!decimal_number(s, c.threshold)) return fail();
    return c;
}

Proportion wilson_interval(std::size_t hits, std::size_t n, double level) {
    if (!(level > 0.0 && level < 1.0)) throw std::invalid_argument("interval level must be in (0, 1)");
    if (hits > n) throw std::invalid_argument("more hits than trials");
    Proportion r;
    r.hits = hits;
    r.n = n;
    if (n == 0) {
        r.estimate = std::numeric_limits<double>::quiet_NaN();
        return r;
    }
    const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 * (1.0 + level));
    const double nn = static_cast<double>(n);
    const double p = static_cast<double>(hits) / nn;
    const double z2n = z * z / nn;
    const double centre = (p + 0.5 * z2n) / (1.0 + z2n);
    const double half = z / (1.0 + z2n) * std::sqrt(p * (1.0 - p) / nn + z * z / (4.0 * nn * nn));
    r.estimate = p;
    r.lower = std::max(0.0, centre - half);
    r.upper = std::min(1.0, centre + half);
    return r;
}

ClaimProbability claim_probability(const Claim& claim, std::span<const double> samples, double level) {
    std::size_t hits = 0, n = 0, missing = 0;
    for (double v : samples) {
        if (std::isnan(v)) {
            ++missing;
            continue;
        }
        ++n;
        if (claim.holds(v)) ++hits;
    }
    return {wilson_interval(hits, n, level), missing};
}

double quantile_sorted(std::span<const double> sorted, double q) {
    if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument("quantile probability must be in [0, 1]");
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double h = static_cast<double>(sorted.size() - 1) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    if (lo + 1 >= sorted.size()) return sorted.back();
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

std::vector<double> quantiles(std::span<const double> samples, std::span<const double> qs) {
    std::vector<double> sorted;
    sorted.reserve(samples.size());
    for (double v : samples)
        if (!std::isnan(v)) sorted.push_back(v);
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> out;
    out.reserve(qs.size());
    for (double q : qs) out.push_back(quantile_sorted(sorted, q));
    return out;
}

}  // namespace salesflow::design
