#include "ot/sinkhorn.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "ot/anderson.h"
#include "ot/fast_exp.h"
#include "ot/gibbs_kernel.h"
#include "ot/masses.h"
#include "core/parallel_blocks.h"

namespace geoenc::ot {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr std::int64_t kRowBlock = 8;

std::vector<double> log_of(const std::vector<double>& w) {
    std::vector<double> out(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) out[i] = w[i] > 0 ? std::log(w[i]) : kNegInf;
    return out;
}

// log(exp(x) + exp(y)), -inf for an empty sum.
inline double log_add(double x, double y) {
    if (x < y) std::swap(x, y);
    return y == kNegInf ? x : x + std::log1p(std::exp(y - x));
}

// Online log-sum-exp with one exp per term: s = sum exp(v - m), m the largest
// v so far. m starts at kLow (finite) so a -inf term (a zero mass) adds 0.
constexpr double kLow = -1e300;
inline void lse_add(double v, double& m, double& s) {
    const double d = v - m;
    const double e = exp_nonpositive(d > 0 ? -d : d);
    s = d > 0 ? s * e + 1.0 : s + e;
    m = d > 0 ? v : m;
}
inline double lse_value(double m, double s) { return s > 0 ? m + std::log(s) : kNegInf; }

// LSE_j((pot_j - c_j) * inv) over one stored row, in 32 independent lanes
// (several vectors, so the exp polynomials of successive terms overlap).
__attribute__((target_clones("avx512f", "avx2", "default")))
double dense_row_lse(const double* c, const double* pot, std::size_t m, double inv) {
    constexpr std::size_t W = 32;
    double mx[W], sm[W];
    for (std::size_t l = 0; l < W; ++l) {
        mx[l] = kLow;
        sm[l] = 0.0;
    }
    std::size_t j = 0;
    for (; j + W <= m; j += W)
        for (std::size_t l = 0; l < W; ++l) lse_add((pot[j + l] - c[j + l]) * inv, mx[l], sm[l]);
    for (; j < m; ++j) lse_add((pot[j] - c[j]) * inv, mx[0], sm[0]);
    double M = kLow;
    for (std::size_t l = 0; l < W; ++l) M = std::max(M, mx[l]);
    double S = 0.0;
    for (std::size_t l = 0; l < W; ++l) S += sm[l] * std::exp(mx[l] - M);
    return lse_value(M, S);
}

// LSE_i((pot_i - C_ij) * inv) for the columns [j0, j1) of a stored row-major
// matrix: rows are streamed, the columns of the block are the vector lanes.
__attribute__((target_clones("avx512f", "avx2", "default")))
void dense_col_lse(const double* C, std::size_t n, std::size_t m, std::size_t j0, std::size_t j1, const double* pot,
                   double inv, double* mx, double* sm, double* out) {
    const std::size_t w = j1 - j0;
    for (std::size_t k = 0; k < w; ++k) {
        mx[k] = kLow;
        sm[k] = 0.0;
    }
    // Rows four at a time: each lane's running (max, sum) is loaded and stored
    // once per four terms instead of once per term (the pass was L1-bound).
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const double* c0 = C + i * m + j0;
        const double* c1 = c0 + m;
        const double* c2 = c1 + m;
        const double* c3 = c2 + m;
        const double p0 = pot[i], p1 = pot[i + 1], p2 = pot[i + 2], p3 = pot[i + 3];
        for (std::size_t k = 0; k < w; ++k) {
            double mk = mx[k], sk = sm[k];
            lse_add((p0 - c0[k]) * inv, mk, sk);
            lse_add((p1 - c1[k]) * inv, mk, sk);
            lse_add((p2 - c2[k]) * inv, mk, sk);
            lse_add((p3 - c3[k]) * inv, mk, sk);
            mx[k] = mk;
            sm[k] = sk;
        }
    }
    for (; i < n; ++i) {
        const double* c = C + i * m + j0;
        const double p = pot[i];
        for (std::size_t k = 0; k < w; ++k) lse_add((p - c[k]) * inv, mx[k], sm[k]);
    }
    for (std::size_t k = 0; k < w; ++k) out[k] = lse_value(mx[k], sm[k]);
}

