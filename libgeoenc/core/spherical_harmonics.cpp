// CPU evaluation of real spherical harmonics, vectorised across points.
//
// Points are processed in blocks of kLanes, one SIMD vector (GCC vector type)
// per quantity, so every recurrence step is plain vector arithmetic.
// Degrees are visited in increasing l, so the orders m of one degree are
// independent (no serial dependency chain across steps), and degree l fills
// rows l*l .. l*l+2l of a per-block tile laid out [feature][point]. The output
// is [point][feature], so each finished group of tile rows is transposed into
// the output rows. The tile is a ring of the most recent rows, small enough to
// stay in L1.
//
// At L=40 the output is 6.4 KB per point and the kernel is bound by memory
// writes. On AVX-512 the transposes are done in registers and whole 64-byte
// lines are written with streaming stores, which skip the read-for-ownership of
// normal stores (here about 2.5x the write bandwidth). Other CPUs get the
// portable path (target_clones for AVX2 and baseline x86-64), which transposes
// with scalar copies.
//
// The Legendre recurrence runs in the output precision, except for the mixed
// entry point (spherical_harmonics_f64_to_f32), which runs it in float64 and
// rounds each value once to float32 as it enters the tile: the tile, the
// transposes and the stores are then exactly the float32 ones. The per-point
// angles and the cos/sin(m phi) tables are built in float64 because their
// rotation recurrence accumulates error with m.
#include "core/spherical_harmonics.h"

#include "core/torch_parallel.h"
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
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

#define GEOENC_INLINE inline __attribute__((always_inline))

constexpr int kLanes = 16;

// One value per point of a block: GCC vector type, so every recurrence step is
// plain vector arithmetic (one AVX-512 register for float, two for double;
// lowered to narrower registers by the target_clones variants). The alignment
// is explicit because GCC otherwise derives it from the file's base ISA (16),
// while the AVX-512 code assumes 64.
template <typename T>
struct LanesOf {
    typedef T type __attribute__((vector_size(sizeof(T) * kLanes), aligned(64)));
};
template <typename T>
using Lanes = typename LanesOf<T>::type;

// Zero-filled array of Lanes<T>, aligned for its vector type.
template <typename T>
class LanesArray {
    using V = Lanes<T>;

public:
    explicit LanesArray(std::size_t n)
        : p_(static_cast<V*>(::operator new(n * sizeof(V), std::align_val_t(alignof(V))))) {
        std::fill(p_, p_ + n, V{});
    }
    ~LanesArray() { ::operator delete(p_, std::align_val_t(alignof(V))); }
    LanesArray(const LanesArray&) = delete;
    LanesArray& operator=(const LanesArray&) = delete;
    V& operator[](std::size_t i) const { return p_[i]; }
    const T* scalars() const { return reinterpret_cast<const T*>(p_); }

private:
    V* p_;
};

// Tile rows: a power of two above the rows in use at once, one degree (2L-1)
// plus a partly filled transpose group (< kLanes).
std::size_t ring_rows(int L) {
    std::size_t r = kLanes;
    while (r < std::size_t(2 * L + kLanes)) r *= 2;
    return r;
}

// Per-thread state for one block of points: the recurrence runs in T, the
// tile (what is transposed into the output) holds S, the output type.
template <typename T, typename S = T>
struct Block {
    explicit Block(const ShRecurrence& rec)
        : L(rec.L),
          conv(rec.conv),
          m0_scale(T(rec.m0_scale)),
          cos_m(L),
          sin_m(L),
          p_a(L),
          p_b(L),
          ring_mask(ring_rows(L) - 1),
          tile(ring_rows(L)) {
        // Coefficients converted once here rather than at every use in the loops.
        for (int m = 0; m < L; ++m) {
            diag.push_back(T(rec.diag[m]));
            first.push_back(T(rec.first[m]));
        }
        for (std::size_t i = 0; i < rec.a_.size(); ++i) {
            a.push_back(T(rec.a_[i]));
            b.push_back(T(rec.b_[i]));
        }
    }

