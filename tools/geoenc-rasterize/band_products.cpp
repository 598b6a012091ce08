#include "band_products.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "core/errors.h"

namespace geoenc::tools {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string numbered(const std::string& prefix, std::size_t i, std::size_t count) {
    const int digits = std::max<int>(3, int(std::to_string(count == 0 ? 0 : count - 1).size()));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*zu", digits, i);
    return prefix + buf;
}

class EmbeddingBands final : public BandProduct {
public:
    EmbeddingBands(std::vector<std::size_t> dims, std::size_t dim, std::string spec)
        : dims_(std::move(dims)), dim_(dim), spec_(std::move(spec)) {}
    std::vector<std::string> band_names() const override {
        std::vector<std::string> names;
        for (std::size_t d : dims_) names.push_back(numbered("emb_", d, dim_));
        return names;
    }
    void apply(const double* emb, std::size_t n, std::size_t dim, double* out, std::size_t stride) const override {
        for (std::size_t b = 0; b < dims_.size(); ++b)
            for (std::size_t i = 0; i < n; ++i) out[b * stride + i] = emb[i * dim + dims_[b]];
    }
    std::map<std::string, std::string> metadata() const override {
        return {{"GEOENC_MODE", "embedding"}, {"GEOENC_BANDS", spec_.empty() ? "all" : spec_}};
    }

private:
    std::vector<std::size_t> dims_;
    std::size_t dim_;
    std::string spec_;
};

// sum a_k b_k in 16 fixed lanes: one dependent add per term made the
// similarity heatmap's dot products ~3% of its time (perf); the order of the
// additions never changes, so the values are reproducible.
double lane_dot(const double* a, const double* b, std::size_t n) {
    constexpr std::size_t W = 16;
    double acc[W] = {};
    std::size_t k = 0;
    for (; k + W <= n; k += W)
        for (std::size_t l = 0; l < W; ++l) acc[l] += a[k + l] * b[k + l];
    for (; k < n; ++k) acc[0] += a[k] * b[k];
    double s = 0.0;
    for (std::size_t l = 0; l < W; ++l) s += acc[l];
    return s;
}

class SimilarityBands final : public BandProduct {
public:
    explicit SimilarityBands(std::vector<Reference> refs) : refs_(std::move(refs)) {
        for (auto& r : refs_) {
            double norm = 0.0;
            for (double v : r.embedding) norm += v * v;
            norm = std::sqrt(norm);
            if (!(norm > 0.0)) throw DataError("reference " + r.label + ": its embedding is zero, so no cosine similarity");
            for (double& v : r.embedding) v /= norm;
        }
    }
    std::vector<std::string> band_names() const override {
        std::vector<std::string> names;
        for (std::size_t k = 0; k < refs_.size(); ++k) names.push_back(numbered("sim_", k, refs_.size()));
        return names;
    }
    void apply(const double* emb, std::size_t n, std::size_t dim, double* out, std::size_t stride) const override {
        for (std::size_t i = 0; i < n; ++i) {
            const double* e = emb + i * dim;
            const double norm = std::sqrt(lane_dot(e, e, dim));
            for (std::size_t b = 0; b < refs_.size(); ++b) {
                const double dot = lane_dot(e, refs_[b].embedding.data(), dim);
                out[b * stride + i] = norm > 0.0 ? dot / norm : kNaN;
            }
        }
    }
    std::map<std::string, std::string> metadata() const override {
        std::map<std::string, std::string> m{{"GEOENC_MODE", "similarity (cosine)"}};
        for (std::size_t b = 0; b < refs_.size(); ++b) m["GEOENC_REF_" + numbered("", b, refs_.size())] = refs_[b].label;
        return m;
    }

private:
    std::vector<Reference> refs_;
};

class PcaBands final : public BandProduct {
public:
    PcaBands(PcaFit fit, std::vector<std::pair<double, double>> rgb) : fit_(std::move(fit)), rgb_(std::move(rgb)) {}
    std::vector<std::string> band_names() const override {
        if (!rgb_.empty()) return {"pc_000 (red)", "pc_001 (green)", "pc_002 (blue)"};
        std::vector<std::string> names;
        for (std::size_t k = 0; k < fit_.variance.size(); ++k) names.push_back(numbered("pc_", k, fit_.variance.size()));
        return names;
    }
    void apply(const double* emb, std::size_t n, std::size_t dim, double* out, std::size_t stride) const override {
        const std::size_t K = fit_.variance.size();
        for (std::size_t i = 0; i < n; ++i) {
            const double* e = emb + i * dim;
            for (std::size_t c = 0; c < K; ++c) {
                const double* w = fit_.components.data() + c * dim;
                double s = 0.0;
                for (std::size_t k = 0; k < dim; ++k) s += (e[k] - fit_.mean[k]) * w[k];
                if (!rgb_.empty()) {
                    const auto [lo, hi] = rgb_[c];
                    s = hi > lo ? 1.0 + 254.0 * (s - lo) / (hi - lo) : 128.0;
                    s = std::clamp(s, 1.0, 255.0);
                }
                out[c * stride + i] = s;
            }
        }
    }
    std::map<std::string, std::string> metadata() const override {
        std::map<std::string, std::string> m{{"GEOENC_MODE", rgb_.empty() ? "pca" : "pca rgb"},
                                             {"GEOENC_PCA_SAMPLE", fit_.source},
                                             {"GEOENC_PCA_SAMPLES", std::to_string(fit_.samples)}};
        std::ostringstream ev;
        ev.precision(6);
        for (std::size_t c = 0; c < fit_.variance.size(); ++c)
            ev << (c ? " " : "") << (fit_.total_variance > 0 ? fit_.variance[c] / fit_.total_variance : 0.0);
        m["GEOENC_PCA_EXPLAINED_VARIANCE_RATIO"] = ev.str();
        if (!rgb_.empty()) {
            std::ostringstream st;
            st.precision(9);
            for (std::size_t c = 0; c < rgb_.size(); ++c) st << (c ? " " : "") << rgb_[c].first << ":" << rgb_[c].second;
            m["GEOENC_RGB_STRETCH"] = st.str();
        }
        return m;
    }

private:
    PcaFit fit_;
    std::vector<std::pair<double, double>> rgb_;
};

long long parse_index(const std::string& text, const std::string& whole) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno || v < 0)
        throw UsageError("--bands: expected dimensions like 0-15,42, got '" + whole + "'");
    return v;
}

}  // namespace

