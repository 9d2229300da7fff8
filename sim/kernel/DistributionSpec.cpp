#include "kernel/DistributionSpec.hpp"

namespace salesflow::kernel {

const char* family_name(DistFamily f) {
    switch (f) {
        case DistFamily::constant: return "constant";
        case DistFamily::exponential: return "exponential";
        case DistFamily::uniform: return "uniform";
        case DistFamily::triangular: return "triangular";
        case DistFamily::pert: return "pert";
        case DistFamily::lognormal: return "lognormal";
        case DistFamily::gamma: return "gamma";
        case DistFamily::beta: return "beta";
        case DistFamily::empirical: return "empirical";
    }
    return "unknown";
}

}  // namespace salesflow::kernel