// LSE_j((pot_j - C_ij) * inv) of row i (or column i, !by_row) on the fly: the
// costs of a tile (vectorised for the sphere), then the same vectorised
// log-sum-exp as a stored row; tiles are merged in the log domain. tile is
// scratch space, sized here.
constexpr std::size_t kLseTile = 2048;  // 16 KB: stays in L1 between the two loops
double tiled_lse(const CostFunction& C, const std::vector<double>& pot, double inv, bool by_row, std::size_t i,
                 std::vector<double>& tile) {
    const std::size_t m = by_row ? C.cols() : C.rows();
    tile.resize(std::min(m, kLseTile));
    double acc = kNegInf;
    for (std::size_t j0 = 0; j0 < m; j0 += kLseTile) {
        const std::size_t j1 = std::min(m, j0 + kLseTile);
        if (by_row)
            C.row(i, j0, j1, tile.data());
        else
            C.col(i, j0, j1, tile.data());
        acc = log_add(acc, dense_row_lse(tile.data(), pot.data() + j0, j1 - j0, inv));
    }
    return acc;
}

// out_i = LSE_j((pot_j - C_ij) / eps) over rows (by_row) or columns (otherwise).
void lse_pass(const CostFunction& C, const std::vector<double>& pot, double eps, bool by_row, int threads,
              std::vector<double>& out) {
    const std::size_t n = by_row ? C.rows() : C.cols();
    const std::size_t m = by_row ? C.cols() : C.rows();
    out.resize(n);
    const double inv = 1.0 / eps;
    if (const auto* dense = dynamic_cast<const DenseCost*>(&C)) {
        const double* v = dense->values().data();
        if (by_row) {
            parallel_blocks(static_cast<std::int64_t>(n), kRowBlock, threads,
                            [&](std::int64_t, std::int64_t i0, std::int64_t i1, int) {
                                for (std::int64_t i = i0; i < i1; ++i)
                                    out[std::size_t(i)] = dense_row_lse(v + std::size_t(i) * m, pot.data(), m, inv);
                            });
        } else {
            constexpr std::int64_t kColBlock = 512;
            parallel_blocks(static_cast<std::int64_t>(n), kColBlock, threads,
                            [&](std::int64_t, std::int64_t j0, std::int64_t j1, int) {
                                std::vector<double> mx(std::size_t(j1 - j0)), sm(std::size_t(j1 - j0));
                                dense_col_lse(v, m, n, std::size_t(j0), std::size_t(j1), pot.data(), inv, mx.data(),
                                              sm.data(), &out[std::size_t(j0)]);
                            });
        }
        return;
    }
    parallel_blocks(static_cast<std::int64_t>(n), kRowBlock, threads,
                    [&](std::int64_t, std::int64_t i0, std::int64_t i1, int) {
                        std::vector<double> tile;
                        for (std::int64_t i = i0; i < i1; ++i)
                            out[std::size_t(i)] = tiled_lse(C, pot, inv, by_row, std::size_t(i), tile);
                    });
}

// lse_pass through the stored kernel when it covers pot; false (nothing done) otherwise.
bool kernel_pass(const GibbsKernel& K, const CostFunction& C, const std::vector<double>& pot, bool by_row,
                 int threads, std::vector<double>& out) {
    if (!K.covers(pot, by_row)) return false;
    K.lse(pot, by_row, threads, out);
    std::vector<double> tile;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (std::isnan(out[i])) out[i] = tiled_lse(C, pot, 1.0 / K.eps(), by_row, i, tile);
    return true;
}

struct PlanSums {
    double linear = 0.0, kl_sum = 0.0, mass = 0.0;
};

