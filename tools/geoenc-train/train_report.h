#pragma once
// geoenc-train's JSON: scores, the cross-validation summary and the report on
// stdout (also stored, without the output name, as the model's training metadata).
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/prediction_head.h"
#include "train/metrics.h"

namespace geoenc::tools {

using Json = nlohmann::ordered_json;

// Predictions (n x outputs) against truth: classification (class indices in
// `classes`) or regression (`values`) scores.
Json score(const PredictorSpec& spec, const std::vector<double>& predictions, const std::vector<int64_t>& classes,
           const std::vector<double>& values);

// One line of JSON text on a stream-friendly form (2-space indent, trailing newline).
std::string json_text(const Json& j);

}  // namespace geoenc::tools
