#pragma once
// What a trained model (geoenc-train) predicts, and the last stage that turns
// a network's output into predictions: an optional probe head (a linear map or
// a one-hidden-layer ReLU MLP trained on frozen embeddings), then softmax
// probabilities (classification) or the de-standardised value (regression).
// Torch-free and plain C++: the same code serves the point-wise encoder and
// the separable grid path, and tools read PredictorSpec without LibTorch.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/grid_encoder.h"

namespace geoenc {

enum class Task { Classification, Regression };
const char* to_string(Task t);

struct PredictorSpec {
    Task task = Task::Classification;
    std::string target;               // the field it was trained on
    std::vector<std::string> labels;  // classification: class k is labels[k]
    double mean = 0.0, scale = 1.0;   // regression: value = mean + scale * output
    std::string head = "none";        // none | linear | mlp (probe of a pretrained encoder)
    std::string training;             // JSON text: data hash, options, metrics (geoenc-train)

    std::size_t outputs() const { return task == Task::Classification ? labels.size() : 1; }
};

// One dense layer of a probe head, row-major out x in.
struct HeadLayer {
    std::vector<double> weight, bias;
    std::size_t in = 0, out = 0;
    bool relu = false;
};

class PredictionHead {
public:
    PredictionHead(PredictorSpec spec, std::vector<HeadLayer> layers, std::size_t in_dim);

    std::size_t in_dim() const { return in_dim_; }
    std::size_t out_dim() const { return spec_.outputs(); }
    const PredictorSpec& spec() const { return spec_; }
    // n rows of in_dim() network outputs -> n rows of out_dim() predictions.
    // Thread-safe (no state): the encoders call it from their worker threads.
    void apply(const double* in, std::size_t n, double* out) const;

private:
    PredictorSpec spec_;
    std::vector<HeadLayer> layers_;
    std::size_t in_dim_;
};

// The grid path of a trained model: `inner` computes the network's outputs row
// by row, the head turns each chunk into predictions on the same threads.
std::unique_ptr<GridEncoder> with_prediction_head(std::unique_ptr<GridEncoder> inner,
                                                  std::shared_ptr<const PredictionHead> head);

// "prob_<label>", characters other than letters, digits and _ replaced by _:
// the name of a class's probability column (geoenc-embed) or band (rasterize).
std::string probability_name(const std::string& label);

// The predicted class of one row of probabilities (first of equal maxima).
std::size_t argmax(const double* p, std::size_t k);

}  // namespace geoenc
