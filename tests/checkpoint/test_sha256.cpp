// LibTorch's glog defines CHECK (a failure aborts instead of being reported):
// include it first, then undo that, as tests/unit does.
#include <ATen/ATen.h>
#undef CHECK
#include <doctest/doctest.h>

#include <string>

#include "core/checkpoint/sha256.h"
#include "core/errors.h"

using geoenc::checkpoint::Sha256;
using geoenc::checkpoint::sha256_hex;

TEST_CASE("sha256 matches the FIPS 180 test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                     "mnopqrstnopqrstu") == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 gives the same digest however the input is split") {
    std::string data;
    for (int i = 0; i < 1000; ++i) data += char(i * 7);
    const std::string whole = sha256_hex(data);
    for (std::size_t step : {1u, 3u, 63u, 64u, 65u, 127u}) {
        Sha256 h;
        for (std::size_t at = 0; at < data.size(); at += step) h.update(data.data() + at, std::min(step, data.size() - at));
        CHECK(h.hex_digest() == whole);
    }
    // Lengths around the padding boundary (55/56/64 bytes) all differ and are stable.
    CHECK(sha256_hex(std::string(55, 'x')) != sha256_hex(std::string(56, 'x')));
}

TEST_CASE("sha256 of a missing file is a DataError") {
    CHECK_THROWS_AS(geoenc::checkpoint::sha256_file_hex("/nonexistent/file.ckpt"), geoenc::DataError);
}
