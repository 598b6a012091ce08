#include "variables.h"

#include <cmath>
#include <cstdlib>

#include "core/errors.h"
#include "io/field_values.h"

namespace geoenc::tools {

std::vector<std::string> resolve_fields(const OGRFeatureDefn& defn, const std::vector<std::string>& fields,
                                        const std::string& prefix, const std::string& where_text) {
    std::vector<std::string> out;
    for (const auto& name : fields) {
        const int i = defn.GetFieldIndex(name.c_str());
        if (i < 0) throw DataError(where_text + ": no field '" + name + "' (fields: " + io::field_names(defn) + ")");
        out.push_back(defn.GetFieldDefn(i)->GetNameRef());
    }
    if (!prefix.empty()) {
        const std::size_t before = out.size();
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            const std::string name = defn.GetFieldDefn(i)->GetNameRef();
            if (name.compare(0, prefix.size(), prefix) == 0) out.push_back(name);
        }
        if (out.size() == before)
            throw DataError(where_text + ": no field starts with '" + prefix + "' (fields: " + io::field_names(defn) + ")");
    }
    return out;
}

std::vector<std::vector<double>> read_values(io::FeatureBatch& features, const std::vector<std::string>& fields,
                                             bool skip, const std::string& where_text, std::int64_t& dropped) {
    dropped = 0;
    std::vector<std::vector<double>> values(fields.size());
    if (features.size() == 0) return values;
    const OGRFeatureDefn& defn = *features.features[0]->GetDefnRef();
    std::vector<int> index;
    for (const auto& name : fields) index.push_back(defn.GetFieldIndex(name.c_str()));
    io::FeatureBatch kept;
    std::vector<double> row(fields.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        std::string why;
        std::size_t v = 0;
        for (; v < fields.size() && why.empty(); ++v) why = io::numeric_value(*features.features[i], index[v], row[v]);
        if (!why.empty()) {
            if (!skip)
                throw DataError(where_text + ": FID " + std::to_string(features.features[i]->GetFID()) + ": field '" +
                                fields[v - 1] + "' " + why + " (use --skip-invalid to drop such features)");
            ++dropped;
            continue;
        }
        for (v = 0; v < fields.size(); ++v) values[v].push_back(row[v]);
        kept.features.push_back(std::move(features.features[i]));
        kept.lon.push_back(features.lon[i]);
        kept.lat.push_back(features.lat[i]);
    }
    features = std::move(kept);
    return values;
}

}  // namespace geoenc::tools
