#include "spindiff/mc/multispin_ising2d.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "byte_metropolis.hpp"
#include "multispin_kernel.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace spindiff::mc {
namespace {

using multispin::kGroups;
using multispin::SweepArgs;
using GroupRules = MultiSpinIsing2D::Rules;

// Not inlined into the kernels: the stream's own (bulk, dispatched) fill.
[[gnu::noinline]] void refill_bytes(MultiSpinIsing2D::RandomBytes& rb, Stream& rng, std::uint64_t& drawn) {
  // The few bytes left are dropped: every byte is still used at most once.
  rng.fill_u32(std::span<std::uint32_t>(rb.words.data(), MultiSpinIsing2D::RandomBytes::kBytes / 4));
  rb.pos = 0;
  rb.end = MultiSpinIsing2D::RandomBytes::kBytes;
  drawn += MultiSpinIsing2D::RandomBytes::kBytes;
}

std::uint64_t low_bytes(std::uint64_t byte_bits) {  // 0xFF in byte i where bit i of byte_bits is set
#if defined(__BMI2__)
  return _pdep_u64(byte_bits, 0x0101010101010101ULL) * 0xFF;
#else
  std::uint64_t m = 0;
  for (int i = 0; i < 8; ++i)
    if ((byte_bits >> i) & 1U) m |= std::uint64_t{0xFF} << (8 * i);
  return m;
#endif
}

// The next popcount(mask) bytes of src into the bytes of `mask`, in order (the scalar vpexpandb).
std::uint64_t expand_bytes(std::uint64_t src, std::uint64_t mask) {
#if defined(__BMI2__)
  return _pdep_u64(src, mask);
#else
  std::uint64_t out = 0;
  for (int i = 0, j = 0; i < 8; ++i)
    if ((mask >> (8 * i)) & 0xFF) out |= ((src >> (8 * j++)) & 0xFF) << (8 * i);
  return out;
#endif
}

namespace portable {

// Eight 64-bit words as plain integers.
struct V {
  std::uint64_t w[8];
  static V load(const std::uint64_t* p) {
    V v;
    std::memcpy(v.w, p, sizeof v.w);
    return v;
  }
  void store(std::uint64_t* p) const { std::memcpy(p, w, sizeof w); }
  static V splat(std::uint64_t x) {
    V v;
    for (auto& y : v.w) y = x;
    return v;
  }
  static V zero() { return splat(0); }
  static V first_words(int m) {
    V v;
    for (int i = 0; i < 8; ++i) v.w[i] = i < m ? ~std::uint64_t{0} : 0;
    return v;
  }
  friend V operator&(V a, const V& b) {
    for (int i = 0; i < 8; ++i) a.w[i] &= b.w[i];
    return a;
  }
  friend V operator|(V a, const V& b) {
    for (int i = 0; i < 8; ++i) a.w[i] |= b.w[i];
    return a;
  }
  friend V operator^(V a, const V& b) {
    for (int i = 0; i < 8; ++i) a.w[i] ^= b.w[i];
    return a;
  }
  static V andnot(const V& a, V b) {
    for (int i = 0; i < 8; ++i) b.w[i] &= ~a.w[i];
    return b;
  }
  V rotl1(int B) const {
    const std::uint64_t m = B == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << B) - 1;
    V v;
    for (int i = 0; i < 8; ++i) v.w[i] = ((w[i] << 1) | (w[i] >> (B - 1))) & m;
    return v;
  }
  V rotr1(int B) const {
    const std::uint64_t m = B == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << B) - 1;
    V v;
    for (int i = 0; i < 8; ++i) v.w[i] = ((w[i] >> 1) | (w[i] << (B - 1))) & m;
    return v;
  }
  std::uint64_t byte_mask() const {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      const std::uint64_t x = w[i];
      // High bit of each byte set iff the byte is nonzero.
      const std::uint64_t hi = (((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL) | x) & 0x8080808080808080ULL;
#if defined(__BMI2__)
      bits |= _pext_u64(hi, 0x8080808080808080ULL) << (8 * i);
#else
      for (int j = 0; j < 8; ++j) bits |= ((hi >> (8 * j + 7)) & 1U) << (8 * i + j);
#endif
    }
    return bits;
  }
  static V expand(std::uint64_t bytes, const std::uint8_t* src) {
    V v;
    for (int i = 0; i < 8; ++i) {
      const std::uint64_t b = (bytes >> (8 * i)) & 0xFF;
      std::uint64_t next;
      std::memcpy(&next, src, 8);
      v.w[i] = expand_bytes(next, low_bytes(b));
      src += std::popcount(b);
    }
    return v;
  }
  static V count_into(V acc, const V& x) {
    for (int i = 0; i < 8; ++i) acc.w[i] += static_cast<std::uint64_t>(std::popcount(x.w[i]));
    return acc;
  }
  std::uint64_t total() const {
    std::uint64_t n = 0;
    for (auto c : w) n += c;
    return n;
  }
};

