#include "io/raster_writer.h"

#include <gdal_priv.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/errors.h"
#include "io/gdal_session.h"

namespace geoenc::io {

namespace {

GDALDataType gdal_type(RasterType t) {
    switch (t) {
        case RasterType::Byte: return GDT_Byte;
        case RasterType::Int16: return GDT_Int16;
        case RasterType::Float32: return GDT_Float32;
        case RasterType::Float64: return GDT_Float64;
    }
    return GDT_Float32;
}

bool is_integer(RasterType t) { return t == RasterType::Byte || t == RasterType::Int16; }

std::string format_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// Adds NAME=VALUE unless the user's --co already names NAME.
void add_default(CPLStringList& list, const char* name, const char* value) {
    if (list.FetchNameValue(name) == nullptr) list.SetNameValue(name, value);
}

bool driver_knows_option(GDALDriver* drv, const char* option) {
    const char* xml = drv->GetMetadataItem(GDAL_DMD_CREATIONOPTIONLIST);
    return xml && std::strstr(xml, (std::string("name='") + option + "'").c_str()) != nullptr;
}

CPLStringList user_options(const std::vector<std::string>& co) {
    CPLStringList list;
    for (const auto& kv : co) {
        if (kv.find('=') == std::string::npos) throw UsageError("--co: expected NAME=VALUE, got '" + kv + "'");
        list.AddString(kv.c_str());
    }
    return list;
}

}  // namespace

RasterType parse_raster_type(const std::string& text) {
    if (text == "Byte") return RasterType::Byte;
    if (text == "Int16") return RasterType::Int16;
    if (text == "Float32") return RasterType::Float32;
    if (text == "Float64") return RasterType::Float64;
    throw UsageError("--ot: expected Float32, Float64, Int16 or Byte, got '" + text + "'");
}

const char* to_string(RasterType t) { return GDALGetDataTypeName(gdal_type(t)); }

std::size_t type_size(RasterType t) { return std::size_t(GDALGetDataTypeSizeBytes(gdal_type(t))); }

std::string raster_driver_for_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    if (!ext.empty()) ext = ext.substr(1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext.empty() || ext == "tif" || ext == "tiff") return "GTiff";
    GDALDriverManager* dm = GetGDALDriverManager();
    for (int i = 0; i < dm->GetDriverCount(); ++i) {
        GDALDriver* d = dm->GetDriver(i);
        if (!d->GetMetadataItem(GDAL_DCAP_RASTER) ||
            !(d->GetMetadataItem(GDAL_DCAP_CREATE) || d->GetMetadataItem(GDAL_DCAP_CREATECOPY)))
            continue;
        const char* exts = d->GetMetadataItem(GDAL_DMD_EXTENSIONS);
        if (!exts) exts = d->GetMetadataItem(GDAL_DMD_EXTENSION);
        const CPLStringList list(CSLTokenizeString2(exts ? exts : "", " ", 0));
        for (int k = 0; k < list.size(); ++k)
            if (EQUAL(list[k], ext.c_str())) return d->GetDescription();
    }
    throw UsageError(path + ": cannot tell the raster format from the extension ." + ext + "; use -f/--of");
}

void check_raster_output(const RasterOutputOptions& opts) {
    const std::string driver = opts.format.empty() ? "GTiff" : opts.format;
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    if (!drv || !drv->GetMetadataItem(GDAL_DCAP_RASTER))
        throw UsageError("-f/--of " + driver + ": not a GDAL raster driver of this build");
    if (!drv->GetMetadataItem(GDAL_DCAP_CREATE) && !drv->GetMetadataItem(GDAL_DCAP_CREATECOPY))
        throw UsageError("-f/--of " + driver + ": the driver cannot write files");
    if (const char* types = drv->GetMetadataItem(GDAL_DMD_CREATIONDATATYPES)) {
        const std::string list = std::string(" ") + types + " ";
        if (list.find(std::string(" ") + to_string(opts.type) + " ") == std::string::npos)
            throw UsageError("-f/--of " + driver + ": the driver cannot write " + to_string(opts.type) +
                             " bands (it writes " + types + "); choose another --ot or format");
    }
    user_options(opts.creation_options);
    const RasterPacker packer(opts);  // --nodata against --ot
}

RasterPacker::RasterPacker(const RasterOutputOptions& o)
    : type_(o.type), scale_(o.scale.value_or(1.0)), offset_(o.offset.value_or(0.0)) {
    const double type_min = type_ == RasterType::Byte ? 0.0 : type_ == RasterType::Int16 ? -32768.0 : 0.0;
    nodata_ = o.nodata ? *o.nodata : is_integer(type_) ? type_min : std::numeric_limits<double>::quiet_NaN();
    if (is_integer(type_)) {
        const double type_max = type_ == RasterType::Byte ? 255.0 : 32767.0;
        if (!(nodata_ == std::nearbyint(nodata_) && nodata_ >= type_min && nodata_ <= type_max))
            throw UsageError("--nodata " + format_number(nodata_) + ": not a whole number from " +
                             format_number(type_min) + " to " + format_number(type_max) + ", which --ot " +
                             to_string(type_) + " needs");
    }
}

