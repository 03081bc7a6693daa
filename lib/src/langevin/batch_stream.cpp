#include "spindiff/langevin/batch_stream.hpp"

#include <algorithm>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace spindiff::langevin {
namespace {

constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // Philox4x32 multipliers
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // Weyl key increments
constexpr std::uint32_t kStreamWord = 0x5D1FFu;                // Stream's fixed 4th counter word
constexpr std::size_t kLanes = 32;                             // Philox blocks evaluated together

// Ten Philox rounds on kLanes counters at once (structure of arrays: word k of lane l is ck[l]).
#if defined(__AVX2__)
// (hi, lo) 32-bit halves of m * c for the eight 32-bit lanes of c.
inline void mulhilo8(__m256i m, __m256i c, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(c, m);                        // lanes 0, 2, 4, 6
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), m);  // lanes 1, 3, 5, 7
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

void philox_lanes(std::uint32_t k0, std::uint32_t k1, std::uint32_t* c0, std::uint32_t* c1, std::uint32_t* c2,
                  std::uint32_t* c3) {
  // kLanes / 8 independent groups interleaved, so the multiplier latency of one hides behind the others.
  constexpr std::size_t G = kLanes / 8;
  __m256i x0[G], x1[G], x2[G], x3[G];
  for (std::size_t g = 0; g < G; ++g) {
    x0[g] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c0 + 8 * g));
    x1[g] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c1 + 8 * g));
    x2[g] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c2 + 8 * g));
    x3[g] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c3 + 8 * g));
  }
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0)), m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  for (int round = 0; round < 10; ++round) {
    const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0)), key1 = _mm256_set1_epi32(static_cast<int>(k1));
    for (std::size_t g = 0; g < G; ++g) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo8(m0, x0[g], hi0, lo0);
      mulhilo8(m1, x2[g], hi1, lo1);
      x0[g] = _mm256_xor_si256(_mm256_xor_si256(hi1, x1[g]), key0);
      x1[g] = lo1;
      x2[g] = _mm256_xor_si256(_mm256_xor_si256(hi0, x3[g]), key1);
      x3[g] = lo0;
    }
    k0 += kW0;
    k1 += kW1;
  }
  for (std::size_t g = 0; g < G; ++g) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c0 + 8 * g), x0[g]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c1 + 8 * g), x1[g]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c2 + 8 * g), x2[g]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(c3 + 8 * g), x3[g]);
  }
}
#else
void philox_lanes(std::uint32_t k0, std::uint32_t k1, std::uint32_t* c0, std::uint32_t* c1, std::uint32_t* c2,
                  std::uint32_t* c3) {
  for (int round = 0; round < 10; ++round) {
    for (std::size_t l = 0; l < kLanes; ++l) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * c0[l];
      const std::uint64_t p1 = static_cast<std::uint64_t>(kM1) * c2[l];
      c0[l] = static_cast<std::uint32_t>(p1 >> 32) ^ c1[l] ^ k0;
      c1[l] = static_cast<std::uint32_t>(p1);
      c2[l] = static_cast<std::uint32_t>(p0 >> 32) ^ c3[l] ^ k1;
      c3[l] = static_cast<std::uint32_t>(p0);
    }
    k0 += kW0;
    k1 += kW1;
  }
}
#endif

}  // namespace

void philox_blocks(const std::array<std::uint32_t, 2>& key, std::uint32_t tag, std::uint64_t counter0,
                   std::size_t blocks, std::uint32_t* out) {
  alignas(32) std::uint32_t c0[kLanes], c1[kLanes], c2[kLanes], c3[kLanes];
  for (std::size_t first = 0; first < blocks; first += kLanes) {
    for (std::size_t l = 0; l < kLanes; ++l) {
      const std::uint64_t c = counter0 + first + l;
      c0[l] = static_cast<std::uint32_t>(c);
      c1[l] = static_cast<std::uint32_t>(c >> 32);
      c2[l] = tag;
      c3[l] = kStreamWord;
    }
    philox_lanes(key[0], key[1], c0, c1, c2, c3);
    const std::size_t n = std::min(kLanes, blocks - first);
    for (std::size_t l = 0; l < n; ++l) {
      std::uint32_t* o = out + 4 * (first + l);
      o[0] = c0[l];
      o[1] = c1[l];
      o[2] = c2[l];
      o[3] = c3[l];
    }
  }
}

BatchStream::BatchStream(const StreamId& id) : id_(id) {
  // The same key derivation as Stream's constructor: one Philox block of the name under the seed.
  using Philox = r123::Philox4x32;
  Philox::ctr_type name = {{id.task, id.repeat, id.purpose, static_cast<std::uint32_t>(id.substream)}};
  Philox::key_type seed_key = {{static_cast<std::uint32_t>(id.seed), static_cast<std::uint32_t>(id.seed >> 32)}};
  Philox::ctr_type mixed = Philox{}(name, seed_key);
  key_ = {mixed[0] ^ static_cast<std::uint32_t>(id.substream >> 32), mixed[1]};
  tag_ = mixed[2];
}

void BatchStream::refill() {
  philox_blocks(key_, tag_, counter_, kBlocks, words_.data());
  counter_ += kBlocks;
  pos_ = 0;
}

void BatchStream::fill_u64(std::uint64_t* out, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    if (pos_ == kWords) refill();
    if (kWords - pos_ < 2) {  // a pair straddling two buffers
      out[i++] = next_u64();
      continue;
    }
    const std::size_t m = std::min((kWords - pos_) / 2, n - i);
    const std::uint32_t* w = words_.data() + pos_;
    for (std::size_t k = 0; k < m; ++k) out[i + k] = (static_cast<std::uint64_t>(w[2 * k]) << 32) | w[2 * k + 1];
    i += m;
    pos_ += 2 * m;
  }
}

}  // namespace spindiff::langevin
