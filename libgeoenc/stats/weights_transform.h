#pragma once
// Weight transformations and the sums s0, s1, s2 as libpysal defines them.
#include <string>

#include "stats/spatial_weights.h"

namespace geoenc::stats {

// The transform of `original` (whose transform must be "o": the weights as
// built or read) into "o" (a copy), "b" (binary, libpysal's "B": every stored
// neighbour weighs 1), "r" (row-standardised: each row sums to 1; islands stay
// empty) or "v" (variance-stabilising, libpysal's "V": rows scaled to unit
// length, then all by n / sum). Upper case accepted.
SpatialWeights transform_weights(const SpatialWeights& original, const std::string& transform);

struct WeightSums {
    double s0 = 0;  // sum of all weights
    double s1 = 0;  // 1/2 sum_ij (w_ij + w_ji)^2
    double s2 = 0;  // sum_i (sum_j w_ij + sum_j w_ji)^2
};
WeightSums weight_sums(const SpatialWeights& w);

// Spatial lag W x (x has n entries).
void spatial_lag(const SpatialWeights& w, const double* x, double* out);

// Checks the CSR shape (sizes, neighbour range); throws geoenc::DataError.
void validate(const SpatialWeights& w);

// True if w_ij == w_ji for every pair (missing entries count as 0).
bool is_symmetric(const SpatialWeights& w);

}  // namespace geoenc::stats
