#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "core/errors.h"
#include "core/location_encoder.h"
#include "core/model_spec.h"
#include "core/runtime.h"

using namespace geoenc;

TEST_CASE("device parsing and resolution") {
    CHECK(parse_device("cpu") == DeviceKind::Cpu);
    CHECK_THROWS_AS(parse_device("gpu"), UsageError);
    const DeviceKind auto_dev = resolve_device(DeviceKind::Auto);
    CHECK(auto_dev == (cuda_available() ? DeviceKind::Cuda : DeviceKind::Cpu));
    if (!cuda_available()) CHECK_THROWS_AS(resolve_device(DeviceKind::Cuda), UsageError);
}

TEST_CASE("model specs") {
    const auto s = parse_model_spec("sh:L=40,convention=orthonormal");
    CHECK(s.kind == "sh");
    CHECK(s.get_int("L", 0) == 40);
    CHECK(s.canonical() == "sh:L=40,convention=orthonormal");
    CHECK(parse_model_spec("weights.pt").kind == "weights.pt");
    CHECK_THROWS_AS(parse_model_spec("sh:L"), UsageError);
    CHECK_THROWS_AS(parse_model_spec("sh:L=x").get_int("L", 0), UsageError);
    CHECK_THROWS_AS(open_encoder("sh:L=0", {}), UsageError);
    CHECK_THROWS_AS(open_encoder("sh:L=10,foo=1", {}), UsageError);
    CHECK_THROWS_AS(open_encoder("nonexistent-model", {}), UsageError);
}

TEST_CASE("sh encoder float32 and float64 agree") {
    EncoderOptions o32{DeviceKind::Cpu, Precision::Float32}, o64{DeviceKind::Cpu, Precision::Float64};
    auto e32 = open_encoder("sh:L=10", o32);
    auto e64 = open_encoder("sh:L=10", o64);
    REQUIRE(e32->dim() == 100);
    const double lon[3] = {-180, 0, 151.2}, lat[3] = {90, 0, -33.9};
    std::vector<double> a(300), b(300);
    e32->encode(lon, lat, 3, a.data());
    e64->encode(lon, lat, 3, b.data());
    for (int i = 0; i < 300; ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-5).scale(1.0));
}

TEST_CASE("flush_denormals: denormal floats become 0 on this thread and on threads started after it") {
    geoenc::flush_denormals();
    volatile float tiny = 1e-30f;
    volatile float scale = 1e-10f;
    const float product = tiny * scale;  // 1e-40: a denormal, flushed
    CHECK(product == 0.0f);
    float in_thread = -1.0f;
    std::thread t([&] {
        volatile float a = 1e-30f, b = 1e-10f;
        in_thread = a * b;
    });
    t.join();
    CHECK(in_thread == 0.0f);
    volatile float c = 1e-5f;
    const float normal = tiny * c;  // 1e-35: still a normal float
    CHECK(normal > 0.0f);
}
