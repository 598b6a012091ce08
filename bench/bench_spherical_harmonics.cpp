// Throughput of the spherical-harmonic positional encoding, writing the whole
// N x L*L output. Prints one line per configuration:
//   harmonics device=cpu L=40 dtype=float32 threads=2 points=200000 points_per_s=...
// dtype=float64_to_float32 is the mixed kernel (float64 recurrence, float32
// output), the one the float32 location encoder uses; float64_then_round is
// what it replaced (float64 kernel, then a rounding pass into float32).
// Usage: bench_spherical_harmonics [--points N] [--repeat R] [--threads T]
// Target (issue 2): >= 2,000,000 points/s at L=40 float32 on 2 CPU threads.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/blas_runtime.h"
#include "bench_common.h"
#include "core/runtime.h"
#include "core/spherical_harmonics.h"
#include "core/spherical_harmonics_tensor.h"

using namespace geoenc;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    std::size_t points = 200000;
    int repeat = 5;
    int threads = 2;
};

Args parse(int argc, char** argv) {
    Args a;
    a.points = std::size_t(bench::flag(argc, argv, "--points", long(a.points)));
    a.repeat = int(bench::flag(argc, argv, "--repeat", a.repeat));
    a.threads = int(bench::flag(argc, argv, "--threads", a.threads));
    return a;
}

// Kernels by output: float32, float64, the mixed one (float64 recurrence,
// float32 output), and what the mixed one replaces: the float64 kernel, then
// a separate pass rounding into a float32 buffer. Best of `repeat` runs after
// a warm-up that pages the output in.
enum class Kernel { F32, F64, F64ToF32, F64ThenRound };

// The float64 kernel into a reused buffer, then rounded into `out`.
void f64_then_round(const double* lon, const double* lat, std::size_t n, int L, ShConvention conv, float* out) {
    static std::vector<double> buf;
    buf.resize(n * std::size_t(L) * L);
    spherical_harmonics(lon, lat, n, L, conv, buf.data());
    for (std::size_t i = 0; i < buf.size(); ++i) out[i] = float(buf[i]);
}

template <typename T>
double time_kernel(const std::vector<double>& lon, const std::vector<double>& lat, int L, int repeat,
                   void (*fn)(const double*, const double*, std::size_t, int, ShConvention, T*)) {
    std::vector<T> out(lon.size() * std::size_t(L) * L);
    fn(lon.data(), lat.data(), lon.size(), L, ShConvention::SatClip, out.data());  // warm-up, page-in
    double best = 1e30;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = Clock::now();
        fn(lon.data(), lat.data(), lon.size(), L, ShConvention::SatClip, out.data());
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return double(lon.size()) / best;
}

double cpu_rate(Kernel k, const std::vector<double>& lon, const std::vector<double>& lat, int L, int repeat) {
    using F32 = void (*)(const double*, const double*, std::size_t, int, ShConvention, float*);
    using F64 = void (*)(const double*, const double*, std::size_t, int, ShConvention, double*);
    switch (k) {
        case Kernel::F32: return time_kernel<float>(lon, lat, L, repeat, static_cast<F32>(spherical_harmonics));
        case Kernel::F64: return time_kernel<double>(lon, lat, L, repeat, static_cast<F64>(spherical_harmonics));
        case Kernel::F64ToF32: return time_kernel<float>(lon, lat, L, repeat, spherical_harmonics_f64_to_f32);
        case Kernel::F64ThenRound: return time_kernel<float>(lon, lat, L, repeat, f64_then_round);
    }
    return 0;
}

double cuda_rate(const std::vector<double>& lon, const std::vector<double>& lat, int L, at::ScalarType dt,
                 int repeat) {
    auto tl = at::tensor(lon, at::kDouble).cuda();
    auto tb = at::tensor(lat, at::kDouble).cuda();
    at::Tensor y = spherical_harmonics_tensor(tl, tb, L, ShConvention::SatClip, dt);
    torch::cuda::synchronize();
    double best = 1e30;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = Clock::now();
        y = spherical_harmonics_tensor(tl, tb, L, ShConvention::SatClip, dt);
        torch::cuda::synchronize();
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return double(lon.size()) / best;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    const std::string blas = select_blas_kernels();
    set_threads(a.threads);
    const bench::Points pts = bench::sphere_points(a.points);
    const std::vector<double>&lon = pts.lon, &lat = pts.lat;
    for (int L : {10, 40}) {
        for (Kernel k : {Kernel::F32, Kernel::F64, Kernel::F64ToF32, Kernel::F64ThenRound}) {
            const double rate = cpu_rate(k, lon, lat, L, a.repeat);
            const char* dtype = k == Kernel::F32                ? "float32"
                                : k == Kernel::F64              ? "float64"
                                : k == Kernel::F64ToF32         ? "float64_to_float32"
                                                                : "float64_then_round";
            std::printf("harmonics device=cpu L=%d dtype=%s threads=%d points=%zu points_per_s=%.0f\n", L, dtype,
                        get_threads(), a.points, rate);
            std::fflush(stdout);
        }
    }
    if (cuda_available()) {
        std::vector<double> big_lon, big_lat;
        for (int k = 0; k < 10; ++k) {  // 10x the points: GPUs need big batches
            big_lon.insert(big_lon.end(), lon.begin(), lon.end());
            big_lat.insert(big_lat.end(), lat.begin(), lat.end());
        }
        for (int L : {10, 40})
            for (bool f32 : {true, false})
                std::printf("harmonics device=cuda L=%d dtype=%s points=%zu points_per_s=%.0f\n", L,
                            f32 ? "float32" : "float64", big_lon.size(),
                            cuda_rate(big_lon, big_lat, L, f32 ? at::kFloat : at::kDouble, a.repeat));
    }
    return 0;
}
