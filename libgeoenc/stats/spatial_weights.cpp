#include "stats/spatial_weights.h"

#include <numeric>

namespace geoenc::stats {

std::vector<std::int64_t> SpatialWeights::islands() const {
    std::vector<std::int64_t> out;
    for (std::int64_t i = 0; i < n; ++i)
        if (cardinality(i) == 0) out.push_back(i);
    return out;
}

namespace {
std::int64_t find_root(std::vector<std::int64_t>& parent, std::int64_t i) {
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];  // path halving
        i = parent[i];
    }
    return i;
}
}  // namespace

std::int64_t SpatialWeights::components() const {
    std::vector<std::int64_t> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), std::int64_t{0});
    std::int64_t count = n;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t e = offsets[i]; e < offsets[i + 1]; ++e) {
            const auto a = find_root(parent, i), b = find_root(parent, neighbors[e]);
            if (a != b) {
                parent[a] = b;
                --count;
            }
        }
    return count;
}

}  // namespace geoenc::stats