// The three sums of plan_sums over one tile of row i (len <= kCostTile): the
// exponents and the plan entries in two simple loops that vectorise, then the
// sums in 8 fixed lanes (the order of the additions never changes).
__attribute__((target_clones("avx512f", "avx2", "default")))
void plan_tile_sums(const double* c, const double* g, const double* logb, std::size_t len, double fi, double logai,
                    double inv, PlanSums& ps) {
    double lp[kCostTile], p[kCostTile];
    for (std::size_t k = 0; k < len; ++k) lp[k] = (fi + g[k] - c[k]) * inv;
    for (std::size_t k = 0; k < len; ++k) p[k] = exp_nonpositive(lp[k]);  // P <= 1 up to rounding; -inf gives 0
    constexpr std::size_t W = 8;
    double lin[W] = {}, kl[W] = {}, mass[W] = {};
    for (std::size_t k = 0; k < len; ++k) {
        const std::size_t l = k % W;
        const bool on = p[k] > 0;  // a zero target mass: p = 0 and log b = -inf
        lin[l] += on ? p[k] * c[k] : 0.0;
        kl[l] += on ? p[k] * (lp[k] - logai - logb[k]) : 0.0;
        mass[l] += p[k];
    }
    for (std::size_t l = 0; l < W; ++l) {
        ps.linear += lin[l];
        ps.kl_sum += kl[l];
        ps.mass += mass[l];
    }
}

// <P,C>, sum P (log P - log a_i - log b_j), sum P for P = exp((f+g-C)/eps).
PlanSums plan_sums(const CostFunction& C, const std::vector<double>& f, const std::vector<double>& g,
                   const std::vector<double>& loga, const std::vector<double>& logb, double eps, int threads) {
    const std::size_t n = C.rows(), m = C.cols();
    const std::int64_t nb = (static_cast<std::int64_t>(n) + kRowBlock - 1) / kRowBlock;
    std::vector<PlanSums> part(static_cast<std::size_t>(nb));
    const double inv = 1.0 / eps;
    parallel_blocks(static_cast<std::int64_t>(n), kRowBlock, threads,
                    [&](std::int64_t b, std::int64_t i0, std::int64_t i1, int) {
                        std::vector<double> tile(std::min(m, kCostTile));
                        PlanSums ps;
                        for (std::int64_t ii = i0; ii < i1; ++ii) {
                            const std::size_t i = static_cast<std::size_t>(ii);
                            if (f[i] == kNegInf) continue;
                            for (std::size_t j0 = 0; j0 < m; j0 += kCostTile) {
                                const std::size_t j1 = std::min(m, j0 + kCostTile);
                                C.row(i, j0, j1, tile.data());
                                plan_tile_sums(tile.data(), g.data() + j0, logb.data() + j0, j1 - j0, f[i], loga[i],
                                               inv, ps);
                            }
                        }
                        part[static_cast<std::size_t>(b)] = ps;
                    });
    PlanSums tot;
    for (const auto& p : part) {
        tot.linear += p.linear;
        tot.kl_sum += p.kl_sum;
        tot.mass += p.mass;
    }
    return tot;
}

void finish(SinkhornResult& r, const CostFunction& C, const std::vector<double>& a, const std::vector<double>& b,
            const std::vector<double>& loga, const std::vector<double>& logb, double eps, int threads) {
    const PlanSums ps = plan_sums(C, r.f, r.g, loga, logb, eps, threads);
    r.linear = ps.linear;
    r.kl_objective = ps.linear + eps * (ps.kl_sum - ps.mass + 1.0);
    double d = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] > 0) d += a[i] * (r.f[i] - eps * loga[i]);
    for (std::size_t j = 0; j < b.size(); ++j)
        if (b[j] > 0) d += b[j] * (r.g[j] - eps * logb[j]);
    r.dual = d;
    r.eps = eps;
}

