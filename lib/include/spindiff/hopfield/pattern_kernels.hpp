#pragma once
// Inner loops of the pattern form: the field dot product Σ_μ ξ_i^μ M_μ over one contiguous row of
// int8 patterns, and the overlap update M += d · ξ_i. AVX2 when compiled for it, scalar otherwise.
#include <cstddef>
#include <cstdint>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace spindiff::hopfield::kernels {

#if defined(__AVX2__)
inline std::int32_t hsum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}
#endif

// Σ_k x[k] m[k], int16 overlaps (|M| ≤ N < 32768): pairs multiply-add straight into int32 lanes.
inline std::int32_t dot(const std::int8_t* x, const std::int16_t* m, std::size_t n) {
  std::size_t k = 0;
  std::int32_t sum = 0;
#if defined(__AVX2__)
  __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
  for (; k + 32 <= n; k += 32) {
    const __m256i x8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + k));
    const __m256i lo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(x8));
    const __m256i hi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(x8, 1));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(lo, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k))));
    acc1 =
        _mm256_add_epi32(acc1, _mm256_madd_epi16(hi, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k + 16))));
  }
  for (; k + 16 <= n; k += 16) {
    const __m256i lo = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + k)));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(lo, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k))));
  }
  sum = hsum(_mm256_add_epi32(acc0, acc1));
#endif
  for (; k < n; ++k) sum += static_cast<std::int32_t>(x[k]) * m[k];
  return sum;
}

// Σ_k x[k] m[k], int32 overlaps: ξ = ±1, so x·m is a sign flip of m.
inline std::int32_t dot(const std::int8_t* x, const std::int32_t* m, std::size_t n) {
  std::size_t k = 0;
  std::int32_t sum = 0;
#if defined(__AVX2__)
  __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
  for (; k + 16 <= n; k += 16) {
    const __m256i x0 = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(x + k)));
    const __m256i x1 = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(x + k + 8)));
    acc0 = _mm256_add_epi32(acc0, _mm256_sign_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k)), x0));
    acc1 =
        _mm256_add_epi32(acc1, _mm256_sign_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k + 8)), x1));
  }
  sum = hsum(_mm256_add_epi32(acc0, acc1));
#endif
  for (; k < n; ++k) sum += static_cast<std::int32_t>(x[k]) * m[k];
  return sum;
}

// m[k] += d · x[k]
inline void axpy(std::int16_t* m, const std::int8_t* x, std::int16_t d, std::size_t n) {
  std::size_t k = 0;
#if defined(__AVX2__)
  const __m256i dv = _mm256_set1_epi16(d);
  for (; k + 16 <= n; k += 16) {
    const __m256i xv = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + k)));
    __m256i* p = reinterpret_cast<__m256i*>(m + k);
    _mm256_storeu_si256(p, _mm256_add_epi16(_mm256_loadu_si256(p), _mm256_mullo_epi16(xv, dv)));
  }
#endif
  for (; k < n; ++k) m[k] = static_cast<std::int16_t>(m[k] + d * x[k]);
}

inline void axpy(std::int32_t* m, const std::int8_t* x, std::int32_t d, std::size_t n) {
  std::size_t k = 0;
#if defined(__AVX2__)
  const __m256i dv = _mm256_set1_epi32(d);
  for (; k + 8 <= n; k += 8) {
    const __m256i xv = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(x + k)));
    __m256i* p = reinterpret_cast<__m256i*>(m + k);
    _mm256_storeu_si256(p, _mm256_add_epi32(_mm256_loadu_si256(p), _mm256_mullo_epi32(xv, dv)));
  }
#endif
  for (; k < n; ++k) m[k] += d * x[k];
}

