#pragma once
// What the benchmarks share: "--name value" flags and the same seeded points,
// uniform on the sphere, so figures from different benchmarks are comparable.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace geoenc::bench {

// The value after --name, or `fallback`.
inline long flag(int argc, char** argv, const char* name, long fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], name)) return std::strtol(argv[i + 1], nullptr, 10);
    return fallback;
}

struct Points {
    std::vector<double> lon, lat;  // degrees
};

// Uniform on the sphere (lon uniform, sin(lat) uniform), seed 42 unless told.
inline Points sphere_points(std::size_t n, unsigned long long seed = 42) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> ulon(-180, 180), uz(-1, 1);
    Points p;
    p.lon.resize(n);
    p.lat.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        p.lon[i] = ulon(rng);
        p.lat[i] = std::asin(uz(rng)) * 180.0 / 3.14159265358979323846;
    }
    return p;
}

}  // namespace geoenc::bench
