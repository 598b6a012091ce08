#include "window_embedder.h"

#include <algorithm>
#include <cmath>

namespace geoenc::tools {

WindowEmbedder::WindowEmbedder(const io::RasterGrid& grid, LocationEncoder& encoder, GridEncoder* grid_encoder,
                               const io::PolygonMask* mask)
    : grid_(grid), locator_(grid), encoder_(encoder), grid_encoder_(locator_.lonlat_rows() ? grid_encoder : nullptr),
      mask_(mask) {}

void WindowEmbedder::embed(int col0, int row0, int w, int h, const Sink& sink, std::vector<unsigned char>& valid) {
    const std::size_t n = std::size_t(w) * std::size_t(h), d = encoder_.dim();
    valid.assign(n, 1);
    if (mask_) {
        inside_.resize(n);
        mask_->burn(col0, row0, w, h, inside_.data());
    }
    if (grid_encoder_) {
        // One latitude per row, one longitude per column: the separable path.
        lon_.resize(std::size_t(w));
        lat_.resize(std::size_t(h));
        for (int c = 0; c < w; ++c) lon_[std::size_t(c)] = io::wrap_longitude(grid_.centre_x(col0 + c, 0));
        for (int r = 0; r < h; ++r) lat_[std::size_t(r)] = grid_.centre_y(0, row0 + r);
        // Rows beyond the poles (a --like grid can have them) have no location.
        int r0 = 0;
        while (r0 < h && std::abs(lat_[std::size_t(r0)]) > 90.0) ++r0;
        int r1 = r0;
        while (r1 < h && std::abs(lat_[std::size_t(r1)]) <= 90.0) ++r1;
        for (int r = 0; r < h; ++r)
            if (r < r0 || r >= r1) std::fill_n(valid.begin() + std::size_t(r) * w, w, 0);
        if (r1 > r0)
            grid_encoder_->encode_rows(lat_.data() + r0, std::size_t(r1 - r0), lon_.data(), std::size_t(w),
                                       [&](std::size_t r, std::size_t c, std::size_t count, const double* values) {
                                           sink((std::size_t(r0) + r) * std::size_t(w) + c, count, values);
                                       });
        if (mask_)
            for (std::size_t i = 0; i < n; ++i) valid[i] &= inside_[i];
        return;
    }
    lon_.resize(n);
    lat_.resize(n);
    for (int r = 0; r < h; ++r)
        locator_.locate(row0 + r, col0, w, lon_.data() + std::size_t(r) * w, lat_.data() + std::size_t(r) * w,
                        valid.data() + std::size_t(r) * w);
    if (mask_)
        for (std::size_t i = 0; i < n; ++i) valid[i] &= inside_[i];
    packed_lon_.clear();
    packed_lat_.clear();
    for (std::size_t i = 0; i < n; ++i)
        if (valid[i]) {
            packed_lon_.push_back(lon_[i]);
            packed_lat_.push_back(lat_[i]);
        }
    packed_emb_.resize(packed_lon_.size() * d);
    encoder_.encode(packed_lon_.data(), packed_lat_.data(), packed_lon_.size(), packed_emb_.data());
    emb_.assign(n * d, 0.0);
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (valid[i]) std::copy_n(packed_emb_.data() + (k++) * d, d, emb_.data() + i * d);
    sink(0, n, emb_.data());
}

}  // namespace geoenc::tools
