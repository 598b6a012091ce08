#include "train/class_labels.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace geoenc::train {

namespace {

bool as_number(const std::string& s, double& v) {
    if (s.empty()) return false;
    try {
        std::size_t used = 0;
        v = std::stod(s, &used);
        return used == s.size() && std::isfinite(v);
    } catch (...) {
        return false;
    }
}

}  // namespace

std::vector<std::string> sorted_labels(const std::vector<std::string>& values) {
    std::set<std::string> unique(values.begin(), values.end());
    std::vector<std::string> out(unique.begin(), unique.end());
    std::vector<double> num(out.size());
    bool numeric = true;
    for (std::size_t i = 0; i < out.size() && numeric; ++i) numeric = as_number(out[i], num[i]);
    if (numeric) {
        std::vector<std::size_t> order(out.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return num[a] < num[b]; });
        std::vector<std::string> sorted;
        for (std::size_t i : order) sorted.push_back(out[i]);
        out.swap(sorted);
    }
    return out;
}

std::vector<int64_t> class_indices(const std::vector<std::string>& values, const std::vector<std::string>& labels) {
    std::map<std::string, int64_t> index;
    for (std::size_t k = 0; k < labels.size(); ++k) index.emplace(labels[k], int64_t(k));
    std::vector<int64_t> out(values.size(), -1);
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto it = index.find(values[i]);
        if (it != index.end()) out[i] = it->second;
    }
    return out;
}

}  // namespace geoenc::train
