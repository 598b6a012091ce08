#pragma once
// Bivariate local Moran's I as esda.Moran_Local_BV computes it:
// Is_i = (n - 1) zx_i (W zy)_i / sum(zx^2), zx and zy standardised (ddof 0);
// quadrants from the signs of zx_i and (W zy)_i (1 HH, 2 LH, 3 LL, 4 HL);
// conditional permutation: x_i stays, the y values of k_i distinct other
// sites are drawn at random (k_i = number of non-self neighbours) as its
// neighbours', a self weight keeps y_i (esda's _moran_local_bv_crand), on the
// same engines as the univariate statistic. Results depend on the seed only,
// not on the number of threads. No analytic moments (esda has none): EI, VI, EIc and VIc
// of the result are empty; z holds zx and lag holds W zy.
#include <vector>

#include "stats/moran_local.h"

namespace geoenc::stats {

LocalMoranResult moran_local_bv(const std::vector<double>& x, const std::vector<double>& y, const SpatialWeights& w,
                                const PermutationOptions& options = {}, double island_weight = 0.0,
                                LocalPermutationEngine engine = cpu_local_permutations);

}  // namespace geoenc::stats
