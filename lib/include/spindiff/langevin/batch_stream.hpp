#pragma once
// The random sequence of a spindiff::Stream, computed many Philox blocks at a time.
//
// BatchStream(id) yields exactly the words, 64-bit draws and uniforms of a fresh Stream(id) (a test checks
// this), but evaluates Philox4x32-10 for 8 counters side by side in a loop the compiler vectorises, which is
// several times faster than one block at a time. The integrators draw all their noise through it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spindiff/core/rng.hpp"

namespace spindiff::langevin {

class BatchStream {
 public:
  BatchStream() : BatchStream(StreamId{}) {}
  explicit BatchStream(const StreamId& id);
  // Starts at the beginning of the stream named like `s` (not at s's current position).
  explicit BatchStream(const Stream& s) : BatchStream(s.id()) {}

  std::uint32_t operator()() {
    if (pos_ == kWords) refill();
    return words_[pos_++];
  }
  std::uint64_t next_u64() {
    const std::uint64_t hi = (*this)();
    return (hi << 32) | (*this)();
  }
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double uniform_open0() { return (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  // n consecutive next_u64() values.
  void fill_u64(std::uint64_t* out, std::size_t n);

  const StreamId& id() const { return id_; }

 private:
  static constexpr std::size_t kBlocks = 64;  // Philox blocks per refill
  static constexpr std::size_t kWords = 4 * kBlocks;
  void refill();

  StreamId id_;
  std::array<std::uint32_t, 2> key_{};
  std::uint32_t tag_ = 0;
  std::uint64_t counter_ = 0;  // next Philox block
  alignas(64) std::array<std::uint32_t, kWords> words_{};
  std::size_t pos_ = kWords;
};

// Philox4x32-10 of counters {counter0 + i (64-bit, low word first), tag, 0x5D1FF} for i < blocks, written as
// 4 words per block in Stream order.
void philox_blocks(const std::array<std::uint32_t, 2>& key, std::uint32_t tag, std::uint64_t counter0,
                   std::size_t blocks, std::uint32_t* out);

}  // namespace spindiff::langevin
