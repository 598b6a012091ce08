#include "io/gdal_session.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <proj.h>

#include <mutex>

#include "core/errors.h"
#include "core/log.h"
#include "io/atomic_output.h"

namespace geoenc::io {

namespace {
std::mutex g_mu;
std::string g_last_error;

// GDAL sometimes quotes whole SQL statements (thousands of column names) in its
// messages; an error line must stay readable.
std::string shortened(const char* msg) {
    constexpr std::size_t kMax = 300;
    std::string s = with_final_names(msg ? msg : "unknown GDAL error");
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    if (s.size() > kMax) s = s.substr(0, kMax - 40) + " ... " + s.substr(s.size() - 35);
    return s;
}

void CPL_STDCALL error_handler(CPLErr level, CPLErrorNum, const char* msg) {
    if (level == CE_Failure || level == CE_Fatal) {
        std::lock_guard<std::mutex> lock(g_mu);
        g_last_error = shortened(msg);
    } else if (level == CE_Warning) {
        log::warn("GDAL: " + shortened(msg));
    }
    // CE_Debug goes nowhere unless CPL_DEBUG is on, which GDAL checks before calling us.
}
}  // namespace

GdalSession::GdalSession() {
    GDALAllRegister();
    CPLSetErrorHandler(error_handler);
}

GdalSession::~GdalSession() { CPLSetErrorHandler(nullptr); }

void set_config(const std::string& key, const std::string& value) {
    if (key.empty()) throw UsageError("--config: empty KEY");
    CPLSetConfigOption(key.c_str(), value.c_str());
}

std::string take_last_error() {
    std::lock_guard<std::mutex> lock(g_mu);
    std::string msg;
    msg.swap(g_last_error);
    return msg;
}

std::string pending_failure() {
    std::lock_guard<std::mutex> lock(g_mu);
    return g_last_error;
}

void throw_last_error(const std::string& context) {
    const std::string msg = take_last_error();
    throw DataError(msg.empty() ? context : context + ": " + msg);
}

std::string gdal_version() { return GDALVersionInfo("RELEASE_NAME"); }
std::string proj_version() { return proj_info().version; }
std::string geos_version() { return GEOSversion(); }

}  // namespace geoenc::io
