// Positional encodings of the SH+SIREN paper (Russwurm et al., ICLR 2024).
// Expected values are recomputed here from the documented formulas with
// std::sin/std::cos, one point at a time, so the vectorised tensor code is
// checked against an independent reading of core/sinusoidal_encodings.h.
// ATen comes first: this LibTorch build pulls in glog, whose CHECK macro would
// otherwise replace doctest's and abort the whole run on the first failure.
#include <ATen/ATen.h>
#undef CHECK
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/model_spec.h"
#include "core/positional_encoding.h"

using namespace geoenc;

namespace {

const double kPi = std::acos(-1.0);
const double kRad = kPi / 180.0;

std::unique_ptr<PositionalEncoding> make(const std::string& text) {
    return make_positional_encoding(parse_model_spec(text));
}

at::Tensor f64(const std::vector<double>& v) { return at::tensor(v, at::TensorOptions().dtype(at::kDouble)); }

// n x dim, float64 on the CPU, whatever dtype the encoding produced.
at::Tensor run(const PositionalEncoding& pe, const std::vector<double>& lon, const std::vector<double>& lat,
               at::ScalarType dtype = at::kDouble) {
    return pe.encode(f64(lon), f64(lat), dtype).cpu().to(at::kDouble);
}

double max_diff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

// One row per the header's formulas. lon must already be in [-180, 180).
std::vector<double> expected_row(const std::string& kind, double lon, double lat, int F, double rmin,
                                 double rmax) {
    const double lam = lon * kRad, phi = lat * kRad;
    if (kind == "direct") return {lam - kPi, phi - kPi};
    if (kind == "cartesian3d")
        return {std::cos(lam) * std::cos(phi), std::sin(lam) * std::cos(phi), std::sin(phi)};
    if (kind == "wrap") return {std::cos(lam), std::sin(lam), std::cos(phi), std::sin(phi)};

    std::vector<double> w;  // per-radian frequencies from radii in degrees, finest first
    for (int s = 0; s < F; ++s) w.push_back(1.0 / (rmin * std::pow(rmax / rmin, double(s) / (F - 1)) * kRad));
    std::vector<double> row;
    auto twice = [&row](std::initializer_list<double> xs) {
        for (double x : xs) row.insert(row.end(), {x, x});
    };
    if (kind == "grid") {
        for (double c : {lam, phi})
            for (int s = 0; s < F; ++s) row.insert(row.end(), {std::sin(c * w[s]), std::cos(c * w[s])});
        return row;
    }
    for (int s = 0; s < F; ++s) {
        const double L = lam * w[s], P = phi * w[s];
        if (kind == "theory") {
            const double a1 = L, a2 = -L / 2 + std::sqrt(3.0) / 2 * P, a3 = -L / 2 - std::sqrt(3.0) / 2 * P;
            row.insert(row.end(), {std::sin(a1), std::cos(a1), std::sin(a2), std::cos(a2), std::sin(a3),
                                   std::cos(a3)});
        } else if (kind == "spherec") {
            twice({std::sin(P), std::cos(P) * std::cos(L), std::cos(P) * std::sin(L)});
        } else if (kind == "spherec+") {
            twice({std::sin(P), std::cos(P), std::sin(L), std::cos(L), std::cos(P) * std::cos(L),
                   std::cos(P) * std::sin(L)});
        } else if (kind == "spherem") {
            twice({std::sin(P), std::cos(P) * std::cos(lam), std::cos(phi) * std::cos(L),
                   std::cos(P) * std::sin(lam), std::cos(phi) * std::sin(L)});
        } else if (kind == "spherem+") {
            twice({std::sin(P), std::cos(P), std::sin(L), std::cos(L), std::cos(P) * std::cos(lam),
                   std::cos(phi) * std::cos(L), std::cos(P) * std::sin(lam), std::cos(phi) * std::sin(L)});
        }
    }
    return row;
}

const std::vector<std::string> kSinusoidal = {"direct", "cartesian3d", "wrap",     "grid",    "theory",
                                              "spherec", "spherec+",   "spherem", "spherem+"};
const std::vector<std::string> kMultiScale = {"grid", "theory", "spherec", "spherec+", "spherem", "spherem+"};

// Poles, the antimeridian from both sides, and ordinary points.
const std::vector<double> kLon = {-180, 180, 0, 179.999, -179.999, 12.5, -77.03, 151.2};
const std::vector<double> kLat = {90, -90, 90, -90, 0, 41.9, 38.9, -33.87};

}  // namespace