std::vector<double> eps_schedule(const CostFunction& C, const SinkhornOptions& opt) {
    if (!(opt.eps > 0) || !std::isfinite(opt.eps)) throw std::invalid_argument("sinkhorn: eps must be positive");
    if (!(opt.tol > 0)) throw std::invalid_argument("sinkhorn: tol must be positive");
    std::vector<double> s;
    if (opt.eps_scaling) {
        if (!(opt.scaling_factor > 0 && opt.scaling_factor < 1))
            throw std::invalid_argument("sinkhorn: scaling factor must be in (0, 1)");
        double e = opt.eps_start > 0 ? opt.eps_start : cost_max(C, opt.threads);
        for (; e > opt.eps && s.size() < 200; e *= opt.scaling_factor) s.push_back(e);
    }
    s.push_back(opt.eps);
    return s;
}

// Over-relaxed updates g <- (1 - w) g + w T(g) (Thibault et al. 2017; Lehmann
// et al. 2021) have the same fixed point as Sinkhorn's and need several times
// fewer iterations at small eps; the fallback when Anderson mixing is off or
// keeps jumping. w follows the adaptive SOR rule of Hageman & Young: from the
// observed error decay l over a window under the current w,
// mu^2 = (l + w - 1)^2 / (l w^2) estimates the plain contraction rate and
// w = 2 / (1 + sqrt(1 - mu^2)) its SOR optimum. A rising error falls back to
// a smaller w.
class Overrelaxation {
public:
    explicit Overrelaxation(bool enabled) : enabled_(enabled) {}
    double omega() const { return omega_; }
    void observe(double err) {
        if (!enabled_ || !std::isfinite(err) || !(err > 0)) return;
        if (err > 10.0 * best_ && ++backoffs_ > 3) {  // no luck: plain steps
            omega_ = 1.0;
            enabled_ = false;
            return;
        }
        if (err > 10.0 * best_) {  // SOR's error is not monotone, but this is too much: relax less
            omega_ = 1.0 + 0.5 * (omega_ - 1.0);
            best_ = err;
            seen_ = 0;
            return;
        }
        best_ = std::min(best_, err);
        if (++seen_ < kWindow) {
            if (seen_ == 1) window_start_ = err;
            return;
        }
        const double l = std::pow(err / window_start_, 1.0 / (kWindow - 1));
        // At or past the optimum the observed decay is about w - 1: then w stays.
        if (l < 1.0 && l > omega_ - 1.0 + 0.05) {
            const double mu2 = std::min(kMaxMu2, (l + omega_ - 1.0) * (l + omega_ - 1.0) / (l * omega_ * omega_));
            omega_ = std::max(omega_, std::min(kMaxOmega, 2.0 / (1.0 + std::sqrt(1.0 - mu2))));
        }
        seen_ = 1;
        window_start_ = err;
    }

private:
    static constexpr int kWindow = 6;
    static constexpr double kMaxOmega = 1.85, kMaxMu2 = 0.9999;
    bool enabled_;
    double omega_ = 1.0, window_start_ = 0.0, best_ = std::numeric_limits<double>::infinity();
    int seen_ = 0, backoffs_ = 0;
};

constexpr double kCoarseTol = 0.1;  // a warm start only: with Anderson, tighter coarse stages cost more than they save
constexpr int kAndersonRestarts = 5;
constexpr int kCoarseIter = 50;
// The kernel's final stage stops this much below tol, so that the exact cost
// usually meets tol at the first check.
constexpr double kKernelTolFactor = 0.1;
// ...but not below this: the kernel's own rounding floor is far lower, and a
// smaller tol is then met on the exact cost.
constexpr double kKernelTolFloor = 1e-13;

double kernel_tol(double tol) { return std::max(tol * kKernelTolFactor, kKernelTolFloor); }

}  // namespace

