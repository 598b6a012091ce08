#include "core/log.h"

#include <cstdio>
#include <mutex>

namespace geoenc::log {

namespace {
std::string g_program = "geoenc";
bool g_quiet = false;
std::mutex g_mu;

void emit(const std::string& line) {
    std::lock_guard<std::mutex> lock(g_mu);
    std::fputs(line.c_str(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}
}  // namespace

void set_program(const std::string& name) { g_program = name; }
const std::string& program() { return g_program; }
void set_quiet(bool q) { g_quiet = q; }
bool quiet() { return g_quiet; }

void warn(const std::string& message) {
    if (!g_quiet) emit(g_program + ": warning: " + message);
}
void info(const std::string& message) {
    if (!g_quiet) emit(g_program + ": " + message);
}
void error(const std::string& message) { emit(g_program + ": " + message); }

}  // namespace geoenc::log
