#pragma once
// The one place geoenc-moran calls the statistics core (libgeoenc/stats):
// global, local and multi-resolution Moran's I as plain named numbers and
// arrays, so the command and its output code do not depend on its types.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stats/spatial_weights.h"

namespace geoenc::tools {

struct TestOptions {
    int permutations = 999;
    std::uint64_t seed = 0;
    bool geary = false;       // add Geary's C
    bool two_sided = false;   // local p_sim: two-sided instead of esda's directed default
    double alpha = 0.05;      // local: significance for the cluster label
    std::string adjust = "none";  // local: none | fdr | bonferroni
    int threads = 0;
    bool cuda = false;  // local Moran's permutations on the GPU (stats_tensor)
};

// One variable's global results: keys in output order (n, I, EI, VI_norm, ...).
struct GlobalResult {
    std::string variable;
    std::vector<std::pair<std::string, double>> values;
};

GlobalResult global_moran(const std::string& name, const std::vector<double>& y, const stats::SpatialWeights& w,
                          const TestOptions& o);
GlobalResult global_bivariate(const std::string& name, const std::vector<double>& x, const std::vector<double>& y,
                              const stats::SpatialWeights& w, const TestOptions& o);

// Per site: Is, quadrant q (1 HH, 2 LH, 3 LL, 4 HL), p_sim, z_sim, and the label
// HH/LH/LL/HL, or "ns" when p_sim (after --adjust) is not below alpha.
struct LocalResult {
    std::vector<double> Is, q, p_sim, z_sim;
    std::vector<std::string> cluster;
};

LocalResult local_moran(const std::vector<double>& y, const stats::SpatialWeights& w, const TestOptions& o);
LocalResult local_bivariate(const std::vector<double>& x, const std::vector<double>& y, const stats::SpatialWeights& w,
                            const TestOptions& o);

// SXL multi-resolution local Moran of a height x width grid (NaN: no data):
// full, 1/2 and 1/4 resolution maps, each height x width.
std::vector<std::vector<double>> multires_moran(const std::vector<double>& grid, int height, int width);

}  // namespace geoenc::tools
