#include "plan_writer.h"

#include <ogr_geometry.h>

namespace geoenc::tools {

void write_plan(const std::string& path, const io::WriterOptions& opts, const Samples& source, const Samples& target,
                const std::vector<ot::Flow>& flows, const std::string& units) {
    OGRFeatureDefn* defn = new OGRFeatureDefn("plan");
    defn->Reference();
    defn->SetGeomType(wkbLineString);
    OGRFieldDefn src("source_fid", OFTInteger64), tgt("target_fid", OFTInteger64), rank("rank", OFTInteger);
    defn->AddFieldDefn(&rank);
    defn->AddFieldDefn(&src);
    defn->AddFieldDefn(&tgt);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

    io::AppendedValues appended;
    appended.names = {"mass", "cost"};
    appended.dim = 2;
    io::VectorWriter sink(path, opts, *defn, wgs84, appended);
    sink.set_metadata({{"GEOENC_PLAN", "largest flows of the transport plan; mass is a share of 1, cost in " +
                                           (units.empty() ? std::string("cost units") : units)}});
    io::FeatureBatch batch;
    std::vector<double> values;
    for (std::size_t k = 0; k < flows.size(); ++k) {
        const ot::Flow& f = flows[k];
        auto feat = OGRFeatureUniquePtr(OGRFeature::CreateFeature(defn));
        feat->SetFID(OGRNullFID);
        feat->SetField(0, static_cast<int>(k + 1));
        feat->SetField(1, static_cast<GIntBig>(source.fid[f.i]));
        feat->SetField(2, static_cast<GIntBig>(target.fid[f.j]));
        double lon0 = source.lon[f.i], lon1 = target.lon[f.j];
        if (lon1 - lon0 > 180.0) lon1 -= 360.0;
        else if (lon0 - lon1 > 180.0) lon1 += 360.0;
        auto* line = new OGRLineString();
        line->addPoint(lon0, source.lat[f.i]);
        line->addPoint(lon1, target.lat[f.j]);
        feat->SetGeometryDirectly(line);
        batch.features.push_back(std::move(feat));
        batch.lon.push_back(lon0);
        batch.lat.push_back(source.lat[f.i]);
        values.push_back(f.mass);
        values.push_back(f.cost);
    }
    sink.write(batch, values.data());
    sink.close();
    batch.clear();
    defn->Release();
}

}  // namespace geoenc::tools
