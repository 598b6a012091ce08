#pragma once
// A raster output written window by window: GeoTIFF (tiled, DEFLATE,
// BIGTIFF=IF_SAFER unless --co says otherwise) by default, any GDAL raster
// driver that can Create, and create-copy drivers such as COG through a
// temporary GeoTIFF. The file appears under its name only when complete.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/atomic_output.h"
#include "io/raster_grid.h"

class GDALDataset;

namespace geoenc::io {

enum class RasterType { Byte, Int16, Float32, Float64 };
RasterType parse_raster_type(const std::string& text);  // throws UsageError naming --ot
const char* to_string(RasterType t);
std::size_t type_size(RasterType t);

// The raster driver GDAL's tools would pick for an output's extension:
// GTiff for .tif/.tiff or none, else the one writable raster driver that
// declares it. UsageError naming the path when none does.
std::string raster_driver_for_extension(const std::string& path);

struct RasterOutputOptions {
    std::string format;                         // -f; empty: GTiff
    std::vector<std::string> creation_options;  // --co NAME=VALUE
    bool overwrite = false;
    RasterType type = RasterType::Float32;
    std::optional<double> nodata;  // default: NaN for float types, the type's minimum for integers
    std::optional<double> scale, offset;  // stored = (value - offset) / scale; GDAL's band scale/offset
    bool rgb = false;                     // three bands interpreted as red, green, blue
};

// The usage errors of an output (driver, --co syntax, the type the driver
// can write, --nodata within an integer --ot), for a tool's setup to raise
// before any work; RasterWriter checks them again.
void check_raster_output(const RasterOutputOptions& opts);

// What the packed bytes of a window hold: values converted to the output type.
class RasterPacker {
public:
    // Throws UsageError for a --nodata the integer --ot cannot hold.
    explicit RasterPacker(const RasterOutputOptions& opts);
    // n values (NaN: nodata) -> n * type_size bytes appended to `out`. Integer
    // types round to nearest and clamp; a valid value that would equal the
    // nodata value moves one step towards the data range.
    void pack(const double* values, std::size_t n, std::vector<unsigned char>& out) const;
    double nodata() const { return nodata_; }
    // Valid values that did not fit the integer type and were clamped (so far).
    std::uint64_t clamped() const { return clamped_.load(); }

private:
    RasterType type_;
    double nodata_, scale_, offset_;
    mutable std::atomic<std::uint64_t> clamped_{0};
};

class RasterWriter {
public:
    // Throws UsageError for an unknown -f or a vector-only driver, DataError for
    // an existing output without --overwrite or a driver failure, naming `path`.
    RasterWriter(const std::string& path, const RasterGrid& grid, int bands, const RasterOutputOptions& opts);
    ~RasterWriter();
    RasterWriter(const RasterWriter&) = delete;
    RasterWriter& operator=(const RasterWriter&) = delete;

    // The window size that matches the dataset's blocks (whole tiles per write).
    int window_width() const { return window_w_; }
    int window_height() const { return window_h_; }
    const std::string& driver() const { return driver_; }

    void describe_bands(const std::vector<std::string>& names);
    void set_metadata(const std::map<std::string, std::string>& items);
    // Band-sequential packed values (RasterPacker) of the window.
    void write(int col0, int row0, int w, int h, const unsigned char* packed);
    // Flushes, converts for create-copy drivers, and renames into place.
    void close();

private:
    void set_up(const RasterGrid& grid, const RasterPacker& packer);  // after Create: bands, georeferencing, windows
    std::string path_, driver_;
    RasterOutputOptions opts_;
    int bands_;
    int window_w_ = 256, window_h_ = 256;
    std::unique_ptr<AtomicOutput> final_, stage_;  // stage_: the GeoTIFF a create-copy driver copies
    GDALDataset* ds_ = nullptr;
    bool create_copy_ = false;
};

}  // namespace geoenc::io
