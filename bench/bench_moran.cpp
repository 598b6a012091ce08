// Local Moran's I speed: N random points on the sphere, KNN-8 weights
// (row-standardised), 999 conditional permutations, on 2 threads.
// Prints the weights build and the LISA times separately (best of repeats).
// Usage: bench_moran [threads=2] [repeats=3] [include_1M=1] [N=100000] [engine=cpu]
//   engine: cpu (the threaded C++ engine), tensor-cpu or cuda (the LibTorch
//   tensor engine of geoenc-moran --device cuda, stats_tensor/).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "stats/moran_local.h"
#include "stats/weights_builders.h"
#include "stats/weights_transform.h"
#include "stats_tensor/tensor_permutations.h"
#include <string>

using namespace geoenc::stats;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void run(std::int64_t n, int threads, int repeats, LocalPermutationEngine engine, const char* engine_name) {
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> u(-1, 1), lon(-180, 180), noise(0, 1);
    Coordinates pts;
    std::vector<double> y(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        pts.x.push_back(lon(gen));
        pts.y.push_back(std::asin(u(gen)) * 180.0 / M_PI);
        // a smooth field plus noise, so that there is autocorrelation to find
        y[i] = std::sin(pts.x.back() * M_PI / 30) * std::cos(pts.y.back() * M_PI / 20) + noise(gen);
    }
    double best_w = 1e300, best_l = 1e300;
    SpatialWeights w;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        w = transform_weights(knn_weights(pts, 8, threads), "r");
        best_w = std::min(best_w, seconds_since(t0));
    }
    PermutationOptions o;
    o.permutations = 999;
    o.threads = threads;
    std::int64_t significant = 0;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        const auto lisa = moran_local(y, w, o, 0.0, engine);
        best_l = std::min(best_l, seconds_since(t0));
        significant = 0;
        for (double p : lisa.p_sim()) significant += p < 0.05;
    }
    std::printf("N=%lld knn:8 threads=%d engine=%s: weights %.3f s, local Moran 999 permutations %.3f s (best of %d; %lld sites p<0.05)\n",
                static_cast<long long>(n), threads, engine_name, best_w, best_l, repeats, static_cast<long long>(significant));
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
    const bool big = argc > 3 ? std::atoi(argv[3]) != 0 : true;
    const std::string name = argc > 5 ? argv[5] : "cpu";
    LocalPermutationEngine engine = cpu_local_permutations;
    if (name == "tensor-cpu") engine = tensor_local_permutations_cpu;
    else if (name == "cuda") engine = tensor_local_permutations_cuda;
    else if (name != "cpu") {
        std::fprintf(stderr, "bench_moran: engine must be cpu, tensor-cpu or cuda\n");
        return 2;
    }
    run(argc > 4 ? std::atoll(argv[4]) : 100000, threads, repeats, engine, name.c_str());
    if (big) run(1000000, threads, 1, engine, name.c_str());
    return 0;
}
