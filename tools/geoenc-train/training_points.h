#pragma once
// Labelled points for geoenc-train: each feature's lon/lat (as every tool
// locates features) and the --target field, as text (classification) or as a
// number (regression), with errors that name the file, layer, FID and field.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/prediction_head.h"
#include "io/vector_reader.h"

namespace geoenc::tools {

struct LabelledPoints {
    std::vector<double> lon, lat;
    std::vector<std::int64_t> fid;
    std::vector<std::string> texts;  // classification
    std::vector<double> values;      // regression
    std::string where;               // "file, layer 'x'"
    std::size_t size() const { return lon.size(); }
};

// Reads `input` (--skip-invalid drops features with a null or bad target, reported).
LabelledPoints read_labelled_points(const std::string& input, const io::ReaderOptions& opts, const std::string& field,
                                    Task task);

// The FIDs of `input` that match `where` (for --val-where).
std::set<std::int64_t> matching_fids(const std::string& input, io::ReaderOptions opts, const std::string& where);

// SHA-256 of the points and targets as used for training (recorded in the model).
std::string data_sha256(const LabelledPoints& p, Task task);

}  // namespace geoenc::tools
