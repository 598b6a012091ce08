#pragma once
// Reference cases of tests/data/ot (POT 0.8.2, see its README).
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ot/ground_cost.h"

namespace ot_test {

inline std::string data_dir() { return std::string(GEOENC_TEST_DATA) + "/ot/"; }

inline const nlohmann::json& reference() {
    static const nlohmann::json j = [] {
        std::ifstream in(data_dir() + "reference.json");
        if (!in) throw std::runtime_error("cannot open reference.json");
        return nlohmann::json::parse(in);
    }();
    return j;
}

struct Points {
    std::vector<double> lon, lat, w;  // w: weights as read, or uniform 1/n
};

inline Points read_csv(const std::string& name) {
    std::ifstream in(data_dir() + name);
    if (!in) throw std::runtime_error("cannot open " + name);
    std::string line;
    std::getline(in, line);
    const bool weighted = line.find("weight") != std::string::npos;
    Points p;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string a, b, c;
        std::getline(ss, a, ',');
        std::getline(ss, b, ',');
        p.lon.push_back(std::stod(a));
        p.lat.push_back(std::stod(b));
        if (weighted) {
            std::getline(ss, c, ',');
            p.w.push_back(std::stod(c));
        }
    }
    if (!weighted) p.w.assign(p.lon.size(), 1.0 / static_cast<double>(p.lon.size()));
    return p;
}

struct Case {
    std::string name;
    Points src, tgt;
    geoenc::ot::UnitVectors us, ut;
    const nlohmann::json* ref = nullptr;
};

inline Case load_case(const std::string& name) {
    Case c;
    c.name = name;
    c.ref = &reference()["cases"][name];
    c.src = read_csv((*c.ref)["src_csv"].get<std::string>());
    c.tgt = read_csv((*c.ref)["tgt_csv"].get<std::string>());
    c.us = geoenc::ot::to_unit_vectors(c.src.lon, c.src.lat);
    c.ut = geoenc::ot::to_unit_vectors(c.tgt.lon, c.tgt.lat);
    return c;
}

inline const std::vector<std::string>& case_names() {
    static const std::vector<std::string> names = {"europe_50x60", "europe_50x60_weighted", "antimeridian_500x400"};
    return names;
}

inline double rel(double x, double ref) { return std::fabs(x - ref) / std::fabs(ref); }

}  // namespace ot_test
