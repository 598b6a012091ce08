#include "ot_samples.h"

#include "core/errors.h"
#include "core/log.h"
#include "io/field_values.h"

namespace geoenc::tools {

double Samples::total() const {
    double s = 0.0;
    for (double m : mass) s += m;
    return s;
}

namespace {

int field_index(const OGRFeatureDefn& defn, const std::string& name, const std::string& option,
                const std::string& where) {
    const int i = defn.GetFieldIndex(name.c_str());
    if (i < 0) throw DataError(where + ": " + option + ": no field '" + name + "' (fields: " + io::field_names(defn) + ")");
    return i;
}

// Why feature `f` has no usable mass in field `i`, or "" with `out` set.
std::string mass_of(const OGRFeature& f, int i, double& out) {
    const std::string why = io::numeric_value(f, i, out);
    if (!why.empty()) return why;
    if (out < 0) return "is negative (" + std::string(f.GetFieldAsString(i)) + ")";
    return "";
}

}  // namespace

std::map<std::string, Samples> read_samples(const std::string& input, const io::ReaderOptions& opts,
                                            const SampleRequest& req, std::string& where_text) {
    io::VectorReader reader(input, opts);
    where_text = reader.where_text();
    const OGRFeatureDefn& defn = *reader.layer().GetLayerDefn();
    const int wi = req.weight_field.empty() ? -1 : field_index(defn, req.weight_field, "--weight", where_text);
    const int gi = req.group_field.empty() ? -1 : field_index(defn, req.group_field, "--group-by", where_text);

    std::map<std::string, Samples> sets;
    std::int64_t dropped = 0;
    io::FeatureBatch batch;
    while (reader.next(batch, 65536)) {
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const OGRFeature& f = *batch.features[k];
            double m = 1.0;
            std::string problem, field;
            if (wi >= 0) {
                problem = mass_of(f, wi, m);
                field = req.weight_field;
            }
            if (problem.empty() && gi >= 0 && !f.IsFieldSetAndNotNull(gi)) {
                problem = "is null";
                field = req.group_field;
            }
            if (!problem.empty()) {
                if (!opts.skip_invalid)
                    throw DataError(where_text + ": FID " + std::to_string(f.GetFID()) + ": field '" + field + "' " +
                                    problem + " (--skip-invalid drops such features)");
                ++dropped;
                continue;
            }
            const std::string key = gi >= 0 ? f.GetFieldAsString(gi) : "";
            Samples& s = sets[key];
            s.lon.push_back(batch.lon[k]);
            s.lat.push_back(batch.lat[k]);
            s.mass.push_back(m);
            s.fid.push_back(f.GetFID());
        }
    }
    if (reader.skipped() > 0)
        log::warn(where_text + ": skipped " + std::to_string(reader.skipped()) +
                  " feature(s) with null, empty or out-of-range geometry (--skip-invalid)");
    if (dropped > 0)
        log::warn(where_text + ": dropped " + std::to_string(dropped) + " feature(s) without a usable " +
                  (wi >= 0 ? "weight" : "group") + " (--skip-invalid)");
    if (sets.empty()) throw DataError(where_text + ": no features to transport");
    for (auto& [key, s] : sets) {
        s.name = gi >= 0 ? req.group_field + " '" + key + "'" : where_text;
        s.label = gi >= 0 ? key : input;
        s.layer = reader.layer().GetName();
        if (!(s.total() > 0))
            throw DataError(s.name + (gi >= 0 ? " of " + where_text : "") + ": the masses (--weight " +
                            req.weight_field + ") sum to 0");
    }
    return sets;
}

bool identical(const Samples& a, const Samples& b) {
    return a.lon == b.lon && a.lat == b.lat && a.mass == b.mass;
}

}  // namespace geoenc::tools
