#include "design/LatinHypercube.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "kernel/RandomStreams.hpp"

namespace salesflow::design {

std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A bijection of [0, n) chosen by `key`: a four-round balanced Feistel network on the
// smallest even number of bits (at least 2) covering n, walked until it lands inside
// [0, n) (at most four steps on average). Same function as SweepPlan's.
std::uint64_t feistel_permute(std::uint64_t i, std::uint64_t n, std::uint64_t key) {
    unsigned bits = 2;
    while ((std::uint64_t{1} << bits) < n) bits += 2;
    const unsigned half = bits / 2;
    const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
    do {
        std::uint64_t l = i >> half, r = i & mask;
        for (std::uint64_t round = 0; round < 4; ++round) {
            const std::uint64_t f = mix64(key ^ (r * 0x9e3779b97f4a7c15ULL) ^ (round << 56)) & mask;
            const std::uint64_t next = l ^ f;
            l = r;
            r = next;
        }
        i = (l << half) | r;
    } while (i >= n);
    return i;
}

LatinHypercube::LatinHypercube(std::size_t points, std::size_t dimensions, std::uint64_t seed, std::string_view purpose)
    : n_(points), seed_(seed) {
    if (points < 1) throw std::invalid_argument("a Latin hypercube needs at least one point");
    if (dimensions < 1) throw std::invalid_argument("a Latin hypercube needs at least one dimension");
    if (points > (std::size_t{1} << 62)) throw std::invalid_argument("too many Latin hypercube points");
    const std::string strata = std::string(purpose) + "/strata";
    const std::string offset = std::string(purpose) + "/offset";
    strata_keys_.reserve(dimensions);
    offset_keys_.reserve(dimensions);
    for (std::size_t k = 0; k < dimensions; ++k) {
        strata_keys_.push_back(kernel::stream_key(seed, k, strata));
        offset_keys_.push_back(kernel::stream_key(seed, k, offset));
    }
}

double LatinHypercube::value(std::size_t point, std::size_t k) const {
    if (point >= n_ || k >= strata_keys_.size()) throw std::out_of_range("Latin hypercube index out of range");
    const std::uint64_t stratum = feistel_permute(point, n_, strata_keys_[k]);
    const double u = static_cast<double>(mix64(offset_keys_[k] ^ mix64(point)) >> 11) * 0x1.0p-53;
    const double x = (static_cast<double>(stratum) + u) / static_cast<double>(n_);
    return x < 1.0 ? x : std::nextafter(1.0, 0.0);  // rounding of (n - 1 + u) / n
}

void LatinHypercube::point(std::size_t p, std::span<double> out) const {
    if (out.size() != strata_keys_.size()) throw std::invalid_argument("Latin hypercube point: wrong output size");
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = value(p, k);
}

std::vector<double> LatinHypercube::matrix() const {
    const std::size_t d = strata_keys_.size();
    std::vector<double> m(n_ * d);
    for (std::size_t i = 0; i < n_; ++i) point(i, std::span<double>(m.data() + i * d, d));
    return m;
}

}  // namespace salesflow::design