void RasterPacker::pack(const double* v, std::size_t n, std::vector<unsigned char>& out) const {
    const std::size_t at = out.size();
    out.resize(at + n * type_size(type_));
    unsigned char* p = out.data() + at;
    auto to_integer = [&](double x, double lo, double hi) {
        if (std::isnan(x)) return nodata_;
        double r = std::nearbyint((x - offset_) / scale_);
        if (r < lo || r > hi) {
            clamped_.fetch_add(1, std::memory_order_relaxed);
            r = std::clamp(r, lo, hi);
        }
        if (r == nodata_) r += r < hi ? 1.0 : -1.0;  // a value is never mistaken for nodata
        return r;
    };
    switch (type_) {
        case RasterType::Byte:
            for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<unsigned char>(to_integer(v[i], 0.0, 255.0));
            break;
        case RasterType::Int16:
            for (std::size_t i = 0; i < n; ++i) {
                const std::int16_t s = static_cast<std::int16_t>(to_integer(v[i], -32768.0, 32767.0));
                std::memcpy(p + 2 * i, &s, 2);
            }
            break;
        case RasterType::Float32:
            for (std::size_t i = 0; i < n; ++i) {
                const float f = std::isnan(v[i]) ? float(nodata_) : float((v[i] - offset_) / scale_);
                std::memcpy(p + 4 * i, &f, 4);
            }
            break;
        case RasterType::Float64:
            for (std::size_t i = 0; i < n; ++i) {
                const double d = std::isnan(v[i]) ? nodata_ : (v[i] - offset_) / scale_;
                std::memcpy(p + 8 * i, &d, 8);
            }
            break;
    }
}

RasterWriter::RasterWriter(const std::string& path, const RasterGrid& grid, int bands, const RasterOutputOptions& opts)
    : path_(path), driver_(opts.format.empty() ? "GTiff" : opts.format), opts_(opts), bands_(bands) {
    check_raster_output(opts);  // before any file is touched
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver_.c_str());
    create_copy_ = drv->GetMetadataItem(GDAL_DCAP_CREATE) == nullptr;
    CPLStringList co = user_options(opts.creation_options);
    const RasterPacker packer(opts);
    final_ = std::make_unique<AtomicOutput>(path, opts.overwrite);

    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDriver* target = drv;
    std::string create_path = final_->temp_path();
    if (create_copy_) {
        // Create-copy drivers (COG) copy a finished dataset: stage it as a
        // fast-compressing tiled GeoTIFF, removed after the copy.
        if (!gtiff) throw DataError("GDAL has no GTiff driver (needed to stage -f " + driver_ + ")");
        stage_ = std::make_unique<AtomicOutput>(path + ".stage.tif", true);
        create_path = stage_->temp_path();
        target = gtiff;
        co = CPLStringList();
        co.SetNameValue("TILED", "YES");
        co.SetNameValue("COMPRESS", "ZSTD");
        co.SetNameValue("ZSTD_LEVEL", "1");
        co.SetNameValue("BIGTIFF", "IF_SAFER");
        if (!driver_knows_option(gtiff, "ZSTD_LEVEL")) {
            co.SetNameValue("COMPRESS", "DEFLATE");
            co.SetNameValue("ZSTD_LEVEL", nullptr);
            co.SetNameValue("ZLEVEL", "1");
        }
    } else if (driver_ == "GTiff") {
        add_default(co, "TILED", "YES");
        add_default(co, "COMPRESS", "DEFLATE");
        add_default(co, "BIGTIFF", "IF_SAFER");
        if (co.FetchNameValue("PREDICTOR") == nullptr && !is_integer(opts.type) &&
            EQUAL(co.FetchNameValue("COMPRESS"), "DEFLATE"))
            co.SetNameValue("PREDICTOR", "3");  // floating-point predictor: smoother fields compress better
    }
    if (opts.rgb && target == gtiff && bands == 3 && opts.type == RasterType::Byte) add_default(co, "PHOTOMETRIC", "RGB");

    take_last_error();
    ds_ = target->Create(create_path.c_str(), grid.width, grid.height, bands, gdal_type(opts.type), co.List());
    if (!ds_) throw_last_error(path + ": cannot create a " + driver_ + " raster");
    try {
        set_up(grid, packer);
    } catch (...) {
        // close before the members' destructors remove the temporary files
        CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
        GDALClose(GDALDataset::ToHandle(ds_));
        ds_ = nullptr;
        throw;
    }
}

