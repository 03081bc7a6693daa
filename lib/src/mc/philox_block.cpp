#include "spindiff/mc/philox_block.hpp"

#include <string_view>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace spindiff::mc {
namespace {

constexpr std::uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
constexpr std::size_t W = PhiloxBlocks::chunk_blocks;

void chunk_scalar(std::uint64_t counter, std::uint32_t key0, std::uint32_t key1, std::uint32_t tag,
                  std::uint32_t* out) {
  for (std::size_t j = 0; j < W; ++j) {
    const std::uint64_t c = counter + j;
    std::uint32_t c0 = static_cast<std::uint32_t>(c), c1 = static_cast<std::uint32_t>(c >> 32), c2 = tag, c3 = 0;
    std::uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(M0) * c0;
      const std::uint64_t p1 = static_cast<std::uint64_t>(M1) * c2;
      c0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ k0;
      c2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ k1;
      c1 = static_cast<std::uint32_t>(p1);
      c3 = static_cast<std::uint32_t>(p0);
      k0 += W0;
      k1 += W1;
    }
    out[j] = c0;
    out[W + j] = c1;
    out[2 * W + j] = c2;
    out[3 * W + j] = c3;
  }
}

#if defined(__x86_64__)
// 16 blocks per register, two registers interleaved for instruction-level parallelism.
__attribute__((target("avx512f"))) inline void mulhilo16(__m512i a, __m512i m, __m512i& lo, __m512i& hi) {
  // The maskz forms (all lanes on) avoid GCC 12's false -Wuninitialized on the plain intrinsics.
  const __m512i even = _mm512_maskz_mul_epu32(0xFF, a, m);
  const __m512i odd = _mm512_maskz_mul_epu32(0xFF, _mm512_maskz_srli_epi64(0xFF, a, 32), m);
  lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_maskz_slli_epi64(0xFF, odd, 32));
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_maskz_srli_epi64(0xFF, even, 32), odd);
}

__attribute__((target("avx512f"))) void chunk_avx512(std::uint64_t counter, std::uint32_t k0, std::uint32_t k1,
                                                     std::uint32_t tag, std::uint32_t* out) {
  __m512i c0[2], c1[2], c2[2], c3[2];
  for (int g = 0; g < 2; ++g) {
    alignas(64) std::uint32_t lo[16], hi[16];
    for (int j = 0; j < 16; ++j) {
      const std::uint64_t c = counter + 16 * static_cast<std::uint64_t>(g) + static_cast<std::uint64_t>(j);
      lo[j] = static_cast<std::uint32_t>(c);
      hi[j] = static_cast<std::uint32_t>(c >> 32);
    }
    c0[g] = _mm512_load_si512(lo);
    c1[g] = _mm512_load_si512(hi);
    c2[g] = _mm512_set1_epi32(static_cast<int>(tag));
    c3[g] = _mm512_setzero_si512();
  }
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(M0)), m1 = _mm512_set1_epi32(static_cast<int>(M1));
  for (int round = 0; round < 10; ++round) {
    const __m512i vk0 = _mm512_set1_epi32(static_cast<int>(k0)), vk1 = _mm512_set1_epi32(static_cast<int>(k1));
    for (int g = 0; g < 2; ++g) {
      __m512i lo0, hi0, lo1, hi1;
      mulhilo16(c0[g], m0, lo0, hi0);
      mulhilo16(c2[g], m1, lo1, hi1);
      c0[g] = _mm512_ternarylogic_epi32(hi1, c1[g], vk0, 0x96);  // three-way xor
      c2[g] = _mm512_ternarylogic_epi32(hi0, c3[g], vk1, 0x96);
      c1[g] = lo1;
      c3[g] = lo0;
    }
    k0 += W0;
    k1 += W1;
  }
  for (int g = 0; g < 2; ++g) {
    _mm512_storeu_si512(out + 16 * g, c0[g]);
    _mm512_storeu_si512(out + W + 16 * g, c1[g]);
    _mm512_storeu_si512(out + 2 * W + 16 * g, c2[g]);
    _mm512_storeu_si512(out + 3 * W + 16 * g, c3[g]);
  }
}

