#pragma once
// Philox4x32-10 (Salmon et al. 2011, as in Random123) for many consecutive counters at once, vectorised.
//
// This is the one bulk generator of the project; spindiff::Stream::fill_u32 / fill_u64 use it, so every
// random word still comes from a named Stream. The implementation is chosen once at run time (AVX-512 when
// the CPU has it, else AVX2, else scalar); all of them give the words of r123::Philox4x32 bit for bit.
#include <array>
#include <cstddef>
#include <cstdint>

namespace spindiff {

// Philox4x32-10 under `key` of the counters (c lo, c hi, word2, word3) for c = counter, counter + 1, ...,
// counter + blocks - 1 (c is 64-bit, so the low word carries into the high one). Writes 4 * blocks words,
// block after block, each in r123 order: exactly what r123::Philox4x32 returns block by block.
void philox4x32_bulk(std::array<std::uint32_t, 2> key, std::uint64_t counter, std::uint32_t word2, std::uint32_t word3,
                     std::size_t blocks, std::uint32_t* out);

// The implementation philox4x32_bulk uses on this CPU: "avx512", "avx2" or "scalar".
const char* philox4x32_bulk_implementation();

// The same with a named implementation; false (nothing written) if this CPU lacks it. For tests and benchmarks.
bool philox4x32_bulk_with(const char* implementation, std::array<std::uint32_t, 2> key, std::uint64_t counter,
                          std::uint32_t word2, std::uint32_t word3, std::size_t blocks, std::uint32_t* out);

}  // namespace spindiff
