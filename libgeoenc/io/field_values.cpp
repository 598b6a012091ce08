#include "io/field_values.h"

#include <cmath>
#include <cstdlib>

namespace geoenc::io {

std::string field_names(const OGRFeatureDefn& defn) {
    std::string s;
    for (int i = 0; i < defn.GetFieldCount(); ++i) s += (i ? ", " : "") + std::string(defn.GetFieldDefn(i)->GetNameRef());
    return s.empty() ? "none" : s;
}

std::string numeric_value(const OGRFeature& feature, int f, double& out) {
    if (!feature.IsFieldSetAndNotNull(f)) return "is null";
    const OGRFieldType type = feature.GetFieldDefnRef(f)->GetType();
    if (type == OFTInteger || type == OFTInteger64 || type == OFTReal) {
        out = feature.GetFieldAsDouble(f);
    } else {
        const char* text = feature.GetFieldAsString(f);
        char* end = nullptr;
        out = std::strtod(text, &end);
        while (end && *end == ' ') ++end;
        if (end == text || *end) return std::string("is not a number ('") + text + "')";
    }
    if (!std::isfinite(out)) return "is not finite";
    return "";
}

}  // namespace geoenc::io
