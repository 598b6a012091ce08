#include "stats/weights_transform.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>

#include "core/errors.h"

namespace geoenc::stats {

void validate(const SpatialWeights& w) {
    if (w.n < 0 || w.offsets.size() != static_cast<std::size_t>(w.n + 1) || w.offsets.front() != 0)
        throw DataError("spatial weights: offsets must have n + 1 entries starting at 0");
    for (std::int64_t i = 0; i < w.n; ++i)
        if (w.offsets[i + 1] < w.offsets[i]) throw DataError("spatial weights: offsets must not decrease");
    const auto nnz = static_cast<std::size_t>(w.offsets.back());
    if (w.neighbors.size() != nnz || w.values.size() != nnz)
        throw DataError("spatial weights: neighbours and values must have offsets[n] entries");
    for (auto j : w.neighbors)
        if (j < 0 || j >= w.n) throw DataError("spatial weights: neighbour index out of range");
    if (!w.ids.empty() && w.ids.size() != static_cast<std::size_t>(w.n))
        throw DataError("spatial weights: ids must be empty or have n entries");
}

SpatialWeights transform_weights(const SpatialWeights& original, const std::string& transform) {
    std::string t = transform;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (original.transform != "o")
        throw UsageError("spatial weights: transform '" + t + "' needs the original weights, not transform '" +
                         original.transform + "'");
    SpatialWeights w = original;
    w.transform = t;
    if (t == "o") return w;
    if (t == "b") {  // libpysal's 'B': every neighbour weighs 1, whatever the original weight
        std::fill(w.values.begin(), w.values.end(), 1.0);
        return w;
    }
    if (t == "r") {
        for (std::int64_t i = 0; i < w.n; ++i) {
            double sum = 0;
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) sum += w.values[e];
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) w.values[e] /= sum;
        }
        return w;
    }
    if (t == "v") {
        double total = 0;
        for (std::int64_t i = 0; i < w.n; ++i) {
            double ss = 0;
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) ss += w.values[e] * w.values[e];
            const double q = std::sqrt(ss);
            for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) {
                w.values[e] /= q;
                total += w.values[e];
            }
        }
        const double scale = static_cast<double>(w.n) / total;
        for (auto& v : w.values) v *= scale;
        return w;
    }
    throw UsageError("unknown weights transform '" + transform + "' (use r, b, v or o)");
}

WeightSums weight_sums(const SpatialWeights& w) {
    WeightSums s;
    std::vector<double> row(static_cast<std::size_t>(w.n), 0.0), col(static_cast<std::size_t>(w.n), 0.0);
    std::vector<std::tuple<std::int32_t, std::int32_t, double>> entries;
    entries.reserve(w.values.size() * 2);
    for (std::int64_t i = 0; i < w.n; ++i)
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) {
            const auto j = w.neighbors[e];
            const double v = w.values[e];
            s.s0 += v;
            row[i] += v;
            col[j] += v;
            entries.emplace_back(static_cast<std::int32_t>(i), j, v);
            entries.emplace_back(j, static_cast<std::int32_t>(i), v);
        }
    std::sort(entries.begin(), entries.end());
    double s1 = 0;
    for (std::size_t a = 0; a < entries.size();) {
        std::size_t b = a;
        double sum = 0;
        while (b < entries.size() && std::get<0>(entries[b]) == std::get<0>(entries[a]) &&
               std::get<1>(entries[b]) == std::get<1>(entries[a]))
            sum += std::get<2>(entries[b++]);
        s1 += sum * sum;
        a = b;
    }
    s.s1 = s1 / 2.0;
    for (std::int64_t i = 0; i < w.n; ++i) s.s2 += (row[i] + col[i]) * (row[i] + col[i]);
    return s;
}

void spatial_lag(const SpatialWeights& w, const double* x, double* out) {
    for (std::int64_t i = 0; i < w.n; ++i) {
        double sum = 0;
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) sum += w.values[e] * x[w.neighbors[e]];
        out[i] = sum;
    }
}

bool is_symmetric(const SpatialWeights& w) {
    std::vector<std::tuple<std::int32_t, std::int32_t, double>> a, b;
    for (std::int64_t i = 0; i < w.n; ++i)
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) {
            a.emplace_back(static_cast<std::int32_t>(i), w.neighbors[e], w.values[e]);
            b.emplace_back(w.neighbors[e], static_cast<std::int32_t>(i), w.values[e]);
        }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

}  // namespace geoenc::stats