    const int L;
    const ShConvention conv;
    const T m0_scale;
    std::vector<T> diag, first, a, b;
    Lanes<T> x, s;                  // cos(theta), sin(theta)
    LanesArray<T> cos_m, sin_m;     // [m], sqrt(2) folded in for m >= 1
    LanesArray<T> p_a, p_b;         // [m]: P_{l-1}^m and P_{l-2}^m, swapping roles
    const std::size_t ring_mask;    // feature k lives in tile row k & ring_mask
    LanesArray<S> tile;             // [feature], ring of rows
};

// Stores a recurrence value (vector of T) in a tile row (vector of S),
// rounded once when S is the narrower type.
template <typename S, typename V>
GEOENC_INLINE void put(Lanes<S>& row, const V& v) {
    if constexpr (sizeof(V) == sizeof(Lanes<S>)) row = v;
    else row = __builtin_convertvector(v, Lanes<S>);
}

// Angles and trig tables of one block; lanes past `valid` get a dummy point.
template <typename T, typename S>
GEOENC_INLINE void start_block(Block<T, S>& bk, const double* lon, const double* lat, int valid) {
    Lanes<double> c1, s1;
    for (int i = 0; i < kLanes; ++i) {
        const AngleTerms t = angle_terms(bk.conv, i < valid ? lon[i] : 0.0, i < valid ? lat[i] : 0.0);
        bk.x[i] = T(t.x);
        bk.s[i] = T(t.s);
        c1[i] = std::cos(t.phi);
        s1[i] = std::sin(t.phi);
    }
    // cos/sin(m phi) by complex rotation in float64: error grows like m * eps.
    Lanes<double> c = Lanes<double>{} + 1.0, s = {};
    for (int m = 1; m < bk.L; ++m) {
        const Lanes<double> cn = c * c1 - s * s1;
        s = s * c1 + c * s1;
        c = cn;
        bk.cos_m[m] = __builtin_convertvector(kSqrt2 * c, Lanes<T>);
        bk.sin_m[m] = __builtin_convertvector(kSqrt2 * s, Lanes<T>);
    }
}

// Degree l into P_l (`cur`, which holds P_{l-2} on entry) and its tile rows;
// row(k) is the tile row of feature l*l + l + k.
template <typename T, typename S, typename Row>
GEOENC_INLINE void eval_degree_rows(Block<T, S>& bk, int l, const LanesArray<T>& cur,
                                    const LanesArray<T>& prev, Row row) {
    const Lanes<T> x = bk.x;
    auto emit = [&](int m, const Lanes<T>& p) {
        cur[m] = p;
        put<S>(row(m), p * bk.cos_m[m]);
        put<S>(row(-m), p * bk.sin_m[m]);
    };
    if (l == 0) {
        cur[0] = Lanes<T>{} + T(kY00);
    } else {
        const T* a = bk.a.data() + std::size_t(l) * bk.L;
        const T* b = bk.b.data() + std::size_t(l) * bk.L;
        // m <= l-2 by the three-term recurrence, m = l-1 and m = l from
        // P_{l-1}^{l-1}; m = 0 has no sine row and is emitted below.
        if (l >= 2) cur[0] = a[0] * (x * prev[0] - b[0] * cur[0]);
        for (int m = 1; m + 2 <= l; ++m) emit(m, a[m] * (x * prev[m] - b[m] * cur[m]));
        const Lanes<T> pmm = prev[l - 1];
        const Lanes<T> sub = bk.first[l - 1] * x * pmm;
        if (l >= 2) emit(l - 1, sub); else cur[0] = sub;
        emit(l, pmm * (bk.diag[l] * bk.s));
    }
    put<S>(row(0), cur[0] * bk.m0_scale);
}

// Degree l: P_l^m for m = 0..l into the buffer that held P_{l-2}, and tile
// rows l*l .. l*l+2l (feature index l*l + l + m).
template <typename T, typename S>
GEOENC_INLINE void eval_degree(Block<T, S>& bk, int l) {
    const LanesArray<T>& cur = l & 1 ? bk.p_b : bk.p_a;   // P_{l-2}, becomes P_l
    const LanesArray<T>& prev = l & 1 ? bk.p_a : bk.p_b;  // P_{l-1}
    const std::size_t mask = bk.ring_mask, centre = std::size_t(l) * l + l;
    if (((centre - l) & mask) + 2 * l <= mask) {
        // The usual case: the degree's rows do not wrap around the ring end,
        // so they are addressed without masking.
        Lanes<S>* mid = &bk.tile[centre & mask];
        eval_degree_rows(bk, l, cur, prev, [mid](int k) -> Lanes<S>& { return mid[k]; });
    } else {
        eval_degree_rows(bk, l, cur, prev,
                         [&bk, mask, centre](int k) -> Lanes<S>& { return bk.tile[(centre + k) & mask]; });
    }
}

