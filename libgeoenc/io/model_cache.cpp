#include "io/model_cache.h"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <cpl_vsi_error.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "core/checkpoint/sha256.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/model_spec.h"
#include "io/atomic_output.h"
#include "io/gdal_session.h"

namespace fs = std::filesystem;

namespace geoenc::io {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// What GDAL said about the last failure (its VSI error and its CPLError), taken
// so that the failure does not also surface later as a pending GDAL error.
std::string gdal_reason() {
    std::string vsi = VSIGetLastErrorNo() != VSIE_None ? one_line(VSIGetLastErrorMsg()) : "";
    VSIErrorReset();
    std::string cpl = one_line(take_last_error());
    if (vsi.empty()) return cpl;
    if (cpl.empty() || cpl == vsi) return vsi;
    return vsi + "; " + cpl;
}

// GDAL configuration for the download, on this thread only, put back afterwards.
class ThreadConfig {
public:
    void set(const char* key, const char* value, bool unless_set = false) {
        if (unless_set && CPLGetConfigOption(key, nullptr)) return;
        const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
        saved_.push_back({key, old ? old : "", old != nullptr});
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ThreadConfig() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it)
            CPLSetThreadLocalConfigOption(it->key.c_str(), it->had ? it->value.c_str() : nullptr);
    }

private:
    struct Saved {
        std::string key, value;
        bool had;
    };
    std::vector<Saved> saved_;
};

struct VsiCloser {
    void operator()(VSILFILE* f) const { VSIFCloseL(f); }
};
struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

bool looks_like_model_name(const std::string& s) {
    return s.rfind("satclip-", 0) == 0 && s.find_first_of("/.\\") == std::string::npos;
}

}  // namespace

std::string model_cache_dir() {
    if (const std::string d = env("GEOENC_CACHE"); !d.empty()) return d;
    if (const std::string x = env("XDG_CACHE_HOME"); !x.empty() && x[0] == '/') return (fs::path(x) / "geoenc").string();
    if (const std::string h = env("HOME"); !h.empty()) return (fs::path(h) / ".cache" / "geoenc").string();
    throw DataError("cannot locate the model cache: HOME is not set (set GEOENC_CACHE)");
}

std::string cached_model_path(const RegisteredModel& model) {
    return (fs::path(model_cache_dir()) / "models" / model.file).string();
}

