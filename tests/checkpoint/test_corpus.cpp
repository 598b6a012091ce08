// Replays the fuzzing regression corpus (tests/data/unpickler_corpus): each
// input must unpickle or be a DataError, the same contract the fuzzer checks.
// LibTorch's glog defines CHECK (a failure aborts instead of being reported):
// include it first, then undo that, as tests/unit does.
#include <ATen/ATen.h>
#undef CHECK
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../unit/fixtures.h"
#include "core/checkpoint/unpickler.h"
#include "core/errors.h"
#include "pickle_bytes.h"

TEST_CASE("the unpickler corpus replays without crashing") {
    namespace fs = std::filesystem;
    const fs::path dir = geoenc::test::data_path("unpickler_corpus");
    REQUIRE(fs::is_directory(dir));
    int files = 0, loaded = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        ++files;
        try {
            geoenc::checkpoint::unpickle(s.str(), geoenc::test::pk::counting_loader(), entry.path().filename().string());
            ++loaded;
        } catch (const geoenc::DataError&) {
        }
    }
    CHECK(files >= 10);
    MESSAGE(files << " corpus files, " << loaded << " loaded, the rest DataError");
}
