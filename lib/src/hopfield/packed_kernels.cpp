#include "spindiff/hopfield/packed_kernels.hpp"

#include "x86_intrinsics.hpp"

namespace spindiff::hopfield::packed {

namespace {
std::size_t whole_words(std::size_t n) { return (n + 63) / 64; }

// Branch-free over whole words (the multiply by a 0/1 bit vectorises), as the SIMD kernels.
template <class T>
std::int32_t portable_sum(const std::uint64_t* bits, const T* m, std::size_t n) {
  std::int32_t s = 0;
  for (std::size_t w = 0; w < whole_words(n); ++w)
    for (unsigned j = 0; j < 64; ++j) s += m[64 * w + j] * static_cast<std::int32_t>((bits[w] >> j) & 1u);
  return s;
}
template <class T>
void portable_add(const std::uint64_t* bits, T* m, T d, std::size_t n) {
  for (std::size_t w = 0; w < whole_words(n); ++w)
    for (unsigned j = 0; j < 64; ++j)
      m[64 * w + j] = static_cast<T>(m[64 * w + j] + d * static_cast<T>((bits[w] >> j) & 1u));
}
}  // namespace

std::int32_t Portable::sum_set(const std::uint64_t* bits, const std::int16_t* m, std::size_t n) {
  return portable_sum(bits, m, n);
}
std::int32_t Portable::sum_set(const std::uint64_t* bits, const std::int32_t* m, std::size_t n) {
  return portable_sum(bits, m, n);
}
void Portable::add_set(const std::uint64_t* bits, std::int16_t* m, std::int16_t d, std::size_t n) {
  portable_add(bits, m, d, n);
}
void Portable::add_set(const std::uint64_t* bits, std::int32_t* m, std::int32_t d, std::size_t n) {
  portable_add(bits, m, d, n);
}

#if defined(__x86_64__)

namespace {

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
bool cpu_has_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

// −1/0 lane masks for 16 int16 lanes from bits [16 J, 16 J + 16) of a word broadcast into every 64-bit lane:
// the shuffle puts byte 2J (low 128-bit half) or 2J + 1 (high half) into each lane's low byte.
template <int J>
__attribute__((target("avx2"))) inline __m256i lane_mask16(__m256i word) {
  constexpr char lo = 2 * J, hi = 2 * J + 1, z = static_cast<char>(0x80);
  const __m256i spread = _mm256_setr_epi8(lo, z, lo, z, lo, z, lo, z, lo, z, lo, z, lo, z, lo, z,  //
                                          hi, z, hi, z, hi, z, hi, z, hi, z, hi, z, hi, z, hi, z);
  const __m256i select = _mm256_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
  return _mm256_cmpeq_epi16(_mm256_and_si256(_mm256_shuffle_epi8(word, spread), select), select);
}

// The same for 8 int32 lanes from byte J of the word.
template <int J>
__attribute__((target("avx2"))) inline __m256i lane_mask32(__m256i word) {
  constexpr char b = J, z = static_cast<char>(0x80);
  const __m256i spread = _mm256_setr_epi8(b, z, z, z, b, z, z, z, b, z, z, z, b, z, z, z,  //
                                          b, z, z, z, b, z, z, z, b, z, z, z, b, z, z, z);
  const __m256i select = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_shuffle_epi8(word, spread), select), select);
}

__attribute__((target("avx2"))) inline std::int32_t hsum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

__attribute__((target("avx2"))) inline __m256i broadcast(std::uint64_t word) {
  return _mm256_set1_epi64x(static_cast<long long>(word));
}

// m += d on the set lanes of block J of a word (16 int16 or 8 int32 lanes).
template <int J>
__attribute__((target("avx2"))) inline void add_block16(__m256i word, __m256i d, std::int16_t* m) {
  auto* v = reinterpret_cast<__m256i*>(m + 16 * J);
  _mm256_storeu_si256(v, _mm256_add_epi16(_mm256_loadu_si256(v), _mm256_and_si256(lane_mask16<J>(word), d)));
}
template <int J>
__attribute__((target("avx2"))) inline void add_block32(__m256i word, __m256i d, std::int32_t* m) {
  auto* v = reinterpret_cast<__m256i*>(m + 8 * J);
  _mm256_storeu_si256(v, _mm256_add_epi32(_mm256_loadu_si256(v), _mm256_and_si256(lane_mask32<J>(word), d)));
}

}  // namespace

bool Avx2::available() {
  static const bool yes = cpu_has_avx2();
  return yes;
}