TEST_CASE("positional encodings: the kinds, all recognised by the --model parser") {
    std::vector<std::string> want = {"sh"};
    want.insert(want.end(), kSinusoidal.begin(), kSinusoidal.end());
    CHECK(positional_encoding_kinds() == want);
    for (const auto& k : want) {
        CAPTURE(k);
        CHECK(parse_model_spec(k).kind == k);
        CHECK(parse_model_spec(k + ":a=1").kind == k);  // analytic: the head is split off
    }
}

TEST_CASE("positional encodings: every kind's shape, finiteness, float32, CPU path and name") {
    for (const auto& kind : positional_encoding_kinds()) {
        CAPTURE(kind);
        const auto pe = make(kind);
        const at::Tensor y64 = run(*pe, kLon, kLat);
        REQUIRE(y64.dim() == 2);
        CHECK(y64.size(0) == int64_t(kLon.size()));
        CHECK(y64.size(1) == pe->dim());
        CHECK(at::isfinite(y64).all().item<bool>());

        const at::Tensor y32 = pe->encode(f64(kLon), f64(kLat), at::kFloat);
        CHECK((y32.scalar_type() == at::kFloat));  // doctest cannot print a ScalarType
        CHECK(max_diff(y32.to(at::kDouble), y64) < 1e-6);

        std::vector<double> out64(kLon.size() * pe->dim());
        std::vector<float> out32(out64.size());
        pe->encode_cpu(kLon.data(), kLat.data(), kLon.size(), out64.data());
        pe->encode_cpu(kLon.data(), kLat.data(), kLon.size(), out32.data());
        const at::Tensor cpu64 = f64(out64).reshape({y64.size(0), y64.size(1)});
        const at::Tensor cpu32 = at::tensor(out32).to(at::kDouble).reshape({y64.size(0), y64.size(1)});
        CHECK(max_diff(cpu64, y64) < 1e-12);
        CHECK(max_diff(cpu32, y64) < 1e-6);

        // name() spells out every default and reads back to the same encoding.
        const auto again = make(pe->name());
        CHECK(again->name() == pe->name());
        CHECK(again->dim() == pe->dim());

        CHECK((run(*pe, {}, {}).sizes() == at::IntArrayRef({0, pe->dim()})));
    }
}

TEST_CASE("positional encodings: canonical names and dimensions") {
    CHECK(make("sh")->name() == "sh:L=10,convention=satclip");
    CHECK(make("sh:L=4,convention=orthonormal")->dim() == 16);
    CHECK(make("direct")->name() == "direct");
    CHECK(make("wrap")->name() == "wrap");
    CHECK(make("spherec+")->name() == "spherec+:frequencies=16,min_radius=10,max_radius=360");
    CHECK(make("grid:min_radius=0.5,frequencies=32")->name() ==
          "grid:frequencies=32,min_radius=0.5,max_radius=360");
    CHECK(make("direct")->dim() == 2);
    CHECK(make("cartesian3d")->dim() == 3);
    CHECK(make("wrap")->dim() == 4);
    const std::vector<std::pair<std::string, int>> per_scale = {
        {"grid", 4}, {"theory", 6}, {"spherec", 6}, {"spherec+", 12}, {"spherem", 10}, {"spherem+", 16}};
    for (const auto& [kind, k] : per_scale) {
        CAPTURE(kind);
        CHECK(make(kind)->dim() == 16 * k);
        CHECK(make(kind + ":frequencies=5")->dim() == 5 * k);
        CHECK(make(kind + ":frequencies=1")->dim() == k);
    }
}

TEST_CASE("positional encodings: direct and cartesian3d give exact values") {
    const auto direct = run(*make("direct"), {0, 90, -45}, {0, 0, 30});
    CHECK(direct[0][0].item<double>() == -kPi);
    CHECK(direct[0][1].item<double>() == -kPi);
    CHECK(direct[1][0].item<double>() == doctest::Approx(-kPi / 2).epsilon(1e-15));
    CHECK(direct[2][1].item<double>() == doctest::Approx(kPi / 6 - kPi).epsilon(1e-15));

    const auto xyz = run(*make("cartesian3d"), {0, 90, 0, 180}, {0, 0, 90, 0});
    const double want[4][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {-1, 0, 0}};
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 3; ++j) CHECK(std::abs(xyz[i][j].item<double>() - want[i][j]) < 1e-15);
}

TEST_CASE("positional encodings: every sinusoidal kind matches its formula, in radians, at hand-computed points") {
    const std::vector<double> lon = {0.0, 12.5, -77.03, 151.2, -180.0};
    const std::vector<double> lat = {0.0, 41.9, 38.9, -33.87, 89.0};
    const int F = 3;
    const double rmin = 15, rmax = 240;
    for (const auto& kind : kSinusoidal) {
        CAPTURE(kind);
        const bool multi = kind != "direct" && kind != "cartesian3d" && kind != "wrap";
        const auto pe = make(multi ? kind + ":frequencies=3,min_radius=15,max_radius=240" : kind);
        const at::Tensor got = run(*pe, lon, lat);
        for (std::size_t i = 0; i < lon.size(); ++i) {
            CAPTURE(i);
            const auto want = expected_row(kind, lon[i], lat[i], F, rmin, rmax);
            REQUIRE(int64_t(want.size()) == pe->dim());
            CHECK(max_diff(got[i], f64(want)) < 1e-12);
        }
    }
}

