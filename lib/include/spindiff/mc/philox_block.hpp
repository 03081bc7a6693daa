#pragma once
// Philox4x32-10 in blocks of 32 counters, vectorised (AVX-512 when the CPU has it, else AVX2 when compiled
// for it, else scalar; all three give the same words). The key comes from draws of a named
// spindiff::Stream, so the numbers still depend only on the stream's name.
// Layout: each chunk of W = 32 blocks (128 words) is lane-major, out[lane * W + j] = word `lane` of block
// counter + j. Bit-identical to r123::Philox4x32 block by block (checked in tests/spins).
#include <array>
#include <cstdint>
#include <span>

#include "spindiff/core/rng.hpp"

namespace spindiff::mc {

class PhiloxBlocks {
 public:
  static constexpr std::size_t chunk_blocks = 32;
  static constexpr std::size_t chunk_words = 4 * chunk_blocks;

  explicit PhiloxBlocks(Stream& source) {
    key_[0] = source();
    key_[1] = source();
    tag_ = source();
  }
  PhiloxBlocks(std::uint32_t k0, std::uint32_t k1, std::uint32_t tag) : key_{k0, k1}, tag_(tag) {}

  // Fills out (its size must be a multiple of chunk_words) and advances the counter.
  void fill(std::span<std::uint32_t> out);

  // The counter words of block c: (c low, c high, tag, 0).
  std::array<std::uint32_t, 4> counter_words(std::uint64_t c) const {
    return {static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(c >> 32), tag_, 0u};
  }
  std::array<std::uint32_t, 2> key() const { return key_; }
  std::uint64_t counter() const { return counter_; }

  // Which implementation fill() uses on this CPU: "avx512", "avx2" or "scalar".
  static const char* implementation();
  // One chunk with a named implementation ("avx512", "avx2", "scalar"); false if this CPU lacks it. For tests.
  static bool chunk_with(const char* implementation, std::uint64_t counter, std::uint32_t k0, std::uint32_t k1,
                         std::uint32_t tag, std::uint32_t* out);

 private:
  std::array<std::uint32_t, 2> key_{};
  std::uint32_t tag_ = 0;
  std::uint64_t counter_ = 0;
};

}  // namespace spindiff::mc