SinkhornResult sinkhorn(const std::vector<double>& a_in, const std::vector<double>& b_in, const CostFunction& C,
                        const SinkhornOptions& opt) {
    const std::size_t n = C.rows(), m = C.cols();
    if (a_in.size() != n || b_in.size() != m) throw std::invalid_argument("sinkhorn: mass sizes do not match the cost");
    if (n == 0 || m == 0) throw std::invalid_argument("sinkhorn: empty input");
    const std::vector<double> a = normalise_masses(a_in), b = normalise_masses(b_in);
    const std::vector<double> loga = log_of(a), logb = log_of(b);
    const std::vector<double> sched = eps_schedule(C, opt);

    SinkhornResult r;
    r.f.assign(n, 0.0);
    r.g.assign(m, 0.0);
    std::vector<double> L;
    // The kernel path (ot/gibbs_kernel.h) when it fits: every stage runs on it, and
    // the final one then continues on the exact cost until that meets tol too.
    GibbsKernel kernel;
    const bool kernel_fits = GibbsKernel::fits(n, m, opt.kernel_memory, opt.kernel_min_entries);
    for (std::size_t s = 0; s < sched.size(); ++s) {
        const bool last = s + 1 == sched.size();
        const double e = sched[s];
        const double tol = last ? opt.tol : std::max(opt.tol, kCoarseTol);
        const int max_it = last ? opt.max_iter : kCoarseIter;
        Overrelaxation relax(opt.overrelaxation && opt.anderson == 0);
        AndersonMixer mixer(std::size_t(std::max(0, opt.anderson)));
        bool anderson = opt.anderson > 0;
        double best = std::numeric_limits<double>::infinity();
        int restarts = 0;
        std::vector<double> g_plain(m);
        int it = 0;
        bool conv = false;
        bool on_kernel = kernel_fits;
        double err = std::numeric_limits<double>::infinity();
        // Each iteration: f from g (plain, so the rows match a exactly), the column
        // marginal error of (f, g), then g <- an accelerated step towards the plain
        // g of that f. (One fused sweep for both passes was tried: its column sums
        // live in L2 instead of L1 and it ran 1.6x slower than the two passes.)
        while (true) {
            const bool kernel_now = on_kernel && kernel.valid() && kernel.eps() == e;
            if (!(kernel_now && kernel_pass(kernel, C, r.g, true, opt.threads, L))) lse_pass(C, r.g, e, true, opt.threads, L);
            for (std::size_t i = 0; i < n; ++i) r.f[i] = loga[i] == kNegInf ? kNegInf : e * (loga[i] - L[i]);
            // (Re)built between the passes, where the rows of (f, g) sum to a: a
            // stage's first row pass is exact, and the kernel's rows are near a plan's.
            if (on_kernel && (!kernel_now || !kernel.covers(r.g, true) || !kernel.covers(r.f, false))) {
                kernel.build(C, r.f, r.g, e, opt.threads);
                ++r.kernel_builds;
            }
            if (!(on_kernel && kernel_pass(kernel, C, r.f, false, opt.threads, L))) lse_pass(C, r.f, e, false, opt.threads, L);
            err = 0.0;
            for (std::size_t j = 0; j < m; ++j) err += std::fabs(std::exp(r.g[j] / e + L[j]) - b[j]);
            const bool met = err < (on_kernel && last ? kernel_tol(tol) : tol);
            if (met || it >= max_it) {
                if (on_kernel && last) {
                    // Done on the single-precision kernel (converged, or out of
                    // iterations): go on with the same potentials on the exact cost,
                    // whose error is the one reported (tol is usually met at once).
                    on_kernel = false;
                    kernel.clear();
                    mixer.reset();
                    best = std::numeric_limits<double>::infinity();
                    restarts = 0;
                    continue;
                }
                conv = met;
                break;
            }
            for (std::size_t j = 0; j < m; ++j) g_plain[j] = logb[j] == kNegInf ? kNegInf : e * (logb[j] - L[j]);
            if (anderson) {
                // Anderson's error is not monotone; a jump far above the best so far
                // restarts its history from here, and repeated jumps hand the stage
                // to over-relaxation (starting afresh at w = 1).
                if (err > 100.0 * best && ++restarts <= kAndersonRestarts) mixer.reset();
                if (restarts > kAndersonRestarts) {
                    anderson = false;
                    relax = Overrelaxation(opt.overrelaxation);
                }
                best = std::min(best, err);
            }
            if (anderson) {
                mixer.step(r.g, g_plain);
            } else {
                relax.observe(err);
                const double w = relax.omega();
                // A zero mass keeps its -inf potential: (1 - w) * -inf would be NaN.
                for (std::size_t j = 0; j < m; ++j)
                    r.g[j] = logb[j] == kNegInf ? kNegInf : (1.0 - w) * r.g[j] + w * g_plain[j];
            }
            ++it;
        }
        r.iterations += it;
        if (last) {
            r.converged = conv;
            r.marginal_error = err;
        }
    }
    kernel.clear();
    finish(r, C, a, b, loga, logb, opt.eps, opt.threads);
    return r;
}

