#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "core/errors.h"
#include "train/class_labels.h"
#include "train/data_split.h"
#include "train/net_spec.h"

using namespace geoenc;
using namespace geoenc::train;

TEST_CASE("--net and --head specs") {
    const NetSpec s = parse_net_spec("siren:128x3");
    CHECK(s.kind == "siren");
    CHECK(s.width == 128);
    CHECK(s.depth == 3);
    CHECK(s.text() == "siren:128x3,w0_initial=30,w0=1");
    CHECK(parse_net_spec("siren:64x1,w0_initial=10,w0=2").w0_initial == 10.0);
    CHECK(parse_net_spec("fcnet:256x2").text() == "fcnet:256x2");
    CHECK(parse_net_spec("linear").text() == "linear");
    CHECK_THROWS_AS(parse_net_spec("siren:256"), UsageError);
    CHECK_THROWS_AS(parse_net_spec("siren:0x2"), UsageError);
    CHECK_THROWS_AS(parse_net_spec("mlp:256x2"), UsageError);
    CHECK_THROWS_AS(parse_net_spec("fcnet:256x2,w0=3"), UsageError);
    CHECK_THROWS_AS(parse_net_spec("linear:3x3"), UsageError);
    CHECK(parse_head_spec("linear").kind == "linear");
    CHECK(parse_head_spec("mlp").width == 256);
    CHECK(parse_head_spec("mlp:64").text() == "mlp:64");
    CHECK_THROWS_AS(parse_head_spec("mlp:x"), UsageError);
    CHECK_THROWS_AS(parse_head_spec("siren"), UsageError);
}

TEST_CASE("class labels sort numerically when all are numbers") {
    CHECK(sorted_labels({"10", "2", "2", "1"}) == std::vector<std::string>{"1", "2", "10"});
    CHECK(sorted_labels({"ocean", "land", "10"}) == std::vector<std::string>{"10", "land", "ocean"});
    const auto idx = class_indices({"b", "a", "z"}, {"a", "b"});
    CHECK(idx == std::vector<int64_t>{1, 0, -1});
}

TEST_CASE("random splits are seeded, disjoint and complete") {
    const Split a = random_split(1000, 0.1, 7), b = random_split(1000, 0.1, 7), c = random_split(1000, 0.1, 8);
    CHECK(a.val.size() == 100);
    CHECK(a.train.size() == 900);
    CHECK(a.val == b.val);
    CHECK(a.val != c.val);
    std::set<std::size_t> all(a.train.begin(), a.train.end());
    for (std::size_t i : a.val) CHECK(all.insert(i).second);
    CHECK(all.size() == 1000);
    CHECK(random_split(10, 0.0, 1).val.empty());
}

TEST_CASE("spatial blocks keep each cell in one fold and use every fold") {
    std::vector<double> lon, lat;
    for (int i = 0; i < 360; i += 3)
        for (int j = -89; j < 90; j += 3) {
            lon.push_back(i - 180 + 0.5);
            lat.push_back(j);
        }
    std::size_t blocks = 0;
    const auto f = block_folds(lon.data(), lat.data(), lon.size(), 30.0, 5, 1, &blocks);
    CHECK(blocks == 72);
    std::set<int> used(f.begin(), f.end());
    CHECK(used.size() == 5);
    for (std::size_t i = 0; i < lon.size(); ++i)
        for (std::size_t j = i + 1; j < lon.size(); j += 97)
            if (std::floor((lon[i] + 180) / 30) == std::floor((lon[j] + 180) / 30) &&
                std::floor((lat[i] + 90) / 30) == std::floor((lat[j] + 90) / 30))
                CHECK(f[i] == f[j]);
    // Input order does not matter: the same cell gets the same fold.
    std::vector<double> rlon(lon.rbegin(), lon.rend()), rlat(lat.rbegin(), lat.rend());
    const auto g = block_folds(rlon.data(), rlat.data(), rlon.size(), 30.0, 5, 1);
    CHECK(g.front() == f.back());
}
