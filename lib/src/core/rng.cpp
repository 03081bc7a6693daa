#include "spindiff/core/rng.hpp"

#include <algorithm>

namespace spindiff {

void Stream::fill_u32(std::span<std::uint32_t> out) {
  std::size_t i = 0;
  while (i < out.size() && used_ < 4) out[i++] = buffer_[used_++];  // the rest of the current block
  const std::size_t blocks = (out.size() - i) / 4;
  if (blocks > 0) {
    philox4x32_bulk({key_[0], key_[1]}, counter_, tag_, kWord3, blocks, out.data() + i);
    counter_ += blocks;
    i += 4 * blocks;
  }
  while (i < out.size()) out[i++] = (*this)();  // a partial last block, kept in the buffer
}

void Stream::fill_u64(std::span<std::uint64_t> out) {
  constexpr std::size_t kChunk = 256;
  alignas(64) std::uint32_t words[2 * kChunk];
  for (std::size_t first = 0; first < out.size(); first += kChunk) {
    const std::size_t n = std::min(kChunk, out.size() - first);
    fill_u32(std::span<std::uint32_t>(words, 2 * n));
    std::uint64_t* o = out.data() + first;
    for (std::size_t k = 0; k < n; ++k) o[k] = (static_cast<std::uint64_t>(words[2 * k]) << 32) | words[2 * k + 1];
  }
}

}  // namespace spindiff
