#include "band_products.h"

namespace geoenc::tools {

namespace {

class ClassBand final : public BandProduct {
public:
    explicit ClassBand(PredictorSpec spec) : spec_(std::move(spec)) {}
    std::vector<std::string> band_names() const override { return {"class"}; }
    void apply(const double* p, std::size_t n, std::size_t k, double* out, std::size_t) const override {
        for (std::size_t i = 0; i < n; ++i) out[i] = double(argmax(p + i * k, k));
    }
    std::map<std::string, std::string> metadata() const override {
        std::map<std::string, std::string> m{{"GEOENC_MODE", "predict (class index)"}};
        for (std::size_t k = 0; k < spec_.labels.size(); ++k) m["GEOENC_CLASS_" + std::to_string(k)] = spec_.labels[k];
        return m;
    }

private:
    PredictorSpec spec_;
};

// The model's outputs as they are: class probabilities or the regression value.
class OutputBands final : public BandProduct {
public:
    explicit OutputBands(PredictorSpec spec) : spec_(std::move(spec)) {}
    std::vector<std::string> band_names() const override {
        if (spec_.task == Task::Regression) return {spec_.target};
        std::vector<std::string> names;
        for (const auto& l : spec_.labels) names.push_back(probability_name(l));
        return names;
    }
    void apply(const double* p, std::size_t n, std::size_t k, double* out, std::size_t stride) const override {
        for (std::size_t b = 0; b < k; ++b)
            for (std::size_t i = 0; i < n; ++i) out[b * stride + i] = p[i * k + b];
    }
    std::map<std::string, std::string> metadata() const override {
        return {{"GEOENC_MODE", spec_.task == Task::Regression ? "predict (value)" : "predict (probabilities)"}};
    }

private:
    PredictorSpec spec_;
};

}  // namespace

std::unique_ptr<BandProduct> prediction_bands(const PredictorSpec& spec, bool probabilities) {
    if (spec.task == Task::Classification && !probabilities) return std::make_unique<ClassBand>(spec);
    return std::make_unique<OutputBands>(spec);
}

}  // namespace geoenc::tools
