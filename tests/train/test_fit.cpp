#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/errors.h"
#include "train/metrics.h"
#include "train/trainer.h"

using namespace geoenc;
using namespace geoenc::train;

namespace {

// Uniform on the sphere, seeded.
void sphere_points(std::size_t n, std::uint64_t seed, std::vector<double>& lon, std::vector<double>& lat) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        lon.push_back(180.0 * u(rng));
        lat.push_back(std::asin(u(rng)) * 180.0 / M_PI);
    }
}

// The checkerboard of 30 x 30 degree cells: two classes.
int checker(double lon, double lat) {
    return (int(std::floor((lon + 180.0) / 30.0)) + int(std::floor((lat + 90.0) / 30.0))) % 2;
}

// A field of known spherical-harmonic content (degrees 1 to 3, real forms).
double field(double lon, double lat) {
    const double th = (90.0 - lat) * M_PI / 180.0, ph = lon * M_PI / 180.0;
    const double x = std::sin(th) * std::cos(ph), y = std::sin(th) * std::sin(ph), z = std::cos(th);
    return 2.0 * z + 1.5 * x * z - 0.8 * (x * x - y * y) + 0.6 * y * (3 * x * x - y * y) + 10.0;
}

std::vector<std::size_t> all(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    return v;
}

}  // namespace

TEST_CASE("a checkerboard on the sphere is learned to above 95% with sh:L=20 + SIREN") {
    std::vector<double> lon, lat, tlon, tlat;
    sphere_points(6000, 1, lon, lat);
    sphere_points(4000, 2, tlon, tlat);
    Targets t;
    t.target = "checker";
    t.labels = {"black", "white"};
    for (std::size_t i = 0; i < lon.size(); ++i) t.classes.push_back(checker(lon[i], lat[i]));
    FitOptions o;
    o.pe = "sh:L=20";
    o.net = parse_net_spec("siren:128x2");
    o.epochs = 60;
    o.batch_size = 256;
    o.seed = 3;
    const Trainer trainer(lon.data(), lat.data(), lon.size(), t, o);
    const auto model = trainer.fit(random_split(lon.size(), 0.1, 3));
    const auto p = model->predict(tlon.data(), tlat.data(), tlon.size());
    std::vector<int64_t> truth;
    for (std::size_t i = 0; i < tlon.size(); ++i) truth.push_back(checker(tlon[i], tlat[i]));
    const auto s = score_classification(p, 2, truth);
    MESSAGE("checkerboard test accuracy " << s.accuracy << " after " << model->summary().epochs_run << " epochs");
    CHECK(s.accuracy > 0.95);
}

TEST_CASE("regression recovers a smooth field of known spherical-harmonic content") {
    std::vector<double> lon, lat, tlon, tlat;
    sphere_points(2000, 4, lon, lat);
    sphere_points(1000, 5, tlon, tlat);
    Targets t;
    t.task = Task::Regression;
    t.target = "f";
    for (std::size_t i = 0; i < lon.size(); ++i) t.values.push_back(field(lon[i], lat[i]));
    std::vector<double> truth;
    for (std::size_t i = 0; i < tlon.size(); ++i) truth.push_back(field(tlon[i], tlat[i]));

    SUBCASE("sh:L=4 + linear: the field is in the span, so the fit is almost exact") {
        FitOptions o;
        o.pe = "sh:L=4";
        o.net = parse_net_spec("linear");
        o.epochs = 300;
        o.lr = 0.05;
        o.batch_size = 200;
        o.patience = 0;
        const auto model = Trainer(lon.data(), lat.data(), lon.size(), t, o).fit(random_split(lon.size(), 0.0, 1));
        const auto p = model->predict(tlon.data(), tlat.data(), tlon.size());
        const auto s = score_regression(p.data(), truth.data(), truth.size());
        MESSAGE("linear: R2 " << s.r2 << ", RMSE " << s.rmse);
        CHECK(s.r2 > 0.9999);
        CHECK(model->spec().mean == doctest::Approx(10.0).epsilon(0.05));  // de-standardised by the model
    }
    SUBCASE("sh:L=10 + SIREN") {
        FitOptions o;
        o.pe = "sh:L=10";
        o.net = parse_net_spec("siren:64x2");
        o.epochs = 100;
        o.batch_size = 128;
        const auto model = Trainer(lon.data(), lat.data(), lon.size(), t, o).fit(random_split(lon.size(), 0.1, 1));
        const auto p = model->predict(tlon.data(), tlat.data(), tlon.size());
        const auto s = score_regression(p.data(), truth.data(), truth.size());
        MESSAGE("siren: R2 " << s.r2 << ", RMSE " << s.rmse);
        CHECK(s.r2 > 0.99);
    }
}

TEST_CASE("a probe head trains on frozen features and early stopping keeps the best epoch") {
    std::vector<double> lon, lat;
    sphere_points(1500, 6, lon, lat);
    Targets t;
    t.target = "hemisphere";
    t.labels = {"north", "south"};
    for (double v : lat) t.classes.push_back(v >= 0 ? 0 : 1);
    FitOptions o;
    o.base_model = "sh:L=3";
    o.head = parse_head_spec("mlp:16");
    o.epochs = 200;
    o.patience = 5;
    o.lr = 0.01;
    const Trainer trainer(lon.data(), lat.data(), lon.size(), t, o);
    CHECK(trainer.input_dim() == 9);
    int last = 0;
    const auto model = trainer.fit(random_split(lon.size(), 0.2, 2), [&](const EpochReport& r) { last = r.epoch; });
    const FitSummary& s = model->summary();
    CHECK(s.epochs_run == last);
    CHECK(s.best_epoch <= s.epochs_run);
    if (s.stopped_early) CHECK(s.epochs_run - s.best_epoch == 5);
    CHECK(model->spec().head == "mlp");
    const double north[] = {10.0, 60.0}, south[] = {-40.0, -70.0}, lons[] = {0.0, 120.0};
    const auto pn = model->predict(lons, north, 2), ps = model->predict(lons, south, 2);
    CHECK(pn[0] > 0.5);
    CHECK(ps[1] > 0.5);
}

TEST_CASE("bad targets and models are refused") {
    const double lon[] = {0, 1}, lat[] = {0, 1};
    Targets one;
    one.labels = {"only"};
    one.classes = {0, 0};
    one.target = "c";
    CHECK_THROWS_AS(Trainer(lon, lat, 2, one, FitOptions{}), DataError);
    Targets two;
    two.labels = {"a", "b"};
    two.classes = {0, 1};
    FitOptions bad_pe;
    bad_pe.pe = "sh:L=0";
    CHECK_THROWS_AS(Trainer(lon, lat, 2, two, bad_pe), UsageError);
    FitOptions bad_base;
    bad_base.base_model = "no-such-model";
    CHECK_THROWS_AS(Trainer(lon, lat, 2, two, bad_base), UsageError);
}
