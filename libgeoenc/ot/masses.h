#pragma once
// Probability masses for the OT solvers.
#include <vector>

namespace geoenc::ot {

// Uniform 1/n.
std::vector<double> uniform_masses(std::size_t n);

// Masses scaled to sum 1. Throws std::invalid_argument on a negative, NaN or
// infinite entry or a zero total.
std::vector<double> normalise_masses(const std::vector<double>& w);

// True when the two totals differ by more than rel_tol relative: the solvers
// normalise both sides, and the caller should warn.
bool totals_differ(const std::vector<double>& a, const std::vector<double>& b, double rel_tol = 1e-12);

}  // namespace geoenc::ot
