#pragma once
// Spatial weights as PySAL/GeoDa know them: for each of n observations (in
// input order) a list of (neighbour, weight) pairs, stored as CSR. Builders
// (knn, distance, kernel, contiguity, .gal/.gwt files) produce one; the
// statistics (Moran, Geary, LISA) consume it. Plain C++: no LibTorch, no GDAL.
#include <cstdint>
#include <string>
#include <vector>

namespace geoenc::stats {

struct SpatialWeights {
    std::int64_t n = 0;
    std::vector<std::int64_t> offsets;  // n + 1 entries; row i is [offsets[i], offsets[i+1])
    std::vector<std::int32_t> neighbors;
    std::vector<double> values;
    std::vector<std::string> ids;       // optional observation ids (from .gal/.gwt or a --id field)
    std::string transform = "o";        // "o" original (as built or read), "b" binary, "r" row-standardised, "v" variance-stabilising

    std::int64_t cardinality(std::int64_t i) const { return offsets[i + 1] - offsets[i]; }
    std::vector<std::int64_t> islands() const;           // observations with no neighbour
    std::int64_t components() const;                     // connected components (undirected)
};

}  // namespace geoenc::stats