__attribute__((target("avx2"))) inline void mulhilo8(__m256i a, __m256i m, __m256i& lo, __m256i& hi) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

__attribute__((target("avx2"))) void chunk_avx2(std::uint64_t counter, std::uint32_t key0, std::uint32_t key1,
                                                std::uint32_t tag, std::uint32_t* out) {
  for (int half = 0; half < 2; ++half) {
    __m256i c0[2], c1[2], c2[2], c3[2];
    for (int g = 0; g < 2; ++g) {
      alignas(32) std::uint32_t lo[8], hi[8];
      for (int j = 0; j < 8; ++j) {
        const std::uint64_t c = counter + 16 * static_cast<std::uint64_t>(half) + 8 * static_cast<std::uint64_t>(g) +
                                static_cast<std::uint64_t>(j);
        lo[j] = static_cast<std::uint32_t>(c);
        hi[j] = static_cast<std::uint32_t>(c >> 32);
      }
      c0[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(lo));
      c1[g] = _mm256_load_si256(reinterpret_cast<const __m256i*>(hi));
      c2[g] = _mm256_set1_epi32(static_cast<int>(tag));
      c3[g] = _mm256_setzero_si256();
    }
    const __m256i m0 = _mm256_set1_epi32(static_cast<int>(M0)), m1 = _mm256_set1_epi32(static_cast<int>(M1));
    std::uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; ++round) {
      const __m256i vk0 = _mm256_set1_epi32(static_cast<int>(k0)), vk1 = _mm256_set1_epi32(static_cast<int>(k1));
      for (int g = 0; g < 2; ++g) {
        __m256i lo0, hi0, lo1, hi1;
        mulhilo8(c0[g], m0, lo0, hi0);
        mulhilo8(c2[g], m1, lo1, hi1);
        c0[g] = _mm256_xor_si256(_mm256_xor_si256(hi1, c1[g]), vk0);
        c2[g] = _mm256_xor_si256(_mm256_xor_si256(hi0, c3[g]), vk1);
        c1[g] = lo1;
        c3[g] = lo0;
      }
      k0 += W0;
      k1 += W1;
    }
    for (int g = 0; g < 2; ++g) {
      const std::size_t at = 16 * static_cast<std::size_t>(half) + 8 * static_cast<std::size_t>(g);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + at), c0[g]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + W + at), c1[g]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * W + at), c2[g]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 3 * W + at), c3[g]);
    }
  }
}
#endif

using ChunkFn = void (*)(std::uint64_t, std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t*);

struct Choice {
  ChunkFn fn;
  const char* name;
};

Choice choose() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {chunk_avx512, "avx512"};
  if (__builtin_cpu_supports("avx2")) return {chunk_avx2, "avx2"};
#endif
  return {chunk_scalar, "scalar"};
}

const Choice& chosen() {
  static const Choice c = choose();
  return c;
}

}  // namespace

void PhiloxBlocks::fill(std::span<std::uint32_t> out) {
  const ChunkFn fn = chosen().fn;
  for (std::size_t base = 0; base + chunk_words <= out.size(); base += chunk_words) {
    fn(counter_, key_[0], key_[1], tag_, out.data() + base);
    counter_ += chunk_blocks;
  }
}

const char* PhiloxBlocks::implementation() { return chosen().name; }

bool PhiloxBlocks::chunk_with(const char* implementation, std::uint64_t counter, std::uint32_t k0, std::uint32_t k1,
                              std::uint32_t tag, std::uint32_t* out) {
  const std::string_view name(implementation);
  if (name == "scalar") {
    chunk_scalar(counter, k0, k1, tag, out);
    return true;
  }
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (name == "avx512" && __builtin_cpu_supports("avx512f")) {
    chunk_avx512(counter, k0, k1, tag, out);
    return true;
  }
  if (name == "avx2" && __builtin_cpu_supports("avx2")) {
    chunk_avx2(counter, k0, k1, tag, out);
    return true;
  }
#endif
  return false;
}

}  // namespace spindiff::mc
