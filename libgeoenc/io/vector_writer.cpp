#include "io/vector_writer.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_time.h>
#include <ogrsf_frmts.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/output_format.h"

namespace geoenc::io {

namespace {

CPLStringList name_value_list(const std::vector<std::string>& items, const char* option) {
    CPLStringList list;
    for (const auto& item : items) {
        if (item.find('=') == std::string::npos)
            throw UsageError(std::string(option) + " " + item + ": expected NAME=VALUE");
        list.AddString(item.c_str());
    }
    return list;
}

// Byte-identical reruns: GeoPackage stamps creation times into its tables. Use
// SOURCE_DATE_EPOCH (the reproducible-builds convention) or a fixed epoch,
// unless the user set OGR_CURRENT_DATE with --config.
void pin_timestamps() {
    if (CPLGetConfigOption("OGR_CURRENT_DATE", nullptr)) return;
    std::string stamp = "2000-01-01T00:00:00.000Z";
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
        char* end = nullptr;
        const long long t = std::strtoll(epoch, &end, 10);
        // years 0001 to 9999 only: GDAL writes anything else as an invalid date
        if (end != epoch && *end == '\0' && t >= -62135596800LL && t <= 253402300799LL) {
            struct tm tm_utc {};
            CPLUnixTimeToYMDHMS(t, &tm_utc);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm_utc.tm_year + 1900,
                          tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min, tm_utc.tm_sec);
            stamp = buf;
        }
    }
    CPLSetConfigOption("OGR_CURRENT_DATE", stamp.c_str());
}

// Little-endian float32 whatever the host, so blobs read the same everywhere.
void set_float32_blob(const double* values, std::size_t n, std::vector<unsigned char>& bytes) {
    bytes.resize(n * 4);
    for (std::size_t i = 0; i < n; ++i) {
        const float f = float(values[i]);
        std::uint32_t u;
        std::memcpy(&u, &f, 4);
        for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = (u >> (8 * b)) & 0xff;
    }
}

}  // namespace

void check_writer_options(const WriterOptions& opts) {
    name_value_list(opts.dataset_options, "--co");
    name_value_list(opts.layer_options, "--lco");
}

VectorWriter::VectorWriter(const std::string& output, const WriterOptions& opts, const OGRFeatureDefn& src_defn,
                           const OGRSpatialReference& srs, const AppendedValues& appended)
    : appended_(appended), transaction_size_(opts.transaction_size) {
    const OutputTarget target = choose_vector_output(output, opts.format);
    driver_ = target.driver;
    shown_ = target.to_stdout ? "stdout" : output;
    // SQLite (so GeoPackage) tables hold at most 2000 columns, fid and geometry
    // included; say so before any file is created rather than fail at the first row.
    const std::size_t columns = std::size_t(src_defn.GetFieldCount()) + appended.names.size() +
                                appended.text_names.size() + 2;
    if ((driver_ == "GPKG" || driver_ == "SQLite") && columns > 2000)
        throw DataError(shown_ + ": " + std::to_string(columns) + " columns exceed " + driver_ +
                        "'s limit of 2000; use --format blob (one BLOB column) or a smaller model");
    CPLStringList dsco = name_value_list(opts.dataset_options, "--co");
    CPLStringList lco = name_value_list(opts.layer_options, "--lco");
    if (driver_ == "CSV" && !lco.FetchNameValue("GEOMETRY")) {
        const bool points = wkbFlatten(src_defn.GetGeomType()) == wkbPoint;
        // A CSV read from X and Y columns keeps them as attributes: adding the
        // geometry as X and Y again would give two columns of each name.
        const bool has_xy = src_defn.GetFieldIndex("X") >= 0 && src_defn.GetFieldIndex("Y") >= 0;
        if (!(points && has_xy)) lco.SetNameValue("GEOMETRY", points ? "AS_XY" : "AS_WKT");
    }

    std::string path = target.path;
    if (!target.to_stdout) {
        atomic_ = std::make_unique<AtomicOutput>(output, opts.overwrite);
        path = atomic_->temp_path();
    }
    pin_timestamps();

    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver_.c_str());
    take_last_error();
    ds_.reset(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, dsco.List()));
    if (!ds_) throw_last_error(shown_ + ": cannot create a " + driver_ + " dataset");

    std::string name = opts.layer_name;
    if (name.empty()) name = target.to_stdout ? "stdout" : std::filesystem::path(output).stem().string();
    OGRSpatialReference layer_srs(srs);
    OGRwkbGeometryType type = src_defn.GetGeomType();
    const OGRwkbGeometryType flat = wkbFlatten(type);
    promote_ = opts.promote_to_multi && driver_ != "ESRI Shapefile" && (flat == wkbPolygon || flat == wkbLineString);
    if (promote_) type = OGR_GT_GetCollection(type);
    layer_ = ds_->CreateLayer(name.c_str(), &layer_srs, type, lco.List());
    if (!layer_) throw_last_error(shown_ + ": cannot create layer '" + name + "'");

    for (int i = 0; i < src_defn.GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = src_defn.GetFieldDefn(i);
        for (const auto* list : {&appended_.names, &appended_.text_names})
            for (const auto& n : *list)
                if (EQUAL(fd->GetNameRef(), n.c_str()))
                    throw DataError(std::string("input field '") + fd->GetNameRef() +
                                    "' clashes with a new output column; rename it or choose another --prefix");
        OGRFieldDefn copy(fd);
        if (layer_->CreateField(&copy, TRUE) != OGRERR_NONE)
            throw_last_error(shown_ + ": cannot create field '" + fd->GetNameRef() + "'");
    }
    src_map_.resize(src_defn.GetFieldCount());
    for (int i = 0; i < src_defn.GetFieldCount(); ++i) src_map_[i] = i;
    first_new_ = layer_->GetLayerDefn()->GetFieldCount();
    const bool blob = appended_.layout == AppendedValues::Layout::Float32Blob;
    for (const auto& n : appended_.names) {
        OGRFieldDefn fd(n.c_str(), blob ? OFTBinary : OFTReal);
        if (layer_->CreateField(&fd, FALSE) != OGRERR_NONE)
            throw_last_error(shown_ + ": cannot create field '" + n + "' (" + std::to_string(appended_.names.size()) +
                             " new columns; " + driver_ + " may limit the column count: try --format blob)");
    }
    for (const auto& n : appended_.text_names) {
        OGRFieldDefn fd(n.c_str(), OFTString);
        if (layer_->CreateField(&fd, FALSE) != OGRERR_NONE)
            throw_last_error(shown_ + ": cannot create field '" + n + "'");
    }
    transactions_ = ds_->TestCapability(ODsCTransactions);
}