__attribute__((target("avx2"))) std::int32_t Avx2::sum_set(const std::uint64_t* bits, const std::int16_t* m,
                                                           std::size_t n) {
  __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const __m256i word = broadcast(bits[w]);
    const auto* v = reinterpret_cast<const __m256i*>(m + 64 * w);
    // madd of a −1/0 mask with m: minus the pair sums of the set lanes, straight into int32.
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(lane_mask16<0>(word), _mm256_loadu_si256(v)));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(lane_mask16<1>(word), _mm256_loadu_si256(v + 1)));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(lane_mask16<2>(word), _mm256_loadu_si256(v + 2)));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(lane_mask16<3>(word), _mm256_loadu_si256(v + 3)));
  }
  return -hsum(_mm256_add_epi32(acc0, acc1));
}

__attribute__((target("avx2"))) std::int32_t Avx2::sum_set(const std::uint64_t* bits, const std::int32_t* m,
                                                           std::size_t n) {
  __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const __m256i word = broadcast(bits[w]);
    const auto* v = reinterpret_cast<const __m256i*>(m + 64 * w);
    acc0 = _mm256_add_epi32(acc0, _mm256_and_si256(lane_mask32<0>(word), _mm256_loadu_si256(v)));
    acc1 = _mm256_add_epi32(acc1, _mm256_and_si256(lane_mask32<1>(word), _mm256_loadu_si256(v + 1)));
    acc0 = _mm256_add_epi32(acc0, _mm256_and_si256(lane_mask32<2>(word), _mm256_loadu_si256(v + 2)));
    acc1 = _mm256_add_epi32(acc1, _mm256_and_si256(lane_mask32<3>(word), _mm256_loadu_si256(v + 3)));
    acc0 = _mm256_add_epi32(acc0, _mm256_and_si256(lane_mask32<4>(word), _mm256_loadu_si256(v + 4)));
    acc1 = _mm256_add_epi32(acc1, _mm256_and_si256(lane_mask32<5>(word), _mm256_loadu_si256(v + 5)));
    acc0 = _mm256_add_epi32(acc0, _mm256_and_si256(lane_mask32<6>(word), _mm256_loadu_si256(v + 6)));
    acc1 = _mm256_add_epi32(acc1, _mm256_and_si256(lane_mask32<7>(word), _mm256_loadu_si256(v + 7)));
  }
  return hsum(_mm256_add_epi32(acc0, acc1));
}

__attribute__((target("avx2"))) void Avx2::add_set(const std::uint64_t* bits, std::int16_t* m, std::int16_t d,
                                                   std::size_t n) {
  const __m256i dv = _mm256_set1_epi16(d);
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const __m256i word = broadcast(bits[w]);
    add_block16<0>(word, dv, m + 64 * w);
    add_block16<1>(word, dv, m + 64 * w);
    add_block16<2>(word, dv, m + 64 * w);
    add_block16<3>(word, dv, m + 64 * w);
  }
}

__attribute__((target("avx2"))) void Avx2::add_set(const std::uint64_t* bits, std::int32_t* m, std::int32_t d,
                                                   std::size_t n) {
  const __m256i dv = _mm256_set1_epi32(d);
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const __m256i word = broadcast(bits[w]);
    add_block32<0>(word, dv, m + 64 * w);
    add_block32<1>(word, dv, m + 64 * w);
    add_block32<2>(word, dv, m + 64 * w);
    add_block32<3>(word, dv, m + 64 * w);
    add_block32<4>(word, dv, m + 64 * w);
    add_block32<5>(word, dv, m + 64 * w);
    add_block32<6>(word, dv, m + 64 * w);
    add_block32<7>(word, dv, m + 64 * w);
  }
}

bool Avx512::available() {
  static const bool yes = cpu_has_avx512();
  return yes;
}

#define SPINDIFF_AVX512 __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vnni")))

namespace {
SPINDIFF_AVX512 inline std::int32_t hsum512(__m512i v) {
  return hsum(_mm256_add_epi32(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1)));
}
}  // namespace