#include "multispin_group.ipp"

}  // namespace portable

#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC push_options
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // the __m512i values never cross into code built without AVX-512
#pragma GCC target("avx512f,avx512bw,avx512vbmi2,avx512vpopcntdq,bmi2,popcnt")
namespace avx512 {

struct V {
  __m512i x;
  static V load(const std::uint64_t* p) { return {_mm512_loadu_si512(p)}; }
  void store(std::uint64_t* p) const { _mm512_storeu_si512(p, x); }
  static V splat(std::uint64_t v) { return {_mm512_set1_epi64(static_cast<long long>(v))}; }
  static V zero() { return {_mm512_setzero_si512()}; }
  static V first_words(int m) {
    return {_mm512_maskz_mov_epi64(static_cast<__mmask8>((1U << m) - 1), _mm512_set1_epi64(-1))};
  }
  // maskz forms: GCC 12 warns (falsely) that the plain forms read an uninitialised value.
  static V andnot(V a, V b) { return {_mm512_maskz_andnot_epi64(0xFF, a.x, b.x)}; }
  V rotl1(int B) const {
    if (B == 64) return {_mm512_maskz_rol_epi64(0xFF, x, 1)};
    const __m512i m = _mm512_set1_epi64(static_cast<long long>((std::uint64_t{1} << B) - 1));
    const __m512i r =
        _mm512_or_si512(_mm512_maskz_slli_epi64(0xFF, x, 1), _mm512_maskz_srl_epi64(0xFF, x, _mm_cvtsi32_si128(B - 1)));
    return {_mm512_and_si512(r, m)};
  }
  V rotr1(int B) const {
    if (B == 64) return {_mm512_maskz_ror_epi64(0xFF, x, 1)};
    const __m512i m = _mm512_set1_epi64(static_cast<long long>((std::uint64_t{1} << B) - 1));
    const __m512i r =
        _mm512_or_si512(_mm512_maskz_srli_epi64(0xFF, x, 1), _mm512_maskz_sll_epi64(0xFF, x, _mm_cvtsi32_si128(B - 1)));
    return {_mm512_and_si512(r, m)};
  }
  std::uint64_t byte_mask() const { return _mm512_test_epi8_mask(x, x); }
  static V expand(std::uint64_t bytes, const std::uint8_t* src) {
    return {_mm512_maskz_expand_epi8(bytes, _mm512_loadu_si512(src))};
  }
  // Adds the set bits of x to the lane counts of acc; total() sums the lanes.
  static V count_into(V acc, V x) { return {_mm512_add_epi64(acc.x, _mm512_popcnt_epi64(x.x))}; }
  std::uint64_t total() const {
    alignas(64) std::uint64_t lanes[8];
    _mm512_store_si512(lanes, x);
    std::uint64_t n = 0;
    for (auto c : lanes) n += c;
    return n;
  }
};

// Free functions: GCC 12 does not give friends defined in the class the region's target options.
inline V operator&(V a, V b) { return {_mm512_and_si512(a.x, b.x)}; }
inline V operator|(V a, V b) { return {_mm512_or_si512(a.x, b.x)}; }
inline V operator^(V a, V b) { return {_mm512_xor_si512(a.x, b.x)}; }

#include "multispin_group.ipp"

}  // namespace avx512
#pragma GCC diagnostic pop
#pragma GCC pop_options
#define SPINDIFF_MULTISPIN_AVX512 1
#endif

