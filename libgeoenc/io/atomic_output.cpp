#include "io/atomic_output.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/errors.h"

namespace fs = std::filesystem;

namespace geoenc::io {

namespace {

// Sidecar extensions of multi-file formats, and SQLite's transient files.
const char* const kSidecars[] = {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx",
                                 "-journal", "-wal", "-shm"};

// Paths a signal handler may unlink. Fixed-size, preformatted C strings: the
// handler may call nothing but async-signal-safe functions such as unlink().
constexpr int kMaxPaths = 64;
constexpr int kPathLen = 4096;
char g_paths[kMaxPaths][kPathLen];
volatile sig_atomic_t g_used[kMaxPaths];

extern "C" void on_fatal_signal(int sig) {
    for (int i = 0; i < kMaxPaths; ++i)
        if (g_used[i]) unlink(g_paths[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void install_handlers_once() {
    static bool installed = false;
    if (installed) return;
    installed = true;
    struct sigaction sa {};
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaction(sig, &sa, nullptr);
}

void register_paths(const std::vector<std::string>& paths) {
    install_handlers_once();
    for (const auto& p : paths) {
        for (int i = 0; i < kMaxPaths; ++i) {
            if (g_used[i] || p.size() >= kPathLen) continue;
            std::memcpy(g_paths[i], p.c_str(), p.size() + 1);
            g_used[i] = 1;
            break;
        }
    }
}

void unregister_paths(const std::vector<std::string>& paths) {
    for (int i = 0; i < kMaxPaths; ++i)
        for (const auto& p : paths)
            if (g_used[i] && p == g_paths[i]) g_used[i] = 0;
}

std::string stem_without_ext(const std::string& path) {
    const fs::path p(path);
    return (p.parent_path() / p.stem()).string();
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path, bool overwrite)
    : final_path_(std::move(final_path)), overwrite_(overwrite) {
    std::error_code ec;
    if (fs::exists(final_path_, ec) && !overwrite_)
        throw DataError(final_path_ + ": output exists (use --overwrite to replace it)");
    if (fs::is_directory(final_path_, ec))
        throw DataError(final_path_ + ": output is a directory; name a file");
    const fs::path p(final_path_);
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    if (!fs::is_directory(dir, ec))
        throw DataError(final_path_ + ": folder " + dir.string() + " does not exist");
    temp_path_ = (dir / ("." + p.stem().string() + ".geoenc-tmp-" + std::to_string(getpid()) +
                         p.extension().string()))
                     .string();
    // Make sure the destination is writable now rather than after hours of work.
    if (access(dir.c_str(), W_OK) != 0)
        throw DataError(final_path_ + ": folder " + dir.string() + " is not writable");
    std::vector<std::string> all = sidecars_of(temp_path_);
    all.insert(all.begin(), temp_path_);
    register_paths(all);
}

std::vector<std::string> AtomicOutput::sidecars_of(const std::string& path) const {
    std::vector<std::string> out;
    const std::string stem = stem_without_ext(path);
    for (const char* ext : kSidecars)
        out.push_back(ext[0] == '-' ? path + ext : stem + ext);
    return out;
}

void AtomicOutput::remove_temporaries() const {
    std::error_code ec;
    fs::remove(temp_path_, ec);
    for (const auto& s : sidecars_of(temp_path_)) fs::remove(s, ec);
}

void AtomicOutput::commit() {
    std::error_code ec;
    if (!fs::exists(temp_path_, ec))
        throw DataError(final_path_ + ": the driver wrote no file at the temporary name " + temp_path_);
    const std::string temp_stem = stem_without_ext(temp_path_);
    const std::string final_stem = stem_without_ext(final_path_);
    if (overwrite_)  // stale sidecars of the old output must not pair with the new one
        for (const auto& s : sidecars_of(final_path_)) fs::remove(s, ec);
    for (const char* ext : kSidecars) {
        if (ext[0] == '-') continue;
        const std::string from = temp_stem + ext;
        if (fs::exists(from, ec)) {
            fs::rename(from, final_stem + ext, ec);
            if (ec) throw DataError(final_path_ + ": cannot rename " + from + ": " + ec.message());
        }
    }
    fs::rename(temp_path_, final_path_, ec);
    if (ec) throw DataError(final_path_ + ": cannot rename " + temp_path_ + ": " + ec.message());
    committed_ = true;
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) remove_temporaries();
    std::vector<std::string> all = sidecars_of(temp_path_);
    all.push_back(temp_path_);
    unregister_paths(all);
}

}  // namespace geoenc::io