SPINDIFF_AVX512 std::int32_t Avx512::sum_set(const std::uint64_t* bits, const std::int16_t* m, std::size_t n) {
  const __m512i ones = _mm512_set1_epi16(1);
  __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    // Zero-masked loads keep the set lanes; vpdpwssd adds their pair sums into int32 lanes.
    const std::uint64_t k = bits[w];
    acc0 = _mm512_dpwssd_epi32(acc0, _mm512_maskz_loadu_epi16(static_cast<__mmask32>(k), m + 64 * w), ones);
    acc1 = _mm512_dpwssd_epi32(acc1, _mm512_maskz_loadu_epi16(static_cast<__mmask32>(k >> 32), m + 64 * w + 32), ones);
  }
  return hsum512(_mm512_add_epi32(acc0, acc1));
}

SPINDIFF_AVX512 std::int32_t Avx512::sum_set(const std::uint64_t* bits, const std::int32_t* m, std::size_t n) {
  __m512i acc0 = _mm512_setzero_si512(), acc1 = _mm512_setzero_si512();
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const std::uint64_t k = bits[w];
    const std::int32_t* v = m + 64 * w;
    acc0 = _mm512_add_epi32(acc0, _mm512_maskz_loadu_epi32(static_cast<__mmask16>(k), v));
    acc1 = _mm512_add_epi32(acc1, _mm512_maskz_loadu_epi32(static_cast<__mmask16>(k >> 16), v + 16));
    acc0 = _mm512_add_epi32(acc0, _mm512_maskz_loadu_epi32(static_cast<__mmask16>(k >> 32), v + 32));
    acc1 = _mm512_add_epi32(acc1, _mm512_maskz_loadu_epi32(static_cast<__mmask16>(k >> 48), v + 48));
  }
  return hsum512(_mm512_add_epi32(acc0, acc1));
}

SPINDIFF_AVX512 void Avx512::add_set(const std::uint64_t* bits, std::int16_t* m, std::int16_t d, std::size_t n) {
  const __m512i dv = _mm512_set1_epi16(d);
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const std::uint64_t k = bits[w];
    std::int16_t* v = m + 64 * w;
    const __m512i a = _mm512_loadu_si512(v), b = _mm512_loadu_si512(v + 32);
    _mm512_storeu_si512(v, _mm512_mask_add_epi16(a, static_cast<__mmask32>(k), a, dv));
    _mm512_storeu_si512(v + 32, _mm512_mask_add_epi16(b, static_cast<__mmask32>(k >> 32), b, dv));
  }
}

SPINDIFF_AVX512 void Avx512::add_set(const std::uint64_t* bits, std::int32_t* m, std::int32_t d, std::size_t n) {
  const __m512i dv = _mm512_set1_epi32(d);
  for (std::size_t w = 0; w < whole_words(n); ++w) {
    const std::uint64_t k = bits[w];
    std::int32_t* v = m + 64 * w;
    for (int j = 0; j < 4; ++j) {
      const __m512i a = _mm512_loadu_si512(v + 16 * j);
      _mm512_storeu_si512(v + 16 * j, _mm512_mask_add_epi32(a, static_cast<__mmask16>(k >> (16 * j)), a, dv));
    }
  }
}

#undef SPINDIFF_AVX512

#else  // not x86-64: only the portable loops

bool Avx2::available() { return false; }
bool Avx512::available() { return false; }
// clang-format off
std::int32_t Avx2::sum_set(const std::uint64_t* b, const std::int16_t* m, std::size_t n) { return Portable::sum_set(b, m, n); }
std::int32_t Avx2::sum_set(const std::uint64_t* b, const std::int32_t* m, std::size_t n) { return Portable::sum_set(b, m, n); }
void Avx2::add_set(const std::uint64_t* b, std::int16_t* m, std::int16_t d, std::size_t n) { Portable::add_set(b, m, d, n); }
void Avx2::add_set(const std::uint64_t* b, std::int32_t* m, std::int32_t d, std::size_t n) { Portable::add_set(b, m, d, n); }
std::int32_t Avx512::sum_set(const std::uint64_t* b, const std::int16_t* m, std::size_t n) { return Portable::sum_set(b, m, n); }
std::int32_t Avx512::sum_set(const std::uint64_t* b, const std::int32_t* m, std::size_t n) { return Portable::sum_set(b, m, n); }
void Avx512::add_set(const std::uint64_t* b, std::int16_t* m, std::int16_t d, std::size_t n) { Portable::add_set(b, m, d, n); }
void Avx512::add_set(const std::uint64_t* b, std::int32_t* m, std::int32_t d, std::size_t n) { Portable::add_set(b, m, d, n); }
// clang-format on

#endif

const char* best_isa_name() {
  return with_best_isa([](auto isa) { return decltype(isa)::name; });
}

}  // namespace spindiff::hopfield::packed
