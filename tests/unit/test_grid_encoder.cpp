// The separable lon/lat-grid evaluation (core/grid_encoder.h) against the
// point-wise encoder on the same pixel centres: harmonics alone and SatCLIP
// checkpoints (harmonics + SIREN), both precisions, poles and antimeridian included.
#include <ATen/ATen.h>
#undef CHECK  // glog's CHECK (via ATen) must not replace doctest's
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/grid_encoder.h"
#include "core/location_encoder.h"
#include "fixtures.h"

using namespace geoenc;

namespace {

struct Grid {
    std::vector<double> lat{-89.97, -75.5, -30.25, -0.05, 0.0, 12.345, 60.0, 88.1, 89.999};
    std::vector<double> lon;
    // step 7.3 degrees: 52 columns, one product per row; step 0.5: 722, rows split in column chunks
    explicit Grid(double step = 7.3) {
        for (double x = -180.0; x < 180.0; x += step) lon.push_back(x);
        lon.push_back(179.999);
        lon.push_back(-179.999);
    }
};

// Largest |separable - point-wise| over the grid; for float32 relative to the
// largest |value| (see the float32 test below for why).
double worst_difference(const std::string& model, Precision p, std::size_t cache_rows = 256, double step = 7.3) {
    auto enc = open_encoder(model, {DeviceKind::Cpu, p});
    auto grid_enc = enc->grid_encoder();
    REQUIRE(grid_enc != nullptr);
    REQUIRE(grid_enc->dim() == enc->dim());
    grid_enc->set_row_cache(cache_rows);
    const Grid g(step);
    const std::size_t d = enc->dim(), R = g.lat.size(), C = g.lon.size();
    std::vector<double> got(R * C * d);
    // Two calls of overlapping rows: the second reuses (or, with a small cache, recomputes) row terms.
    grid_enc->encode_rows(g.lat.data(), R, g.lon.data(), C, got.data());
    grid_enc->encode_rows(g.lat.data() + 1, R - 1, g.lon.data(), C, got.data() + C * d);
    std::vector<double> lon, lat;
    for (double y : g.lat)
        for (double x : g.lon) lon.push_back(x), lat.push_back(y);
    std::vector<double> want(R * C * d);
    enc->encode(lon.data(), lat.data(), lon.size(), want.data());
    double worst = 0, scale = 0;
    std::size_t not_finite = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        not_finite += !std::isfinite(got[i]);
        worst = std::max(worst, std::abs(got[i] - want[i]));
        scale = std::max(scale, std::abs(want[i]));
    }
    REQUIRE(not_finite == 0);
    return p == Precision::Float32 ? worst / std::max(1.0, scale) : worst;
}

// Largest |encoding - float64 point-wise encoding| relative to the largest |value|.
double error_vs_float64(const std::string& model, bool separable) {
    auto e64 = open_encoder(model, {DeviceKind::Cpu, Precision::Float64});
    auto e32 = open_encoder(model, {DeviceKind::Cpu, Precision::Float32});
    const Grid g;
    const std::size_t d = e64->dim(), R = g.lat.size(), C = g.lon.size();
    std::vector<double> lon, lat;
    for (double y : g.lat)
        for (double x : g.lon) lon.push_back(x), lat.push_back(y);
    std::vector<double> want(R * C * d), got(R * C * d);
    e64->encode(lon.data(), lat.data(), lon.size(), want.data());
    if (separable) e32->grid_encoder()->encode_rows(g.lat.data(), R, g.lon.data(), C, got.data());
    else e32->encode(lon.data(), lat.data(), lon.size(), got.data());
    double worst = 0, scale = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        worst = std::max(worst, std::abs(got[i] - want[i]));
        scale = std::max(scale, std::abs(want[i]));
    }
    return worst / scale;
}

}  // namespace

TEST_CASE("separable harmonics equal the point-wise harmonics") {
    CHECK(worst_difference("sh:L=10", Precision::Float64) < 1e-12);
    CHECK(worst_difference("sh:L=40", Precision::Float64) < 1e-12);
    CHECK(worst_difference("sh:L=25,convention=orthonormal", Precision::Float64) < 1e-12);
    CHECK(worst_difference("sh:L=40", Precision::Float32) < 1e-6);
}

TEST_CASE("separable SatCLIP first layer equals the point-wise network") {
    for (const char* file : {"satclip_L10_cap256_seed0_state_dict.pt", "satclip_L40_cap256_seed0_state_dict.pt"}) {
        CAPTURE(file);
        CHECK(worst_difference(test::data_path(file), Precision::Float64) < 1e-12);
        CHECK(worst_difference(test::data_path(file), Precision::Float64, 3) < 1e-12);  // evicting row cache
        CHECK(worst_difference(test::data_path(file), Precision::Float64, 256, 0.5) < 1e-12);  // wide rows
    }
}

TEST_CASE("encodings that do not separate have no grid encoder") {
    CHECK(open_encoder("spherec+:frequencies=4", {DeviceKind::Cpu, Precision::Float32})->grid_encoder() == nullptr);
    CHECK(open_encoder("direct", {DeviceKind::Cpu, Precision::Float32})->grid_encoder() == nullptr);
}


// float32: SatCLIP embeddings reach |v| ~ 4, where one float32 ulp is 4.8e-7,
// and the point-wise float32 path is itself 1.6e-6 (L=10) and 1.0e-6 (L=40)
// away from float64 (measured): two float32 evaluations that sum in different
// orders cannot agree to 1e-6 absolute. So the bound is 1e-6 relative to the
// largest |value|, and the separable path must be as close to float64 as the
// point-wise one.
TEST_CASE("separable SatCLIP in float32 agrees with the point-wise float32 path to 1e-6 of the value range") {
    for (const char* file : {"satclip_L10_cap256_seed0_state_dict.pt", "satclip_L40_cap256_seed0_state_dict.pt"}) {
        CAPTURE(file);
        const std::string path = test::data_path(file);
        CHECK(worst_difference(path, Precision::Float32) < 1e-6);
        const double separable = error_vs_float64(path, true), point_wise = error_vs_float64(path, false);
        MESSAGE(file << ": float32 error vs float64, separable " << separable << ", point-wise " << point_wise
                     << " (relative to max |value|)");
        CHECK(separable < 1e-6);
        CHECK(point_wise < 1e-6);
    }
}
