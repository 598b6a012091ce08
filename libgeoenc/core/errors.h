#pragma once
// Exception types that map to the exit codes every tool shares:
// UsageError -> 2, anything else derived from std::exception -> 1.
#include <stdexcept>
#include <string>

namespace geoenc {

// The command line asked for something impossible (bad option value, two stdin inputs, ...).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The data or the environment made the work fail (bad geometry, unreadable file, ...).
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace geoenc