// Portable transpose of tile rows [k0, k1) into the first `valid` output rows.
template <typename T, typename S>
GEOENC_INLINE void write_rows(const Block<T, S>& bk, std::size_t k0, std::size_t k1, S* out,
                              std::size_t row_len, int valid) {
    for (int i = 0; i < valid; ++i) {
        S* row = out + std::size_t(i) * row_len;
        for (std::size_t k = k0; k < k1; ++k) row[k] = bk.tile[k & bk.ring_mask][i];
    }
}

// Denormals appear near the poles at high degree (sin(theta)^m underflows) and
// cost microcode assists; values that small (< 1.2e-38 in float) are zero for
// any use of the output (the mixed kernel's float64 -> float32 rounding flushes
// them too, under the same MXCSR bits). The caller's MXCSR is restored on exit.
class FlushDenormals {
public:
    FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040); }  // FTZ | DAZ
    ~FlushDenormals() { _mm_setcsr(saved_); }

private:
    unsigned saved_;
};

// One call's work, shared by its threads. Blocks are claimed a chunk at a
// time, so a thread slowed by other load on its core simply does less of it.
// T: recurrence type, S: output type.
template <typename T, typename S = T>
struct Job {
    const ShRecurrence& rec;
    const double* lon;
    const double* lat;
    std::size_t n;
    S* out;
    std::int64_t blocks, chunk;
    std::atomic<std::int64_t> next{0};

    bool claim(std::int64_t& b0, std::int64_t& b1) {
        b0 = next.fetch_add(chunk, std::memory_order_relaxed);
        b1 = std::min(b0 + chunk, blocks);
        return b0 < blocks;
    }
};

template <typename T, typename S>
GEOENC_INLINE void eval_job_portable(Job<T, S>& job) {
    FlushDenormals ftz;
    Block<T, S> bk(job.rec);
    const std::size_t row_len = std::size_t(bk.L) * bk.L;
    std::int64_t b0, b1;
    while (job.claim(b0, b1)) {
        for (std::int64_t blk = b0; blk < b1; ++blk) {
            const std::size_t first = std::size_t(blk) * kLanes;
            const int valid = int(std::min<std::size_t>(kLanes, job.n - first));
            start_block(bk, job.lon + first, job.lat + first, valid);
            for (int l = 0; l < bk.L; ++l) {
                eval_degree(bk, l);
                write_rows(bk, std::size_t(l) * l, std::size_t(l + 1) * (l + 1),
                           job.out + first * row_len, row_len, valid);
            }
        }
    }
}

__attribute__((target_clones("avx2", "default"))) void eval_portable(Job<float>& job) {
    eval_job_portable(job);
}

__attribute__((target_clones("avx2", "default"))) void eval_portable(Job<double>& job) {
    eval_job_portable(job);
}

__attribute__((target_clones("avx2", "default"))) void eval_portable(Job<double, float>& job) {
    eval_job_portable(job);
}

// ---------------------------------------------------------------------------
// AVX-512 path. Everything up to pop_options is compiled for AVX-512 and only
// called after a run-time CPU check.
#pragma GCC push_options
#pragma GCC target("avx512f,prefer-vector-width=512")

template <typename T>
struct Avx512;

