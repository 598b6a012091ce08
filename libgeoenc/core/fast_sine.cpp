#include "core/fast_sine.h"

#include <immintrin.h>

#include <cmath>

namespace geoenc {

namespace {

// pi = A + B + C + D: A and B short enough that q * A and q * B are exact for |q| < 2^15.
constexpr float kPiA = 3.140625f, kPiB = 0.0009670257568359375f, kPiC = 6.2771141529083251953e-07f,
                kPiD = 1.2154201256553420762e-10f;
constexpr float kInvPi = 0.318309886183790671537767526745f;
constexpr float kC9 = 2.6083159809786593541503e-06f, kC7 = -0.0001981069071916863322258f,
                kC5 = 0.00833307858556509017944336f, kC3 = -0.166666597127914428710938f;
constexpr float kLimit = 1e5f;

float sine_one(float x) {
    if (!(std::fabs(x) <= kLimit)) return std::sin(x);
    const float q = std::nearbyint(x * kInvPi);
    float d = std::fma(-q, kPiA, x);
    d = std::fma(-q, kPiB, d);
    d = std::fma(-q, kPiC, d);
    d = std::fma(-q, kPiD, d);
    const float s = d * d;
    float u = std::fma(kC9, s, kC7);
    u = std::fma(u, s, kC5);
    u = std::fma(u, s, kC3);
    u = std::fma(s, u * d, d);
    return (static_cast<long>(q) & 1) ? -u : u;
}

__attribute__((target("avx512f"))) void sine_avx512(float* x, std::size_t n) {
    const __m512 inv_pi = _mm512_set1_ps(kInvPi), limit = _mm512_set1_ps(kLimit);
    const __m512 a = _mm512_set1_ps(kPiA), b = _mm512_set1_ps(kPiB), c = _mm512_set1_ps(kPiC),
                 dd = _mm512_set1_ps(kPiD);
    const __m512 c9 = _mm512_set1_ps(kC9), c7 = _mm512_set1_ps(kC7), c5 = _mm512_set1_ps(kC5),
                 c3 = _mm512_set1_ps(kC3);
    const __m512i sign = _mm512_set1_epi32(int(0x80000000u));
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 v = _mm512_loadu_ps(x + i);
        // Out of range or NaN: the scalar path for this vector.
        const __mmask16 ok = _mm512_cmp_ps_mask(_mm512_abs_ps(v), limit, _CMP_LE_OQ);
        if (ok != 0xffff) {
            for (std::size_t k = i; k < i + 16; ++k) x[k] = sine_one(x[k]);
            continue;
        }
        const __m512 q = _mm512_roundscale_ps(_mm512_mul_ps(v, inv_pi), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __m512 d = _mm512_fnmadd_ps(q, a, v);
        d = _mm512_fnmadd_ps(q, b, d);
        d = _mm512_fnmadd_ps(q, c, d);
        d = _mm512_fnmadd_ps(q, dd, d);
        const __m512 s = _mm512_mul_ps(d, d);
        __m512 u = _mm512_fmadd_ps(c9, s, c7);
        u = _mm512_fmadd_ps(u, s, c5);
        u = _mm512_fmadd_ps(u, s, c3);
        u = _mm512_fmadd_ps(s, _mm512_mul_ps(u, d), d);
        // (-1)^q: the lowest bit of q, moved to the sign bit.
        const __m512i odd = _mm512_slli_epi32(_mm512_cvtps_epi32(q), 31);
        u = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(u), _mm512_and_si512(odd, sign)));
        _mm512_storeu_ps(x + i, u);
    }
    for (; i < n; ++i) x[i] = sine_one(x[i]);
}

bool have_avx512() {
    static const bool yes = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") != 0;
    }();
    return yes;
}

}  // namespace

void sine_in_place(float* x, std::size_t n) {
    if (have_avx512()) return sine_avx512(x, n);
    for (std::size_t i = 0; i < n; ++i) x[i] = sine_one(x[i]);
}

}  // namespace geoenc
