// SatCLIP checkpoints through the whole encoder (harmonics + SIREN) against the
// reference embeddings produced by SatCLIP's Python code.
#include <ATen/ATen.h>
#undef CHECK  // glog's CHECK (via ATen) must not replace doctest's
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/networks.h"
#include "fixtures.h"

using namespace geoenc;

namespace {

std::vector<double> embed(const std::string& file, Precision p, const test::Points& pts) {
    auto enc = open_encoder(test::data_path(file), {DeviceKind::Cpu, p});
    std::vector<double> out(pts.lon.size() * enc->dim());
    enc->encode(pts.lon.data(), pts.lat.data(), pts.lon.size(), out.data());
    return out;
}

double max_abs_diff(const std::vector<double>& got, const test::NpyArray& want) {
    REQUIRE(got.size() == want.values.size());
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - want.values[i]));
    return worst;
}

double worst_cosine(const std::vector<double>& a, const std::vector<double>& b, std::size_t d) {
    double worst = 1;
    for (std::size_t p = 0; p * d < a.size(); ++p) {
        double dot = 0, na = 0, nb = 0;
        for (std::size_t k = 0; k < d; ++k) {
            const double x = a[p * d + k], y = b[p * d + k];
            REQUIRE(std::isfinite(x));
            dot += x * y, na += x * x, nb += y * y;
        }
        worst = std::min(worst, dot / std::sqrt(na * nb));
    }
    return worst;
}

}  // namespace

TEST_CASE("state-dict checkpoints match SatCLIP's exact embeddings in float64") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    for (int L : {10, 40}) {
        CAPTURE(L);
        const std::string tag = "L" + std::to_string(L) + "_cap256_seed0";
        const auto got = embed("satclip_" + tag + "_state_dict.pt", Precision::Float64, pts);
        CHECK(max_abs_diff(got, test::read_npy("emb_" + tag + "_exact_f64.npy")) < 1e-9);
        if (L == 10) CHECK(max_abs_diff(got, test::read_npy("emb_" + tag + "_upstream_f64.npy")) < 1e-9);
        const auto f32 = embed("satclip_" + tag + "_state_dict.pt", Precision::Float32, pts);
        CHECK(worst_cosine(f32, got, 256) > 0.99999);
    }
}

TEST_CASE("the Lightning checkpoint matches its reference embeddings") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    const auto got = embed("satclip_lightning_L10_cap256_seed1.ckpt", Precision::Float64, pts);
    CHECK(max_abs_diff(got, test::read_npy("emb_lightning_L10_cap256_seed1.npy")) < 1e-9);
    auto enc = open_encoder(test::data_path("satclip_lightning_L10_cap256_seed1.ckpt"), {DeviceKind::Cpu, Precision::Float32});
    const auto meta = enc->metadata();
    CHECK(meta.at("GEOENC_MODEL_SHA256") == "c43b6597583beb7ee3a65e0747ae269af7ca8c37d6c3f9c8eabc0286dc766cd9");
    CHECK(meta.at("GEOENC_POSITIONAL_ENCODING") == "sh:L=10,convention=satclip");
    CHECK(meta.at("GEOENC_NETWORK") == "siren:100x256x256x256");
}

TEST_CASE("missing and malformed model files are clear errors") {
    CHECK_THROWS_AS(open_encoder("no-such-model.ckpt", {}), DataError);
    CHECK_THROWS_AS(open_encoder(test::data_path("satclip_points.csv"), {}), UsageError);
}

TEST_CASE("networks check their shapes") {
    TensorMap w;
    w["layers.0.weight"] = at::zeros({8, 4}, at::kDouble);
    w["layers.0.bias"] = at::zeros({8}, at::kDouble);
    w["last_layer.weight"] = at::zeros({3, 7}, at::kDouble);  // does not chain with 8
    w["last_layer.bias"] = at::zeros({3}, at::kDouble);
    CHECK(Network::detect_kind(w) == NetKind::Siren);
    CHECK_THROWS_AS(Network::from_weights(NetKind::Siren, w), DataError);
    w["last_layer.weight"] = at::zeros({3, 8}, at::kDouble);
    const Network net = Network::from_weights(NetKind::Siren, w);
    CHECK(net.widths() == std::vector<int64_t>{4, 8, 3});
    CHECK_THROWS_AS(net.forward(at::zeros({2, 5}, at::kDouble)), DataError);
}

TEST_CASE("fcnet: residual blocks add their input") {
    TensorMap w;
    w["feats.0.weight"] = at::eye(2, at::kDouble);
    w["feats.0.bias"] = at::zeros({2}, at::kDouble);
    w["feats.2.w1.weight"] = at::eye(2, at::kDouble);
    w["feats.2.w1.bias"] = at::zeros({2}, at::kDouble);
    w["feats.2.w2.weight"] = at::eye(2, at::kDouble) * 2;
    w["feats.2.w2.bias"] = at::zeros({2}, at::kDouble);
    w["class_emb.weight"] = at::ones({1, 2}, at::kDouble);
    const Network net = Network::from_weights(Network::detect_kind(w), w);
    CHECK(net.kind() == NetKind::FcNet);
    // x = (1, -1): relu -> (1, 0); block: relu(2*relu(x)) + x = (3, 0); sum -> 3.
    const at::Tensor y = net.forward(at::tensor({1.0, -1.0}, at::kDouble).view({1, 2}));
    CHECK(y.item<double>() == doctest::Approx(3.0));
}

TEST_CASE("the L=40 encoder is finite and continuous at the poles and across the antimeridian") {
    test::Points p;
    auto add = [&](double lon, double lat) {
        p.lon.push_back(lon);
        p.lat.push_back(lat);
    };
    add(-180, 90), add(37, 90), add(37, 90 - 1e-7);    // north pole from two meridians, and just below
    add(-180, -90), add(37, -90), add(37, -90 + 1e-7);  // south pole
    add(180, 12.5), add(-180, 12.5), add(180 - 1e-7, 12.5), add(-180 + 1e-7, 12.5);  // antimeridian
    for (Precision prec : {Precision::Float32, Precision::Float64}) {
        CAPTURE(int(prec));
        const auto y = embed("satclip_L40_cap256_seed0_state_dict.pt", prec, p);
        for (double v : y) REQUIRE(std::isfinite(v));
        auto gap = [&](std::size_t a, std::size_t b) {
            double g = 0;
            for (std::size_t k = 0; k < 256; ++k) g = std::max(g, std::abs(y[a * 256 + k] - y[b * 256 + k]));
            return g;
        };
        const double tol = prec == Precision::Float64 ? 1e-6 : 2e-5;
        CHECK(gap(0, 1) < tol);  // a pole is one point whatever the longitude
        CHECK(gap(1, 2) < tol);
        CHECK(gap(3, 4) < tol);
        CHECK(gap(4, 5) < tol);
        CHECK(gap(6, 7) < tol);  // +180 and -180 are one meridian
        CHECK(gap(6, 8) < tol);
        CHECK(gap(7, 9) < tol);
    }
}
