#include "spindiff/mc/checkerboard_ising2d.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "byte_metropolis.hpp"

namespace spindiff::mc {

struct CheckerboardIsing2D::Row {
  spins::Spin* s;           // the row being updated
  const spins::Spin* up;    // other sublattice, row y - 1
  const spins::Spin* dn;    // other sublattice, row y + 1
  const spins::Spin* mid;   // other sublattice, row y
  const spins::Spin* side;  // side[k]: the fourth neighbour of site k (row y of the other sublattice, shifted)
};

namespace {

constexpr std::size_t kSlack = 32;

}  // namespace

CheckerboardIsing2D::CheckerboardIsing2D(int L, double J, double h, double T, Rule rule, Stream& rng)
    : L_(L), H_(L / 2), J_(J), h_(h), rule_(rule), rng_(rng.split()) {
  if (L < 2 || L % 2 != 0) throw std::invalid_argument("CheckerboardIsing2D: L must be even and >= 2");
  // kSlack bytes after every buffer the vector loop reads: its last, partial block of a row loads 32 bytes.
  for (auto& s : sub_) s.assign(static_cast<std::size_t>(L) * H_ + kSlack, 1);
  words_.resize(static_cast<std::size_t>(H_) + kSlack / 4);
  side_.resize(static_cast<std::size_t>(H_) + 2 + kSlack);
  ties_.resize(static_cast<std::size_t>(H_));
  set_temperature(T);
}

void CheckerboardIsing2D::set_temperature(double T) {
  if (!(T > 0)) throw std::invalid_argument("temperature must be positive");
  beta_ = 1.0 / T;
  build_tables();
}

void CheckerboardIsing2D::build_tables() {
  auto threshold = [](double p) {
    Threshold t;
    if (p >= 1.0) {
      t.always = true;
    } else if (p > 0.0) {
      t.bits = detail::acceptance_bits(p);
    }
    return t;
  };
  for (int up = 0; up < 2; ++up)
    for (int n = 0; n < 5; ++n) {
      const double s = up ? 1.0 : -1.0, nb = 2.0 * n - 4.0;
      const double dE = 2.0 * s * (J_ * nb + h_);
      const double p =
          rule_ == Rule::metropolis ? std::min(1.0, std::exp(-beta_ * dE)) : 1.0 / (1.0 + std::exp(beta_ * dE));
      table_[5 * up + n] = threshold(p);
    }
  fast_ = rule_ == Rule::metropolis && h_ == 0.0 && J_ > 0.0;
}

void CheckerboardIsing2D::set_spins(std::span<const spins::Spin> natural) {
  if (natural.size() != size()) throw std::invalid_argument("CheckerboardIsing2D::set_spins: wrong size");
  for (int y = 0; y < L_; ++y)
    for (int x = 0; x < L_; ++x) {
      const int c = (x + y) & 1;
      sub_[c][static_cast<std::size_t>(y) * H_ + x / 2] = natural[static_cast<std::size_t>(y) * L_ + x];
    }
}

spins::Config CheckerboardIsing2D::spins() const {
  spins::Config s(size());
  for (int y = 0; y < L_; ++y)
    for (int x = 0; x < L_; ++x) {
      const int c = (x + y) & 1;
      s[static_cast<std::size_t>(y) * L_ + x] = sub_[c][static_cast<std::size_t>(y) * H_ + x / 2];
    }
  return s;
}

std::uint64_t CheckerboardIsing2D::sweep() {
  std::uint64_t accepted = 0;
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < L_; ++y) {
      const Row r = row(c, y);
      accepted += fast_ ? update_row_fast(r) : update_row_general(r);
    }
  return accepted;
}

// Row y of sublattice c holds x = 2k + off with off = (y + c) & 1. Its neighbours in the other sublattice:
// index k in rows y - 1 and y + 1, and in row y indices k and k - 1 (off = 0) or k + 1 (off = 1), cyclically.
// side_ holds row y with the wrapped neighbours copied to both ends, so side[k] needs no special case.
CheckerboardIsing2D::Row CheckerboardIsing2D::row(int c, int y) {
  const std::size_t H = static_cast<std::size_t>(H_);
  const std::vector<spins::Spin>& o = sub_[1 - c];
  const spins::Spin* mid = &o[static_cast<std::size_t>(y) * H];
  side_[0] = mid[H - 1];
  std::copy(mid, mid + H, side_.begin() + 1);
  side_[H + 1] = mid[0];
  const int shift = ((y + c) & 1) ? 1 : -1;
  return {&sub_[c][static_cast<std::size_t>(y) * H], &o[static_cast<std::size_t>((y + L_ - 1) % L_) * H],
          &o[static_cast<std::size_t>((y + 1) % L_) * H], mid, side_.data() + 1 + shift};
}

