#pragma once
// A batch of input features with the one (lon, lat) in EPSG:4326 that each is
// encoded at. The OGR features keep every attribute and the full geometry, so
// writers can copy them and tools that need polygons have them.
#include <ogr_feature.h>

#include <vector>

namespace geoenc::io {

struct FeatureBatch {
    std::vector<OGRFeatureUniquePtr> features;
    std::vector<double> lon, lat;  // degrees, traditional GIS order

    std::size_t size() const { return features.size(); }
    void clear() {
        features.clear();
        lon.clear();
        lat.clear();
    }
};

}  // namespace geoenc::io