TEST_CASE("positional encodings: a grid value written out by hand (finest scale, lon 30 deg)") {
    // min_radius 10 deg: w_0 = 1 / (10 pi / 180) per radian, so the angle is
    // (30 pi / 180) * 18 / pi = 3 radians; lat 0 gives sin 0, cos 0.
    const auto y = run(*make("grid:frequencies=2,min_radius=10,max_radius=40"), {30}, {0});
    CHECK(y[0][0].item<double>() == doctest::Approx(std::sin(3.0)).epsilon(1e-14));
    CHECK(y[0][1].item<double>() == doctest::Approx(std::cos(3.0)).epsilon(1e-14));
    CHECK(y[0][2].item<double>() == doctest::Approx(std::sin(0.75)).epsilon(1e-14));  // 40 deg scale
    CHECK(y[0][4].item<double>() == 0.0);
    CHECK(y[0][5].item<double>() == 1.0);
}

TEST_CASE("positional encodings: wrap, cartesian3d, grid, theory and sphere* are periodic in longitude") {
    const std::vector<double> lon = {-180, -179.5, -33.3, 0, 12.5, 179.5};
    const std::vector<double> lat = {10, -45, 0, 89.9, -60, 33};
    std::vector<std::string> kinds = {"wrap", "cartesian3d"};
    kinds.insert(kinds.end(), kMultiScale.begin(), kMultiScale.end());
    for (const auto& kind : kinds) {
        CAPTURE(kind);
        // A fine, non-integer schedule: without the longitude wrap these differ by O(1).
        const bool fixed = kind == "wrap" || kind == "cartesian3d";
        const auto pe = make(fixed ? kind : kind + ":min_radius=0.7,frequencies=8");
        const at::Tensor base = run(*pe, lon, lat);
        for (double shift : {360.0, -360.0, 720.0}) {
            CAPTURE(shift);
            std::vector<double> moved = lon;
            for (auto& x : moved) x += shift;
            CHECK(max_diff(run(*pe, moved, lat), base) < 1e-9);
        }
        CHECK(max_diff(run(*pe, {180}, {20}), run(*pe, {-180}, {20})) < 1e-12);
    }
}

TEST_CASE("positional encodings: unknown kinds, unknown parameters and bad values are usage errors") {
    CHECK_THROWS_AS(make_positional_encoding(ModelSpec{"nosuch", {}}), UsageError);
    CHECK_THROWS_AS(make_positional_encoding(ModelSpec{"spherecplus", {}}), UsageError);
    CHECK_THROWS_AS(make("sh:degree=3"), UsageError);
    CHECK_THROWS_AS(make("sh:L=0"), UsageError);
    CHECK_THROWS_AS(make("wrap:frequencies=3"), UsageError);
    CHECK_THROWS_AS(make("direct:min_radius=1"), UsageError);
    CHECK_THROWS_AS(make("grid:radius=1"), UsageError);
    CHECK_THROWS_AS(make("grid:frequencies=0"), UsageError);
    CHECK_THROWS_AS(make("grid:frequencies=2000"), UsageError);
    CHECK_THROWS_AS(make("theory:frequencies=abc"), UsageError);
    CHECK_THROWS_AS(make("spherem:min_radius=-1"), UsageError);
    CHECK_THROWS_AS(make("spherem:min_radius=0"), UsageError);
    CHECK_THROWS_AS(make("spherem+:max_radius=abc"), UsageError);
    CHECK_THROWS_AS(make("spherem+:max_radius=inf"), UsageError);
    CHECK_THROWS_AS(make("spherec:min_radius=20,max_radius=10"), UsageError);
}

TEST_CASE("positional encodings: encode follows its input to the CUDA device when there is one") {
    if (!at::hasCUDA()) return;
    const at::Device cuda(at::kCUDA);
    for (const auto& kind : positional_encoding_kinds()) {
        CAPTURE(kind);
        const auto pe = make(kind);
        const at::Tensor y = pe->encode(f64(kLon).to(cuda), f64(kLat).to(cuda), at::kDouble);
        CHECK(y.device().is_cuda());
        CHECK(max_diff(y.cpu(), run(*pe, kLon, kLat)) < 1e-9);
    }
}
