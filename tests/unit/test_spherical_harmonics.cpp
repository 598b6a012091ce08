#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/spherical_harmonics.h"
#include "fixtures.h"

using namespace geoenc;

namespace {

double max_abs_diff(const std::vector<double>& got, const test::NpyArray& want) {
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - want.values[i]));
    return worst;
}

template <typename T>
std::vector<T> harmonics(const test::Points& p, int L, ShConvention conv = ShConvention::SatClip) {
    std::vector<T> out(p.lon.size() * std::size_t(L) * L);
    spherical_harmonics(p.lon.data(), p.lat.data(), p.lon.size(), L, conv, out.data());
    return out;
}

}  // namespace

TEST_CASE("satclip harmonics match the exact float64 references to 1e-9") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    for (int L : {10, 40}) {
        CAPTURE(L);
        const auto want = test::read_npy("pe_L" + std::to_string(L) + "_satclip_exact_f64.npy");
        REQUIRE(want.rows() == pts.lon.size());
        REQUIRE(want.cols() == std::size_t(L) * L);
        CHECK(max_abs_diff(harmonics<double>(pts, L), want) < 1e-9);
    }
}

TEST_CASE("L=10 also matches SatCLIP's upstream closed-form output") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    const auto want = test::read_npy("pe_L10_satclip_upstream_f64.npy");
    CHECK(max_abs_diff(harmonics<double>(pts, 10), want) < 1e-9);
}

TEST_CASE("float32 at L=40 is finite and has cosine > 0.99999 against float64 for every point") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    const int L = 40;
    const std::size_t d = std::size_t(L) * L;
    const auto f32 = harmonics<float>(pts, L);
    const auto f64 = harmonics<double>(pts, L);
    double worst_cos = 1.0;
    for (std::size_t p = 0; p < pts.lon.size(); ++p) {
        double dot = 0, na = 0, nb = 0;
        for (std::size_t k = 0; k < d; ++k) {
            const double a = f32[p * d + k], b = f64[p * d + k];
            REQUIRE(std::isfinite(a));
            dot += a * b;
            na += a * a;
            nb += b * b;
        }
        worst_cos = std::min(worst_cos, dot / std::sqrt(na * nb));
    }
    CHECK(worst_cos > 0.99999);
}

TEST_CASE("orthonormal convention integrates to the identity on the sphere") {
    // Gauss-Legendre in latitude is overkill here; a fine midpoint grid gives
    // <Y_i, Y_j> to ~1e-4 for low degrees, enough to catch a wrong factor.
    const int L = 4, nlat = 360, nlon = 720;
    test::Points grid;
    std::vector<double> weight;
    for (int i = 0; i < nlat; ++i)
        for (int j = 0; j < nlon; ++j) {
            const double lat = -90.0 + (i + 0.5) * 180.0 / nlat;
            grid.lat.push_back(lat);
            grid.lon.push_back(-180.0 + (j + 0.5) * 360.0 / nlon);
            weight.push_back(std::cos(lat * M_PI / 180.0) * (M_PI / nlat) * (2 * M_PI / nlon));
        }
    const auto y = harmonics<double>(grid, L, ShConvention::Orthonormal);
    const std::size_t d = std::size_t(L) * L;
    for (std::size_t a = 0; a < d; ++a)
        for (std::size_t b = 0; b < d; ++b) {
            double s = 0;
            for (std::size_t p = 0; p < weight.size(); ++p) s += weight[p] * y[p * d + a] * y[p * d + b];
            CAPTURE(a);
            CAPTURE(b);
            CHECK(std::abs(s - (a == b ? 1.0 : 0.0)) < 1e-3);
        }
}

