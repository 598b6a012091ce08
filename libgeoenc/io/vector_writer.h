#pragma once
// Writes input features with every attribute and the geometry, plus new REAL
// columns, to any OGR vector driver; atomically for files, streamed for "-".
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/atomic_output.h"
#include "io/feature_batch.h"

namespace geoenc::io {

struct WriterOptions {
    std::string format;                        // -f/--of; empty: from the extension
    std::vector<std::string> dataset_options;  // --co
    std::vector<std::string> layer_options;    // --lco
    std::string layer_name;                    // --nln; empty: the output's stem
    bool overwrite = false;                    // --overwrite
    // Write a Polygon/LineString layer as MultiPolygon/MultiLineString, every
    // geometry promoted (sources whose single type holds multi features too:
    // VectorReader::single_type_covers_multi). Not for shapefile outputs.
    bool promote_to_multi = false;
    std::size_t transaction_size = 65536;      // features per transaction
};

// The usage errors of WriterOptions (--co/--lco syntax), raised before any
// model is loaded or input read.
void check_writer_options(const WriterOptions& opts);

// How the appended values are stored.
struct AppendedValues {
    enum class Layout {
        RealColumns,   // one REAL column per value: names[i]
        Float32Blob,   // one BLOB column names[0]: `dim` little-endian float32s
    } layout = Layout::RealColumns;
    std::vector<std::string> names;
    std::size_t dim = 0;  // values per feature
    // Text columns after the values (e.g. geoenc-moran's cluster labels); write() then needs `texts`.
    std::vector<std::string> text_names;
};

class VectorWriter {
public:
    VectorWriter(const std::string& output, const WriterOptions& opts, const OGRFeatureDefn& src_defn,
                 const OGRSpatialReference& srs, const AppendedValues& appended);
    ~VectorWriter();  // without close(): discards the output

    void set_metadata(const std::map<std::string, std::string>& items);
    // values: batch.size() x appended.dim, row-major; texts: batch.size() x
    // appended.text_names.size(), row-major (null when there are none).
    void write(const FeatureBatch& batch, const double* values, const std::string* texts = nullptr);
    // Flushes, closes and renames into place. Errors here are errors of the run.
    void close();

    const std::string& description() const { return shown_; }
    const std::string& driver() const { return driver_; }
    std::int64_t written() const { return written_; }

private:
    void begin_transaction();
    bool promote_ = false;
    void commit_transaction();

    std::string shown_;
    std::string driver_;
    std::unique_ptr<AtomicOutput> atomic_;
    GDALDatasetUniquePtr ds_;
    OGRLayer* layer_ = nullptr;
    std::vector<int> src_map_;
    int first_new_ = 0;
    AppendedValues appended_;
    std::vector<unsigned char> blob_;
    std::size_t transaction_size_;
    bool transactions_ = false;
    bool in_transaction_ = false;
    std::size_t since_commit_ = 0;
    std::int64_t written_ = 0;
};

}  // namespace geoenc::io
