#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "spindiff/hopfield/overlap_stores.hpp"
#include "x86_intrinsics.hpp"

namespace spindiff::hopfield {

namespace {
constexpr std::int32_t kRenormalisedReach = 64;  // |lo| ≤ 64 right after a renormalisation

// lo in [−64, 63] with v = 128 hi + lo.
std::int32_t low_part(std::int32_t v) { return ((v % 128) + 128 + 64) % 128 - 64; }
}  // namespace

PlaneStore::PlaneStore(std::size_t words, std::size_t P) : words_(words), P_(P), bytes_(128 * words, 0) {
  if (words % 4 != 0 || P > 64 * words)
    throw std::invalid_argument("PlaneStore: rows must be whole blocks of 4 words holding the P patterns");
}

void PlaneStore::assign(std::span<const std::int32_t> values) {
  for (std::size_t mu = 0; mu < P_; ++mu) {
    const std::int32_t v = values[mu];
    if (std::abs(v) > kMaxMagnitude) throw std::out_of_range("PlaneStore: overlap outside the byte planes");
    const std::int32_t lo = low_part(v);
    bytes_[position(mu)] = static_cast<std::int8_t>(lo);
    bytes_[position(mu) + 64] = static_cast<std::int8_t>((v - lo) / 128);
  }
  drift_ = 0;
}

void PlaneStore::add_all(std::int32_t c) {
  std::vector<std::int32_t> values(P_);
  for (std::size_t mu = 0; mu < P_; ++mu) values[mu] = value(mu) + c;
  assign(values);
}

void PlaneStore::make_room_for_a_step() {
  if (drift_ + 4 > kRenormalisedReach) renormalise();
  drift_ += 4;
}

#if defined(__x86_64__)

#define SPINDIFF_GFNI __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vnni,avx512vpopcntdq,gfni")))

namespace {

// vgf2p8affineqb matrices: in qword q, output bit `out` of every byte = bit q of that input byte. (Row i of
// a matrix, the output bit i, is byte 7 − i of the qword.)
struct Matrices {
  alignas(64) std::uint64_t select[8];
  constexpr explicit Matrices(int out) : select{} {
    for (int q = 0; q < 8; ++q) select[q] = (std::uint64_t{1} << q) << (8 * (7 - out));
  }
};
constexpr Matrices kToOne(0);   // bytes 0 or 1
constexpr Matrices kToFour(2);  // bytes 0 or 4

// 64 bytes, byte 8q + t = bit q of byte t of `word`, scaled by the matrices.
SPINDIFF_GFNI inline __m512i spread(std::uint64_t word, __m512i matrices) {
  return _mm512_gf2p8affine_epi64_epi8(_mm512_set1_epi64(static_cast<long long>(word)), matrices, 0);
}

}  // namespace

bool PlaneStore::available() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return packed::Avx512::available() && __builtin_cpu_supports("gfni") && __builtin_cpu_supports("avx512vpopcntdq");
  }();
  return yes;
}

SPINDIFF_GFNI std::int32_t PlaneStore::sum_set(const std::uint64_t* bits) const {
  // vpdpbusd: 0/1 bytes times the signed plane bytes, four to an int32 lane. Eight accumulators keep the
  // dependency chains short (the next site's flip decision waits for this sum).
  const __m512i ones = _mm512_load_si512(kToOne.select);
  const std::int8_t* p = bytes_.data();
  __m512i lo0 = _mm512_setzero_si512(), lo1 = lo0, lo2 = lo0, lo3 = lo0, hi0 = lo0, hi1 = lo0, hi2 = lo0, hi3 = lo0;
  for (std::size_t w = 0; w < words_; w += 4, p += 512) {
    const __m512i e0 = spread(bits[w], ones), e1 = spread(bits[w + 1], ones);
    const __m512i e2 = spread(bits[w + 2], ones), e3 = spread(bits[w + 3], ones);
    lo0 = _mm512_dpbusd_epi32(lo0, e0, _mm512_load_si512(p));
    hi0 = _mm512_dpbusd_epi32(hi0, e0, _mm512_load_si512(p + 64));
    lo1 = _mm512_dpbusd_epi32(lo1, e1, _mm512_load_si512(p + 128));
    hi1 = _mm512_dpbusd_epi32(hi1, e1, _mm512_load_si512(p + 192));
    lo2 = _mm512_dpbusd_epi32(lo2, e2, _mm512_load_si512(p + 256));
    hi2 = _mm512_dpbusd_epi32(hi2, e2, _mm512_load_si512(p + 320));
    lo3 = _mm512_dpbusd_epi32(lo3, e3, _mm512_load_si512(p + 384));
    hi3 = _mm512_dpbusd_epi32(hi3, e3, _mm512_load_si512(p + 448));
  }
  const __m512i lo = _mm512_add_epi32(_mm512_add_epi32(lo0, lo1), _mm512_add_epi32(lo2, lo3));
  const __m512i hi = _mm512_add_epi32(_mm512_add_epi32(hi0, hi1), _mm512_add_epi32(hi2, hi3));
  return _mm512_reduce_add_epi32(_mm512_add_epi32(lo, _mm512_slli_epi32(hi, 7)));
}

