#include "io/polygon_contiguity.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "core/errors.h"

namespace geoenc::io {

namespace {

struct Vertex {
    double x, y;
    std::int32_t polygon;
    std::int32_t ring;  // global ring number: consecutive vertices of one ring form edges
};

// Every ring of every (multi)polygon; curves are linearised the way OGR does.
void collect_rings(const OGRGeometry* g, std::int32_t polygon, std::int32_t& ring, std::vector<Vertex>& out) {
    if (!g || g->IsEmpty()) return;
    const auto type = wkbFlatten(g->getGeometryType());
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        for (const OGRGeometry* part : *g->toGeometryCollection()) collect_rings(part, polygon, ring, out);
        return;
    }
    if (OGR_GT_IsSubClassOf(type, wkbCurvePolygon) && type != wkbPolygon) {
        std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
        collect_rings(linear.get(), polygon, ring, out);
        return;
    }
    if (type != wkbPolygon)
        throw DataError(std::string("contiguity weights need polygons, got a ") + OGRGeometryTypeToName(type));
    for (const OGRLinearRing* r : *g->toPolygon()) {
        for (int k = 0; k < r->getNumPoints(); ++k) out.push_back({r->getX(k), r->getY(k), polygon, ring});
        ++ring;
    }
}

struct PairHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const {
        return std::hash<std::int64_t>()(p.first * 0x9E3779B97F4A7C15LL ^ p.second);
    }
};

struct UnionFind {
    std::vector<std::int32_t> parent;
    explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    std::int32_t find(std::int32_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    }
    void unite(std::int32_t a, std::int32_t b) { parent[find(a)] = find(b); }
};

// A class number per vertex: equal coordinates share one; with snap > 0, points
// within `snap` of each other are merged through a grid of snap-sized cells.
std::vector<std::int32_t> vertex_classes(const std::vector<Vertex>& v, double snap) {
    std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::int32_t, PairHash> exact;
    std::vector<std::int32_t> cls(v.size());
    std::vector<std::pair<double, double>> points;
    for (std::size_t i = 0; i < v.size(); ++i) {
        // Bit patterns as the key; + 0.0 turns -0.0 into 0.0 so they match.
        double x = v[i].x + 0.0, y = v[i].y + 0.0;
        std::int64_t bx, by;
        std::memcpy(&bx, &x, 8);
        std::memcpy(&by, &y, 8);
        auto [it, fresh] = exact.emplace(std::make_pair(bx, by), std::int32_t(points.size()));
        if (fresh) points.emplace_back(x, y);
        cls[i] = it->second;
    }
    if (snap <= 0) return cls;
    UnionFind uf(points.size());
    std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<std::int32_t>, PairHash> grid;
    auto cell = [&](double c) { return std::int64_t(std::floor(c / snap)); };
    for (std::int32_t p = 0; p < std::int32_t(points.size()); ++p) {
        const auto [x, y] = points[p];
        const std::int64_t cx = cell(x), cy = cell(y);
        for (std::int64_t dx = -1; dx <= 1; ++dx)
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                auto it = grid.find({cx + dx, cy + dy});
                if (it == grid.end()) continue;
                for (std::int32_t q : it->second)
                    if (std::hypot(points[q].first - x, points[q].second - y) <= snap) uf.unite(p, q);
            }
        grid[{cx, cy}].push_back(p);
    }
    for (auto& c : cls) c = uf.find(c);
    return cls;
}

// Every pair of distinct polygons that share one key (a vertex class or an edge).
template <class Key, class Hash>
void pairs_from_groups(std::unordered_map<Key, std::vector<std::int32_t>, Hash>& groups,
                       std::vector<std::uint64_t>& pairs) {
    for (auto& [key, polys] : groups) {
        std::sort(polys.begin(), polys.end());
        polys.erase(std::unique(polys.begin(), polys.end()), polys.end());
        for (std::size_t a = 0; a < polys.size(); ++a)
            for (std::size_t b = a + 1; b < polys.size(); ++b)
                pairs.push_back(std::uint64_t(polys[a]) << 32 | std::uint32_t(polys[b]));
    }
}

}  // namespace

stats::SpatialWeights polygon_contiguity(const std::vector<const OGRGeometry*>& geometries, Contiguity kind,
                                         double snap) {
    if (!(snap >= 0) || !std::isfinite(snap)) throw UsageError("--snap: expected a tolerance >= 0");
    std::vector<Vertex> vertices;
    std::int32_t ring = 0;
    for (std::size_t i = 0; i < geometries.size(); ++i) collect_rings(geometries[i], std::int32_t(i), ring, vertices);
    const std::vector<std::int32_t> cls = vertex_classes(vertices, snap);

    std::vector<std::uint64_t> pairs;
    if (kind == Contiguity::Queen) {
        std::unordered_map<std::int32_t, std::vector<std::int32_t>> by_vertex;
        for (std::size_t i = 0; i < vertices.size(); ++i) by_vertex[cls[i]].push_back(vertices[i].polygon);
        pairs_from_groups(by_vertex, pairs);
    } else {
        // An edge is an unordered pair of vertex classes; zero-length (repeated) points are no edge.
        std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<std::int32_t>, PairHash> by_edge;
        for (std::size_t i = 0; i + 1 < vertices.size(); ++i) {
            if (vertices[i].ring != vertices[i + 1].ring || cls[i] == cls[i + 1]) continue;
            const std::int64_t a = cls[i], b = cls[i + 1];
            by_edge[{std::min(a, b), std::max(a, b)}].push_back(vertices[i].polygon);
        }
        pairs_from_groups(by_edge, pairs);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

    // Symmetric CSR, neighbours ascending within each row.
    stats::SpatialWeights w;
    w.n = std::int64_t(geometries.size());
    w.transform = "o";
    w.offsets.assign(w.n + 1, 0);
    for (std::uint64_t p : pairs) {
        ++w.offsets[(p >> 32) + 1];
        ++w.offsets[(p & 0xffffffffu) + 1];
    }
    for (std::int64_t i = 0; i < w.n; ++i) w.offsets[i + 1] += w.offsets[i];
    w.neighbors.resize(w.offsets[w.n]);
    std::vector<std::int64_t> fill(w.offsets.begin(), w.offsets.end() - 1);
    for (std::uint64_t p : pairs) {
        const auto a = std::int32_t(p >> 32), b = std::int32_t(p & 0xffffffffu);
        w.neighbors[fill[a]++] = b;
        w.neighbors[fill[b]++] = a;
    }
    for (std::int64_t i = 0; i < w.n; ++i) std::sort(w.neighbors.begin() + w.offsets[i], w.neighbors.begin() + w.offsets[i + 1]);
    w.values.assign(w.neighbors.size(), 1.0);
    return w;
}

}  // namespace geoenc::io
