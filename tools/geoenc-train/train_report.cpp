#include "train_report.h"

namespace geoenc::tools {

Json score(const PredictorSpec& spec, const std::vector<double>& predictions, const std::vector<int64_t>& classes,
           const std::vector<double>& values) {
    Json j = Json::object();
    if (spec.task == Task::Classification) {
        const auto s = train::score_classification(predictions, spec.labels.size(), classes);
        j["n"] = s.n;
        j["accuracy"] = s.accuracy;
        j["macro_f1"] = s.macro_f1;
        j["log_loss"] = s.log_loss;
    } else {
        const auto s = train::score_regression(predictions.data(), values.data(), values.size());
        j["n"] = s.n;
        j["rmse"] = s.rmse;
        j["mae"] = s.mae;
        j["r2"] = s.r2;
    }
    return j;
}

std::string json_text(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace geoenc::tools
