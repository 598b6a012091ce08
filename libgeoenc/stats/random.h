#pragma once
// Deterministic, counter-seeded random numbers for the permutation tests:
// stream (seed, key) is a xoshiro256** generator whose state is derived by
// SplitMix64 from the seed and a key (a site or permutation index), so every
// site/permutation draws the same numbers whatever the thread count.
#include <cstdint>

namespace geoenc::stats {

inline std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class StreamRng {
public:
    StreamRng(std::uint64_t seed, std::uint64_t key) {
        std::uint64_t x = seed;
        const std::uint64_t mixed = splitmix64(x) ^ (key * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
        x = mixed;
        for (auto& v : s_) v = splitmix64(x);
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // Uniform integer in [0, m), m < 2^32, from 32 random bits (Lemire's multiply-shift;
    // bias below m / 2^32, far under the Monte-Carlo error of any p-value).
    static std::uint32_t bounded32(std::uint32_t bits, std::uint32_t m) {
        return static_cast<std::uint32_t>((static_cast<std::uint64_t>(bits) * m) >> 32);
    }
    // Uniform integer in [0, m) for any m, from 64 random bits.
    std::uint64_t bounded64(std::uint64_t m) {
        return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * m) >> 64);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

// wyrand (Wang Yi): one 64x64->128 multiply per 64 random bits; passes
// BigCrush and PractRand. The per-site stream of the local permutation test.
class WyRand {
public:
    WyRand(std::uint64_t seed, std::uint64_t key) {
        std::uint64_t x = seed ^ (key * 0xD1B54A32D192ED03ull);
        state_ = splitmix64(x);
        state_ ^= splitmix64(x);
    }
    std::uint64_t next() {
        state_ += 0xa0761d6478bd642full;
        const unsigned __int128 t = static_cast<unsigned __int128>(state_) * (state_ ^ 0xe7037ed1a0b428dbull);
        return static_cast<std::uint64_t>(t >> 64) ^ static_cast<std::uint64_t>(t);
    }

private:
    std::uint64_t state_;
};

}  // namespace geoenc::stats
