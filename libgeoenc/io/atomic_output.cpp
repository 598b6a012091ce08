#include "io/atomic_output.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <utility>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#include "core/errors.h"

namespace fs = std::filesystem;

namespace geoenc::io {

namespace {

// Files a driver may write beside the main one, registered for the signal
// handler (which cannot list a folder); after an exception or at commit the
// folder is scanned for every file of the temporary stem instead.
const char* const kShapefileSidecars[] = {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};
const char* const kOtherSidecars[] = {".hdr", ".dat", ".map", ".id", ".xsd", ".csvt"};  // ENVI, MapInfo, GML, CSV
// SQLite's transient files: never part of a committed dataset.
const char* const kTransient[] = {"-journal", "-wal", "-shm"};

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

// Live outputs' temporary stems and their final ones, for with_final_names.
std::mutex g_names_mu;
std::vector<std::pair<std::string, std::string>> g_names;

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

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Files named stem + '.' or '-' + anything beside `stem` (a path without the
// extension): a dataset's sidecars by name.
std::vector<fs::path> files_of_stem(const fs::path& stem_path) {
    const fs::path dir = stem_path.parent_path().empty() ? fs::path(".") : stem_path.parent_path();
    const std::string stem = stem_path.filename().string();
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() > stem.size() && starts_with(name, stem) && (name[stem.size()] == '.' || name[stem.size()] == '-'))
            out.push_back(it->path());
    }
    return out;
}

bool is_transient(const std::string& name) {
    for (const char* t : kTransient)
        if (name.size() >= std::strlen(t) && name.compare(name.size() - std::strlen(t), std::string::npos, t) == 0)
            return true;
    return false;
}

// The files of an existing dataset at path that share its stem (GDAL's own
// list: .shx/.dbf of a shapefile, .aux.xml, .ovr), so that an overwrite leaves
// none of them to pair with the new one. Files of other names a dataset
// refers to (a VRT's sources) are not its own and stay.
std::vector<std::string> old_dataset_files(const std::string& path) {
    std::vector<std::string> out;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                                 nullptr);
    CPLPopErrorHandler();
    CPLErrorReset();
    const std::string stem = fs::path(path).stem().string();
    const fs::path dir = fs::absolute(fs::path(path)).parent_path();
    if (ds) {
        char** list = GDALGetFileList(ds);
        for (char** f = list; f && *f; ++f) {
            const fs::path fp = fs::absolute(fs::path(*f));
            const std::string name = fp.filename().string();
            if (fp.parent_path() == dir && starts_with(name, stem) &&
                (name.size() == stem.size() || name[stem.size()] == '.'))
                out.push_back(fp.string());
        }
        CSLDestroy(list);
        GDALClose(ds);
    }
    out.push_back(path + ".aux.xml");  // GDAL's PAM file and overviews, also when the old file no longer opens
    out.push_back(path + ".ovr");
    // A shapefile's sidecars are its own by definition, even when it is too
    // broken to open.
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".shp")
        for (const char* side : kShapefileSidecars) out.push_back(stem_without_ext(path) + side);
    return out;
}

}  // namespace

std::string with_final_names(std::string message) {
    std::lock_guard<std::mutex> lock(g_names_mu);
    for (const auto& [temp, final_name] : g_names)
        for (std::size_t at = message.find(temp); at != std::string::npos; at = message.find(temp, at + final_name.size()))
            message.replace(at, temp.size(), final_name);
    return message;
}

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
    // The stems are kept, not derived again: for a name without an extension,
    // stem() of the temporary name would stop at its first dot (".out").
    temp_stem_ = (dir / ("." + p.stem().string() + ".geoenc-tmp-" + std::to_string(getpid()))).string();
    final_stem_ = (dir / p.stem()).string();
    temp_path_ = temp_stem_ + p.extension().string();
    // Make sure the destination is writable now rather than after hours of work.
    if (access(dir.c_str(), W_OK) != 0)
        throw DataError(final_path_ + ": folder " + dir.string() + " is not writable");
    std::vector<std::string> all = sidecars();
    all.insert(all.begin(), temp_path_);
    register_paths(all);
    std::lock_guard<std::mutex> lock(g_names_mu);
    g_names.emplace_back(fs::path(temp_stem_).filename().string(), p.stem().string());
}

std::vector<std::string> AtomicOutput::sidecars() const {
    std::vector<std::string> out;
    for (const char* ext : kShapefileSidecars) out.push_back(temp_stem_ + ext);
    for (const char* ext : kOtherSidecars) out.push_back(temp_stem_ + ext);
    for (const char* ext : kTransient) out.push_back(temp_path_ + ext);
    out.push_back(temp_path_ + ".aux.xml");
    return out;
}

void AtomicOutput::remove_temporaries() const {
    std::error_code ec;
    fs::remove(temp_path_, ec);
    for (const auto& f : files_of_stem(temp_stem_)) fs::remove(f, ec);
}

void AtomicOutput::commit() {
    std::error_code ec;
    if (!fs::exists(temp_path_, ec))
        throw DataError(final_path_ + ": the driver wrote no file at the temporary name " + temp_path_);
    if (overwrite_)
        // the old dataset's sidecars must not pair with the new one (also
        // those left by a main file deleted by hand)
        for (const auto& f : old_dataset_files(final_path_))
            if (f != fs::absolute(final_path_).string()) fs::remove(f, ec);
    // Every file the driver wrote under the temporary stem (.shx, .hdr,
    // .aux.xml, ...) takes the final stem; the main file goes last, so that it
    // never appears without its sidecars.
    const std::string temp_stem = fs::path(temp_stem_).filename().string();
    const fs::path final_stem(final_stem_);
    for (const auto& f : files_of_stem(temp_stem_)) {
        const std::string name = f.filename().string();
        if (f == fs::path(temp_path_)) continue;
        if (is_transient(name)) {
            fs::remove(f, ec);
            continue;
        }
        const std::string to = final_stem.string() + name.substr(temp_stem.size());
        fs::rename(f, to, ec);
        if (ec) throw DataError(final_path_ + ": cannot rename " + f.string() + ": " + ec.message());
    }
    fs::rename(temp_path_, final_path_, ec);
    if (ec) throw DataError(final_path_ + ": cannot rename " + temp_path_ + ": " + ec.message());
    committed_ = true;
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) remove_temporaries();
    {
        std::lock_guard<std::mutex> lock(g_names_mu);
        const std::string temp = fs::path(temp_stem_).filename().string();
        g_names.erase(std::remove_if(g_names.begin(), g_names.end(), [&](const auto& e) { return e.first == temp; }),
                      g_names.end());
    }
    std::vector<std::string> all = sidecars();
    all.push_back(temp_path_);
    unregister_paths(all);
}

}  // namespace geoenc::io
