#include "core/prediction_head.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/errors.h"

namespace geoenc {

const char* to_string(Task t) { return t == Task::Classification ? "classification" : "regression"; }

PredictionHead::PredictionHead(PredictorSpec spec, std::vector<HeadLayer> layers, std::size_t in_dim)
    : spec_(std::move(spec)), layers_(std::move(layers)), in_dim_(in_dim) {
    std::size_t width = in_dim_;
    for (const auto& l : layers_) {
        if (l.in != width || l.weight.size() != l.in * l.out || l.bias.size() != l.out)
            throw DataError("prediction head: layer shapes do not chain");
        width = l.out;
    }
    if (width != spec_.outputs())
        throw DataError("prediction head: gives " + std::to_string(width) + " outputs but the task needs " +
                        std::to_string(spec_.outputs()));
    if (spec_.task == Task::Classification && spec_.labels.size() < 2)
        throw DataError("prediction head: a classifier needs at least 2 classes");
}

void PredictionHead::apply(const double* in, std::size_t n, double* out) const {
    std::vector<double> a, b;
    for (std::size_t i = 0; i < n; ++i) {
        a.assign(in + i * in_dim_, in + (i + 1) * in_dim_);
        for (const auto& l : layers_) {
            b.assign(l.bias.begin(), l.bias.end());
            for (std::size_t o = 0; o < l.out; ++o) {
                const double* w = l.weight.data() + o * l.in;
                double s = 0.0;
                for (std::size_t j = 0; j < l.in; ++j) s += w[j] * a[j];
                b[o] += s;
                if (l.relu && b[o] < 0) b[o] = 0;
            }
            a.swap(b);
        }
        double* y = out + i * out_dim();
        if (spec_.task == Task::Regression) {
            y[0] = spec_.mean + spec_.scale * a[0];
            continue;
        }
        // Softmax, shifted by the maximum so no logit overflows exp().
        const double m = *std::max_element(a.begin(), a.end());
        double z = 0.0;
        for (std::size_t k = 0; k < a.size(); ++k) z += (y[k] = std::exp(a[k] - m));
        for (std::size_t k = 0; k < a.size(); ++k) y[k] /= z;
    }
}

namespace {

class PredictingGridEncoder final : public GridEncoder {
public:
    PredictingGridEncoder(std::unique_ptr<GridEncoder> inner, std::shared_ptr<const PredictionHead> head)
        : inner_(std::move(inner)), head_(std::move(head)) {}
    std::size_t dim() const override { return head_->out_dim(); }
    void set_row_cache(std::size_t rows) override { inner_->set_row_cache(rows); }
    void encode_rows(const double* lat, std::size_t rows, const double* lon, std::size_t cols,
                     const ChunkSink& sink) override {
        inner_->encode_rows(lat, rows, lon, cols, [&](std::size_t r, std::size_t c0, std::size_t n, const double* v) {
            thread_local std::vector<double> predicted;
            predicted.resize(n * head_->out_dim());
            head_->apply(v, n, predicted.data());
            sink(r, c0, n, predicted.data());
        });
    }

private:
    std::unique_ptr<GridEncoder> inner_;
    std::shared_ptr<const PredictionHead> head_;
};

}  // namespace

std::unique_ptr<GridEncoder> with_prediction_head(std::unique_ptr<GridEncoder> inner,
                                                  std::shared_ptr<const PredictionHead> head) {
    if (!inner || !head) return inner;
    return std::make_unique<PredictingGridEncoder>(std::move(inner), std::move(head));
}

std::string probability_name(const std::string& label) {
    std::string name = "prob_";
    for (char c : label) name += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
    return name;
}

std::size_t argmax(const double* p, std::size_t k) {
    return std::size_t(std::max_element(p, p + k) - p);
}

}  // namespace geoenc
