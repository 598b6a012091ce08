#pragma once
// SHA-256 (FIPS 180-4), so a checkpoint's identity can be recorded in outputs
// without another dependency.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace geoenc::checkpoint {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t n);
    std::array<std::uint8_t, 32> digest();  // finishes; the object is then spent
    std::string hex_digest();               // lowercase hex of digest()

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;  // bytes seen
};

std::string sha256_hex(std::string_view data);
// Streams the file. Throws DataError when it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace geoenc::checkpoint