using HalfSweepFn = std::uint64_t (*)(const SweepArgs&, const GroupRules&, MultiSpinIsing2D::RandomBytes&, Stream&,
                                      std::uint64_t&);

struct Impl {
  const char* name;
  HalfSweepFn fn;
  bool (*available)();
};

const Impl kImpls[] = {
#if defined(SPINDIFF_MULTISPIN_AVX512)
    {"avx512", avx512::half_sweep,
     [] {
       __builtin_cpu_init();
       return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
              __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("avx512vpopcntdq") &&
              __builtin_cpu_supports("bmi2");
     }},
#endif
    {"portable", portable::half_sweep, [] { return true; }},
};

// The largest B <= 64 dividing n = L/2: strips of L/B rows, an even number.
int lanes_for(int n) {
  for (int B = std::min(n, 64); B > 1; --B)
    if (n % B == 0) return B;
  return 1;
}

}  // namespace

namespace multispin {

int implementation_index(const std::string& name) {
  for (std::size_t i = 0; i < std::size(kImpls); ++i)
    if (name == kImpls[i].name) return static_cast<int>(i);
  return -1;
}

bool implementation_available(int index) {
  return index >= 0 && index < static_cast<int>(std::size(kImpls)) && kImpls[index].available();
}

std::uint64_t half_sweep(int implementation, const SweepArgs& args, const Rules& rules, RandomBytes& bytes, Stream& rng,
                         std::uint64_t& drawn) {
  return kImpls[implementation].fn(args, rules, bytes, rng, drawn);
}

}  // namespace multispin

using multispin::implementation_index;

const std::vector<std::string>& MultiSpinIsing2D::implementations() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Impl& i : kImpls) v.emplace_back(i.name);
    return v;
  }();
  return names;
}

bool MultiSpinIsing2D::supported(const std::string& implementation) {
  return multispin::implementation_available(implementation_index(implementation));
}

std::string MultiSpinIsing2D::best_implementation() {
  for (const Impl& i : kImpls)
    if (i.available()) return i.name;
  return "portable";
}

MultiSpinIsing2D::MultiSpinIsing2D(int L, double J, double T, Rule rule, Stream& rng, const std::string& implementation)
    : L_(L), n_(L / 2), J_(J), rule_(rule), rng_(rng.split()) {
  if (L < 2 || L % 2 != 0) throw std::invalid_argument("MultiSpinIsing2D: L must be even and >= 2");
  B_ = lanes_for(n_);
  Ry_ = L / B_;
  // Room for whole blocks of kGroups groups past the row's end (never active) and the right ghost word.
  S_ = static_cast<std::size_t>(kLead + (n_ + 8 * kGroups - 1) / (8 * kGroups) * (8 * kGroups) + 8);
  for (auto& s : sub_) s.assign(static_cast<std::size_t>(Ry_) * S_, 0);
  impl_name_ = implementation.empty() ? best_implementation() : implementation;
  impl_ = implementation_index(impl_name_);
  if (impl_ < 0 || !kImpls[impl_].available())
    throw std::invalid_argument("MultiSpinIsing2D: implementation '" + impl_name_ + "' is not available here");
  set_temperature(T);
}

void MultiSpinIsing2D::set_temperature(double T) {
  if (!(T > 0)) throw std::invalid_argument("temperature must be positive");
  beta_ = 1.0 / T;
  for (int a = 0; a < 5; ++a) {
    const double dE = 2.0 * J_ * (4.0 - 2.0 * a);
    const double p =
        rule_ == Rule::metropolis ? std::min(1.0, std::exp(-beta_ * dE)) : 1.0 / (1.0 + std::exp(beta_ * dE));
    ClassRule& c = classes_[a];
    c = ClassRule{};
    if (p >= 1.0) {
      c.always = true;
    } else if (p > 0.0) {
      c.P = detail::acceptance_bits(p);
      c.lazy = c.P != 0;
    }
  }
  rules_ = Rules{};
  for (int a = 0; a < 5; ++a) {
    rules_.always[a] = classes_[a].always;
    if (!classes_[a].lazy) continue;
    const int j = rules_.n_lazy++;
    rules_.lazy_class[j] = a;
    rules_.last_level[j] = 63 - std::countr_zero(classes_[a].P);
    rules_.finite = rules_.finite || rules_.last_level[j] < 63;
    for (int level = 0; level < 64; ++level)
      rules_.bit[level][j] = ((classes_[a].P >> (63 - level)) & 1U) ? ~std::uint64_t{0} : 0;
  }
}