VectorWriter::~VectorWriter() {
    // Not closed: an error is unwinding. Drop the dataset before the temporaries.
    if (ds_ && in_transaction_) ds_->RollbackTransaction();
    ds_.reset();
    take_last_error();
    atomic_.reset();
}

void VectorWriter::set_metadata(const std::map<std::string, std::string>& items) {
    for (const auto& [k, v] : items) layer_->SetMetadataItem(k.c_str(), v.c_str());
}

void VectorWriter::begin_transaction() {
    if (!transactions_ || in_transaction_) return;
    if (ds_->StartTransaction() != OGRERR_NONE) throw_last_error(shown_ + ": cannot start a transaction");
    in_transaction_ = true;
    since_commit_ = 0;
}

void VectorWriter::commit_transaction() {
    if (!in_transaction_) return;
    in_transaction_ = false;
    if (ds_->CommitTransaction() != OGRERR_NONE) throw_last_error(shown_ + ": cannot commit");
}

void VectorWriter::write(const FeatureBatch& batch, const double* values, const std::string* texts) {
    const int first_text = first_new_ + int(appended_.names.size());  // text columns follow the values
    const std::size_t ntext = appended_.text_names.size();
    OGRFeatureDefn* defn = layer_->GetLayerDefn();
    for (std::size_t r = 0; r < batch.size(); ++r) {
        begin_transaction();
        const OGRFeature& src = *batch.features[r];
        OGRFeature out(defn);
        if (out.SetFrom(&src, src_map_.data(), TRUE) != OGRERR_NONE)
            throw_last_error(shown_ + ": cannot copy input FID " + std::to_string(src.GetFID()));
        if (promote_ && out.GetGeometryRef()) {
            OGRGeometry* g = out.StealGeometry();
            out.SetGeometryDirectly(wkbFlatten(g->getGeometryType()) == wkbPolygon
                                        ? OGRGeometryFactory::forceToMultiPolygon(g)
                                        : wkbFlatten(g->getGeometryType()) == wkbLineString
                                              ? OGRGeometryFactory::forceToMultiLineString(g)
                                              : g);
        }
        const double* row = values + r * appended_.dim;
        if (appended_.layout == AppendedValues::Layout::Float32Blob) {
            set_float32_blob(row, appended_.dim, blob_);
            out.SetField(first_new_, int(blob_.size()), blob_.data());
        } else {
            for (std::size_t j = 0; j < appended_.dim; ++j) out.SetField(first_new_ + int(j), row[j]);
        }
        for (std::size_t j = 0; j < ntext; ++j) out.SetField(first_text + int(j), texts[r * ntext + j].c_str());
        if (layer_->CreateFeature(&out) != OGRERR_NONE)
            throw_last_error(shown_ + ": cannot write input FID " + std::to_string(src.GetFID()));
        ++written_;
        if (++since_commit_ >= transaction_size_) commit_transaction();
    }
}

void VectorWriter::close() {
    commit_transaction();
    take_last_error();
    GDALClose(GDALDataset::ToHandle(ds_.release()));
    const std::string late = take_last_error();
    if (!late.empty()) throw DataError(shown_ + ": " + late);
    if (atomic_) atomic_->commit();
}

}  // namespace geoenc::io
