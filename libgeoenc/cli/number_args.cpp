#include "cli/number_args.h"

#include <cerrno>
#include <cstdlib>

#include "core/errors.h"

namespace geoenc::cli {

namespace {
std::string shown(double v) {
    std::string s = std::to_string(v);
    // "0.050000" -> "0.05", "3.000000" -> "3"
    if (s.find('.') != std::string::npos) {
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.') s.pop_back();
    }
    return s;
}
}  // namespace

double number_arg(const ParsedArgs& a, const std::string& option, double min, double max) {
    const std::string text = a.value(option);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end || errno || !(v >= min && v <= max))
        throw UsageError("--" + option + ": expected a number from " + shown(min) + " to " + shown(max) + ", got '" +
                         text + "'");
    return v;
}

long long whole_arg(const ParsedArgs& a, const std::string& option, long long min, long long max) {
    const std::string text = a.value(option);
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno || n < min || n > max)
        throw UsageError("--" + option + ": expected a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + text + "'");
    return n;
}

}  // namespace geoenc::cli
