#pragma once
// The embedding of every pixel centre of a window: separable on lon/lat grids
// (core/grid_encoder.h), point by point otherwise. Pixels without a lon/lat,
// or outside --mask, are marked invalid (and not encoded on the point-wise path).
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
    // Pixels (col0 + c, row0 + r), c < w, r < h, row-major: emb gets w*h*dim values, valid w*h flags.
    void embed(int col0, int row0, int w, int h, std::vector<double>& emb, std::vector<unsigned char>& valid);

private:
    io::RasterGrid grid_;
    io::PixelLocator locator_;
    LocationEncoder& encoder_;
    GridEncoder* grid_encoder_;
    const io::PolygonMask* mask_;
    std::vector<double> lon_, lat_, packed_lon_, packed_lat_, packed_emb_;
    std::vector<unsigned char> inside_;
};

}  // namespace geoenc::tools