void RasterWriter::set_up(const RasterGrid& grid, const RasterPacker& packer) {
    const int bands = bands_;
    const RasterOutputOptions& opts = opts_;
    const std::string& path = path_;
    std::array<double, 6> gt = grid.geotransform;
    ds_->SetGeoTransform(gt.data());
    ds_->SetProjection(grid.crs_wkt.c_str());
    for (int b = 1; b <= bands; ++b) {
        GDALRasterBand* band = ds_->GetRasterBand(b);
        band->SetNoDataValue(packer.nodata());
        if (opts.scale) band->SetScale(*opts.scale);
        if (opts.offset) band->SetOffset(*opts.offset);
        if (opts.rgb && bands == 3) band->SetColorInterpretation(GDALColorInterp(GCI_RedBand + (b - 1)));
    }
    int bx = 0, by = 0;
    ds_->GetRasterBand(1)->GetBlockSize(&bx, &by);
    // Whole blocks per write, so that each compressed block is written once
    // (a window that ends inside a block makes GDAL write it again, appended:
    // strips of 256 x 256 windows made files 23x larger): tiles one at a
    // time, strips (blocks of the full width, a few rows) about 256 rows at a
    // time. Blocks too large for the window budget fall back to 256 x 256.
    constexpr double kWindowBytes = 256.0 * (1 << 20);  // the compute side holds doubles
    const double row_bytes = double(bx) * double(bands) * 8.0;
    // rows: a multiple of the block height, about 256, fewer when wide rows
    // would pass the budget (never less than one block)
    int rows = by >= 256 ? by : by * std::max(1, 256 / std::max(1, by));
    while (rows > by && double(rows) * row_bytes > kWindowBytes) rows -= by;
    if (bx >= 1 && by >= 1 && double(rows) * row_bytes <= kWindowBytes) {
        window_w_ = std::min(grid.width, bx);
        window_h_ = std::min(grid.height, rows);
    } else {
        window_w_ = std::min(grid.width, 256);
        window_h_ = std::min(grid.height, 256);
    }
    const std::string err = take_last_error();
    if (!err.empty()) throw DataError(path + ": " + err);
}

RasterWriter::~RasterWriter() {
    if (ds_) {
        CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);  // abandoning a failed run: its files go anyway
        GDALClose(GDALDataset::ToHandle(ds_));
    }
}

void RasterWriter::describe_bands(const std::vector<std::string>& names) {
    for (int b = 0; b < bands_ && std::size_t(b) < names.size(); ++b)
        ds_->GetRasterBand(b + 1)->SetDescription(names[std::size_t(b)].c_str());
}

void RasterWriter::set_metadata(const std::map<std::string, std::string>& items) {
    for (const auto& [k, v] : items) ds_->SetMetadataItem(k.c_str(), v.c_str());
}

void RasterWriter::write(int col0, int row0, int w, int h, const unsigned char* packed) {
    const GDALDataType t = gdal_type(opts_.type);
    const GSpacing px = GDALGetDataTypeSizeBytes(t);
    if (ds_->RasterIO(GF_Write, col0, row0, w, h, const_cast<unsigned char*>(packed), w, h, t, bands_, nullptr, px,
                      px * w, px * w * h, nullptr) != CE_None)
        throw_last_error(path_ + ": cannot write pixels " + std::to_string(col0) + "," + std::to_string(row0));
    // The window's blocks are complete: write them out now rather than keep
    // them in GDAL's cache (memory stays O(window), compressed blocks are
    // written once).
    ds_->FlushCache(false);
    const std::string err = take_last_error();
    if (!err.empty()) throw DataError(path_ + ": " + err);
}

void RasterWriter::close() {
    take_last_error();
    GDALClose(GDALDataset::ToHandle(ds_));  // flushes the file: its errors are errors of the run
    ds_ = nullptr;
    std::string err = take_last_error();
    if (!err.empty()) throw DataError(path_ + ": " + err);
    if (create_copy_) {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver_.c_str());
        GDALDatasetUniquePtr staged(GDALDataset::Open(stage_->temp_path().c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        if (!staged) throw_last_error(path_ + ": cannot reopen the staged GeoTIFF");
        CPLStringList co = user_options(opts_.creation_options);
        if (driver_knows_option(drv, "COMPRESS")) add_default(co, "COMPRESS", "DEFLATE");
        if (driver_knows_option(drv, "BIGTIFF")) add_default(co, "BIGTIFF", "IF_SAFER");
        // strict: a driver that cannot keep every band, the type or the
        // georeferencing fails rather than writes something else
        GDALDatasetUniquePtr copy(drv->CreateCopy(final_->temp_path().c_str(), staged.get(), TRUE, co.List(), nullptr, nullptr));
        if (!copy) throw_last_error(path_ + ": cannot write as " + driver_);
        GDALClose(GDALDataset::ToHandle(copy.release()));
        err = take_last_error();
        if (!err.empty()) throw DataError(path_ + ": " + err);
        staged.reset();
        stage_.reset();  // removed before the output appears
    }
    final_->commit();
}

}  // namespace geoenc::io
