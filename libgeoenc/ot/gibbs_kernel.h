#pragma once
// A stored, stabilised Gibbs kernel for Sinkhorn (Schmitzer 2019, "absorption"):
// K_ij = exp((f0_i + g0_j - C_ij) / eps) at base potentials (f0, g0), each row
// divided by its largest entry and stored in single precision (the row's log
// scale is kept in double). For potentials (f, g) near the base, a log-sum-exp
// pass becomes a matrix-vector product with the scalings exp((g - g0) / eps):
//   LSE_j((g_j - C_ij) / eps) = log(sum_j K_ij exp((g_j - g0_j) / eps)) + log scale_i - f0_i / eps.
// One multiply-add per entry instead of an exp, over half the bytes of a double
// cost: a pass is ~3x faster than the stored-cost log-sum-exp (bench_ot).
//
// Single precision perturbs the cost by ~eps * 6e-8, so a solve on the kernel
// stops short and the solver finishes on the exact cost (ot/sinkhorn.cpp).
// Entries below FLT_MIN (e^-87 of their row's largest) are stored as 0, no
// denormals; with the scalings kept within e^+-kMaxScaling of the base, what
// they drop is below e^(2 kMaxScaling - 87) of a row pass's sum (a column sum
// has no such bound, but the exact finish corrects whatever it loses). Beyond
// that range, or for another eps, the solver rebuilds the kernel at the current
// potentials.
#include <cstddef>
#include <vector>

#include "ot/ground_cost.h"

namespace geoenc::ot {

class GibbsKernel {
public:
    static constexpr double kMaxScaling = 20.0;  // |pot - base| / eps: drops below e^-47 of a sum
    static std::size_t bytes(std::size_t rows, std::size_t cols) { return rows * cols * sizeof(float); }
    // Whether a rows x cols kernel fits in `budget` bytes and has at least
    // min_entries entries (products in double: no size_t overflow).
    static bool fits(std::size_t rows, std::size_t cols, std::size_t budget, std::size_t min_entries) {
        const double entries = double(rows) * double(cols);
        return entries * sizeof(float) <= double(budget) && entries >= double(min_entries);
    }

    // Builds K at (f0, g0, eps).
    void build(const CostFunction& C, const std::vector<double>& f0, const std::vector<double>& g0, double eps,
               int threads);
    void clear();
    bool valid() const { return valid_; }
    double eps() const { return eps_; }

    // Whether pot (g for a row pass, f for a column pass) is within the range of
    // this kernel: same -inf entries as the base, finite ones within kMaxScaling.
    bool covers(const std::vector<double>& pot, bool by_row) const;
    // out_i = LSE over the other side of (pot - C) / eps, as the exact pass
    // gives it: -inf where the base potential of i is -inf (a zero mass), NaN
    // where the kernel's sum is not positive (the caller computes those exactly).
    // Requires covers(pot, by_row).
    void lse(const std::vector<double>& pot, bool by_row, int threads, std::vector<double>& out) const;

private:
    std::vector<float, UninitializedAllocator<float>> k_;  // row-major rows_ x cols_
    std::vector<double> f0_, g0_, row_log_scale_;
    std::size_t rows_ = 0, cols_ = 0;
    double eps_ = 0.0;
    bool valid_ = false;
};

}  // namespace geoenc::ot
