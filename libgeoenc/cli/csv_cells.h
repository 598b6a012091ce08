#pragma once
// Cells of the CSV results the tools print on stdout (-f CSV).
#include <string>

namespace geoenc::cli {

// Shortest text (15 to 17 significant digits) that reads back as the same
// double, as JSON writes it; NaN: an empty cell.
std::string csv_number(double v);

// RFC 4180 quoting when the text holds a comma, a quote or a newline.
std::string csv_text(const std::string& s);

}  // namespace geoenc::cli
