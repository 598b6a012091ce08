#include "core/location_encoder.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/checkpoint/state_dict.h"
#include "core/errors.h"
#include "core/model_spec.h"
#include "core/networks.h"
#include "core/positional_encoding.h"

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

// A SatCLIP checkpoint (.pt state dict or Lightning .ckpt): sh:L + SIREN. L comes
// from hyper_parameters.legendre_polys, else from the first layer's width (L*L).
std::unique_ptr<LocationEncoder> open_checkpoint(const std::string& path, const EncoderOptions& opts) {
    checkpoint::LoadedCheckpoint ck = checkpoint::load_checkpoint(path);
    const NetKind kind = Network::detect_kind(ck.weights);
    Network net = Network::from_weights(kind, ck.weights);
    int L = 0;
    auto hp = ck.hyperparameters.find("legendre_polys");
    if (hp != ck.hyperparameters.end() && std::holds_alternative<std::int64_t>(hp->second)) {
        L = int(std::get<std::int64_t>(hp->second));
    } else {
        L = int(std::lround(std::sqrt(double(net.in_dim()))));
        if (int64_t(L) * L != net.in_dim())
            throw DataError(path + ": the first layer takes " + std::to_string(net.in_dim()) +
                            " inputs, not L*L spherical harmonics; cannot tell L");
    }
    if (int64_t(L) * L != net.in_dim())
        throw DataError(path + ": legendre_polys=" + std::to_string(L) + " but the first layer takes " +
                        std::to_string(net.in_dim()) + " inputs (expected " + std::to_string(L * L) + ")");
    ModelSpec pe_spec;
    pe_spec.kind = "sh";
    pe_spec.params = {{"L", std::to_string(L)}, {"convention", "satclip"}};
    std::map<std::string, std::string> meta = {
        {"GEOENC_MODEL", std::filesystem::path(path).filename().string()},
        {"GEOENC_MODEL_SHA256", ck.sha256},
        {"GEOENC_CONVENTION", "satclip"},
    };
    return std::make_unique<PipelineEncoder>(make_positional_encoding(pe_spec), std::move(net), std::move(meta), opts);
}

bool is_checkpoint_path(const std::string& text) {
    const std::string ext = std::filesystem::path(text).extension().string();
    return ext == ".pt" || ext == ".pth" || ext == ".ckpt";
}

}  // namespace

std::unique_ptr<LocationEncoder> open_encoder(const std::string& model, const EncoderOptions& opts) {
    const ModelSpec spec = parse_model_spec(model);
    for (const auto& kind : positional_encoding_kinds())
        if (spec.kind == kind)
            return std::make_unique<PipelineEncoder>(make_positional_encoding(spec), std::nullopt,
                                                     std::map<std::string, std::string>{}, opts);
    std::error_code ec;
    if (std::filesystem::is_regular_file(model, ec)) {
        if (is_checkpoint_path(model)) return open_checkpoint(model, opts);
        throw UsageError("--model " + model + ": not a model file this build reads (.pt, .pth, .ckpt)");
    }
    if (is_checkpoint_path(model)) throw DataError(model + ": no such model file");
    std::string kinds;
    for (const auto& k : positional_encoding_kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    throw UsageError("--model " + model + ": unknown model (a .pt/.ckpt file, or an analytic encoding: " + kinds + ")");
}

}  // namespace geoenc
