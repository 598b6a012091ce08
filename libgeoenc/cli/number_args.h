#pragma once
// Numeric option values, checked against a range, with a usage error that
// names the option and repeats what was given.
#include <string>

#include "cli/arg_spec.h"

namespace geoenc::cli {

// A decimal number in [min, max] (UsageError otherwise).
double number_arg(const ParsedArgs& a, const std::string& option, double min, double max);

// A whole number in [min, max] (UsageError otherwise).
long long whole_arg(const ParsedArgs& a, const std::string& option, long long min, long long max);

}  // namespace geoenc::cli
