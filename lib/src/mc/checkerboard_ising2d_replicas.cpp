#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"

#include <bit>
#include <cmath>
#include <stdexcept>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace spindiff::mc {

namespace {

constexpr std::size_t kR = CheckerboardIsing2DReplicas::kReplicas;
constexpr std::uint64_t kLow56 = (std::uint64_t{1} << 56) - 1;

// p 2^64, exact for p >= 2^-11 and rounded at 2^-64 below (p < 1 here: uphill moves with J > 0, T > 0).
std::uint64_t threshold(double p) {
  const double scaled = std::ldexp(p, 64);
  return scaled >= 0x1.0p64 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(scaled);
}

}  // namespace

CheckerboardIsing2DReplicas::CheckerboardIsing2DReplicas(int L, double J, double T, Stream& rng)
    : L_(L), J_(J), rng_(rng.split()) {
  if (L < 2 || L % 2 != 0) throw std::invalid_argument("CheckerboardIsing2DReplicas: L must be even and >= 2");
  if (!(J > 0)) throw std::invalid_argument("CheckerboardIsing2DReplicas: J must be positive");
  s_.assign(size() * kR, 1);
  words_.resize(static_cast<std::size_t>(L / 2) * kR / 4);
  ties_.resize(static_cast<std::size_t>(L / 2) * kR);
  set_temperature(T);
}

void CheckerboardIsing2DReplicas::set_temperature(double T) {
  if (!(T > 0)) throw std::invalid_argument("temperature must be positive");
  p2_ = threshold(std::exp(-4.0 * J_ / T));
  p4_ = threshold(std::exp(-8.0 * J_ / T));
}

void CheckerboardIsing2DReplicas::check_replica(int r) const {
  if (r < 0 || r >= kReplicas) throw std::out_of_range("CheckerboardIsing2DReplicas: replica index");
}

void CheckerboardIsing2DReplicas::set_spins(int r, std::span<const spins::Spin> natural) {
  check_replica(r);
  if (natural.size() != size()) throw std::invalid_argument("CheckerboardIsing2DReplicas::set_spins: wrong size");
  for (std::size_t i = 0; i < size(); ++i) s_[i * kR + static_cast<std::size_t>(r)] = natural[i];
}

spins::Config CheckerboardIsing2DReplicas::spins(int r) const {
  check_replica(r);
  spins::Config out(size());
  for (std::size_t i = 0; i < size(); ++i) out[i] = s_[i * kR + static_cast<std::size_t>(r)];
  return out;
}

std::uint64_t CheckerboardIsing2DReplicas::sweep() {
  std::uint64_t flips = 0;
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < L_; ++y) flips += update_row(c, y);
  return flips;
}

