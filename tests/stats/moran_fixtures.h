#pragma once
// Test-only readers for tests/data/moran: CSV columns by name, edge lists,
// the reference JSON, and a relative-tolerance check.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "stats/moran_local.h"
#include "stats/spatial_weights.h"
#include "unit/fixtures.h"

namespace geoenc::test {

// All columns of a CSV with a header row (quotes stripped), as text.
inline std::map<std::string, std::vector<std::string>> read_csv(const std::string& name) {
    std::ifstream in(data_path(name));
    if (!in) throw std::runtime_error("cannot open " + name);
    auto split = [](const std::string& line) {
        std::vector<std::string> out;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) {
            if (!cell.empty() && cell.back() == '\r') cell.pop_back();
            if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
            out.push_back(cell);
        }
        return out;
    };
    std::string line;
    std::getline(in, line);
    const auto header = split(line);
    std::map<std::string, std::vector<std::string>> cols;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = split(line);
        for (std::size_t c = 0; c < header.size() && c < cells.size(); ++c) cols[header[c]].push_back(cells[c]);
    }
    return cols;
}

inline std::vector<double> csv_column(const std::string& name, const std::string& column) {
    const auto cols = read_csv(name);
    const auto it = cols.find(column);
    if (it == cols.end()) throw std::runtime_error(name + ": no column " + column);
    std::vector<double> v;
    for (const auto& s : it->second) v.push_back(std::stod(s));
    return v;
}

inline std::set<std::pair<int, int>> read_edges(const std::string& name) {
    const auto f = csv_column(name, "focal"), nb = csv_column(name, "neighbor");
    std::set<std::pair<int, int>> edges;
    for (std::size_t i = 0; i < f.size(); ++i) edges.emplace(int(f[i]), int(nb[i]));
    return edges;
}

inline std::set<std::pair<int, int>> edges_of(const stats::SpatialWeights& w) {
    std::set<std::pair<int, int>> edges;
    for (std::int64_t i = 0; i < w.n; ++i)
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) edges.emplace(int(i), w.neighbors[e]);
    return edges;
}

inline nlohmann::json reference_json() {
    std::ifstream in(data_path("moran/reference.json"));
    if (!in) throw std::runtime_error("cannot open moran/reference.json");
    return nlohmann::json::parse(in);
}

// The complete graph on n sites (binary): every permutation draws all n - 1
// others, so each simulated local value equals the observed one.
inline stats::SpatialWeights complete_graph(int n) {
    stats::SpatialWeights w;
    w.n = n;
    w.offsets.push_back(0);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j)
            if (j != i) {
                w.neighbors.push_back(j);
                w.values.push_back(1.0);
            }
        w.offsets.push_back(static_cast<std::int64_t>(w.neighbors.size()));
    }
    return w;
}
inline std::vector<double> smooth_values(int n) {
    std::vector<double> y;
    for (int i = 0; i < n; ++i) y.push_back(std::sin(i * 1.3) + i * 0.1);
    return y;
}

// Six sites, two pairs of neighbours and the islands 4 and 5 (binary).
inline stats::SpatialWeights two_pairs_and_islands() {
    stats::SpatialWeights w;
    w.n = 6;
    w.offsets = {0, 1, 2, 3, 4, 4, 4};
    w.neighbors = {1, 0, 3, 2};
    w.values = {1, 1, 1, 1};
    return w;
}

// Sites whose kept simulations (keep_simulations) disagree with the result's
// EI_sim (to 1e-12, as doctest::Approx) or n_ge: 0 when both engines' sums
// were taken over exactly the values they kept.
inline int kept_simulation_mismatches(const stats::LocalMoranResult& r) {
    const int P = r.permutations;
    int bad = 0;
    for (std::int64_t i = 0; i < r.n; ++i) {
        double m = 0;
        int ge = 0;
        for (int p = 0; p < P; ++p) {
            const double s = r.sim[static_cast<std::size_t>(i) * P + p];
            m += s;
            ge += s >= r.Is[i];
        }
        m /= P;
        const double tol = 1e-12 * (1.0 + std::max(std::fabs(m), std::fabs(r.EI_sim[i])));
        bad += std::fabs(r.EI_sim[i] - m) > tol || ge != r.n_ge[i];
    }
    return bad;
}

// Misfits of the simulated moments against the analytic conditional ones: a
// site counts once when EI_sim is more than 4 standard errors from EIc, and
// once when seI_sim is more than se_rel from sqrt(VIc) (both on esda's scale).
inline int conditional_moment_misfits(const stats::LocalMoranResult& r, double se_rel) {
    const double nd = double(r.n), scale = (nd - 1.0) / nd;  // esda's Is is (n-1)/n times the moments' scale
    int off = 0;
    for (std::int64_t i = 0; i < r.n; ++i) {
        const double sd = std::sqrt(r.VIc[i]) * scale;
        off += std::fabs(r.EI_sim[i] - r.EIc[i] * scale) > 4 * sd / std::sqrt(double(r.permutations));
        off += std::fabs(r.seI_sim[i] / sd - 1) > se_rel;
    }
    return off;
}

// |a - b| <= rel * |b| (exact zero only equals zero)
// A path 0 - 1 - ... - n-1 in which every site is also its own neighbour
// (weight self_weight; others 1), as kernel weights have a diagonal.
inline stats::SpatialWeights path_with_self_weights(int n, double self_weight) {
    stats::SpatialWeights w;
    w.n = n;
    w.offsets.push_back(0);
    for (int i = 0; i < n; ++i) {
        for (int j : {i - 1, i, i + 1})
            if (j >= 0 && j < n) {
                w.neighbors.push_back(j);
                w.values.push_back(j == i ? self_weight : 1.0);
            }
        w.offsets.push_back(static_cast<std::int64_t>(w.neighbors.size()));
    }
    return w;
}

// Kept simulations of the path's end sites (one other neighbour, weight a,
// and a self weight b) that are not scale_i * (a drawn_k + b drawn_i) for
// some k != i: esda's crand holds the self term fixed. scale: zi_scaled of
// the statistic (univariate z_i (n-1)/sum z^2; bivariate zx_i (n-1)/sum zx^2).
inline int self_term_mismatches(const stats::LocalMoranResult& r, const stats::SpatialWeights& w,
                                const std::vector<double>& drawn, const std::vector<double>& scale) {
    int bad = 0;
    for (std::int64_t i : {std::int64_t{0}, w.n - 1}) {
        double a = 0, b = 0;
        for (auto e = w.offsets[i]; e < w.offsets[i + 1]; ++e) (w.neighbors[e] == i ? b : a) += w.values[e];
        for (int p = 0; p < r.permutations; ++p) {
            const double s = r.sim[static_cast<std::size_t>(i) * r.permutations + p];
            bool found = false;
            for (std::int64_t k = 0; k < w.n && !found; ++k)
                found = k != i && std::fabs(s - scale[i] * (a * drawn[k] + b * drawn[i])) <= 1e-12 * (1 + std::fabs(s));
            bad += !found;
        }
    }
    return bad;
}

// self_term_mismatches for a univariate run (the scale from r.z).
inline int univariate_self_term_mismatches(const stats::LocalMoranResult& r, const stats::SpatialWeights& w) {
    double den = 0;
    for (double v : r.z) den += v * v;
    std::vector<double> scale;
    for (double v : r.z) scale.push_back(v * (static_cast<double>(w.n) - 1) / den);
    return self_term_mismatches(r, w, r.z, scale);
}

inline bool close_rel(double a, double b, double rel) { return std::fabs(a - b) <= rel * std::fabs(b); }

}  // namespace geoenc::test
