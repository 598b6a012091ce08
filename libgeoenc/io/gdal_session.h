#pragma once
// GDAL set-up shared by every tool: driver registration, and an error handler
// that turns GDAL's CPLError stream into our conventions (warnings to the log,
// failures remembered so they become exceptions and a non-zero exit).
#include <string>

namespace geoenc::io {

class GdalSession {
public:
    GdalSession();
    ~GdalSession();
    GdalSession(const GdalSession&) = delete;
    GdalSession& operator=(const GdalSession&) = delete;
};

// --config KEY VALUE
void set_config(const std::string& key, const std::string& value);

// The last CE_Failure/CE_Fatal message since the previous call, then cleared.
std::string take_last_error();
// A failure GDAL reported that nobody has taken yet. Tools check it before
// exiting so that a GDAL error never ends in exit status 0.
std::string pending_failure();
// Throws DataError("<context>: <GDAL's message>").
[[noreturn]] void throw_last_error(const std::string& context);

std::string gdal_version();
std::string proj_version();
std::string geos_version();

}  // namespace geoenc::io
