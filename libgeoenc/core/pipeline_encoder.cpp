#include "core/pipeline_encoder.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "core/blas_runtime.h"
#include "core/torch_parallel.h"
#include "core/errors.h"
#include "core/model_spec.h"
#include "core/separable_grid_encoder.h"

namespace geoenc {

namespace {

// Points per CPU chunk: the encoding of a chunk (up to ~6 MB at L=40) stays in
// cache on its way into the first matrix product.
constexpr std::size_t kCpuChunk = 512;

// A positional encoding, optionally followed by a network. Every model is one:
// "sh:L=10" has no network, a SatCLIP checkpoint is sh:L=N + SIREN.
// Per-thread buffers, reused from chunk to chunk so the CPU path does not allocate.
struct Worker {
    at::Tensor pe, net_out;
    std::vector<at::Tensor> scratch;
    std::vector<double> features;  // a trained model's network outputs, for its head
};

class PipelineEncoder final : public LocationEncoder {
public:
    PipelineEncoder(std::unique_ptr<PositionalEncoding> pe, std::optional<Network> net,
                    std::map<std::string, std::string> extra_metadata, const EncoderOptions& opts,
                    std::shared_ptr<const PredictionHead> head)
        : pe_(std::move(pe)),
          net_(std::move(net)),
          head_(std::move(head)),
          extra_(std::move(extra_metadata)),
          precision_(opts.precision),
          device_(resolve_device(opts.device)) {
        if (net_ && net_->in_dim() != pe_->dim())
            throw DataError("model: the network takes " + std::to_string(net_->in_dim()) + " inputs but " +
                            pe_->name() + " gives " + std::to_string(pe_->dim()));
        if (net_) net_->to(device_ == DeviceKind::Cuda ? at::Device(at::kCUDA) : at::Device(at::kCPU), dtype());
        if (head_ && head_->in_dim() != features_dim())
            throw DataError("model: the prediction head takes " + std::to_string(head_->in_dim()) + " inputs but the "
                            "network gives " + std::to_string(features_dim()));
    }

    std::size_t dim() const override { return head_ ? head_->out_dim() : features_dim(); }
    const PredictorSpec* predictor() const override { return head_ ? &head_->spec() : nullptr; }

    std::string name() const override {
        auto it = extra_.find("GEOENC_MODEL");
        return it != extra_.end() ? it->second : pe_->name();
    }

    std::map<std::string, std::string> metadata() const override {
        std::map<std::string, std::string> m = extra_;
        m.emplace("GEOENC_MODEL", pe_->name());
        m["GEOENC_POSITIONAL_ENCODING"] = pe_->name();
        if (net_) {
            std::string widths;
            for (int64_t w : net_->widths()) widths += (widths.empty() ? "" : "x") + std::to_string(w);
            m["GEOENC_NETWORK"] = std::string(to_string(net_->kind())) + ":" + widths;
        }
        if (head_) {
            const PredictorSpec& p = head_->spec();
            m["GEOENC_TASK"] = to_string(p.task);
            m["GEOENC_TARGET"] = p.target;
            if (p.head != "none") m["GEOENC_HEAD"] = p.head;
        }
        m["GEOENC_PRECISION"] = to_string(precision_);
        m["GEOENC_DIM"] = std::to_string(dim());
        return m;
    }

    void encode(const double* lon, const double* lat, std::size_t n, double* out) override {
        if (n == 0) return;
        if (device_ == DeviceKind::Cuda) return encode_device(lon, lat, n, out);
        if (precision_ == Precision::Float64) encode_cpu<double>(lon, lat, n, out);
        else encode_cpu<float>(lon, lat, n, out);
    }

    // Only sh separates on lon/lat grids; CUDA keeps the point-wise tensor path.
    std::unique_ptr<GridEncoder> grid_encoder() const override {
        if (device_ == DeviceKind::Cuda) return nullptr;
        const ModelSpec spec = parse_model_spec(pe_->name());
        if (spec.kind != "sh") return nullptr;
        return with_prediction_head(make_separable_grid_encoder(spec.get_int("L", 10),
                                                                parse_sh_convention(spec.get("convention", "satclip")),
                                                                net_, precision_),
                                    head_);
    }

private:
    std::size_t features_dim() const { return std::size_t(net_ ? net_->out_dim() : pe_->dim()); }

