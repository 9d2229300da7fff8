#pragma once
// RandomStreams: one independent random engine per (seed, replication, purpose).
// A purpose is a stable text label ("source/inbound/arrivals", "stage/close/effort").
// Because an engine depends on nothing else, two scenarios run with the same seed draw
// the same numbers for the same purpose (common random numbers), and no result depends
// on which thread or process runs a replication.
#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

namespace salesflow::kernel {

using Engine = boost::random::mt19937_64;

// A 64-bit mix of the three inputs (splitmix64 over FNV-1a of the purpose).
std::uint64_t stream_key(std::uint64_t seed, std::uint64_t replication, std::string_view purpose);

// A fully seeded engine for the stream; its whole state is filled from the key.
Engine make_engine(std::uint64_t seed, std::uint64_t replication, std::string_view purpose);

// Uniform double in [0, 1) with 53 random bits: cheaper than a distribution object.
inline double uniform01(Engine& e) {
    return static_cast<double>(e() >> 11) * 0x1.0p-53;
}

}  // namespace salesflow::kernel
