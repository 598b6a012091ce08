#pragma once
// Points drawn uniformly by area on the sphere inside a polygon, for
// `--aggregate mean --samples K`: an area's embedding is the mean over points
// that cover it, not the embedding of one representative point.
#include <ogr_geometry.h>

#include <cstdint>
#include <vector>

namespace geoenc::io {

class PolygonSampler {
public:
    PolygonSampler(std::uint64_t seed, int samples);

    // `polygon` in EPSG:4326 (x = lon, y = lat). Appends `samples` points.
    // Seeded by (seed, fid), so a feature gets the same points whatever the
    // batch, shard or thread it lands in. Throws DataError naming the FID when
    // the polygon is too thin to hit by rejection sampling.
    void sample(const OGRGeometry& polygon, std::int64_t fid, std::vector<double>& lon,
                std::vector<double>& lat) const;

    int samples() const { return samples_; }

private:
    std::uint64_t seed_;
    int samples_;
};

}  // namespace geoenc::io