std::string fetch_model(const RegisteredModel& model, const DownloadProgress& progress) {
    const std::string path = cached_model_path(model);
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        const auto have = fs::file_size(path, ec);
        if (!ec && model.size > 0 && std::int64_t(have) != model.size)
            throw DataError(path + ": " + std::to_string(have) + " bytes, but " + model.name + " has " +
                            std::to_string(model.size) + "; delete it to download it again");
        return path;
    }

    const std::string url = model_url(model);
    auto failure = [&](const std::string& why) {
        return DataError(model.name + ": cannot download " + url + (why.empty() ? "" : " (" + why + ")") +
                         "; fetch it by other means and place it at " + path);
    };

    ThreadConfig config;
    config.set("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");  // no directory listing of .../resolve/main/
    config.set("GDAL_HTTP_CONNECTTIMEOUT", "30", true);
    config.set("GDAL_HTTP_LOW_SPEED_TIME", "60", true);  // a stalled transfer ends instead of hanging
    config.set("GDAL_HTTP_LOW_SPEED_LIMIT", "1", true);

    const std::string vsi_name = "/vsicurl/" + url;
    VSIErrorReset();
    std::unique_ptr<VSILFILE, VsiCloser> in(VSIFOpenExL(vsi_name.c_str(), "rb", TRUE));
    if (!in) {
        const std::string why = gdal_reason();
        throw failure(why.empty() ? "not found, or no answer" : why);
    }
    std::int64_t total = -1;
    if (VSIFSeekL(in.get(), 0, SEEK_END) == 0) total = std::int64_t(VSIFTellL(in.get()));
    VSIFSeekL(in.get(), 0, SEEK_SET);
    if (model.size > 0 && total >= 0 && total != model.size)
        throw failure("the server offers " + std::to_string(total) + " bytes, expected " + std::to_string(model.size));

    const fs::path folder = fs::path(path).parent_path();
    fs::create_directories(folder, ec);
    if (ec) throw failure("cannot create " + folder.string() + ": " + ec.message());
    std::unique_ptr<AtomicOutput> out;
    try {
        out = std::make_unique<AtomicOutput>(path, true);
    } catch (const DataError& e) {
        throw failure(e.what());
    }
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(out->temp_path().c_str(), "wb"));
    if (!file) throw failure("cannot write " + out->temp_path());

    checkpoint::Sha256 sha;
    std::vector<char> buf(std::size_t(1) << 20);
    std::int64_t done = 0;
    for (;;) {
        const std::size_t n = VSIFReadL(buf.data(), 1, buf.size(), in.get());
        if (n > 0) {
            if (std::fwrite(buf.data(), 1, n, file.get()) != n) throw failure("cannot write " + out->temp_path());
            sha.update(buf.data(), n);
            done += std::int64_t(n);
            if (progress) progress(done, total);
        }
        if (n < buf.size()) break;
    }
    in.reset();
    VSICurlPartialClearCache(vsi_name.c_str());  // the blocks GDAL kept in memory
    if (std::fclose(file.release()) != 0) throw failure("cannot write " + out->temp_path());
    if (total >= 0 && done != total) {
        const std::string why = gdal_reason();
        throw failure("the transfer stopped after " + std::to_string(done) + " of " + std::to_string(total) +
                      " bytes" + (why.empty() ? "" : ": " + why));
    }
    if (done == 0) throw failure("empty answer");
    if (model.size > 0 && done != model.size)
        throw failure("received " + std::to_string(done) + " bytes, expected " + std::to_string(model.size));
    const std::string hex = sha.hex_digest();
    if (!model.sha256.empty() && hex != model.sha256)
        throw failure("SHA-256 " + hex + ", expected " + model.sha256);
    take_last_error();  // transient failures GDAL retried past are not ours to report

    // The digest beside the file; both appear only once the whole file is in.
    const std::string sidecar_path = path + ".sha256";
    try {
        AtomicOutput sidecar(sidecar_path, true);
        {
            std::unique_ptr<std::FILE, FileCloser> s(std::fopen(sidecar.temp_path().c_str(), "wb"));
            const std::string line = hex + "  " + model.file + "\n";
            if (!s || std::fwrite(line.data(), 1, line.size(), s.get()) != line.size() || std::fclose(s.release()) != 0)
                throw DataError("cannot write " + sidecar.temp_path());
        }
        sidecar.commit();
        try {
            out->commit();
        } catch (...) {
            fs::remove(sidecar_path, ec);
            throw;
        }
    } catch (const DataError& e) {
        throw failure(e.what());
    }
    log::info(model.name + ": downloaded " + url + " to " + path + " (" + std::to_string(done) + " bytes, sha256 " +
              hex + ")");
    return path;
}

std::string resolve_model(const std::string& model_arg, const DownloadProgress& progress,
                          const std::vector<RegisteredModel>& registry) {
    const ModelSpec spec = parse_model_spec(model_arg);  // malformed analytic specs are usage errors here too
    if (spec.kind != model_arg || !spec.params.empty()) return model_arg;  // KIND:KEY=VALUE,...
    std::error_code ec;
    if (fs::exists(model_arg, ec)) return model_arg;
    if (const RegisteredModel* m = find_registered_model(model_arg, registry)) return fetch_model(*m, progress);
    if (looks_like_model_name(model_arg))
        throw UsageError("--model " + model_arg + ": unknown named model (" + registered_model_names(registry) + ")");
    return model_arg;
}

}  // namespace geoenc::io
