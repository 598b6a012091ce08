#pragma once
// The point sets of a geoenc-ot-distance run: every feature of an input as a
// lon/lat point with a mass (--weight or 1) and, with --group-by, the group
// it belongs to.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/vector_reader.h"

namespace geoenc::tools {

struct Samples {
    std::string name;   // "file.gpkg, layer 'x'" or "country 'FR'", for messages
    std::string label;  // for the results: the input path, or the group's value
    std::string layer;  // the layer read
    std::vector<double> lon, lat, mass;
    std::vector<std::int64_t> fid;
    std::vector<double> embedding;  // size() x dim, filled only for embedding costs
    std::size_t size() const { return lon.size(); }
    double total() const;
};

struct SampleRequest {
    std::string weight_field;    // empty: uniform
    std::string group_field;     // empty: one set
};

// Reads all features. Null/non-numeric/negative weights and null groups are a
// DataError naming input, FID and field (or skipped with --skip-invalid). A
// set whose masses are all zero is a DataError.
std::map<std::string, Samples> read_samples(const std::string& input, const io::ReaderOptions& opts,
                                            const SampleRequest& req, std::string& where_text);

// Same points and masses, in the same order.
bool identical(const Samples& a, const Samples& b);

}  // namespace geoenc::tools