template <>
struct Avx512<float> {
    using V = __m512;
    using I = __m512i;
    static constexpr int W = 16;
    static V load(const float* p) { return _mm512_load_ps(p); }
    static void stream(float* p, V v) { _mm512_stream_ps(p, v); }
    static void store_first(float* p, V v, int n) {
        _mm512_mask_storeu_ps(p, __mmask16((1u << n) - 1), v);
    }
    // Index selecting elements h .. h+W-1 of the concatenation (a, b).
    static I window_index(int h) {
        return _mm512_add_epi32(_mm512_set1_epi32(h),
                                _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    }
    static V window(V a, I idx, V b) { return _mm512_permutex2var_ps(a, idx, b); }

    static void transpose(V r[16]) {
        // 4x4 transposes inside each 128-bit lane, then of the 128-bit lanes.
        for (int g = 0; g < 4; ++g) {
            V* q = r + 4 * g;
            const V t0 = _mm512_unpacklo_ps(q[0], q[1]), t1 = _mm512_unpackhi_ps(q[0], q[1]);
            const V t2 = _mm512_unpacklo_ps(q[2], q[3]), t3 = _mm512_unpackhi_ps(q[2], q[3]);
            q[0] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t2)));
            q[1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t2)));
            q[2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t1), _mm512_castps_pd(t3)));
            q[3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t1), _mm512_castps_pd(t3)));
        }
        // r[4g+q], 128-bit lane j now holds column 4j+q of rows 4g..4g+3.
        V out[16];
        for (int q = 0; q < 4; ++q) {
            const V a = _mm512_shuffle_f32x4(r[q], r[4 + q], 0x88);
            const V b = _mm512_shuffle_f32x4(r[q], r[4 + q], 0xdd);
            const V c = _mm512_shuffle_f32x4(r[8 + q], r[12 + q], 0x88);
            const V d = _mm512_shuffle_f32x4(r[8 + q], r[12 + q], 0xdd);
            out[q] = _mm512_shuffle_f32x4(a, c, 0x88);
            out[4 + q] = _mm512_shuffle_f32x4(b, d, 0x88);
            out[8 + q] = _mm512_shuffle_f32x4(a, c, 0xdd);
            out[12 + q] = _mm512_shuffle_f32x4(b, d, 0xdd);
        }
        for (int i = 0; i < 16; ++i) r[i] = out[i];
    }
};

template <>
struct Avx512<double> {
    using V = __m512d;
    using I = __m512i;
    static constexpr int W = 8;
    static V load(const double* p) { return _mm512_load_pd(p); }
    static void stream(double* p, V v) { _mm512_stream_pd(p, v); }
    static void store_first(double* p, V v, int n) {
        _mm512_mask_storeu_pd(p, __mmask8((1u << n) - 1), v);
    }
    static I window_index(int h) {
        return _mm512_add_epi64(_mm512_set1_epi64(h), _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7));
    }
    static V window(V a, I idx, V b) { return _mm512_permutex2var_pd(a, idx, b); }

    static void transpose(V r[8]) {
        V t[8];
        for (int p = 0; p < 4; ++p) {
            t[2 * p] = _mm512_unpacklo_pd(r[2 * p], r[2 * p + 1]);
            t[2 * p + 1] = _mm512_unpackhi_pd(r[2 * p], r[2 * p + 1]);
        }
        // t[2p+q], 128-bit lane j holds column 2j+q of rows 2p, 2p+1.
        for (int q = 0; q < 2; ++q) {
            const V a = _mm512_shuffle_f64x2(t[q], t[2 + q], 0x88);
            const V b = _mm512_shuffle_f64x2(t[q], t[2 + q], 0xdd);
            const V c = _mm512_shuffle_f64x2(t[4 + q], t[6 + q], 0x88);
            const V d = _mm512_shuffle_f64x2(t[4 + q], t[6 + q], 0xdd);
            r[q] = _mm512_shuffle_f64x2(a, c, 0x88);
            r[2 + q] = _mm512_shuffle_f64x2(b, d, 0x88);
            r[4 + q] = _mm512_shuffle_f64x2(a, c, 0xdd);
            r[6 + q] = _mm512_shuffle_f64x2(b, d, 0xdd);
        }
    }
};

