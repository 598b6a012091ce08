#pragma once
// The embedding of every pixel centre of a window: separable on lon/lat grids
// (core/grid_encoder.h), point by point otherwise. Pixels without a lon/lat,
// or outside --mask, are marked invalid (and not encoded on the point-wise path).
#include <functional>
#include <vector>

#include "core/grid_encoder.h"
#include "core/location_encoder.h"
#include "io/polygon_mask.h"
#include "io/raster_grid.h"

namespace geoenc::tools {

class WindowEmbedder {
public:
    // grid_encoder may be null (point-wise); it is used only when the grid has lon/lat rows.
    WindowEmbedder(const io::RasterGrid& grid, LocationEncoder& encoder, GridEncoder* grid_encoder,
                   const io::PolygonMask* mask);
    bool separable() const { return grid_encoder_ != nullptr; }
    std::size_t dim() const { return encoder_.dim(); }
    // Receives embeddings of window pixels [first, first + n) (pixel i = r * w + c),
    // n * dim values; on the separable path from several threads at once, for
    // disjoint pixels. Invalid pixels may be passed too: their values are arbitrary.
    using Sink = std::function<void(std::size_t first, std::size_t n, const double* emb)>;
    // Pixels (col0 + c, row0 + r), c < w, r < h: their embeddings to `sink`,
    // and valid[r * w + c] = 0 for those without a lon/lat or outside --mask.
    void embed(int col0, int row0, int w, int h, const Sink& sink, std::vector<unsigned char>& valid);

private:
    io::RasterGrid grid_;
    io::PixelLocator locator_;
    LocationEncoder& encoder_;
    GridEncoder* grid_encoder_;
    const io::PolygonMask* mask_;
    std::vector<double> lon_, lat_, packed_lon_, packed_lat_, packed_emb_, emb_;
    std::vector<unsigned char> inside_;
};

}  // namespace geoenc::tools
