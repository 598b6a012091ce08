// geoenc-train's speed target: land/ocean with sh:L=20 + siren:256x2, the 10k
// bundled training points, 100 epochs (no early stopping), on --threads 2:
// under 60 s. Reads share/geoenc/sample/landocean directly (plain CSV, no GDAL),
// prints the time, the training throughput in samples/s and the test accuracy.
//   bench_train [--threads 2] [--epochs 100] [--batch 512] [--cuda 1]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.h"
#include "core/blas_runtime.h"
#include "core/runtime.h"
#include "train/metrics.h"
#include "train/trainer.h"

using namespace geoenc;

namespace {

struct Labelled {
    std::vector<double> lon, lat;
    std::vector<int64_t> land;
};

// id,lon,lat,land,class
Labelled read_csv(const std::string& path) {
    Labelled d;
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::istringstream s(line);
        std::string id, lon, lat, land;
        std::getline(s, id, ',');
        std::getline(s, lon, ',');
        std::getline(s, lat, ',');
        std::getline(s, land, ',');
        d.lon.push_back(std::stod(lon));
        d.lat.push_back(std::stod(lat));
        d.land.push_back(land == "1" ? 0 : 1);  // labels sorted as text: land, ocean
    }
    return d;
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = int(bench::flag(argc, argv, "--threads", 2));
    const int epochs = int(bench::flag(argc, argv, "--epochs", 100));
    const long batch = bench::flag(argc, argv, "--batch", 512);
    const bool cuda = bench::flag(argc, argv, "--cuda", 0) != 0;
    flush_denormals();  // as every tool does at start
    const std::string blas = select_blas_kernels();
    set_threads(threads);
    const Labelled train = read_csv(GEOENC_LANDOCEAN_DIR "/landocean_train.csv");
    const Labelled test = read_csv(GEOENC_LANDOCEAN_DIR "/landocean_test.csv");

    train::Targets t;
    t.target = "class";
    t.labels = {"land", "ocean"};
    t.classes = train.land;
    train::FitOptions o;
    o.pe = "sh:L=20";
    o.net = train::parse_net_spec("siren:256x2");
    o.epochs = epochs;
    o.batch_size = std::size_t(batch);
    o.patience = 0;
    o.device = cuda ? DeviceKind::Cuda : DeviceKind::Cpu;

    const auto t0 = std::chrono::steady_clock::now();
    const train::Trainer trainer(train.lon.data(), train.lat.data(), train.lon.size(), t, o);
    const auto model = trainer.fit(train::random_split(train.lon.size(), 0.0, 0));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto p = model->predict(test.lon.data(), test.lat.data(), test.lon.size());
    const auto s = train::score_classification(p, 2, test.land);

    std::printf("bench_train: land/ocean, sh:L=20 + siren:256x2, %zu points, %d epochs, batch %ld, %s, %d threads (BLAS %s)\n",
                train.lon.size(), epochs, batch, cuda ? "CUDA" : "CPU", threads, blas.empty() ? "?" : blas.c_str());
    std::printf("  time (encoding + training): %.1f s   (target: < 60 s)\n", seconds);
    std::printf("  throughput: %.0f samples/s\n", double(train.lon.size()) * epochs / model->summary().seconds);
    std::printf("  test accuracy on the 2-degree grid (%zu points): %.4f\n", test.lon.size(), s.accuracy);
    return 0;
}