void MultiSpinIsing2D::set_spins(std::span<const spins::Spin> natural) {
  if (natural.size() != size()) throw std::invalid_argument("MultiSpinIsing2D::set_spins: wrong size");
  for (auto& s : sub_) std::fill(s.begin(), s.end(), 0);
  for (int y = 0; y < L_; ++y)
    for (int x = 0; x < L_; ++x) {
      if (natural[static_cast<std::size_t>(y) * L_ + x] <= 0) continue;
      const int c = (x + y) & 1;
      sub_[c][word_index(y % Ry_, x / 2)] |= std::uint64_t{1} << (y / Ry_);
    }
  refresh_ghosts(0);
  refresh_ghosts(1);
}

spins::Config MultiSpinIsing2D::spins() const {
  spins::Config s(size());
  for (int y = 0; y < L_; ++y)
    for (int x = 0; x < L_; ++x) {
      const int c = (x + y) & 1;
      const bool up = (sub_[c][word_index(y % Ry_, x / 2)] >> (y / Ry_)) & 1U;
      s[static_cast<std::size_t>(y) * L_ + x] = up ? 1 : -1;
    }
  return s;
}

void MultiSpinIsing2D::refresh_ghosts(int c) {
  for (int r = 0; r < Ry_; ++r) {
    std::uint64_t* row = &sub_[c][word_index(r, 0)];
    row[-1] = row[n_ - 1];
    row[n_] = row[0];
  }
}

std::uint64_t MultiSpinIsing2D::half_sweep(int c) {
  const SweepArgs args{sub_[c].data(), sub_[1 - c].data(), c, n_, B_, Ry_, S_, static_cast<std::size_t>(kLead)};
  const std::uint64_t flips = multispin::half_sweep(impl_, args, rules_, bytes_, rng_, bytes_drawn_);
  refresh_ghosts(c);
  return flips;
}

std::uint64_t MultiSpinIsing2D::sweep() { return half_sweep(0) + half_sweep(1); }

double MultiSpinIsing2D::energy() const {
  // Every bond joins the two sublattices: count the anti-aligned ones around sublattice 0.
  const std::uint64_t lanes = B_ == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << B_) - 1;
  auto rotl = [&](std::uint64_t w) { return ((w << 1) | (w >> (B_ - 1))) & lanes; };
  auto rotr = [&](std::uint64_t w) { return ((w >> 1) | (w << (B_ - 1))) & lanes; };
  std::int64_t anti = 0;
  for (int r = 0; r < Ry_; ++r) {
    const std::uint64_t* s = &sub_[0][word_index(r, 0)];
    const std::uint64_t* mid = &sub_[1][word_index(r, 0)];
    const std::uint64_t* up = &sub_[1][word_index(r == 0 ? Ry_ - 1 : r - 1, 0)];
    const std::uint64_t* dn = &sub_[1][word_index(r == Ry_ - 1 ? 0 : r + 1, 0)];
    const std::uint64_t* side = mid + ((r & 1) ? 1 : -1);
    for (int k = 0; k < n_; ++k) {
      const std::uint64_t u = r == 0 ? rotl(up[k]) : up[k], d = r == Ry_ - 1 ? rotr(dn[k]) : dn[k];
      anti += std::popcount(s[k] ^ u) + std::popcount(s[k] ^ d) + std::popcount(s[k] ^ mid[k]) +
              std::popcount(s[k] ^ side[k]);
    }
  }
  const double bonds = 2.0 * static_cast<double>(size());
  return -J_ * (bonds - 2.0 * static_cast<double>(anti));
}

std::int64_t MultiSpinIsing2D::magnetization() const {
  std::int64_t up = 0;
  for (int c = 0; c < 2; ++c)
    for (int r = 0; r < Ry_; ++r) {
      const std::uint64_t* row = &sub_[c][word_index(r, 0)];
      for (int k = 0; k < n_; ++k) up += std::popcount(row[k]);
    }
  return 2 * up - static_cast<std::int64_t>(size());
}

}  // namespace spindiff::mc
