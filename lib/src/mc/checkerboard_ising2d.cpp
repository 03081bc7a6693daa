#include "spindiff/mc/checkerboard_ising2d.hpp"

#include <cmath>
#include <stdexcept>

namespace spindiff::mc {
namespace {

// Probability as a threshold t for u32 words: P(u < t) = t / 2^32.
std::uint64_t to_threshold(double p) {
  if (p >= 1.0) return std::uint64_t{1} << 32;
  if (p <= 0.0) return 0;
  return static_cast<std::uint64_t>(std::llround(std::ldexp(p, 32)));
}

std::size_t round_up(std::size_t n, std::size_t m) { return (n + m - 1) / m * m; }

}  // namespace

CheckerboardIsing2D::CheckerboardIsing2D(int L, double J, double h, double T, Rule rule, Stream& rng)
    : L_(L), H_(L / 2), J_(J), h_(h), rule_(rule), philox_(rng) {
  if (L < 2 || L % 2 != 0) throw std::invalid_argument("CheckerboardIsing2D: L must be even and >= 2");
  for (auto& s : sub_) s.assign(static_cast<std::size_t>(L) * H_, 1);
  rand_.resize(round_up(static_cast<std::size_t>(H_), PhiloxBlocks::chunk_words));
  code_.resize(rand_.size());
  set_temperature(T);
}

void CheckerboardIsing2D::set_temperature(double T) {
  if (!(T > 0)) throw std::invalid_argument("temperature must be positive");
  beta_ = 1.0 / T;
  build_tables();
}

void CheckerboardIsing2D::build_tables() {
  for (int up = 0; up < 2; ++up)
    for (int n = 0; n < 5; ++n) {
      const double s = up ? 1.0 : -1.0, nb = 2.0 * n - 4.0;
      const double dE = 2.0 * s * (J_ * nb + h_);
      const double p =
          rule_ == Rule::metropolis ? std::min(1.0, std::exp(-beta_ * dE)) : 1.0 / (1.0 + std::exp(beta_ * dE));
      table_[5 * up + n] = to_threshold(p);
    }
  fast_ = rule_ == Rule::metropolis && h_ == 0.0 && J_ > 0.0;
  // Fast path: s * nb = 2 -> dE = 4J, s * nb = 4 -> dE = 8J; table index 5 * 1 + (nb + 4) / 2.
  t2_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(table_[8], 0xFFFFFFFFu));
  t4_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(table_[9], 0xFFFFFFFFu));
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
    for (int y = 0; y < L_; ++y) accepted += update_row(c, y);
  return accepted;
}

// Row y of sublattice c holds x = 2k + off with off = (y + c) & 1. Its neighbours in the other sublattice:
// index k in rows y - 1 and y + 1, and in row y indices k and k - 1 (off = 0) or k + 1 (off = 1), cyclically.
std::uint64_t CheckerboardIsing2D::update_row(int c, int y) {
  const std::size_t H = static_cast<std::size_t>(H_);
  spins::Spin* __restrict s = &sub_[c][static_cast<std::size_t>(y) * H];
  const std::vector<spins::Spin>& o = sub_[1 - c];
  const spins::Spin* __restrict up = &o[static_cast<std::size_t>((y + L_ - 1) % L_) * H];
  const spins::Spin* __restrict dn = &o[static_cast<std::size_t>((y + 1) % L_) * H];
  const spins::Spin* __restrict mid = &o[static_cast<std::size_t>(y) * H];
  philox_.fill(rand_);
  const std::uint32_t* __restrict r = rand_.data();
  const int shift = ((y + c) & 1) ? 1 : -1;
  // Interior range with side = mid[k + shift] in bounds; the one wrapping element is done separately.
  const std::size_t k_begin = shift < 0 ? 1 : 0, k_end = shift < 0 ? H : H - 1;
  const std::size_t k_wrap = shift < 0 ? 0 : H - 1, wrap_side = shift < 0 ? H - 1 : 0;
  const spins::Spin* __restrict side = mid + shift;
  std::uint32_t flips = 0;
  if (fast_) {
    // With h = 0 only s * nb = 2 (dE = 4J) and 4 (dE = 8J) are uphill: turn each word into a level
    // 0, 1, 2 once, then the update is pure int8 arithmetic: accept iff 2 * level >= s * nb.
    const std::uint32_t t2 = t2_, t4 = t4_;
    std::int8_t* __restrict code = code_.data();
    for (std::size_t k = 0; k < H; ++k) code[k] = static_cast<std::int8_t>((r[k] < t4) + (r[k] < t2));
    auto one = [&](std::size_t k, int nbv) {
      const bool acc = 2 * code[k] >= s[k] * nbv;
      s[k] = static_cast<spins::Spin>(acc ? -s[k] : s[k]);
      flips += acc;
    };
    one(k_wrap, up[k_wrap] + dn[k_wrap] + mid[k_wrap] + mid[wrap_side]);
    for (std::size_t k = k_begin; k < k_end; ++k) {
      const spins::Spin nb = static_cast<spins::Spin>(up[k] + dn[k] + mid[k] + side[k]);
      const spins::Spin ss = static_cast<spins::Spin>(s[k] * nb);
      const bool acc = static_cast<spins::Spin>(2 * code[k]) >= ss;
      s[k] = static_cast<spins::Spin>(acc ? -s[k] : s[k]);
      flips += acc;
    }
  } else {
    const std::uint64_t* table = table_;
    auto one = [&](std::size_t k, int nbv) {
      const std::uint64_t thr = table[5 * (s[k] > 0) + (nbv + 4) / 2];
      const bool acc = r[k] < thr;
      s[k] = static_cast<spins::Spin>(acc ? -s[k] : s[k]);
      flips += acc;
    };
    one(k_wrap, up[k_wrap] + dn[k_wrap] + mid[k_wrap] + mid[wrap_side]);
    for (std::size_t k = k_begin; k < k_end; ++k) one(k, up[k] + dn[k] + mid[k] + side[k]);
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
  for (const auto& sub : sub_) {
    std::int32_t part = 0;
    for (spins::Spin x : sub) part += x;
    m += part;
  }
  return m;
}

}  // namespace spindiff::mc
