#include "train/data_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace geoenc::train {

std::uint64_t draw_below(std::mt19937_64& rng, std::uint64_t bound) {
    if (bound <= 1) return 0;
    const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % bound);
    for (;;) {
        const std::uint64_t r = rng();
        if (r < limit) return r % bound;
    }
}

void shuffle_indices(std::vector<std::size_t>& v, std::mt19937_64& rng) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[draw_below(rng, i)]);
}

Split random_split(const std::vector<std::size_t>& pool, double val_fraction, std::uint64_t seed) {
    std::vector<std::size_t> order = pool;
    std::mt19937_64 rng(seed);
    shuffle_indices(order, rng);
    const auto n_val = std::size_t(std::llround(double(pool.size()) * val_fraction));
    Split s;
    s.val.assign(order.begin(), order.begin() + std::ptrdiff_t(std::min(n_val, order.size())));
    s.train.assign(order.begin() + std::ptrdiff_t(s.val.size()), order.end());
    std::sort(s.train.begin(), s.train.end());
    std::sort(s.val.begin(), s.val.end());
    return s;
}

Split random_split(std::size_t n, double val_fraction, std::uint64_t seed) {
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    return random_split(all, val_fraction, seed);
}

std::vector<int> block_folds(const double* lon, const double* lat, std::size_t n, double block_deg, int folds,
                             std::uint64_t seed, std::size_t* blocks) {
    auto cell = [&](std::size_t i) {
        const auto rows = std::int64_t(std::ceil(180.0 / block_deg));
        const auto cols = std::int64_t(std::ceil(360.0 / block_deg));
        const auto r = std::min(rows - 1, std::int64_t(std::floor((lat[i] + 90.0) / block_deg)));
        const auto c = std::min(cols - 1, std::int64_t(std::floor((lon[i] + 180.0) / block_deg)));
        return std::make_pair(r, c);
    };
    std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> index;  // sorted: independent of input order
    for (std::size_t i = 0; i < n; ++i) index.emplace(cell(i), 0);
    std::vector<std::size_t> order(index.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(seed);
    shuffle_indices(order, rng);
    std::size_t k = 0;
    for (auto& [key, fold] : index) fold = order[k++] % std::size_t(folds);
    if (blocks) *blocks = index.size();
    std::vector<int> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = int(index[cell(i)]);
    return out;
}

}  // namespace geoenc::train