SinkhornResult sinkhorn_symmetric(const std::vector<double>& a_in, const CostFunction& C,
                                  const SinkhornOptions& opt) {
    const std::size_t n = C.rows();
    if (C.cols() != n) throw std::invalid_argument("sinkhorn_symmetric: the cost must be square");
    if (a_in.size() != n) throw std::invalid_argument("sinkhorn_symmetric: mass size does not match the cost");
    if (n == 0) throw std::invalid_argument("sinkhorn_symmetric: empty input");
    const std::vector<double> a = normalise_masses(a_in);
    const std::vector<double> loga = log_of(a);
    const std::vector<double> sched = eps_schedule(C, opt);

    SinkhornResult r;
    r.f.assign(n, 0.0);
    std::vector<double> L;
    // The kernel path as in sinkhorn(), with f as both base potentials.
    GibbsKernel kernel;
    const bool kernel_fits = GibbsKernel::fits(n, n, opt.kernel_memory, opt.kernel_min_entries);
    for (std::size_t s = 0; s < sched.size(); ++s) {
        const bool last = s + 1 == sched.size();
        const double e = sched[s];
        const double tol = last ? opt.tol : std::max(opt.tol, kCoarseTol);
        const int max_it = last ? opt.max_iter : kCoarseIter;
        int it = 0;
        bool conv = false;
        bool on_kernel = kernel_fits;
        double err = 0.0;
        while (true) {
            if (on_kernel && (!kernel.valid() || kernel.eps() != e || !kernel.covers(r.f, true) ||
                              !kernel.covers(r.f, false))) {
                kernel.build(C, r.f, r.f, e, opt.threads);
                ++r.kernel_builds;
            }
            if (!(on_kernel && kernel_pass(kernel, C, r.f, true, opt.threads, L))) lse_pass(C, r.f, e, true, opt.threads, L);
            err = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                const double ri = r.f[i] == kNegInf ? 0.0 : std::exp(r.f[i] / e + L[i]);
                err += std::fabs(ri - a[i]);
            }
            const bool met = err < (on_kernel && last ? kernel_tol(tol) : tol);
            if (met || it >= max_it) {
                if (on_kernel && last) {  // finish on the exact cost, as sinkhorn() does
                    on_kernel = false;
                    kernel.clear();
                    continue;
                }
                conv = met;
                break;
            }
            // A zero mass keeps its -inf potential (the kernel's L is -inf there too).
            for (std::size_t i = 0; i < n; ++i)
                r.f[i] = loga[i] == kNegInf ? kNegInf : 0.5 * (r.f[i] + e * (loga[i] - L[i]));
            ++it;
        }
        r.iterations += it;
        if (last) {
            r.converged = conv;
            r.marginal_error = err;
        }
    }
    kernel.clear();
    r.g = r.f;
    finish(r, C, a, a, loga, loga, opt.eps, opt.threads);
    return r;
}

