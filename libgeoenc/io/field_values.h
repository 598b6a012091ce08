#pragma once
// Reading attribute fields the way every tool reports problems with them.
#include <ogr_feature.h>

#include <string>

namespace geoenc::io {

// "a, b, c" (or "none"): the layer's fields, for "no field 'x'" messages.
std::string field_names(const OGRFeatureDefn& defn);

// The number in field `f` of `feature`, or why there is none: "" with `out`
// set, else "is null", "is not a number ('...')" or "is not finite". Text
// fields (CSV input unless the driver guesses types) must hold a number in full.
std::string numeric_value(const OGRFeature& feature, int f, double& out);

}  // namespace geoenc::io