// Split int16 overlaps: M = 256 (hi − 128) + lo with lo, hi unsigned bytes. Then
// Σ x M = 256 Σ x·hi + Σ x·lo − 32768 Σ x, and each byte product runs through vpmaddubsw (32 products
// per instruction, no widening of x). xsum = Σ_k x[k] over the whole row; m is the int16 form for tails.
inline std::int32_t dot_split(const std::int8_t* x, const std::uint8_t* lo, const std::uint8_t* hi, std::size_t n,
                              std::int32_t xsum) {
  std::size_t k = 0;
  std::int32_t sum = 0;
#if defined(__AVX2__)
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i lo32 = _mm256_setzero_si256(), hi32 = _mm256_setzero_si256();
  while (k + 32 <= n) {
    // int16 partial sums grow by at most 2·255 per step: flush to int32 every 64 steps.
    __m256i lo16 = _mm256_setzero_si256(), hi16 = _mm256_setzero_si256();
    for (int step = 0; step < 64 && k + 32 <= n; ++step, k += 32) {
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + k));
      lo16 = _mm256_add_epi16(lo16,
                              _mm256_maddubs_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(lo + k)), xv));
      hi16 = _mm256_add_epi16(hi16,
                              _mm256_maddubs_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(hi + k)), xv));
    }
    lo32 = _mm256_add_epi32(lo32, _mm256_madd_epi16(lo16, ones));
    hi32 = _mm256_add_epi32(hi32, _mm256_madd_epi16(hi16, ones));
  }
  std::int32_t xhead = 0;  // Σ x over the vector part, to remove the bias
  for (std::size_t j = k; j < n; ++j) xhead += x[j];
  xhead = xsum - xhead;
  // In 64 bits: the biased parts may exceed int32 even when the result does not.
  sum = static_cast<std::int32_t>(256 * static_cast<std::int64_t>(hsum(hi32)) + hsum(lo32) -
                                  32768 * static_cast<std::int64_t>(xhead));
#else
  (void)lo;
  (void)hi;
  (void)xsum;
#endif
  for (; k < n; ++k) sum += static_cast<std::int32_t>(x[k]) * (256 * (hi[k] - 128) + lo[k]);
  return sum;
}

// M += d·x in the split form, d = ±2 (a flip): add d·x to lo, carry into or borrow from hi.
inline void add_split(std::uint8_t* lo, std::uint8_t* hi, const std::int8_t* x, std::int8_t d, std::size_t n) {
  std::size_t k = 0;
#if defined(__AVX2__)
  const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi8(1),
                top = _mm256_set1_epi8(static_cast<char>(254));
  const __m256i dv = _mm256_set1_epi8(d);
  for (; k + 32 <= n; k += 32) {
    const __m256i delta = _mm256_sign_epi8(dv, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + k)));
    __m256i* lp = reinterpret_cast<__m256i*>(lo + k);
    __m256i* hp = reinterpret_cast<__m256i*>(hi + k);
    const __m256i l = _mm256_add_epi8(_mm256_loadu_si256(lp), delta);
    const __m256i up_step = _mm256_cmpgt_epi8(delta, zero);
    // +2 wrapped iff the new low byte is 0 or 1; −2 wrapped iff it is 254 or 255.
    const __m256i carry = _mm256_and_si256(up_step, _mm256_cmpeq_epi8(_mm256_min_epu8(l, one), l));
    const __m256i borrow = _mm256_andnot_si256(up_step, _mm256_cmpeq_epi8(_mm256_max_epu8(l, top), l));
    _mm256_storeu_si256(lp, l);
    _mm256_storeu_si256(hp, _mm256_add_epi8(_mm256_sub_epi8(_mm256_loadu_si256(hp), carry), borrow));
  }
#endif
  for (; k < n; ++k) {
    const int m = 256 * (hi[k] - 128) + lo[k] + d * x[k];
    const auto u = static_cast<std::uint16_t>(m);
    lo[k] = static_cast<std::uint8_t>(u & 0xFF);
    hi[k] = static_cast<std::uint8_t>((u >> 8) ^ 0x80);
  }
}

// Recomputes the split bytes of m[0, n).
inline void split(const std::int16_t* m, std::uint8_t* lo, std::uint8_t* hi, std::size_t n) {
  std::size_t k = 0;
#if defined(__AVX2__)
  const __m256i low_byte = _mm256_set1_epi16(0x00FF);
  const __m256i bias = _mm256_set1_epi8(static_cast<char>(0x80));
  for (; k + 32 <= n; k += 32) {
    const __m256i m0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k));
    const __m256i m1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k + 16));
    // packus interleaves the 128-bit lanes; permute restores the order.
    const __m256i l = _mm256_permute4x64_epi64(
        _mm256_packus_epi16(_mm256_and_si256(m0, low_byte), _mm256_and_si256(m1, low_byte)), 0xD8);
    const __m256i h =
        _mm256_permute4x64_epi64(_mm256_packus_epi16(_mm256_srli_epi16(m0, 8), _mm256_srli_epi16(m1, 8)), 0xD8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(lo + k), l);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(hi + k), _mm256_xor_si256(h, bias));
  }
#endif
  for (; k < n; ++k) {
    const auto u = static_cast<std::uint16_t>(m[k]);
    lo[k] = static_cast<std::uint8_t>(u & 0xFF);
    hi[k] = static_cast<std::uint8_t>((u >> 8) ^ 0x80);
  }
}

}  // namespace spindiff::hopfield::kernels
