#pragma once
// The spatial weights of a geoenc-moran run, in feature order: built from the
// features (--weights) or read from a GeoDa/PySAL file (--weights-file), and
// saved with --save-weights. Always the original (untransformed) weights.
#include <string>
#include <vector>

#include "io/feature_batch.h"
#include "io/vector_reader.h"
#include "stats/spatial_weights.h"
#include "weights_spec.h"

namespace geoenc::tools {

struct WeightsRequest {
    WeightsSpec spec;          // used when file is empty
    std::string file;          // --weights-file (.gal or .gwt)
    double snap = 0;           // --snap, layer units, for queen/rook
    int threads = 0;
    bool ids_from_field = false;  // --id given; else ids are 1-based positions
    // --metric, resolved (auto already decided): knn/distance/kernel on the
    // sphere (the features' lon/lat, km) or planar (each feature's point in the
    // source CRS by the --point rule, layer units).
    bool planar = false;
    io::PointMode point = io::PointMode::PointOnSurface;
};

// ids[i] names feature i (the --id field, else its 1-based position among the
// features read); a weights file is matched to the features by these ids.
// `areal`: the layer holds polygons (the default is then queen, else knn:8).
stats::SpatialWeights build_weights(const WeightsRequest& r, const io::FeatureBatch& features,
                                    const std::vector<std::string>& ids, bool areal, std::string& description);

// .gal (binary weights only) or .gwt by extension; ids as given.
void save_weights(const std::string& path, const stats::SpatialWeights& w, const std::string& layer,
                  const std::string& id_field);

// "" if `path` ends in .gal or .gwt, else the message for a UsageError.
std::string weights_file_problem(const std::string& path);

}  // namespace geoenc::tools
