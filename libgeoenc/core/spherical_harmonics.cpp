// CPU evaluation of real spherical harmonics, vectorised across points.
//
// Points are processed in blocks of kLanes: every recurrence step is a short
// fixed-length loop over the block, which the compiler turns into SIMD code
// (AVX-512, AVX2 or SSE, chosen at run time by target_clones). The Legendre
// recurrence runs in the output precision; the per-point angles and the
// cos/sin(m phi) tables are built in float64 because their rotation recurrence
// accumulates error with m.
#include "core/spherical_harmonics.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/errors.h"
#include "core/spherical_harmonics_detail.h"

namespace geoenc {

ShConvention parse_sh_convention(const std::string& text) {
    if (text == "satclip") return ShConvention::SatClip;
    if (text == "orthonormal") return ShConvention::Orthonormal;
    throw UsageError("convention: expected satclip or orthonormal, got '" + text + "'");
}

const char* to_string(ShConvention c) {
    return c == ShConvention::SatClip ? "satclip" : "orthonormal";
}

namespace {

constexpr int kLanes = 16;

// Per-thread scratch: angle terms and trig tables for one block.
template <typename T>
struct BlockScratch {
    explicit BlockScratch(int L) : cos_m(std::size_t(L) * kLanes), sin_m(std::size_t(L) * kLanes) {}
    alignas(64) T x[kLanes];
    alignas(64) T s[kLanes];
    alignas(64) T p0[kLanes];
    alignas(64) T p1[kLanes];
    alignas(64) T p2[kLanes];
    std::vector<T> cos_m, sin_m;  // [m][lane], sqrt(2) folded in for m >= 1
};

template <typename T>
inline __attribute__((always_inline)) void emit(const ShRecurrence& rec, int l, int m, const T* p,
                                                const BlockScratch<T>& sc, T* out_block,
                                                std::size_t row_stride, int valid) {
    const std::size_t centre = std::size_t(l) * l + l;
    if (m == 0) {
        const T scale = T(rec.m0_scale);
        for (int i = 0; i < valid; ++i) out_block[i * row_stride + centre] = p[i] * scale;
        return;
    }
    const T* cm = &sc.cos_m[std::size_t(m) * kLanes];
    const T* sm = &sc.sin_m[std::size_t(m) * kLanes];
    for (int i = 0; i < valid; ++i) {
        out_block[i * row_stride + centre + m] = p[i] * cm[i];
        out_block[i * row_stride + centre - m] = p[i] * sm[i];
    }
}

template <typename T>
inline __attribute__((always_inline)) void eval_block(const ShRecurrence& rec, const double* lon,
                                                      const double* lat, int valid,
                                                      BlockScratch<T>& sc, T* out_block) {
    const int L = rec.L;
    const std::size_t row_stride = std::size_t(L) * L;
    double phi[kLanes];
    for (int i = 0; i < kLanes; ++i) {
        const double lo = i < valid ? lon[i] : 0.0;
        const double la = i < valid ? lat[i] : 0.0;
        AngleTerms a = angle_terms(rec.conv, lo, la);
        sc.x[i] = T(a.x);
        sc.s[i] = T(a.s);
        phi[i] = a.phi;
    }
    // cos/sin(m phi) by complex rotation in float64: error grows like m * eps.
    for (int i = 0; i < kLanes; ++i) {
        const double c1 = std::cos(phi[i]), s1 = std::sin(phi[i]);
        double c = 1.0, s = 0.0;
        for (int m = 1; m < L; ++m) {
            const double cn = c * c1 - s * s1;
            s = s * c1 + c * s1;
            c = cn;
            sc.cos_m[std::size_t(m) * kLanes + i] = T(kSqrt2 * c);
            sc.sin_m[std::size_t(m) * kLanes + i] = T(kSqrt2 * s);
        }
    }

    T* pmm = sc.p0;
    for (int i = 0; i < kLanes; ++i) pmm[i] = T(kY00);
    for (int m = 0; m < L; ++m) {
        if (m > 0) {
            const T d = T(rec.diag[m]);
            for (int i = 0; i < kLanes; ++i) pmm[i] *= d * sc.s[i];
        }
        emit(rec, m, m, pmm, sc, out_block, row_stride, valid);
        if (m + 1 >= L) break;
        T* pl2 = sc.p1;  // P_{l-2}
        T* pl1 = sc.p2;  // P_{l-1}
        const T f = T(rec.first[m]);
        for (int i = 0; i < kLanes; ++i) {
            pl2[i] = pmm[i];
            pl1[i] = f * sc.x[i] * pmm[i];
        }
        emit(rec, m + 1, m, pl1, sc, out_block, row_stride, valid);
        for (int l = m + 2; l < L; ++l) {
            const T a = T(rec.a(l, m)), b = T(rec.b(l, m));
            for (int i = 0; i < kLanes; ++i) {
                const T p = a * (sc.x[i] * pl1[i] - b * pl2[i]);
                pl2[i] = p;
            }
            std::swap(pl1, pl2);
            emit(rec, l, m, pl1, sc, out_block, row_stride, valid);
        }
    }
}

template <typename T>
inline __attribute__((always_inline)) void eval_range(const ShRecurrence& rec, const double* lon,
                                                      const double* lat, std::size_t n,
                                                      std::int64_t block_begin,
                                                      std::int64_t block_end, T* out) {
    BlockScratch<T> sc(rec.L);
    const std::size_t row = std::size_t(rec.L) * rec.L;
    for (std::int64_t b = block_begin; b < block_end; ++b) {
        const std::size_t first = std::size_t(b) * kLanes;
        const int valid = int(std::min<std::size_t>(kLanes, n - first));
        eval_block<T>(rec, lon + first, lat + first, valid, sc, out + first * row);
    }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void eval_range_f32(
    const ShRecurrence& rec, const double* lon, const double* lat, std::size_t n,
    std::int64_t b0, std::int64_t b1, float* out) {
    eval_range<float>(rec, lon, lat, n, b0, b1, out);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void eval_range_f64(
    const ShRecurrence& rec, const double* lon, const double* lat, std::size_t n,
    std::int64_t b0, std::int64_t b1, double* out) {
    eval_range<double>(rec, lon, lat, n, b0, b1, out);
}

template <typename T, typename Fn>
void run_parallel(const double* lon, const double* lat, std::size_t n, int L, ShConvention conv,
                  T* out, Fn fn) {
    if (L < 1 || L > kMaxShDegree)
        throw UsageError("spherical harmonics: L must be in 1.." + std::to_string(kMaxShDegree) +
                         ", got " + std::to_string(L));
    if (n == 0) return;
    const ShRecurrence& rec = ShRecurrence::get(L, conv);
    const std::int64_t blocks = std::int64_t((n + kLanes - 1) / kLanes);
    // A few blocks per task keeps scheduling overhead small against ~L*L*16 stores.
    const std::int64_t grain = std::max<std::int64_t>(1, 4096 / (std::int64_t(L) * L / 16 + 1));
    at::parallel_for(0, blocks, grain, [&](std::int64_t b0, std::int64_t b1) {
        fn(rec, lon, lat, n, b0, b1, out);
    });
}

}  // namespace

void spherical_harmonics(const double* lon, const double* lat, std::size_t n, int L,
                         ShConvention conv, float* out) {
    run_parallel(lon, lat, n, L, conv, out, eval_range_f32);
}

void spherical_harmonics(const double* lon, const double* lat, std::size_t n, int L,
                         ShConvention conv, double* out) {
    run_parallel(lon, lat, n, L, conv, out, eval_range_f64);
}

}  // namespace geoenc

namespace geoenc {

const ShRecurrence& ShRecurrence::get(int L, ShConvention conv) {
    static std::mutex mu;
    static std::map<std::pair<int, int>, std::unique_ptr<ShRecurrence>> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = cache[{L, int(conv)}];
    if (!slot) slot = std::make_unique<ShRecurrence>(L, conv);
    return *slot;
}

}  // namespace geoenc
