#include "moran_weights.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "core/errors.h"
#include "io/polygon_contiguity.h"
#include "stats/weights_builders.h"
#include "stats/weights_files.h"

namespace geoenc::tools {

namespace {

std::string extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

// The rows of `file` named by `ids`, in that order, neighbours outside `ids`
// dropped: a reorder, and a subset when --skip-invalid removed features.
stats::SpatialWeights select(const stats::SpatialWeights& file, const std::vector<std::string>& ids,
                             const std::string& path) {
    std::unordered_map<std::string, std::int32_t> row_of;
    for (std::int64_t i = 0; i < file.n; ++i) row_of.emplace(file.ids[i], std::int32_t(i));
    std::unordered_map<std::int32_t, std::int32_t> new_index;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto it = row_of.find(ids[i]);
        if (it == row_of.end())
            throw DataError(path + ": no observation with id '" + ids[i] + "' (match ids with --id FIELD)");
        new_index.emplace(it->second, std::int32_t(i));
    }
    stats::SpatialWeights w;
    w.n = std::int64_t(ids.size());
    w.ids = ids;
    w.transform = file.transform;
    w.offsets.push_back(0);
    for (const auto& id : ids) {
        const std::int32_t r = row_of[id];
        for (auto k = file.offsets[r]; k < file.offsets[r + 1]; ++k) {
            auto it = new_index.find(file.neighbors[k]);
            if (it == new_index.end()) continue;
            w.neighbors.push_back(it->second);
            w.values.push_back(file.values[k]);
        }
        w.offsets.push_back(std::int64_t(w.neighbors.size()));
    }
    return w;
}

// Without --id, GeoDa numbers observations 1..n and PySAL 0..n-1: take the file's.
std::vector<std::string> file_ids(const stats::SpatialWeights& file, const std::vector<std::string>& ids,
                                  bool by_position) {
    if (!by_position) return ids;
    const bool zero_based = std::find(file.ids.begin(), file.ids.end(), "0") != file.ids.end();
    if (!zero_based) return ids;
    std::vector<std::string> out;
    for (const auto& id : ids) out.push_back(std::to_string(std::stoll(id) - 1));
    return out;
}

// The feature's point in its own (source) CRS: the point itself, or its
// centroid / point on surface, as io::VectorReader picks it before reprojecting.
void source_point(const OGRFeature& f, io::PointMode mode, double& x, double& y) {
    const OGRGeometry* g = f.GetGeometryRef();
    if (!g || g->IsEmpty()) throw DataError("FID " + std::to_string(f.GetFID()) + ": no geometry");
    if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
        x = g->toPoint()->getX();
        y = g->toPoint()->getY();
        return;
    }
    OGRPoint p;
    OGRErr err = OGRERR_FAILURE;
    if (mode == io::PointMode::Centroid) {
        err = g->Centroid(&p);
    } else if (OGRGeometryH h = OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))) {
        const OGRGeometry* on = OGRGeometry::FromHandle(h);
        if (wkbFlatten(on->getGeometryType()) == wkbPoint && !on->IsEmpty()) {
            p = *on->toPoint();
            err = OGRERR_NONE;
        }
        OGR_G_DestroyGeometry(h);
    }
    if (err != OGRERR_NONE || p.IsEmpty())
        throw DataError("FID " + std::to_string(f.GetFID()) + ": cannot compute its " +
                        (mode == io::PointMode::Centroid ? "centroid" : "point on surface"));
    x = p.getX();
    y = p.getY();
}

}  // namespace

std::string weights_file_problem(const std::string& path) {
    const std::string ext = extension(path);
    if (ext == ".gal" || ext == ".gwt") return "";
    return "'" + path + "': expected a .gal or .gwt file name";
}

stats::SpatialWeights build_weights(const WeightsRequest& r, const io::FeatureBatch& features,
                                    const std::vector<std::string>& ids, bool areal, std::string& description) {
    if (!r.file.empty()) {
        description = r.file;
        const bool gal = extension(r.file) == ".gal";
        stats::SpatialWeights file;
        if (gal) {
            file = stats::read_gal(r.file);
        } else {
            try {
                file = stats::read_gwt(r.file);
            } catch (const DataError&) {
                // A .gwt lists pairs only, so an island (no pairs) is nowhere in
                // it: with as many features as observations, the features' ids
                // place it; by position, 1-based (GeoDa) or 0-based (PySAL).
                if (stats::weights_file_count(r.file) != static_cast<long long>(ids.size())) throw;
                try {
                    file = stats::read_gwt(r.file, ids);
                } catch (const DataError&) {
                    if (r.ids_from_field) throw;
                    std::vector<std::string> zero_based;
                    for (std::size_t i = 0; i < ids.size(); ++i) zero_based.push_back(std::to_string(i));
                    file = stats::read_gwt(r.file, zero_based);
                }
            }
        }
        return select(file, file_ids(file, ids, !r.ids_from_field), r.file);
    }
    WeightsSpec spec = r.spec;
    if (spec.kind == WeightsSpec::Kind::Auto) spec = parse_weights_spec(areal ? "queen" : "knn:8");
    description = spec.text();
    const bool distance_based = spec.kind != WeightsSpec::Kind::Queen && spec.kind != WeightsSpec::Kind::Rook;
    if (distance_based) description += r.planar ? " (planar)" : " (sphere)";
    stats::SpatialWeights w;
    if (spec.kind == WeightsSpec::Kind::Queen || spec.kind == WeightsSpec::Kind::Rook) {
        if (!areal) throw DataError("--weights " + spec.text() + ": contiguity needs polygons; use knn:K or distance:D");
        std::vector<const OGRGeometry*> geometries;
        for (const auto& f : features.features) geometries.push_back(f->GetGeometryRef());
        w = io::polygon_contiguity(geometries,
                                   spec.kind == WeightsSpec::Kind::Queen ? io::Contiguity::Queen : io::Contiguity::Rook,
                                   r.snap);
    } else {
        stats::Coordinates points;
        if (r.planar) {
            points.metric = stats::Metric::planar;
            points.x.resize(features.size());
            points.y.resize(features.size());
            for (std::size_t i = 0; i < features.size(); ++i)
                source_point(*features.features[i], r.point, points.x[i], points.y[i]);
        } else {
            points.x = features.lon;
            points.y = features.lat;
        }
        const std::int64_t n = std::int64_t(features.size());
        if (spec.kind == WeightsSpec::Kind::Knn) {
            if (spec.k >= n)
                throw DataError("--weights knn:" + std::to_string(spec.k) + ": needs more than K features, got " +
                                std::to_string(n));
            w = stats::knn_weights(points, spec.k, r.threads);
        } else if (spec.kind == WeightsSpec::Kind::Distance) {
            w = stats::distance_band_weights(points, spec.distance_km, spec.binary, spec.alpha, r.threads);
        } else {
            stats::KernelOptions o;
            o.function = spec.kernel;
            o.k = spec.k;
            o.fixed = !spec.adaptive;
            o.bandwidth = spec.bandwidth_km;
            w = stats::kernel_weights(points, o, r.threads);
        }
    }
    w.ids = ids;
    return w;
}

void save_weights(const std::string& path, const stats::SpatialWeights& w, const std::string& layer,
                  const std::string& id_field) {
    if (extension(path) == ".gal") {
        for (double v : w.values)
            if (v != 1.0) throw DataError(path + ": .gal holds binary weights only; these have values: save as .gwt");
        stats::write_gal(path, w, layer, id_field);
    } else {
        stats::write_gwt(path, w, layer, id_field);
    }
}

}  // namespace geoenc::tools
