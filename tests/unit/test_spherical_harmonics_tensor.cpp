// The tensor path is what runs on CUDA; on a CPU build it is checked here against
// the reference values so the GPU code is not untested code.
// ATen pulls in glog, whose CHECK would replace doctest's (a failed check then
// aborts the run instead of being reported): include it first, then undo that.
#include <ATen/ATen.h>
#undef CHECK
#include <doctest/doctest.h>

#include "core/spherical_harmonics_tensor.h"
#include "fixtures.h"

using namespace geoenc;

namespace {
at::Device test_device() { return at::hasCUDA() ? at::Device(at::kCUDA) : at::Device(at::kCPU); }
}  // namespace

TEST_CASE("tensor harmonics match the exact references (float64) on the test device") {
    const auto pts = test::read_points_csv("satclip_points.csv");
    const auto n = int64_t(pts.lon.size());
    auto lon = at::tensor(pts.lon, at::kDouble).to(test_device());
    auto lat = at::tensor(pts.lat, at::kDouble).to(test_device());
    for (int L : {10, 40}) {
        CAPTURE(L);
        const auto want = test::read_npy("pe_L" + std::to_string(L) + "_satclip_exact_f64.npy");
        at::Tensor ref = at::from_blob(const_cast<double*>(want.values.data()), {n, int64_t(L) * L},
                                       at::kDouble).clone();
        at::Tensor got = spherical_harmonics_tensor(lon, lat, L, ShConvention::SatClip, at::kDouble).cpu();
        CHECK((got - ref).abs().max().item<double>() < 1e-9);

        at::Tensor got32 = spherical_harmonics_tensor(lon, lat, L, ShConvention::SatClip, at::kFloat)
                               .cpu().to(at::kDouble);
        CHECK(at::isfinite(got32).all().item<bool>());
        at::Tensor cos = at::cosine_similarity(got32, ref, 1, 0.0);
        CHECK(cos.min().item<double>() > 0.99999);
    }
}
