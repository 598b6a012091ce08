#pragma once
// What a raster band holds, computed from the embedding of each pixel:
// chosen embedding dimensions, cosine similarities to references, or
// principal components (optionally stretched into an RGB byte image).
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/prediction_head.h"

namespace geoenc::tools {

class BandProduct {
public:
    virtual ~BandProduct() = default;
    virtual std::vector<std::string> band_names() const = 0;
    // emb: n x dim, row-major. Writes band b of pixel i to out[b * band_stride + i].
    virtual void apply(const double* emb, std::size_t n, std::size_t dim, double* out, std::size_t band_stride) const = 0;
    virtual std::map<std::string, std::string> metadata() const = 0;
};

// --bands "0-15,42" -> {0..15, 42}; empty text: all of [0, dim). Throws
// UsageError naming --bands for bad syntax or a dimension the model lacks.
std::vector<std::size_t> parse_band_list(const std::string& text, std::size_t dim);

std::unique_ptr<BandProduct> embedding_bands(std::vector<std::size_t> dims, std::size_t dim, const std::string& spec);

struct Reference {
    std::string label;              // "10.5,-3" or the --ref-vector file
    std::vector<double> embedding;  // dim values
};
std::unique_ptr<BandProduct> similarity_bands(std::vector<Reference> refs);

struct PcaFit {
    std::vector<double> mean;        // dim
    std::vector<double> components;  // K x dim, rows of unit length, largest-|x| entry positive
    std::vector<double> variance;    // K: explained variance of each component
    double total_variance = 0.0;
    std::size_t samples = 0;
    std::string source;              // how the sample was drawn, for metadata
};
// Principal components of the rows of x (n x dim). Throws DataError for n < 2.
PcaFit fit_pca(const std::vector<double>& x, std::size_t n, std::size_t dim, int components);
// Each component's low and high percentile over the rows of x (the fit sample):
// the --rgb stretch. Returns K (low, high) pairs.
std::vector<std::pair<double, double>> pca_stretch(const PcaFit& fit, const std::vector<double>& x, std::size_t n,
                                                   double low_pct, double high_pct);
// rgb: empty for plain component scores; else 1 + 254 * (score - low) / (high - low), clamped to [1, 255].
std::unique_ptr<BandProduct> pca_bands(PcaFit fit, std::vector<std::pair<double, double>> rgb);

// --mode predict, from a trained model's outputs: the class index (one band
// "class"), each class's probability (bands prob_<label>), or the regression
// value (one band named after the target). prediction_bands.cpp.
std::unique_ptr<BandProduct> prediction_bands(const PredictorSpec& spec, bool probabilities);

}  // namespace geoenc::tools