TEST_CASE("poles, the antimeridian and high degree stay finite and continuous") {
    const int L = 100;
    const std::size_t d = std::size_t(L) * L;
    test::Points p;
    for (double lat : {90.0, 90.0 - 1e-9, -90.0, -90.0 + 1e-9}) {
        p.lon.push_back(17.0);
        p.lat.push_back(lat);
    }
    for (double lon : {180.0, -180.0, 180.0 - 1e-9}) {
        p.lon.push_back(lon);
        p.lat.push_back(33.0);
    }
    const auto y32 = harmonics<float>(p, L);
    const auto y64 = harmonics<double>(p, L);
    for (double v : y64) REQUIRE(std::isfinite(v));
    for (float v : y32) REQUIRE(std::isfinite(v));
    auto close = [&](std::size_t a, std::size_t b, double tol) {
        double worst = 0;
        for (std::size_t k = 0; k < d; ++k) worst = std::max(worst, std::abs(y64[a * d + k] - y64[b * d + k]));
        return worst < tol;
    };
    CHECK(close(0, 1, 1e-5));  // north pole vs a hair below it
    CHECK(close(2, 3, 1e-5));
    CHECK(close(4, 5, 1e-9));  // +180 and -180 are the same meridian
    CHECK(close(4, 6, 1e-5));
}

TEST_CASE("mixed kernel (float64 recurrence, float32 output) is float(float64 kernel), misaligned output") {
    // Points with odd n (a partial last block), poles and the antimeridian
    // included; near the poles high degrees underflow, which the mixed kernel
    // writes as zero where float(double) would give a float32 subnormal.
    test::Points p;
    for (int i = 0; i < 37; ++i) {
        p.lon.push_back(-180.0 + 9.73 * i);
        p.lat.push_back(-90.0 + 180.0 * i / 36.0);
    }
    p.lon.push_back(180.0);
    p.lat.push_back(89.9999);
    p.lon.push_back(-180.0);
    p.lat.push_back(-89.99);
    const std::size_t n = p.lon.size();
    REQUIRE(n % 2 == 1);
    for (ShConvention conv : {ShConvention::SatClip, ShConvention::Orthonormal})
        for (int L : {1, 10, 40, 100}) {
            const std::size_t d = std::size_t(L) * L;
            const auto want64 = harmonics<double>(p, L, conv);
            // Offsets of 0..15 floats put the rows at every misalignment
            // within a 64-byte line (the streaming path's edge cases).
            for (std::size_t offset : {0, 1, 3, 8, 15}) {
                CAPTURE(L);
                CAPTURE(int(conv));
                CAPTURE(offset);
                std::vector<float> buf(n * d + 16 + offset, -7.0f);
                float* out = buf.data() + offset;
                spherical_harmonics_f64_to_f32(p.lon.data(), p.lat.data(), n, L, conv, out);
                std::size_t mismatches = 0;
                for (std::size_t i = 0; i < n * d; ++i) {
                    const float want = float(want64[i]), got = out[i];
                    const bool same = std::memcmp(&want, &got, sizeof got) == 0;
                    const bool flushed = got == 0.0f && std::abs(want) < FLT_MIN;
                    if (!same && !flushed) ++mismatches;
                }
                CHECK(mismatches == 0);
                // Nothing written outside the output.
                for (std::size_t i = 0; i < offset; ++i) CHECK(buf[i] == -7.0f);
                for (std::size_t i = offset + n * d; i < buf.size(); ++i) CHECK(buf[i] == -7.0f);
            }
        }
    // n = 0 writes nothing; n = 1 is a lone partial block.
    spherical_harmonics_f64_to_f32(p.lon.data(), p.lat.data(), 0, 40, ShConvention::SatClip, nullptr);
    std::vector<float> one(1600);
    spherical_harmonics_f64_to_f32(p.lon.data() + 5, p.lat.data() + 5, 1, 40, ShConvention::SatClip, one.data());
    const auto ref = harmonics<double>(test::Points{{p.lon[5]}, {p.lat[5]}}, 40);
    for (std::size_t k = 0; k < 1600; ++k) CHECK(one[k] == float(ref[k]));
}
