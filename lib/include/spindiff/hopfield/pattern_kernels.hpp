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
    acc1 = _mm256_add_epi32(acc1,
                            _mm256_madd_epi16(hi, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k + 16))));
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
    acc1 = _mm256_add_epi32(acc1,
                            _mm256_sign_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m + k + 8)), x1));
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

}  // namespace spindiff::hopfield::kernels
