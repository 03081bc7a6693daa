#pragma once
// The exact byte-first Metropolis decision shared by the checkerboard kernels (CheckerboardIsing2D's fast path
// and CheckerboardIsing2DReplicas): Ising, J > 0, h = 0, where only ss = s * (neighbour sum) = 2 (dE = 4J) and
// 4 (dE = 8J) are uphill. A move with probability p is accepted iff U < P = p 2^64 for a 64-bit uniform U: its top
// byte u decides (u < P >> 56 accepts, u > P >> 56 rejects) and a tie is settled later with 56 fresh bits.
#include <cmath>
#include <cstdint>

#include "spindiff/core/rng.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace spindiff::mc::detail {

inline constexpr std::uint64_t kLow56 = (std::uint64_t{1} << 56) - 1;

// P = p 2^64 for 0 <= p < 1: exact for p >= 2^-11, rounded at 2^-64 below.
inline std::uint64_t acceptance_bits(double p) {
  const double scaled = std::ldexp(p, 64);
  return scaled >= 0x1.0p64 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(scaled);
}

// One site: accept unless uphill with u >= threshold byte; `tie` when u equals it.
inline bool accept_byte(int ss, std::uint8_t u, std::uint8_t t2, std::uint8_t t4, bool& tie) {
  const std::uint8_t t = ss == 2 ? t2 : t4;
  const bool uphill = ss > 0;
  tie = uphill && u == t;
  return !uphill || u < t;
}

// A tied site: accept with the low 56 bits of P, so that P(accept) = P / 2^64 exactly.
inline bool settle_tie(Stream& rng, int ss, std::uint64_t p2, std::uint64_t p4) {
  return (rng.next_u64() >> 8) < ((ss == 2 ? p2 : p4) & kLow56);
}

#if defined(__AVX2__)
// accept_byte on 32 byte lanes; lanes outside `in_row` neither flip nor tie.
class ByteMetropolis32 {
 public:
  ByteMetropolis32(std::uint8_t t2, std::uint8_t t4)
      : table_(_mm256_setr_epi8(0, 0, static_cast<char>(t2), 0, static_cast<char>(t4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                0, 0, static_cast<char>(t2), 0, static_cast<char>(t4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                0)) {}

  struct Result {
    __m256i flipped;     // 0xFF in the lanes that flip
    std::uint32_t ties;  // bit r: lane r tied
  };
  // sv: spins, nb: neighbour sums, uv: random bytes.
  Result operator()(__m256i sv, __m256i nb, __m256i uv, __m256i in_row) const {
    const __m256i ss = _mm256_sign_epi8(nb, sv);          // s * (neighbour sum)
    const __m256i thr = _mm256_shuffle_epi8(table_, ss);  // ss < 0 gives 0, unused
    const __m256i uphill = _mm256_and_si256(in_row, _mm256_cmpgt_epi8(ss, _mm256_setzero_si256()));
    const __m256i at_least = _mm256_cmpeq_epi8(_mm256_max_epu8(uv, thr), uv);  // u >= threshold byte
    return {_mm256_andnot_si256(_mm256_and_si256(uphill, at_least), in_row),   // not rejected/tied
            static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_and_si256(uphill, _mm256_cmpeq_epi8(uv, thr))))};
  }

  // sv with the flipped lanes negated (1 <-> -1).
  static __m256i apply(__m256i sv, __m256i flipped) {
    return _mm256_xor_si256(sv, _mm256_and_si256(flipped, _mm256_set1_epi8(static_cast<char>(0xFE))));
  }

 private:
  __m256i table_;  // threshold byte by ss: t2 at 2, t4 at 4 (in both 128-bit halves)
};
#endif

}  // namespace spindiff::mc::detail