// Transposes tile rows of one full block, W rows at a time, into its kLanes
// output rows with streaming stores, which need 64-byte-aligned whole lines.
// Lane i's line from group c starts at feature origin_i + c*W, where the
// origin puts line starts on cache-line boundaries:
//  - if all rows share the same misalignment (L*L a multiple of W), the groups
//    themselves are shifted by that amount and each transposed vector is a line;
//  - otherwise each lane keeps its previous transposed vector (carry) and the
//    line is the window across the two.
// Partial lines at either end of a row (shared with the neighbouring row) get
// ordinary masked stores. Whole lines are staged and streamed kRun at a time
// per row: streaming stores that hop to another row after every line reach
// only ~2/3 of the bandwidth.
template <typename T>
class StreamWriter {
    using S = Avx512<T>;
    using V = typename S::V;
    using I = typename S::I;
    static constexpr int W = S::W;
    static constexpr int kRun = 4;

public:
    StreamWriter(T* out, std::size_t row_len) : len_(std::int64_t(row_len)) {
        int head[kLanes];  // elements before each row's first 64-byte boundary
        for (int i = 0; i < kLanes; ++i) {
            row_[i] = out + std::size_t(i) * row_len;
            const std::size_t misalign = reinterpret_cast<std::uintptr_t>(row_[i]) % 64 / sizeof(T);
            head[i] = int((W - misalign) % W);
            uniform_ = uniform_ && head[i] == head[0];
        }
        shift_ = uniform_ ? (W - head[0]) % W : 0;
        for (int i = 0; i < kLanes; ++i) {
            origin_[i] = uniform_ ? -shift_ : head[i] - W;
            idx_[i] = S::window_index(head[i]);
            carry_[i] = V{};
        }
        origin_lo_ = *std::min_element(origin_, origin_ + kLanes);
        origin_hi_ = *std::max_element(origin_, origin_ + kLanes);
    }

    // Writes every group whose tile rows are all below `ready`. The block's
    // tile holds T (its recurrence type may differ).
    template <typename Bk>
    void flush(const Bk& bk, std::int64_t ready) {
        while (first_row(next_) + W <= ready) group(bk);
    }

    // Writes the remaining lines; rows past the last feature are never stored.
    template <typename Bk>
    void finish(const Bk& bk) {
        while (origin_lo_ + next_ * W < len_) group(bk);
        drain();
    }

private:
    std::int64_t first_row(std::int64_t c) const { return c * W - shift_; }

    template <typename Bk>
    void group(const Bk& bk) {
        const std::int64_t c = next_++;
        const bool whole = origin_lo_ + c * W >= 0 && origin_hi_ + c * W + W <= len_;
        if (whole && staged_ == 0) staged_from_ = c;
        if (!whole) drain();
        const std::int64_t r0 = first_row(c) & std::int64_t(bk.ring_mask);
        const bool contiguous = r0 + W <= std::int64_t(bk.ring_mask) + 1;
        for (int g = 0; g < kLanes / W; ++g) {
            V v[W];
            for (int j = 0; j < W; ++j) {
                const std::int64_t r = contiguous ? r0 + j : (r0 + j) & std::int64_t(bk.ring_mask);
                v[j] = S::load(bk.tile.scalars() + r * kLanes + g * W);
            }
            S::transpose(v);
            V* line = whole ? stage_[staged_] + g * W : v;
            if (!uniform_) {
                V* carry = carry_ + g * W;
                const I* idx = idx_ + g * W;
#pragma GCC unroll 16
                for (int j = 0; j < W; ++j) {
                    const V next = v[j];
                    line[j] = S::window(carry[j], idx[j], next);
                    carry[j] = next;
                }
            } else if (whole) {
#pragma GCC unroll 16
                for (int j = 0; j < W; ++j) line[j] = v[j];
            }
            if (!whole)
                for (int j = 0; j < W; ++j) edge(g * W + j, origin_[g * W + j] + c * W, line[j]);
        }
        if (whole && ++staged_ == kRun) drain();
    }

    // Streams the staged whole lines, row by row.
    void drain() {
        for (int i = 0; i < kLanes; ++i) {
            T* dst = row_[i] + (origin_[i] + staged_from_ * W);
            for (int r = 0; r < staged_; ++r) S::stream(dst + r * W, stage_[r][i]);
        }
        staged_ = 0;
    }

    // Masked store of the part of lane i's line (starting at feature k) that
    // lies inside its row.
    void edge(int i, std::int64_t k, V line) {
        if (k < 0) {
            const int skip = int(-k);
            if (skip >= W) return;
            line = S::window(line, S::window_index(skip), line);  // drop the first `skip`
            S::store_first(row_[i], line, int(std::min<std::int64_t>(W - skip, len_)));
        } else if (k < len_) {
            S::store_first(row_[i] + k, line, int(std::min<std::int64_t>(W, len_ - k)));
        }
    }

