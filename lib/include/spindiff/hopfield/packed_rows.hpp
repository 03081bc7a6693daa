#pragma once
// The stored patterns packed one bit per entry, site-major: row i holds ξ_i^1 … ξ_i^P (bit set for +1),
// padded with zero bits to a multiple of 512 so that every row starts on a 64-byte line and the SIMD loops
// need no tails. At P = 1000 a row is two cache lines instead of sixteen, so the rows of N = 10⁴ sites
// (1.3 MB) stay in L2 while the field of a random site is evaluated.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "spindiff/core/aligned_allocator.hpp"
#include "spindiff/hopfield/patterns.hpp"

namespace spindiff::hopfield {

// The number of bits in which two rows of `words` 64-bit words differ.
inline std::int32_t differing_bits(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  std::int32_t differ = 0;
  for (std::size_t w = 0; w < words; ++w) differ += std::popcount(a[w] ^ b[w]);
  return differ;
}

struct PackedRows {
  static constexpr std::size_t kRowAlignBits = 512;

  std::size_t N = 0;
  std::size_t P = 0;
  std::size_t words = 0;  // 64-bit words per row, a multiple of 8
  AlignedVector<std::uint64_t> bits;
  std::vector<std::int32_t> row_sum;  // Σ_μ ξ_i^μ

  explicit PackedRows(const Patterns& patterns);

  const std::uint64_t* row(std::size_t i) const { return bits.data() + i * words; }
  // Σ_μ ξ_i^μ ξ_j^μ = P − 2 (number of differing bits); the zero padding agrees.
  std::int32_t agreement(std::size_t i, std::size_t j) const {
    return static_cast<std::int32_t>(P) - 2 * differing_bits(row(i), row(j), words);
  }
  std::size_t padded() const { return 64 * words; }  // entries per row, padding included
};

}  // namespace spindiff::hopfield