SPINDIFF_GFNI void PlaneStore::add_set(const std::uint64_t* bits, std::int32_t delta) {
  make_room_for_a_step();
  const __m512i fours = _mm512_load_si512(kToFour.select);
  std::int8_t* p = bytes_.data();
  const std::size_t words = words_;  // a local: byte stores may alias the members, which would be reloaded
  for (std::size_t w = 0; w < words; ++w, p += 128) {
    auto* lo = reinterpret_cast<__m512i*>(p);
    const __m512i step = spread(bits[w], fours), l = _mm512_load_si512(lo);
    _mm512_store_si512(lo, delta > 0 ? _mm512_add_epi8(l, step) : _mm512_sub_epi8(l, step));
  }
}

SPINDIFF_GFNI std::int32_t PlaneStore::differing_bits(const std::uint64_t* a, const std::uint64_t* b,
                                                      std::size_t words) {
  __m512i count = _mm512_setzero_si512();
  for (std::size_t w = 0; w < words; w += 8)
    count = _mm512_add_epi64(count,
                             _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_load_si512(a + w), _mm512_load_si512(b + w))));
  return static_cast<std::int32_t>(_mm512_reduce_add_epi64(count));
}

SPINDIFF_GFNI void PlaneStore::renormalise() {
  // lo > 63 gives 128 to hi, lo < −64 takes 128 from it (±128 are the same byte).
  const __m512i top = _mm512_set1_epi8(63), bottom = _mm512_set1_epi8(-64), whole = _mm512_set1_epi8(-128),
                one = _mm512_set1_epi8(1);
  std::int8_t* p = bytes_.data();
  const std::size_t words = words_;
  for (std::size_t w = 0; w < words; ++w, p += 128) {
    auto* lo = reinterpret_cast<__m512i*>(p);
    __m512i l = _mm512_load_si512(lo), h = _mm512_load_si512(lo + 1);
    const __mmask64 up = _mm512_cmpgt_epi8_mask(l, top), down = _mm512_cmplt_epi8_mask(l, bottom);
    l = _mm512_mask_add_epi8(l, up | down, l, whole);
    h = _mm512_mask_sub_epi8(_mm512_mask_add_epi8(h, up, h, one), down, h, one);
    _mm512_store_si512(lo, l);
    _mm512_store_si512(lo + 1, h);
  }
  drift_ = 0;
}

#undef SPINDIFF_GFNI

#else  // not x86-64: never chosen (available() is false); plain loops keep the class complete

bool PlaneStore::available() { return false; }

std::int32_t PlaneStore::sum_set(const std::uint64_t* bits) const {
  std::int32_t s = 0;
  for (std::size_t mu = 0; mu < 64 * words_; ++mu)
    if ((bits[mu / 64] >> (mu % 64)) & 1u) s += value(mu);
  return s;
}

void PlaneStore::add_set(const std::uint64_t* bits, std::int32_t delta) {
  make_room_for_a_step();
  for (std::size_t mu = 0; mu < 64 * words_; ++mu)
    if ((bits[mu / 64] >> (mu % 64)) & 1u)
      bytes_[position(mu)] = static_cast<std::int8_t>(bytes_[position(mu)] + delta);
}

std::int32_t PlaneStore::differing_bits(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  return hopfield::differing_bits(a, b, words);
}

void PlaneStore::renormalise() { add_all(0); }  // assign() puts every lo back into [−64, 63]

#endif

}  // namespace spindiff::hopfield