    std::int64_t len_;
    std::int64_t next_ = 0;  // next group of W tile rows
    bool uniform_ = true;
    int shift_;              // groups start at feature c*W - shift_
    std::int64_t origin_[kLanes], origin_lo_, origin_hi_;
    T* row_[kLanes];
    I idx_[kLanes];          // window of the carry path
    V carry_[kLanes];
    int staged_ = 0;         // whole lines per lane in stage_, from group staged_from_
    std::int64_t staged_from_ = 0;
    V stage_[kRun][kLanes];
};

template <typename T, typename S>
void eval_job_avx512(Job<T, S>& job) {
    FlushDenormals ftz;
    Block<T, S> bk(job.rec);
    const std::size_t row_len = std::size_t(bk.L) * bk.L;
    std::int64_t b0, b1;
    while (job.claim(b0, b1)) {
        for (std::int64_t blk = b0; blk < b1; ++blk) {
            const std::size_t first = std::size_t(blk) * kLanes;
            const int valid = int(std::min<std::size_t>(kLanes, job.n - first));
            S* block_out = job.out + first * row_len;
            start_block(bk, job.lon + first, job.lat + first, valid);
            if (valid == kLanes) {
                StreamWriter<S> writer(block_out, row_len);
                for (int l = 0; l < bk.L; ++l) {
                    eval_degree(bk, l);
                    writer.flush(bk, std::int64_t(l + 1) * (l + 1));
                }
                writer.finish(bk);
            } else {
                for (int l = 0; l < bk.L; ++l) {
                    eval_degree(bk, l);
                    write_rows(bk, std::size_t(l) * l, std::size_t(l + 1) * (l + 1),
                               block_out, row_len, valid);
                }
            }
        }
    }
    // Streaming stores are weakly ordered: make them visible before the caller
    // (or another thread) reads the output.
    _mm_sfence();
}

#pragma GCC pop_options
// ---------------------------------------------------------------------------

bool have_avx512() {
    static const bool yes = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") != 0;
    }();
    return yes;
}

template <typename T, typename S>
void eval_job(Job<T, S>& job) {
    // The streaming path needs element-aligned output (true of any S* from new/malloc).
    if (have_avx512() && reinterpret_cast<std::uintptr_t>(job.out) % sizeof(S) == 0)
        eval_job_avx512(job);
    else
        eval_portable(job);
}

template <typename T, typename S>
void run_parallel(const double* lon, const double* lat, std::size_t n, int L, ShConvention conv,
                  S* out) {
    if (L < 1 || L > kMaxShDegree)
        throw UsageError("spherical harmonics: L must be in 1.." + std::to_string(kMaxShDegree) +
                         ", got " + std::to_string(L));
    if (n == 0) return;
    const ShRecurrence& rec = ShRecurrence::get(L, conv);
    const std::int64_t blocks = std::int64_t((n + kLanes - 1) / kLanes);
    const std::int64_t block_bytes = std::int64_t(kLanes) * L * L * sizeof(S);
    // Claims of ~256 KB of output keep the shared counter cold. Threads are
    // only started for more than ~1M output values (the grain, in blocks).
    Job<T, S> job{rec, lon, lat, n, out, blocks, std::max<std::int64_t>(1, (256 << 10) / block_bytes)};
    const std::int64_t grain = std::max<std::int64_t>(1, 4096 / (std::int64_t(L) * L / 16 + 1));
    at::parallel_for(0, blocks, grain, [&](std::int64_t, std::int64_t) { eval_job(job); });
}

}  // namespace

void spherical_harmonics(const double* lon, const double* lat, std::size_t n, int L,
                         ShConvention conv, float* out) {
    run_parallel<float>(lon, lat, n, L, conv, out);
}

void spherical_harmonics(const double* lon, const double* lat, std::size_t n, int L,
                         ShConvention conv, double* out) {
    run_parallel<double>(lon, lat, n, L, conv, out);
}

void spherical_harmonics_f64_to_f32(const double* lon, const double* lat, std::size_t n, int L,
                                    ShConvention conv, float* out) {
    run_parallel<double>(lon, lat, n, L, conv, out);
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