DivergenceResult sinkhorn_divergence(const std::vector<double>& a, const std::vector<double>& b,
                                     const CostFunction& Cab, const CostFunction& Caa, const CostFunction& Cbb,
                                     const SinkhornOptions& opt, bool identical) {
    DivergenceResult d;
    d.aa = sinkhorn_symmetric(a, Caa, opt);
    if (identical) {
        d.ab = d.aa;
        d.bb = d.aa;
    } else {
        d.bb = sinkhorn_symmetric(b, Cbb, opt);
        d.ab = sinkhorn(a, b, Cab, opt);
    }
    d.linear = d.ab.linear - 0.5 * d.aa.linear - 0.5 * d.bb.linear;
    d.linear_clipped = std::max(0.0, d.linear);
    d.kl = d.ab.kl_objective - 0.5 * d.aa.kl_objective - 0.5 * d.bb.kl_objective;
    return d;
}

GeoSpotResult geospot_sinkhorn(const std::vector<double>& a_in, const std::vector<double>& b_in,
                               const CostFunction& C, int threads, double max_cost, double reg, int max_iter,
                               double stop_thr) {
    const std::size_t n = C.rows(), m = C.cols();
    if (a_in.size() != n || b_in.size() != m) throw std::invalid_argument("geospot: mass sizes do not match the cost");
    if (n == 0 || m == 0) throw std::invalid_argument("geospot: empty input");
    const std::vector<double> a = normalise_masses(a_in), b = normalise_masses(b_in);
    const std::vector<double> loga = log_of(a), logb = log_of(b);
    GeoSpotResult res;
    res.max_cost = max_cost > 0 ? max_cost : cost_max(C, threads);
    if (!(res.max_cost > 0)) {  // all costs 0: POT returns 0 (M/max is NaN there; we report 0)
        res.converged = true;
        return res;
    }
    const ScaledCost M(C, 1.0 / res.max_cost);
    const double e = reg;
    // Linear-domain limits of sinkhorn_knopp's u, v and K^T u.
    const double log_max = std::log(std::numeric_limits<double>::max());
    const double log_min = std::log(std::numeric_limits<double>::denorm_min());

    std::vector<double> f(n, e * std::log(1.0 / static_cast<double>(n))), g(m, 0.0), L;
    bool numerical = false;
    int ii = 0;
    for (; ii < max_iter; ++ii) {
        lse_pass(M, f, e, false, threads, L);  // log(K^T u)_j = L_j
        for (std::size_t j = 0; j < m; ++j) {
            if (L[j] < log_min) numerical = true;
            g[j] = e * (logb[j] - L[j]);
            if (g[j] / e > log_max) numerical = true;
        }
        lse_pass(M, g, e, true, threads, L);
        for (std::size_t i = 0; i < n; ++i) {
            f[i] = e * (loga[i] - L[i]);
            if (f[i] / e > log_max) numerical = true;
        }
        if (ii % 10 == 0) {
            lse_pass(M, f, e, false, threads, L);
            double s = 0.0;
            for (std::size_t j = 0; j < m; ++j) {
                const double d = std::exp(g[j] / e + L[j]) - b[j];
                s += d * d;
            }
            res.last_err = std::sqrt(s);
            if (res.last_err < stop_thr) {
                res.converged = true;
                break;
            }
        }
    }
    res.niter = std::min(ii, max_iter - 1);
    if (numerical) res.method_used = "sinkhorn_log";
    const PlanSums ps = plan_sums(M, f, g, loga, logb, e, threads);
    res.value_normalised = ps.linear;
    res.value_times_max = ps.linear * res.max_cost;
    res.f = std::move(f);
    res.g = std::move(g);
    return res;
}

}  // namespace geoenc::ot
