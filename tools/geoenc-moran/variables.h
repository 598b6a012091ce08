#pragma once
// The variables of a geoenc-moran run: which fields (--field, --fields-like,
// --bivariate), and their numeric values per feature. Features with a null or
// non-numeric value are an error naming FID and field, or are dropped.
#include <ogr_feature.h>

#include <string>
#include <vector>

#include "io/feature_batch.h"

namespace geoenc::tools {

// The field names to analyse, each checked against the layer (DataError naming
// a missing field and listing the layer's fields; an unmatched prefix too).
std::vector<std::string> resolve_fields(const OGRFeatureDefn& defn, const std::vector<std::string>& fields,
                                        const std::string& prefix, const std::string& where_text);

// values[v][i]: field v of feature i. With skip, features with any invalid
// value are removed from `features` (and `dropped` counts them); otherwise the
// first one is a DataError "<where>: FID n: field 'X' is null|not a number".
std::vector<std::vector<double>> read_values(io::FeatureBatch& features, const std::vector<std::string>& fields,
                                             bool skip, const std::string& where_text, std::int64_t& dropped);

}  // namespace geoenc::tools
