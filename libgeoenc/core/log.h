#pragma once
// Diagnostics for every layer: one line each, on stderr, prefixed with the tool
// name. Data never goes through here.
#include <string>

namespace geoenc::log {

void set_program(const std::string& name);
const std::string& program();
void set_quiet(bool quiet);
bool quiet();

void warn(const std::string& message);  // "tool: warning: message" unless quiet
void info(const std::string& message);  // "tool: message" unless quiet
void error(const std::string& message);  // "tool: message", always

}  // namespace geoenc::log
