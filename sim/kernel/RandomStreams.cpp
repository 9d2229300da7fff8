#include "kernel/RandomStreams.hpp"

#include <array>

namespace salesflow::kernel {

namespace {
// splitmix64: a well-mixed bijection, so nearby keys give unrelated seeds.
std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

// Adapts a splitmix sequence to the SeedSeq concept so the whole Mersenne Twister
// state is filled from the key, not just one word of it.
struct SplitMixSeq {
    std::uint64_t state;
    template <class It>
    void generate(It first, It last) {
        for (; first != last; ++first) *first = static_cast<std::uint32_t>(splitmix64(state) >> 32);
    }
};
}  // namespace

std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication, std::string_view purpose) {
    std::uint64_t x = seed;
    std::uint64_t k = splitmix64(x);
    x = k ^ replication;
    k = splitmix64(x);
    x = k ^ fnv1a(purpose);
    return splitmix64(x);
}

Engine make_engine(std::uint64_t seed, std::uint64_t replication, std::string_view purpose) {
    SplitMixSeq seq{stream_key(seed, replication, purpose)};
    return Engine(seq);
}

}  // namespace salesflow::kernel
