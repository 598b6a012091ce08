// Named models and the download cache (io/model_cache.h), against a tiny HTTP/1.1
// server on 127.0.0.1 that serves one fixture checkpoint. No other address is used.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpl_vsi.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "core/checkpoint/sha256.h"
#include "core/errors.h"
#include "io/gdal_session.h"
#include "io/model_cache.h"
#include "io/model_registry.h"
#include "temp_dir.h"

using namespace geoenc;
namespace fs = std::filesystem;

namespace {

const std::string kFixture = std::string(GEOENC_TEST_DATA) + "/satclip_lightning_L10_cap256_seed1.ckpt";
const std::string kFixtureSha = "c43b6597583beb7ee3a65e0747ae269af7ca8c37d6c3f9c8eabc0286dc766cd9";  // lightning_meta.json

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Sets environment variables for one test case and puts the old values back.
class EnvScope {
public:
    void set(const std::string& key, const std::optional<std::string>& value) {
        const char* old = std::getenv(key.c_str());
        saved_.push_back({key, old ? std::optional<std::string>(old) : std::nullopt});
        if (value) setenv(key.c_str(), value->c_str(), 1);
        else unsetenv(key.c_str());
    }
    ~EnvScope() {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second) setenv(it->first.c_str(), it->second->c_str(), 1);
            else unsetenv(it->first.c_str());
        }
    }

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// Single-threaded HTTP/1.1 server on 127.0.0.1, a random free port. Serves `body`
// at `path` (HEAD, GET, GET with one "Range: bytes=A-B" or "bytes=A-"), 404
// elsewhere; one request per connection. Counts and records request lines.
class LocalHttpServer {
public:
    LocalHttpServer(std::string path, std::string body) : path_(std::move(path)), body_(std::move(body)) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        int one = 1;
        setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(listen(fd_, 16) == 0);
        socklen_t len = sizeof addr;
        REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { loop(); });
    }
    ~LocalHttpServer() {
        stop_ = true;
        thread_.join();
        close(fd_);
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int requests() const { return requests_; }
    std::vector<std::string> request_lines() const {
        std::lock_guard<std::mutex> lock(mu_);
        return lines_;
    }

private:
    void loop() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            const int c = accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            serve(c);
            close(c);
        }
    }

    static void send_all(int c, const std::string& data) {
        std::size_t off = 0;
        while (off < data.size()) {
            const ssize_t n = send(c, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return;
            off += std::size_t(n);
        }
    }

    void serve(int c) {
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
            pollfd p{c, POLLIN, 0};
            if (poll(&p, 1, 2000) <= 0) return;
            const ssize_t n = recv(c, buf, sizeof buf, 0);
            if (n <= 0) return;
            req.append(buf, std::size_t(n));
        }
        ++requests_;
        std::istringstream head(req);
        std::string method, target, line;
        head >> method >> target;
        std::optional<std::pair<std::size_t, std::size_t>> range;
        std::string range_text;
        while (std::getline(head, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const std::string key = "range: bytes=";
            std::string lower = line;
            for (char& ch : lower) ch = char(std::tolower(static_cast<unsigned char>(ch)));
            if (lower.rfind(key, 0) == 0) range_text = line.substr(key.size());
        }
        {
            std::lock_guard<std::mutex> lock(mu_);
            lines_.push_back(method + " " + target + (range_text.empty() ? "" : " bytes=" + range_text));
        }
        if (target != path_ || (method != "GET" && method != "HEAD")) {
            send_all(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        const std::size_t size = body_.size();
        std::size_t first = 0, last = size - 1;
        bool partial = false;
        if (!range_text.empty()) {
            const auto dash = range_text.find('-');
            first = std::stoull(range_text.substr(0, dash));
            const std::string b = range_text.substr(dash + 1);
            last = b.empty() ? size - 1 : std::min<std::size_t>(std::stoull(b), size - 1);
            if (first >= size) {
                send_all(c, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" + std::to_string(size) +
                                "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            partial = true;
        }
        std::string h = partial ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n";
        h += "Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\n";
        if (partial)
            h += "Content-Range: bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                 std::to_string(size) + "\r\n";
        h += "Content-Length: " + std::to_string(last - first + 1) + "\r\nConnection: close\r\n\r\n";
        send_all(c, h);
        if (method == "GET") send_all(c, body_.substr(first, last - first + 1));
    }

    std::string path_, body_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
    std::thread thread_;
};

// A port on 127.0.0.1 with nobody listening: bound once, then released.
int closed_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

io::RegisteredModel test_model(std::int64_t size = 0, std::string sha = "") {
    return {"test-satclip", "tests/Fixture-L10", "satclip_lightning_L10_cap256_seed1.ckpt", size, std::move(sha)};
}

const std::string kServedPath = "/mirror/tests/Fixture-L10/resolve/main/satclip_lightning_L10_cap256_seed1.ckpt";

// Cache in a scratch folder, downloads from `base`, no proxy for 127.0.0.1, and
// nothing remembered by GDAL's /vsicurl/ from earlier cases.
struct Fixture {
    test::TempDir dir;
    EnvScope env;
    io::GdalSession gdal;
    explicit Fixture(const std::string& base) {
        env.set("GEOENC_CACHE", dir.file("cache"));
        env.set("GEOENC_MODEL_BASE_URL", base);
        env.set("no_proxy", std::string("127.0.0.1"));
        env.set("NO_PROXY", std::string("127.0.0.1"));
        VSICurlClearCache();
    }
    ~Fixture() { VSICurlClearCache(); }
    fs::path models() const { return dir.path / "cache" / "models"; }
    std::size_t cached_entries() const {
        std::error_code ec;
        std::size_t n = 0;
        for (fs::directory_iterator it(models(), ec), end; !ec && it != end; it.increment(ec)) ++n;
        return n;
    }
};

}  // namespace

TEST_CASE("the registry: six SatCLIP models, Hugging Face URLs, digests where known") {
    EnvScope env;
    env.set("GEOENC_MODEL_BASE_URL", std::nullopt);
    const auto& reg = io::model_registry();
    CHECK(reg.size() == 6);
    for (const char* name : {"satclip-resnet18-l10", "satclip-resnet18-l40", "satclip-resnet50-l10",
                             "satclip-resnet50-l40", "satclip-vit16-l10", "satclip-vit16-l40"}) {
        const io::RegisteredModel* m = io::find_registered_model(name);
        REQUIRE(m != nullptr);
        CHECK(m->file == std::string(name) + ".ckpt");
        CHECK((m->sha256.empty() || m->sha256.size() == 64));
        CHECK(m->sha256.find_first_not_of("0123456789abcdef") == std::string::npos);
    }
    CHECK(io::model_url(*io::find_registered_model("satclip-resnet50-l40")) ==
          "https://huggingface.co/microsoft/SatCLIP-ResNet50-L40/resolve/main/satclip-resnet50-l40.ckpt");
    env.set("GEOENC_MODEL_BASE_URL", std::string("http://127.0.0.1:9/m/"));
    CHECK(io::model_url(*io::find_registered_model("satclip-vit16-l10")) ==
          "http://127.0.0.1:9/m/microsoft/SatCLIP-ViT16-L10/resolve/main/satclip-vit16-l10.ckpt");
    CHECK(io::find_registered_model("satclip-resnet50") == nullptr);
}

TEST_CASE("cache folder: GEOENC_CACHE, else XDG_CACHE_HOME/geoenc, else ~/.cache/geoenc") {
    EnvScope env;
    env.set("GEOENC_CACHE", std::string("/tmp/a"));
    env.set("XDG_CACHE_HOME", std::string("/tmp/b"));
    env.set("HOME", std::string("/tmp/c"));
    CHECK(io::model_cache_dir() == "/tmp/a");
    CHECK(io::cached_model_path(test_model()) == "/tmp/a/models/satclip_lightning_L10_cap256_seed1.ckpt");
    env.set("GEOENC_CACHE", std::nullopt);
    CHECK(io::model_cache_dir() == "/tmp/b/geoenc");
    env.set("XDG_CACHE_HOME", std::nullopt);
    CHECK(io::model_cache_dir() == "/tmp/c/.cache/geoenc");
    env.set("HOME", std::nullopt);
    CHECK_THROWS_AS(io::model_cache_dir(), DataError);
}

TEST_CASE("analytic specs, plain paths and unknown words pass through unchanged") {
    Fixture f("http://127.0.0.1:" + std::to_string(closed_port()));
    for (const std::string& m : std::vector<std::string>{"sh:L=10", "sh", "sh:L=40,convention=orthonormal", "direct",
                                                         kFixture, "nosuch.ckpt", "whatever"})
        CHECK(io::resolve_model(m) == m);
    CHECK_THROWS_AS(io::resolve_model("sh:L"), UsageError);
    CHECK_THROWS_WITH_AS(io::resolve_model("satclip-resnet99-l10"),
                         doctest::Contains("satclip-resnet50-l40"), UsageError);
    CHECK_FALSE(fs::exists(f.dir.path / "cache"));
}

TEST_CASE("first use downloads into the cache with its SHA-256; the second use stays offline") {
    LocalHttpServer server(kServedPath, slurp(kFixture));
    Fixture f(server.base_url() + "/mirror");
    const std::vector<io::RegisteredModel> reg = {test_model(3361643, kFixtureSha)};
    std::int64_t last_done = -1, last_total = -2;
    int calls = 0;
    const std::string path = io::resolve_model(
        "test-satclip",
        [&](std::int64_t done, std::int64_t total) {
            CHECK(done > last_done);
            last_done = done;
            last_total = total;
            ++calls;
        },
        reg);
    CHECK(path == (f.models() / "satclip_lightning_L10_cap256_seed1.ckpt").string());
    CHECK(fs::file_size(path) == 3361643);
    CHECK(checkpoint::sha256_file_hex(path) == kFixtureSha);
    CHECK(slurp(path + ".sha256") == kFixtureSha + "  satclip_lightning_L10_cap256_seed1.ckpt\n");
    CHECK(f.cached_entries() == 2);  // the file and its digest, no temporaries
    CHECK(calls > 0);
    CHECK(last_done == 3361643);
    CHECK(last_total == 3361643);
    CHECK(server.requests() > 0);
    for (const auto& line : server.request_lines()) {
        INFO(line);
        CHECK(line.find(kServedPath) != std::string::npos);
    }
    CHECK(io::pending_failure().empty());

    const int before = server.requests();
    VSICurlClearCache();
    CHECK(io::resolve_model("test-satclip", {}, reg) == path);
    CHECK(server.requests() == before);
}

TEST_CASE("a download of unknown size and digest is kept and its digest recorded") {
    LocalHttpServer server(kServedPath, slurp(kFixture));
    Fixture f(server.base_url() + "/mirror/");  // a trailing slash is fine
    const std::string path = io::fetch_model(test_model());
    CHECK(checkpoint::sha256_file_hex(path) == kFixtureSha);
    CHECK(slurp(path + ".sha256").rfind(kFixtureSha, 0) == 0);
}

TEST_CASE("a size other than the registry's is an error that leaves nothing in the cache") {
    LocalHttpServer server(kServedPath, slurp(kFixture));
    Fixture f(server.base_url() + "/mirror");
    const io::RegisteredModel m = test_model(3361644, kFixtureSha);
    CHECK_THROWS_WITH_AS(io::fetch_model(m), doctest::Contains("3361643 bytes, expected 3361644"), DataError);
    CHECK(f.cached_entries() == 0);
    CHECK(io::pending_failure().empty());
}

TEST_CASE("a digest other than the registry's is an error that leaves nothing in the cache") {
    LocalHttpServer server(kServedPath, slurp(kFixture));
    Fixture f(server.base_url() + "/mirror");
    const io::RegisteredModel m = test_model(3361643, std::string(64, '0'));
    CHECK_THROWS_WITH_AS(io::fetch_model(m), doctest::Contains(("SHA-256 " + kFixtureSha).c_str()), DataError);
    CHECK(server.requests() > 0);
    CHECK(f.cached_entries() == 0);
}

TEST_CASE("server down: one line naming the URL and the cache path") {
    const std::string base = "http://127.0.0.1:" + std::to_string(closed_port()) + "/mirror";
    Fixture f(base);
    const io::RegisteredModel m = test_model(3361643, kFixtureSha);
    const std::string url = base + "/tests/Fixture-L10/resolve/main/satclip_lightning_L10_cap256_seed1.ckpt";
    const std::string cache_path = (f.models() / "satclip_lightning_L10_cap256_seed1.ckpt").string();
    std::string message;
    try {
        io::resolve_model("test-satclip", {}, {m});
    } catch (const DataError& e) {
        message = e.what();
    }
    INFO(message);
    CHECK(message.find("cannot download " + url) != std::string::npos);
    CHECK(message.find("place it at " + cache_path) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(f.cached_entries() == 0);
    CHECK(io::pending_failure().empty());
}

TEST_CASE("a URL the server does not know (404) is an error too") {
    LocalHttpServer server("/elsewhere", slurp(kFixture));
    Fixture f(server.base_url() + "/mirror");
    CHECK_THROWS_WITH_AS(io::fetch_model(test_model()), doctest::Contains("cannot download http://127.0.0.1:"),
                         DataError);
    CHECK(server.requests() > 0);
    CHECK(f.cached_entries() == 0);
}

TEST_CASE("a file placed by hand in the cache is used without network") {
    Fixture f("http://127.0.0.1:" + std::to_string(closed_port()));
    fs::create_directories(f.models());
    const fs::path placed = f.models() / "satclip_lightning_L10_cap256_seed1.ckpt";
    fs::copy_file(kFixture, placed);
    CHECK(io::resolve_model("test-satclip", {}, {test_model(3361643, kFixtureSha)}) == placed.string());
    CHECK(io::resolve_model("test-satclip", {}, {test_model()}) == placed.string());
    // A truncated copy is not silently used.
    CHECK_THROWS_WITH_AS(io::resolve_model("test-satclip", {}, {test_model(3361644)}),
                         doctest::Contains("delete it to download it again"), DataError);
}