    at::ScalarType dtype() const { return precision_ == Precision::Float64 ? at::kDouble : at::kFloat; }

    // Each thread takes whole chunks through the whole pipeline (encoding,
    // products, activations) with single-threaded BLAS: no hand-over between
    // thread pools, and a chunk's data stays in that core's cache. For float32
    // the encoding is computed in float64 and rounded once: the float32
    // recurrence's own error (~1e-4 at L=40 near the poles) would otherwise
    // be amplified by SIREN's first-layer w0 = 30.
    template <typename T>
    void encode_cpu(const double* lon, const double* lat, std::size_t n, double* out) {
        const int64_t chunks = int64_t((n + kCpuChunk - 1) / kCpuChunk);
        workers_.resize(std::size_t(std::max(1, at::get_num_threads())));
        SingleThreadedBlas blas_guard;
        parallel_tasks(chunks, [&](int64_t c, int worker) {
            Worker& w = workers_[std::size_t(worker) % workers_.size()];
            const std::size_t first = std::size_t(c) * kCpuChunk;
            encode_chunk<T>(w, lon + first, lat + first, std::min(kCpuChunk, n - first), out + first * dim());
        });
    }

    template <typename T>
    void encode_chunk(Worker& w, const double* lon, const double* lat, std::size_t c, double* dst) {
        // float32: the encoding's float64 values rounded once (for sh, the
        // mixed-precision kernel, straight into the float32 buffer).
        if (!w.pe.defined()) w.pe = at::empty({int64_t(kCpuChunk), pe_->dim()}, dtype());
        at::Tensor pe = w.pe.narrow(0, 0, int64_t(c));
        if constexpr (std::is_same_v<T, float>)
            pe_->encode_cpu_accurate_f32(lon, lat, c, pe.data_ptr<float>());
        else
            pe_->encode_cpu(lon, lat, c, pe.data_ptr<double>());
        const T* result = pe.data_ptr<T>();
        if (net_) {
            net_->forward_into(pe, w.net_out, w.scratch);
            result = w.net_out.data_ptr<T>();
        }
        if (!head_) {
            const std::size_t count = c * dim();  // hoisted: dim() is virtual, and the copy then vectorises
            for (std::size_t i = 0; i < count; ++i) dst[i] = double(result[i]);
            return;
        }
        w.features.assign(result, result + c * features_dim());
        head_->apply(w.features.data(), c, dst);
    }

    void encode_device(const double* lon, const double* lat, std::size_t n, double* out) {
        const auto host = at::TensorOptions().dtype(at::kDouble);
        const at::Device dev(at::kCUDA);
        at::Tensor tlon = at::from_blob(const_cast<double*>(lon), {int64_t(n)}, host).to(dev);
        at::Tensor tlat = at::from_blob(const_cast<double*>(lat), {int64_t(n)}, host).to(dev);
        at::Tensor y = pe_->encode(tlon, tlat, dtype());
        if (net_) y = net_->forward(y);
        y = y.to(at::kCPU, at::kDouble).contiguous();
        if (head_) head_->apply(y.data_ptr<double>(), n, out);
        else std::memcpy(out, y.data_ptr<double>(), n * dim() * sizeof(double));
    }

    std::unique_ptr<PositionalEncoding> pe_;
    std::optional<Network> net_;
    std::shared_ptr<const PredictionHead> head_;
    std::map<std::string, std::string> extra_;
    Precision precision_;
    DeviceKind device_;
    std::vector<Worker> workers_;
};

}  // namespace

std::unique_ptr<LocationEncoder> make_pipeline_encoder(std::unique_ptr<PositionalEncoding> pe,
                                                       std::optional<Network> net,
                                                       std::map<std::string, std::string> metadata,
                                                       const EncoderOptions& opts,
                                                       std::shared_ptr<const PredictionHead> head) {
    return std::make_unique<PipelineEncoder>(std::move(pe), std::move(net), std::move(metadata), opts,
                                             std::move(head));
}

}  // namespace geoenc
