#pragma once
// Seeded splits of training points: a random validation split, and the
// spatial blocks of --cv-blocks (whole DEG x DEG lon/lat cells go to one fold,
// so no test point has a training neighbour in its own cell). Deterministic for
// a seed on every platform (std::mt19937_64 and our own bounded draws; never
// std::shuffle or std::uniform_int_distribution, whose results vary by library).
// Torch-free.
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace geoenc::train {

struct Split {
    std::vector<std::size_t> train, val;  // indices into the points, ascending
};

// A uniform draw in [0, bound) without modulo bias.
std::uint64_t draw_below(std::mt19937_64& rng, std::uint64_t bound);
// Fisher-Yates with draw_below.
void shuffle_indices(std::vector<std::size_t>& v, std::mt19937_64& rng);

// round(n * fraction) validation points drawn without replacement.
Split random_split(std::size_t n, double val_fraction, std::uint64_t seed);
// The same, restricted to `pool` (e.g. the training folds of a CV round).
Split random_split(const std::vector<std::size_t>& pool, double val_fraction, std::uint64_t seed);

// The fold (0 .. folds-1) of each point: cells of `block_deg` degrees,
// shuffled with `seed`, dealt to the folds in turn.
std::vector<int> block_folds(const double* lon, const double* lat, std::size_t n, double block_deg, int folds,
                             std::uint64_t seed, std::size_t* blocks = nullptr);

}  // namespace geoenc::train
