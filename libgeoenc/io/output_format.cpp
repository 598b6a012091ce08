#include "io/output_format.h"

#include <cpl_string.h>
#include <gdal.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/errors.h"

namespace geoenc::io {

namespace {

// Drivers that can write a sequential stream to /vsistdout/.
const char* const kStreamable[] = {"GeoJSONSeq", "GeoJSON", "CSV"};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

GDALDriverH vector_writer_driver(const std::string& name) {
    GDALDriverH drv = GDALGetDriverByName(name.c_str());
    if (!drv) return nullptr;
    char** md = GDALGetMetadata(drv, nullptr);
    if (!CPLFetchBool(md, GDAL_DCAP_VECTOR, false) || !CPLFetchBool(md, GDAL_DCAP_CREATE, false)) return nullptr;
    return drv;
}

std::string driver_for_extension(const std::string& ext) {
    // Unambiguous choices first: GDAL lists .json for several drivers.
    if (ext == "json" || ext == "geojson") return "GeoJSON";
    if (ext == "geojsonl" || ext == "geojsons" || ext == "geojsonseq") return "GeoJSONSeq";
    if (ext == "shp") return "ESRI Shapefile";
    for (int i = 0; i < GDALGetDriverCount(); ++i) {
        GDALDriverH drv = GDALGetDriver(i);
        char** md = GDALGetMetadata(drv, nullptr);
        if (!CPLFetchBool(md, GDAL_DCAP_VECTOR, false) || !CPLFetchBool(md, GDAL_DCAP_CREATE, false)) continue;
        const char* exts = CSLFetchNameValue(md, GDAL_DMD_EXTENSIONS);
        if (!exts) exts = CSLFetchNameValue(md, GDAL_DMD_EXTENSION);
        if (!exts) continue;
        CPLStringList list(CSLTokenizeString2(exts, " ", 0));
        for (int k = 0; k < list.size(); ++k)
            if (lower(list[k]) == ext) return GDALGetDriverShortName(drv);
    }
    return {};
}

}  // namespace

OutputTarget choose_vector_output(const std::string& output, const std::string& format) {
    OutputTarget t;
    t.to_stdout = output == "-";
    t.path = t.to_stdout ? "/vsistdout/" : output;
    if (!format.empty()) {
        if (!vector_writer_driver(format))
            throw UsageError("-f/--of " + format + ": not a GDAL vector driver that can create files (see ogrinfo --formats)");
        t.driver = GDALGetDriverShortName(GDALGetDriverByName(format.c_str()));
    } else if (t.to_stdout) {
        t.driver = "GeoJSONSeq";
    } else {
        const std::string ext = lower(std::filesystem::path(output).extension().string());
        if (ext.empty()) {
            t.driver = "GPKG";
        } else {
            t.driver = driver_for_extension(ext.substr(1));
            if (t.driver.empty())
                throw UsageError(output + ": cannot tell the format from the extension " + ext + "; use -f/--of");
        }
    }
    // GDAL_SKIP (--config) can take away a default driver
    if (!vector_writer_driver(t.driver))
        throw UsageError(output + ": this GDAL has no " + t.driver + " driver that can create files (GDAL_SKIP?); use -f/--of");
    if (t.to_stdout &&
        std::none_of(std::begin(kStreamable), std::end(kStreamable), [&](const char* d) { return t.driver == d; }))
        throw UsageError("-f/--of " + t.driver + ": cannot write to stdout (-); use GeoJSONSeq, GeoJSON or CSV");
    return t;
}

}  // namespace geoenc::io
