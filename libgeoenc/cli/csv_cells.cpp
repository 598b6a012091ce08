#include "cli/csv_cells.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace geoenc::cli {

std::string csv_number(double v) {
    if (std::isnan(v)) return "";
    char buf[32];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

std::string csv_text(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;  // RFC 4180
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + '"';
}

}  // namespace geoenc::cli
