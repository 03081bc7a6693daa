#pragma once
// SHA-256 (FIPS 180-4): digests of input files for provenance, and of a task's canonical parameter
// text for its random-stream key.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace spindiff::io {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::array<std::uint8_t, 32> digest();  // finishes; the object is spent afterwards

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes
};

std::array<std::uint8_t, 32> sha256(std::string_view bytes);
std::string to_hex(const std::array<std::uint8_t, 32>& digest);
// Lower-case hex digest of a file's bytes; throws std::runtime_error naming the path if unreadable.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace spindiff::io
