#pragma once
// Test-only readers for the reference fixtures in tests/data: .npy arrays
// (little-endian float64, C order) and the lon,lat points CSV.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef GEOENC_TEST_DATA
#error "GEOENC_TEST_DATA must point at tests/data"
#endif

namespace geoenc::test {

inline std::string data_path(const std::string& name) { return std::string(GEOENC_TEST_DATA) + "/" + name; }

struct NpyArray {
    std::vector<std::size_t> shape;
    std::vector<double> values;
    std::size_t rows() const { return shape.at(0); }
    std::size_t cols() const { return shape.size() > 1 ? shape[1] : 1; }
    double at(std::size_t r, std::size_t c) const { return values[r * cols() + c]; }
};

inline NpyArray read_npy(const std::string& name) {
    std::ifstream in(data_path(name), std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + name);
    char magic[8];
    in.read(magic, 8);
    if (std::string(magic, 6) != "\x93NUMPY") throw std::runtime_error(name + ": not an npy file");
    std::uint32_t header_len = 0;
    if (magic[6] == 1) {
        std::uint16_t h;
        in.read(reinterpret_cast<char*>(&h), 2);
        header_len = h;
    } else {
        in.read(reinterpret_cast<char*>(&header_len), 4);
    }
    std::string header(header_len, '\0');
    in.read(header.data(), header_len);
    if (header.find("'<f8'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos)
        throw std::runtime_error(name + ": only C-order little-endian float64 is supported");
    NpyArray a;
    const auto open = header.find('(', header.find("'shape'"));
    const auto close = header.find(')', open);
    std::stringstream dims(header.substr(open + 1, close - open - 1));
    std::string item;
    std::size_t total = 1;
    while (std::getline(dims, item, ',')) {
        if (item.find_first_not_of(' ') == std::string::npos) continue;
        a.shape.push_back(std::stoul(item));
        total *= a.shape.back();
    }
    a.values.resize(total);
    in.read(reinterpret_cast<char*>(a.values.data()), std::streamsize(total * sizeof(double)));
    if (!in) throw std::runtime_error(name + ": truncated");
    return a;
}

struct Points {
    std::vector<double> lon, lat;
};

inline Points read_points_csv(const std::string& name) {
    std::ifstream in(data_path(name));
    if (!in) throw std::runtime_error("cannot open " + name);
    Points p;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        if (comma == std::string::npos) continue;
        p.lon.push_back(std::stod(line.substr(0, comma)));
        p.lat.push_back(std::stod(line.substr(comma + 1)));
    }
    return p;
}

}  // namespace geoenc::test
