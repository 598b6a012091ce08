#pragma once
// Which OGR driver writes an output, following ogr2ogr's habits: -f wins;
// otherwise the file extension; "-" (stdout) defaults to GeoJSONSeq.
#include <string>

namespace geoenc::io {

struct OutputTarget {
    std::string driver;     // OGR driver short name
    std::string path;       // what to hand the driver ("/vsistdout/" for "-")
    bool to_stdout = false;
};

// Throws UsageError naming -f/--of or the output for unknown formats or
// formats that cannot stream to stdout.
OutputTarget choose_vector_output(const std::string& output, const std::string& format);

}  // namespace geoenc::io
