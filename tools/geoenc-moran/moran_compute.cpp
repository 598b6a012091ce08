#include "moran_compute.h"

#include <limits>

#include "core/errors.h"
#include "stats/moran_global.h"
#include "stats/moran_local.h"
#include "stats/moran_local_bv.h"
#include "stats/multires_moran.h"
#include "stats_tensor/tensor_permutations.h"

namespace geoenc::tools {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

stats::PermutationOptions permutation_options(const TestOptions& o) {
    stats::PermutationOptions p;
    p.permutations = o.permutations;
    p.seed = o.seed;
    p.threads = o.threads;
    return p;
}

// --device cuda: the LibTorch engine; otherwise the C++ one (its p-values
// are what the tests pin down).
stats::LocalPermutationEngine permutation_engine(const TestOptions& o) {
    return o.cuda ? stats::tensor_local_permutations_cuda : stats::cpu_local_permutations;
}

using Values = std::vector<std::pair<std::string, double>>;

// Permutation keys only when permutations ran, named as esda's attributes.
void add_permutations(Values& v, const stats::PermutationSummary& p, const std::string& stat) {
    if (p.permutations == 0) return;
    // esda: EI_sim / seI_sim, and for Geary EC_sim / seC_sim
    const std::string letter = stat.empty() ? "I" : stat.substr(1);
    v.insert(v.end(), {{"p_sim" + stat, p.p_sim},
                       {"E" + letter + "_sim", p.E_sim},
                       {"se" + letter + "_sim", p.se_sim},
                       {"z_sim" + stat, p.z_sim},
                       {"p_z_sim" + stat, p.p_z_sim}});
}

}  // namespace

GlobalResult global_moran(const std::string& name, const std::vector<double>& y, const stats::SpatialWeights& w,
                          const TestOptions& o) {
    const stats::MoranResult m = stats::moran(y, w, permutation_options(o), true);
    GlobalResult r{name, {{"n", double(m.n)},
                          {"I", m.I},
                          {"EI", m.EI},
                          {"VI_norm", m.VI_norm},
                          {"seI_norm", m.seI_norm},
                          {"z_norm", m.z_norm},
                          {"p_norm", m.p_norm},
                          {"VI_rand", m.VI_rand},
                          {"seI_rand", m.seI_rand},
                          {"z_rand", m.z_rand},
                          {"p_rand", m.p_rand}}};
    if (m.perm.permutations > 0) r.values.emplace_back("permutations", double(m.perm.permutations));
    add_permutations(r.values, m.perm, "");
    if (o.geary) {
        // Geary's C keys carry a _C suffix where esda's attribute names would clash with Moran's.
        const stats::GearyResult g = stats::geary(y, w, permutation_options(o));
        r.values.insert(r.values.end(), {{"C", g.C},
                                         {"EC", g.EC},
                                         {"VC_norm", g.VC_norm},
                                         {"seC_norm", g.seC_norm},
                                         {"z_norm_C", g.z_norm},
                                         {"p_norm_C", g.p_norm},
                                         {"VC_rand", g.VC_rand},
                                         {"seC_rand", g.seC_rand},
                                         {"z_rand_C", g.z_rand},
                                         {"p_rand_C", g.p_rand}});
        add_permutations(r.values, g.perm, "_C");
    }
    return r;
}

GlobalResult global_bivariate(const std::string& name, const std::vector<double>& x, const std::vector<double>& y,
                              const stats::SpatialWeights& w, const TestOptions& o) {
    const stats::MoranBVResult m = stats::moran_bv(x, y, w, permutation_options(o));
    GlobalResult r{name, {{"n", double(m.n)}, {"I", m.I}}};
    if (m.perm.permutations > 0) r.values.emplace_back("permutations", double(m.perm.permutations));
    add_permutations(r.values, m.perm, "");
    return r;
}

namespace {

LocalResult local_result(const stats::LocalMoranResult& m, const TestOptions& o) {
    const std::size_t n = std::size_t(m.n);
    LocalResult r;
    r.Is = m.Is;
    r.q.assign(m.q.begin(), m.q.end());
    if (m.permutations > 0) {
        r.p_sim = m.p_sim(o.two_sided ? stats::Alternative::two_sided : stats::Alternative::directed);
        r.z_sim = m.z_sim;
        const auto labels = stats::cluster_labels(m, r.p_sim, o.alpha, stats::parse_correction(o.adjust));
        for (auto l : labels) r.cluster.push_back(stats::cluster_name(l));
    } else {
        // Without permutations there is no p_sim, so nothing is significant.
        r.p_sim.assign(n, kNaN);
        r.z_sim.assign(n, kNaN);
        r.cluster.assign(n, "ns");
    }
    return r;
}

}  // namespace

LocalResult local_moran(const std::vector<double>& y, const stats::SpatialWeights& w, const TestOptions& o) {
    return local_result(stats::moran_local(y, w, permutation_options(o), 0.0, permutation_engine(o)), o);
}

LocalResult local_bivariate(const std::vector<double>& x, const std::vector<double>& y, const stats::SpatialWeights& w,
                            const TestOptions& o) {
    return local_result(stats::moran_local_bv(x, y, w, permutation_options(o), 0.0, permutation_engine(o)), o);
}

std::vector<std::vector<double>> multires_moran(const std::vector<double>& grid, int height, int width) {
    if (height % 4 || width % 4 || height <= 0 || width <= 0)
        throw DataError("--mode multires: the raster must be a positive multiple of 4 pixels in each direction (2x2 "
                        "pooling twice), got " + std::to_string(width) + " x " + std::to_string(height));
    const std::vector<double> stack = stats::multires_local_moran(grid.data(), height, width);
    const std::size_t plane = std::size_t(height) * std::size_t(width);
    std::vector<std::vector<double>> maps;
    for (int k = 0; k < 3; ++k) maps.emplace_back(stack.begin() + k * plane, stack.begin() + (k + 1) * plane);
    return maps;
}

}  // namespace geoenc::tools
