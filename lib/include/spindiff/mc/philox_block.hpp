#pragma once
// Philox4x32-10 in blocks, written so the compiler vectorises it across counters (structure of arrays).
// The key comes from two draws of a named spindiff::Stream, so the numbers still depend only on the
// stream's name. fill() returns, for counters c, c+1, ..., the four outputs of each Philox block in
// lane-major order: out[lane * W + j] is word `lane` of block c + j within each chunk of W blocks.
// Bit-identical to r123::Philox4x32 block by block (checked in tests/spins).
#include <array>
#include <cstdint>
#include <span>

#include "spindiff/core/rng.hpp"

namespace spindiff::mc {

class PhiloxBlocks {
 public:
  static constexpr std::size_t chunk_blocks = 16;               // W
  static constexpr std::size_t chunk_words = 4 * chunk_blocks;  // numbers per chunk

  explicit PhiloxBlocks(Stream& source) {
    key_[0] = source();
    key_[1] = source();
    tag_ = source();
  }
  PhiloxBlocks(std::uint32_t k0, std::uint32_t k1, std::uint32_t tag) : key_{k0, k1}, tag_(tag) {}

  // Fills out (size must be a multiple of chunk_words) and advances the counter.
  void fill(std::span<std::uint32_t> out) {
    for (std::size_t base = 0; base + chunk_words <= out.size(); base += chunk_words) {
      chunk(out.data() + base);
      counter_ += chunk_blocks;
    }
  }
  // The counter words of block c: (c low, c high, tag, 0).
  std::array<std::uint32_t, 4> counter_words(std::uint64_t c) const {
    return {static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(c >> 32), tag_, 0u};
  }
  std::array<std::uint32_t, 2> key() const { return key_; }
  std::uint64_t counter() const { return counter_; }

 private:
  void chunk(std::uint32_t* out) const {
    constexpr std::uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    constexpr std::size_t W = chunk_blocks;
    std::uint32_t c0[W], c1[W], c2[W], c3[W];
    for (std::size_t j = 0; j < W; ++j) {
      const std::uint64_t c = counter_ + j;
      c0[j] = static_cast<std::uint32_t>(c);
      c1[j] = static_cast<std::uint32_t>(c >> 32);
      c2[j] = tag_;
      c3[j] = 0;
    }
    std::uint32_t k0 = key_[0], k1 = key_[1];
    for (int round = 0; round < 10; ++round) {
      for (std::size_t j = 0; j < W; ++j) {
        const std::uint64_t p0 = static_cast<std::uint64_t>(M0) * c0[j];
        const std::uint64_t p1 = static_cast<std::uint64_t>(M1) * c2[j];
        const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[j] ^ k0;
        const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[j] ^ k1;
        c1[j] = static_cast<std::uint32_t>(p1);
        c3[j] = static_cast<std::uint32_t>(p0);
        c0[j] = n0;
        c2[j] = n2;
      }
      k0 += W0;
      k1 += W1;
    }
    for (std::size_t j = 0; j < W; ++j) {
      out[j] = c0[j];
      out[W + j] = c1[j];
      out[2 * W + j] = c2[j];
      out[3 * W + j] = c3[j];
    }
  }

  std::array<std::uint32_t, 2> key_{};
  std::uint32_t tag_ = 0;
  std::uint64_t counter_ = 0;
};

}  // namespace spindiff::mc