// Metropolis, h = 0, J > 0: only s * nb = 2 and 4 are uphill. Site k gets the random byte u[k] (the top 8
// bits of its 64-bit uniform U): u < P >> 56 accepts, u > P >> 56 rejects, and a tie is settled after the
// row with 56 fresh bits against P's low 56 bits, so P(accept) = P / 2^64 exactly.
std::uint64_t CheckerboardIsing2D::update_row_fast(const Row& r) {
  const std::size_t H = static_cast<std::size_t>(H_);
  rng_.fill_u32(std::span<std::uint32_t>(words_.data(), (H + 3) / 4));
  const auto* __restrict u = reinterpret_cast<const std::uint8_t*>(words_.data());
  spins::Spin* __restrict s = r.s;
  const spins::Spin* __restrict up = r.up, * __restrict dn = r.dn, * __restrict mid = r.mid, * __restrict side = r.side;
  const auto t2 = static_cast<std::uint8_t>(p2_bits() >> 56), t4 = static_cast<std::uint8_t>(p4_bits() >> 56);
  std::uint64_t flips = 0;
  std::size_t n_ties = 0, k = 0;
#if defined(__AVX2__)
  const detail::ByteMetropolis32 decide(t2, t4);
  const __m256i lane = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                        22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
  // Sites k .. k + 31, of which the first n (<= 32) are in the row. The other lanes read bytes past the row's end
  // (the next row or kSlack) and store them back unchanged: small L, rows shorter than 32, stay vectorised.
  auto block = [&](std::size_t n) {
    auto load = [k](const void* p) {
      return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const std::int8_t*>(p) + k));
    };
    const __m256i in_row = _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(n)), lane);
    const __m256i sv = load(s);
    const __m256i nb = _mm256_add_epi8(_mm256_add_epi8(load(up), load(dn)), _mm256_add_epi8(load(mid), load(side)));
    const auto [flipped, ties] = decide(sv, nb, load(u), in_row);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(s + k), detail::ByteMetropolis32::apply(sv, flipped));
    flips += static_cast<std::uint64_t>(std::popcount(static_cast<std::uint32_t>(_mm256_movemask_epi8(flipped))));
    for (auto tie = ties; tie != 0; tie &= tie - 1)
      ties_[n_ties++] = static_cast<std::uint32_t>(k + static_cast<std::size_t>(std::countr_zero(tie)));
  };
  for (; k + 32 <= H; k += 32) block(32);
  if (k < H) {
    block(H - k);
    k = H;
  }
#endif
  for (; k < H; ++k) {
    bool tie;
    const bool accept = detail::accept_byte(s[k] * (up[k] + dn[k] + mid[k] + side[k]), u[k], t2, t4, tie);
    if (tie) ties_[n_ties++] = static_cast<std::uint32_t>(k);
    s[k] = static_cast<spins::Spin>(accept ? -s[k] : s[k]);
    flips += accept;
  }
  for (std::size_t i = 0; i < n_ties; ++i) {
    const std::size_t j = ties_[i];
    if (detail::settle_tie(rng_, s[j] * (up[j] + dn[j] + mid[j] + side[j]), p2_bits(), p4_bits())) {
      s[j] = static_cast<spins::Spin>(-s[j]);
      ++flips;
    }
  }
  return flips;
}

// Any rule and field: a 32-bit word w per site, the top half of U; w == P >> 32 (probability 2^-32) draws
// the low half.
std::uint64_t CheckerboardIsing2D::update_row_general(const Row& r) {
  const std::size_t H = static_cast<std::size_t>(H_);
  rng_.fill_u32(std::span<std::uint32_t>(words_.data(), H));
  const std::uint32_t* w = words_.data();
  std::uint64_t flips = 0;
  for (std::size_t k = 0; k < H; ++k) {
    const int nb = r.up[k] + r.dn[k] + r.mid[k] + r.side[k];
    const Threshold& t = table_[5 * (r.s[k] > 0) + (nb + 4) / 2];
    const std::uint64_t hi = t.bits >> 32;
    const bool accept = t.always || w[k] < hi || (w[k] == hi && (rng_.next_u64() >> 32) < (t.bits & 0xFFFFFFFFu));
    r.s[k] = static_cast<spins::Spin>(accept ? -r.s[k] : r.s[k]);
    flips += accept;
  }
  return flips;
}

double CheckerboardIsing2D::energy() const {
  // Every bond joins a sublattice-0 site to a sublattice-1 site: sum s * nb over sublattice 0 counts each once.
  const std::size_t H = static_cast<std::size_t>(H_);
  std::int64_t bonds = 0;
  for (int y = 0; y < L_; ++y) {
    const spins::Spin* s = &sub_[0][static_cast<std::size_t>(y) * H];
    const spins::Spin* up = &sub_[1][static_cast<std::size_t>((y + L_ - 1) % L_) * H];
    const spins::Spin* dn = &sub_[1][static_cast<std::size_t>((y + 1) % L_) * H];
    const spins::Spin* mid = &sub_[1][static_cast<std::size_t>(y) * H];
    const int shift = (y & 1) ? 1 : -1;
    std::int32_t row = 0;
    for (std::size_t k = 0; k < H; ++k) {
      const std::size_t side = (k + H + shift) % H;
      row += s[k] * (up[k] + dn[k] + mid[k] + mid[side]);
    }
    bonds += row;
  }
  return -J_ * static_cast<double>(bonds) - h_ * static_cast<double>(magnetization());
}

std::int64_t CheckerboardIsing2D::magnetization() const {
  std::int64_t m = 0;
  const std::size_t n = static_cast<std::size_t>(L_) * H_;  // without the slack
  for (const auto& sub : sub_) {
    std::int32_t part = 0;
    for (std::size_t i = 0; i < n; ++i) part += sub[i];
    m += part;
  }
  return m;
}

}  // namespace spindiff::mc
