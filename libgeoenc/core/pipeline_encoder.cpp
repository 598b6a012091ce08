#include "core/pipeline_encoder.h"

#include <cstring>
#include <vector>

#include "core/errors.h"

namespace geoenc {

namespace {

// Points per CPU chunk: the encoding of a chunk (up to ~6 MB at L=40) stays in
// cache on its way into the first matrix product.
constexpr std::size_t kCpuChunk = 1024;

// A positional encoding, optionally followed by a network. Every model is one:
// "sh:L=10" has no network, a SatCLIP checkpoint is sh:L=N + SIREN.
class PipelineEncoder final : public LocationEncoder {
public:
    PipelineEncoder(std::unique_ptr<PositionalEncoding> pe, std::optional<Network> net,
                    std::map<std::string, std::string> extra_metadata, const EncoderOptions& opts)
        : pe_(std::move(pe)),
          net_(std::move(net)),
          extra_(std::move(extra_metadata)),
          precision_(opts.precision),
          device_(resolve_device(opts.device)) {
        if (net_ && net_->in_dim() != pe_->dim())
            throw DataError("model: the network takes " + std::to_string(net_->in_dim()) + " inputs but " +
                            pe_->name() + " gives " + std::to_string(pe_->dim()));
        if (net_) net_->to(device_ == DeviceKind::Cuda ? at::Device(at::kCUDA) : at::Device(at::kCPU), dtype());
    }

    std::size_t dim() const override { return std::size_t(net_ ? net_->out_dim() : pe_->dim()); }

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

private:
    at::ScalarType dtype() const { return precision_ == Precision::Float64 ? at::kDouble : at::kFloat; }

    template <typename T>
    void encode_cpu(const double* lon, const double* lat, std::size_t n, double* out) {
        const int64_t pe_dim = pe_->dim(), d = int64_t(dim());
        const auto opts = at::TensorOptions().dtype(dtype());
        if (!pe_buf_.defined() || pe_buf_.scalar_type() != dtype()) pe_buf_ = at::empty({int64_t(kCpuChunk), pe_dim}, opts);
        for (std::size_t first = 0; first < n; first += kCpuChunk) {
            const std::size_t c = std::min(kCpuChunk, n - first);
            at::Tensor pe = pe_buf_.narrow(0, 0, int64_t(c));
            pe_->encode_cpu(lon + first, lat + first, c, pe.data_ptr<T>());
            const T* result = pe.data_ptr<T>();
            if (net_) {
                net_->forward_into(pe, net_out_, scratch_);
                result = net_out_.data_ptr<T>();
            }
            double* dst = out + first * std::size_t(d);
            for (std::size_t i = 0; i < c * std::size_t(d); ++i) dst[i] = double(result[i]);
        }
    }

    void encode_device(const double* lon, const double* lat, std::size_t n, double* out) {
        const auto host = at::TensorOptions().dtype(at::kDouble);
        const at::Device dev(at::kCUDA);
        at::Tensor tlon = at::from_blob(const_cast<double*>(lon), {int64_t(n)}, host).to(dev);
        at::Tensor tlat = at::from_blob(const_cast<double*>(lat), {int64_t(n)}, host).to(dev);
        at::Tensor y = pe_->encode(tlon, tlat, dtype());
        if (net_) y = net_->forward(y);
        y = y.to(at::kCPU, at::kDouble).contiguous();
        std::memcpy(out, y.data_ptr<double>(), n * dim() * sizeof(double));
    }

    std::unique_ptr<PositionalEncoding> pe_;
    std::optional<Network> net_;
    std::map<std::string, std::string> extra_;
    Precision precision_;
    DeviceKind device_;
    at::Tensor pe_buf_, net_out_;
    std::vector<at::Tensor> scratch_;
};

}  // namespace

std::unique_ptr<LocationEncoder> make_pipeline_encoder(std::unique_ptr<PositionalEncoding> pe,
                                                       std::optional<Network> net,
                                                       std::map<std::string, std::string> metadata,
                                                       const EncoderOptions& opts) {
    return std::make_unique<PipelineEncoder>(std::move(pe), std::move(net), std::move(metadata), opts);
}

}  // namespace geoenc
