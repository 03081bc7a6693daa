#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"

#include <bit>
#include <cmath>
#include <stdexcept>

#include "byte_metropolis.hpp"

namespace spindiff::mc {

namespace {

constexpr std::size_t kR = CheckerboardIsing2DReplicas::kReplicas;

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
  // p < 1 here: uphill moves with J > 0, T > 0.
  p2_ = detail::acceptance_bits(std::exp(-4.0 * J_ / T));
  p4_ = detail::acceptance_bits(std::exp(-8.0 * J_ / T));
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
  const detail::ByteMetropolis32 decide(t2, t4);
  const __m256i all = _mm256_set1_epi8(-1);
  auto load = [](const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); };
#endif
  for (std::size_t j = 0; j < half; ++j) {
    const std::size_t x = x0 + 2 * j, xl = x == 0 ? L - 1 : x - 1, xr = x + 1 == L ? 0 : x + 1;
    spins::Spin* s = row + x * kR;
    const spins::Spin *left = row + xl * kR, *right = row + xr * kR, *a = up + x * kR, *b = dn + x * kR;
    const std::uint8_t* uj = u + j * kR;
#if defined(__AVX2__)
    const __m256i sv = load(s);
    const __m256i nb = _mm256_add_epi8(_mm256_add_epi8(load(left), load(right)), _mm256_add_epi8(load(a), load(b)));
    const auto [flipped, ties] = decide(sv, nb, load(uj), all);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(s), detail::ByteMetropolis32::apply(sv, flipped));
    flips += static_cast<std::uint64_t>(std::popcount(static_cast<std::uint32_t>(_mm256_movemask_epi8(flipped))));
    for (auto tie = ties; tie != 0; tie &= tie - 1)
      ties_[n_ties++] = static_cast<std::uint32_t>(j * kR + static_cast<std::size_t>(std::countr_zero(tie)));
#else
    for (std::size_t r = 0; r < kR; ++r) {
      bool tie;
      const bool accept = detail::accept_byte(s[r] * (left[r] + right[r] + a[r] + b[r]), uj[r], t2, t4, tie);
      if (tie) ties_[n_ties++] = static_cast<std::uint32_t>(j * kR + r);
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
    if (detail::settle_tie(rng_, ss, p2_, p4_)) {
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
