#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "band_products.h"
#include "cli/command.h"
#include "core/location_encoder.h"
#include "io/polygon_mask.h"
#include "io/raster_grid.h"
#include "io/raster_writer.h"
#include "io/shard.h"

namespace geoenc::tools {

// geoenc-rasterize OUTPUT --model MODEL --te ... --tr ...: a raster of
// embeddings, principal components or similarities at every pixel centre.
class RasterizeCommand final : public cli::Command {
public:
    RasterizeCommand();

private:
    void declare(cli::ArgTable& table) override;
    void setup(const cli::ParsedArgs& args) override;
    void run() override;

    std::unique_ptr<BandProduct> make_product(LocationEncoder& encoder, const io::RasterGrid& grid,
                                              const io::PolygonMask* mask);
    // Seeded sample of valid pixel centres of the whole grid (the same in every shard).
    void sample_grid(const io::RasterGrid& grid, const io::PolygonMask* mask, std::vector<double>& lon,
                     std::vector<double>& lat) const;

    std::string output_, model_, mode_, bands_, pca_from_, ref_vector_, mask_;
    std::vector<std::string> refs_;
    Precision precision_ = Precision::Float32;
    io::GridRequest grid_request_;
    io::RasterOutputOptions out_;
    io::Shard shard_;
    int components_ = 3;
    bool rgb_ = false, point_wise_ = false, probabilities_ = false, ot_given_ = false;
    std::size_t pca_samples_ = 10000;
    std::uint64_t seed_ = 0;
};

}  // namespace geoenc::tools
