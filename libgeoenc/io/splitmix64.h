#pragma once
// SplitMix64's finaliser: cheap and well mixed. Shard assignment and sampling
// seeds depend on it, so it must never change (that would reshuffle outputs).
#include <cstdint>

namespace geoenc::io {

inline std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace geoenc::io
