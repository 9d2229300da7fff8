#include "input/DistributionLimits.hpp"

#include <cmath>

#include "input/Quantities.hpp"

namespace salesflow::input {

using kernel::DistFamily;

namespace {

using L = DistributionLimits;

std::string at_most(const char* what) { return std::string(what) + " must be at most " + format_number(L::max_value); }

std::string mean_and_sd(double mean, double sd, bool sd_checked) {
    if (!(mean >= L::min_mean && mean <= L::max_value))
        return "the mean must be from " + format_number(L::min_mean) + " to " + format_number(L::max_value);
    if (sd_checked && !(sd <= L::max_cv * mean))
        return "the sd must be at most " + format_number(L::max_cv) + " times the mean (sd/mean = " +
               format_number(sd / mean) + ")";
    return {};
}

}  // namespace

std::string sampling_problem(const kernel::DistributionSpec& d) {
    switch (d.family) {
    case DistFamily::constant:
        return std::abs(d.p1) <= L::max_value ? std::string() : at_most("the value");
    case DistFamily::exponential: return mean_and_sd(d.p1, 0.0, false);
    case DistFamily::uniform:
        return std::abs(d.p1) <= L::max_value && std::abs(d.p2) <= L::max_value ? std::string() : at_most("min and max");
    case DistFamily::triangular:
    case DistFamily::pert:
        return std::abs(d.p1) <= L::max_value && std::abs(d.p3) <= L::max_value ? std::string() : at_most("min and max");
    case DistFamily::lognormal:
    case DistFamily::gamma: return mean_and_sd(d.p1, d.p2, true);
    case DistFamily::beta:
        if (!(d.p1 >= L::min_shape && d.p1 <= L::max_shape && d.p2 >= L::min_shape && d.p2 <= L::max_shape))
            return "a and b must be from " + format_number(L::min_shape) + " to " + format_number(L::max_shape);
        return {};
    case DistFamily::empirical:
        for (const double v : d.values)
            if (!(std::abs(v) <= L::max_value)) return at_most("every value");
        return {};
    }
    return {};
}

}  // namespace salesflow::input
