#pragma once
// The multi-resolution local Moran's I of SXL (Klemmer & Neill, "Auxiliary-task
// learning for geographic data with autoregressive embeddings"): on a 2-D grid,
// binary 8-neighbour (queen) lattice weights, NOT row-standardised;
// mi = (n - 1) z (W z) / sum(z^2); NaN -> 0; each map min-max rescaled to
// [-1, 1]; at full, 1/2 and 1/4 resolution (2x2 average pooling), the coarse
// maps upsampled back by nearest neighbour.
#include <cstdint>
#include <vector>

namespace geoenc::stats {

// Raw local Moran's I of a row-major h x w grid with binary queen weights.
// A constant grid gives NaN, as SXL computes it. NaN pixels are missing (a
// raster's nodata; SXL has none): left out of the mean, the deviation, n and
// the neighbours' lags, and NaN in the result.
std::vector<double> lattice_local_moran(const double* grid, int h, int w);

// SXL's norm_minmax: NaN -> 0, then (x - min) / (max - min) * 2 - 1.
// A constant map becomes all zeros (SXL would give NaN). Entries where
// missing_where (the map's input grid, if given) is NaN stay NaN and do not
// count for the min and max.
void rescale_minus1_1(std::vector<double>& map, const double* missing_where = nullptr);

// 2x2 average pooling (h and w even); the mean of the pixels present, NaN
// where all four are missing.
std::vector<double> average_pool2(const double* grid, int h, int w);

// Nearest-neighbour upsampling of an h x w grid by an integer factor.
std::vector<double> upsample_nearest(const std::vector<double>& grid, int h, int w, int factor);

// The 3 x h x w stack: full, 1/2 and 1/4 resolution maps, each in [-1, 1].
// h and w must be positive multiples of 4. Missing (NaN) input pixels are NaN
// in all three maps.
std::vector<double> multires_local_moran(const double* grid, int h, int w);

}  // namespace geoenc::stats
