#include "io/polygon_sampler.h"

#include <geos_c.h>

#include <cmath>
#include <string>

#include "core/errors.h"
#include "io/splitmix64.h"

namespace geoenc::io {

namespace {


// A counter-based generator: the sequence depends on the seed alone, never on
// the standard library's distribution code, so outputs match across platforms.
struct Uniform {
    std::uint64_t state;
    double next() { return double(splitmix64(state++) >> 11) * 0x1.0p-53; }
};

struct GeosContext {
    GEOSContextHandle_t h = GEOS_init_r();
    ~GeosContext() { GEOS_finish_r(h); }
};

// The polygon as GEOS sees it, prepared for many point-in-polygon tests.
struct PreparedPolygon {
    GEOSContextHandle_t h;
    GEOSGeometry* geom;
    const GEOSPreparedGeometry* prepared;
    PreparedPolygon(GEOSContextHandle_t ctx, GEOSGeometry* g)
        : h(ctx), geom(g), prepared(g ? GEOSPrepare_r(ctx, g) : nullptr) {}
    ~PreparedPolygon() {
        if (prepared) GEOSPreparedGeom_destroy_r(h, prepared);
        if (geom) GEOSGeom_destroy_r(h, geom);
    }
    bool contains(double x, double y) const {
        GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(h, x, y);
        const char inside = GEOSPreparedContains_r(h, prepared, pt);
        GEOSGeom_destroy_r(h, pt);
        return inside == 1;
    }
};

constexpr double kDeg = 3.14159265358979323846 / 180.0;
constexpr int kMaxTriesPerSample = 10000;

}  // namespace

PolygonSampler::PolygonSampler(std::uint64_t seed, int samples) : seed_(seed), samples_(samples) {
    if (samples < 1 || samples > 1000000) throw UsageError("--samples: expected 1..1000000, got " + std::to_string(samples));
}

void PolygonSampler::sample(const OGRGeometry& polygon, std::int64_t fid, std::vector<double>& lon,
                            std::vector<double>& lat) const {
    thread_local GeosContext ctx;
    const PreparedPolygon poly(ctx.h, polygon.exportToGEOS(ctx.h));
    if (!poly.prepared) throw DataError("FID " + std::to_string(fid) + ": cannot hand the polygon to GEOS");
    OGREnvelope env;
    polygon.getEnvelope(&env);
    // Uniform by area on the sphere: lon uniform, sin(lat) uniform, inside the box.
    const double z0 = std::sin(env.MinY * kDeg), z1 = std::sin(env.MaxY * kDeg);
    Uniform u{splitmix64(seed_ ^ splitmix64(std::uint64_t(fid)))};
    int found = 0;
    for (long tries = 0; found < samples_; ++tries) {
        if (tries > long(kMaxTriesPerSample) * samples_)
            throw DataError("FID " + std::to_string(fid) +
                            ": polygon too thin to sample by area; use --point instead of --aggregate");
        const double x = env.MinX + (env.MaxX - env.MinX) * u.next();
        const double y = std::asin(std::min(1.0, std::max(-1.0, z0 + (z1 - z0) * u.next()))) / kDeg;
        if (poly.contains(x, y)) {
            lon.push_back(x);
            lat.push_back(y);
            ++found;
        }
    }
}

}  // namespace geoenc::io
