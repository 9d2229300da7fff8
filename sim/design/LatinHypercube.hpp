#pragma once
// LatinHypercube: n points in [0, 1)^d, deterministic from a seed. Each dimension is cut
// into n equal strata; each stratum holds exactly one point; the strata of different
// dimensions are paired by independent keyed permutations, and the value lies uniformly
// inside its stratum. Any point is computed on its own in O(d) without storing the
// design (the same construction as the sweep's latin_hypercube in sim/input/SweepPlan.cpp):
//
//   strata_key_k = kernel::stream_key(seed, k, PURPOSE + "/strata")
//   offset_key_k = kernel::stream_key(seed, k, PURPOSE + "/offset")
//   value(i, k)  = (permute(i, n, strata_key_k) + u) / n,
//   u            = top 53 bits of mix64(offset_key_k ^ mix64(i)) * 2^-53
//
// where permute is a four-round balanced Feistel network on the smallest even number of
// bits covering n, cycle-walked into [0, n), and mix64 the splitmix64 finaliser
// (docs/study-method.md gives the exact round function). PURPOSE defaults to
// "design/latin-hypercube"; with "sweep/latin-hypercube" the values equal the sweep's.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <span>
#include <string_view>
#include <vector>

namespace salesflow::design {

class LatinHypercube {
public:
    // points >= 1, dimensions >= 1 (throws std::invalid_argument otherwise).
    LatinHypercube(std::size_t points, std::size_t dimensions, std::uint64_t seed,
                   std::string_view purpose = "design/latin-hypercube");

    std::size_t points() const { return n_; }
    std::size_t dimensions() const { return strata_keys_.size(); }
    std::uint64_t seed() const { return seed_; }

    // Coordinate k of point i, in [0, 1). No allocation.
    double value(std::size_t point, std::size_t dimension) const;
    // All coordinates of one point; out.size() == dimensions().
    void point(std::size_t point, std::span<double> out) const;
    // The whole design, row-major (point i, dimension k at [i * d + k]).
    std::vector<double> matrix() const;

private:
    std::size_t n_;
    std::uint64_t seed_;
    std::vector<std::uint64_t> strata_keys_;
    std::vector<std::uint64_t> offset_keys_;
};

// The keyed bijection of [0, n) used for the strata (exposed for tests and re-use: the
// sweep's Latin hypercube, input/SweepPlan, uses the same two functions).
std::uint64_t feistel_permute(std::uint64_t i, std::uint64_t n, std::uint64_t key);
// splitmix64's finaliser: the within-stratum offsets and the permutation's round function.
std::uint64_t mix64(std::uint64_t z);

}  // namespace salesflow::design