// Sites x = x0, x0 + 2, ... of row y, x0 = (y + c) & 1; site j of the row reads the random bytes 32 j .. 32 j + 31,
// byte r for replica r. Ties with the threshold byte are settled after the row, in order, with 56 fresh bits.
std::uint64_t CheckerboardIsing2DReplicas::update_row(int c, int y) {
  const std::size_t L = static_cast<std::size_t>(L_), half = L / 2;
  rng_.fill_u32(words_);
  const auto* u = reinterpret_cast<const std::uint8_t*>(words_.data());
  const std::size_t x0 = static_cast<std::size_t>((y + c) & 1);
  spins::Spin* row = s_.data() + static_cast<std::size_t>(y) * L * kR;
  const spins::Spin* up = s_.data() + static_cast<std::size_t>((y + L_ - 1) % L_) * L * kR;
  const spins::Spin* dn = s_.data() + static_cast<std::size_t>((y + 1) % L_) * L * kR;
  const auto t2 = static_cast<std::uint8_t>(p2_ >> 56), t4 = static_cast<std::uint8_t>(p4_ >> 56);
  std::uint64_t flips = 0;
  std::size_t n_ties = 0;
#if defined(__AVX2__)
  const __m256i table =
      _mm256_setr_epi8(0, 0, static_cast<char>(t2), 0, static_cast<char>(t4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                       static_cast<char>(t2), 0, static_cast<char>(t4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i zero = _mm256_setzero_si256(), flip = _mm256_set1_epi8(static_cast<char>(0xFE));  // 1 <-> -1
  auto load = [](const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); };
#endif
  for (std::size_t j = 0; j < half; ++j) {
    const std::size_t x = x0 + 2 * j, xl = x == 0 ? L - 1 : x - 1, xr = x + 1 == L ? 0 : x + 1;
    spins::Spin* s = row + x * kR;
    const spins::Spin *left = row + xl * kR, *right = row + xr * kR, *a = up + x * kR, *b = dn + x * kR;
    const std::uint8_t* uj = u + j * kR;
#if defined(__AVX2__)
    const __m256i sv = load(s), uv = load(uj);
    const __m256i nb = _mm256_add_epi8(_mm256_add_epi8(load(left), load(right)), _mm256_add_epi8(load(a), load(b)));
    const __m256i ss = _mm256_sign_epi8(nb, sv);         // s * (neighbour sum)
    const __m256i thr = _mm256_shuffle_epi8(table, ss);  // ss < 0 gives 0, unused
    const __m256i uphill = _mm256_cmpgt_epi8(ss, zero);
    const __m256i at_least = _mm256_cmpeq_epi8(_mm256_max_epu8(uv, thr), uv);  // u >= threshold byte
    const __m256i keep = _mm256_and_si256(uphill, at_least);                   // rejected or tied
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(s), _mm256_xor_si256(sv, _mm256_andnot_si256(keep, flip)));
    flips += static_cast<std::uint64_t>(std::popcount(~static_cast<std::uint32_t>(_mm256_movemask_epi8(keep))));
    for (auto tie =
             static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_and_si256(uphill, _mm256_cmpeq_epi8(uv, thr))));
         tie != 0; tie &= tie - 1)
      ties_[n_ties++] = static_cast<std::uint32_t>(j * kR + static_cast<std::size_t>(std::countr_zero(tie)));
#else
    for (std::size_t r = 0; r < kR; ++r) {
      const int ss = s[r] * (left[r] + right[r] + a[r] + b[r]);
      const std::uint8_t t = ss == 2 ? t2 : t4;
      const bool uphill = ss > 0;
      if (uphill && uj[r] == t) ties_[n_ties++] = static_cast<std::uint32_t>(j * kR + r);
      const bool accept = !uphill || uj[r] < t;
      s[r] = static_cast<spins::Spin>(accept ? -s[r] : s[r]);
      flips += accept;
    }
#endif
  }
  for (std::size_t i = 0; i < n_ties; ++i) {
    const std::size_t j = ties_[i] / kR, r = ties_[i] % kR, x = x0 + 2 * j;
    const std::size_t xl = x == 0 ? L - 1 : x - 1, xr = x + 1 == L ? 0 : x + 1;
    spins::Spin& s = row[x * kR + r];
    const int ss = s * (row[xl * kR + r] + row[xr * kR + r] + up[x * kR + r] + dn[x * kR + r]);
    if ((rng_.next_u64() >> 8) < ((ss == 2 ? p2_ : p4_) & kLow56)) {
      s = static_cast<spins::Spin>(-s);
      ++flips;
    }
  }
  return flips;
}

void CheckerboardIsing2DReplicas::magnetizations(std::span<std::int64_t> out) const {
  if (out.size() != kR) throw std::invalid_argument("CheckerboardIsing2DReplicas::magnetizations: need 32 outputs");
  std::int32_t sum[kR] = {};
  for (std::size_t i = 0; i < size(); ++i)
    for (std::size_t r = 0; r < kR; ++r) sum[r] += s_[i * kR + r];
  for (std::size_t r = 0; r < kR; ++r) out[r] = sum[r];
}

double CheckerboardIsing2DReplicas::energy(int r) const {
  check_replica(r);
  const std::size_t L = static_cast<std::size_t>(L_), rr = static_cast<std::size_t>(r);
  std::int64_t bonds = 0;
  for (std::size_t y = 0; y < L; ++y)
    for (std::size_t x = 0; x < L; ++x) {
      const int s = s_[(y * L + x) * kR + rr];
      bonds += s * (s_[(y * L + (x + 1) % L) * kR + rr] + s_[(((y + 1) % L) * L + x) * kR + rr]);
    }
  return -J_ * static_cast<double>(bonds);
}

}  // namespace spindiff::mc