std::vector<std::size_t> parse_band_list(const std::string& text, std::size_t dim) {
    std::vector<std::size_t> out;
    if (text.empty()) {
        for (std::size_t i = 0; i < dim; ++i) out.push_back(i);
        return out;
    }
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto dash = item.find('-');
        const long long a = parse_index(item.substr(0, dash), text);
        const long long b = dash == std::string::npos ? a : parse_index(item.substr(dash + 1), text);
        if (b < a) throw UsageError("--bands: range " + item + " runs backwards");
        if (std::size_t(b) >= dim)
            throw UsageError("--bands: dimension " + std::to_string(b) + " is beyond the model's " + std::to_string(dim) +
                             " (0 to " + std::to_string(dim - 1) + ")");
        for (long long i = a; i <= b; ++i) out.push_back(std::size_t(i));
    }
    if (out.empty() || text.back() == ',') throw UsageError("--bands: expected dimensions like 0-15,42, got '" + text + "'");
    return out;
}

std::unique_ptr<BandProduct> embedding_bands(std::vector<std::size_t> dims, std::size_t dim, const std::string& spec) {
    return std::make_unique<EmbeddingBands>(std::move(dims), dim, spec);
}

std::unique_ptr<BandProduct> similarity_bands(std::vector<Reference> refs) {
    return std::make_unique<SimilarityBands>(std::move(refs));
}

std::unique_ptr<BandProduct> pca_bands(PcaFit fit, std::vector<std::pair<double, double>> rgb) {
    return std::make_unique<PcaBands>(std::move(fit), std::move(rgb));
}

}  // namespace geoenc::tools
