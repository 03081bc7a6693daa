#include "spindiff/mc/multispin_ising2d_replicas.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "byte_metropolis.hpp"
#include "multispin_kernel.hpp"

namespace spindiff::mc {

MultiSpinIsing2DReplicas::MultiSpinIsing2DReplicas(int L, double J, const std::vector<double>& temperatures, Rule rule,
                                                   Stream& rng, const std::string& implementation)
    : L_(L), n_(L / 2), R_(static_cast<int>(temperatures.size())), J_(J), rule_(rule), rng_(rng.split()) {
  if (L < 2 || L % 2 != 0) throw std::invalid_argument("MultiSpinIsing2DReplicas: L must be even and >= 2");
  if (R_ < 1 || R_ > kMaxReplicas)
    throw std::invalid_argument("MultiSpinIsing2DReplicas: 1 to 64 replicas (one temperature each)");
  // Rows of whole groups of eight words (the kernel takes the groups of consecutive rows together) and the ghost.
  S_ = static_cast<std::size_t>(kLead + (n_ + 7) / 8 * 8 + 8);
  for (auto& s : sub_) s.assign(static_cast<std::size_t>(L_) * S_, 0);
  impl_name_ = implementation.empty() ? MultiSpinIsing2D::best_implementation() : implementation;
  impl_ = multispin::implementation_index(impl_name_);
  if (!multispin::implementation_available(impl_))
    throw std::invalid_argument("MultiSpinIsing2DReplicas: implementation '" + impl_name_ + "' is not available here");
  set_temperatures(temperatures);
}

void MultiSpinIsing2DReplicas::set_temperatures(const std::vector<double>& temperatures) {
  if (static_cast<int>(temperatures.size()) != R_)
    throw std::invalid_argument("MultiSpinIsing2DReplicas: one temperature per replica");
  for (double T : temperatures)
    if (!(T > 0) || !std::isfinite(T)) throw std::invalid_argument("temperature must be positive and finite");
  T_ = temperatures;
  // Per class and lane: always (p = 1), lazy with P = p 2^64, or never (P = 0).
  std::uint64_t P[5][kMaxReplicas] = {};
  rules_ = MultiSpinIsing2D::Rules{};
  for (int b = 0; b < R_; ++b)
    for (int a = 0; a < 5; ++a) {
      const double dE = 2.0 * J_ * (4.0 - 2.0 * a), beta = 1.0 / T_[static_cast<std::size_t>(b)];
      const double p =
          rule_ == Rule::metropolis ? std::min(1.0, std::exp(-beta * dE)) : 1.0 / (1.0 + std::exp(beta * dE));
      if (p >= 1.0)
        rules_.always_lanes[a] |= std::uint64_t{1} << b;
      else if (p > 0.0)
        P[a][b] = detail::acceptance_bits(p);
    }
  for (int a = 0; a < 5; ++a) {
    rules_.always[a] = rules_.always_lanes[a] != 0;
    std::uint64_t lanes = 0;
    for (int b = 0; b < R_; ++b)
      if (P[a][b] != 0) lanes |= std::uint64_t{1} << b;
    if (lanes == 0) continue;
    const int j = rules_.n_lazy++;
    rules_.lazy_class[j] = a;
    rules_.lazy_lanes[j] = lanes;
    for (int b = 0; b < R_; ++b) {
      if (P[a][b] == 0) continue;
      const std::uint64_t bit = std::uint64_t{1} << b;
      for (int level = 0; level < 64; ++level)
        if ((P[a][b] >> (63 - level)) & 1U) rules_.bit[level][j] |= bit;
      const int last = 63 - std::countr_zero(P[a][b]);
      if (last < 63) {
        rules_.stops[last + 1] = true;
        rules_.stop[last + 1][j] |= bit;
      }
    }
  }
}

void MultiSpinIsing2DReplicas::set_spins(int replica, std::span<const spins::Spin> natural) {
  if (replica < 0 || replica >= R_) throw std::invalid_argument("MultiSpinIsing2DReplicas::set_spins: no such replica");
  if (natural.size() != size()) throw std::invalid_argument("MultiSpinIsing2DReplicas::set_spins: wrong size");
  const std::uint64_t bit = std::uint64_t{1} << replica;
  for (int y = 0; y < L_; ++y)
    for (int x = 0; x < L_; ++x) {
      std::uint64_t& w = sub_[(x + y) & 1][word_index(y, x / 2)];
      w = natural[static_cast<std::size_t>(y) * L_ + x] > 0 ? w | bit : w & ~bit;
    }
  refresh_ghosts(0);
  refresh_ghosts(1);
}

spins::Config MultiSpinIsing2DReplicas::spins(int replica) const {
  if (replica < 0 || replica >= R_) throw std::invalid_argument("MultiSpinIsing2DReplicas::spins: no such replica");
  spins::Config s(size());
  for (int y = 0; y < L_; ++y)
    for (int x = 0; x < L_; ++x) {
      const bool up = (sub_[(x + y) & 1][word_index(y, x / 2)] >> replica) & 1U;
      s[static_cast<std::size_t>(y) * L_ + x] = up ? 1 : -1;
    }
  return s;
}

void MultiSpinIsing2DReplicas::refresh_ghosts(int c) {
  for (int y = 0; y < L_; ++y) {
    std::uint64_t* row = &sub_[c][word_index(y, 0)];
    row[-1] = row[n_ - 1];
    row[n_] = row[0];
  }
}

std::uint64_t MultiSpinIsing2DReplicas::half_sweep(int c) {
  multispin::SweepArgs args{sub_[c].data(), sub_[1 - c].data(), c, n_, R_, L_, S_, static_cast<std::size_t>(kLead)};
  args.replicas = true;
  const std::uint64_t flips = multispin::half_sweep(impl_, args, rules_, bytes_, rng_, bytes_drawn_);
  refresh_ghosts(c);
  return flips;
}

std::uint64_t MultiSpinIsing2DReplicas::sweep() { return half_sweep(0) + half_sweep(1); }

namespace {

// Per-lane counts of the set bits of many words, bit-sliced: a carry-save tree over blocks of eight words
// (Harley-Seal) keeps the ones, twos and fours, and only the eights ripple into the higher planes.
class LaneCounter {
 public:
  void add(std::uint64_t x) {
    buf_[n_++] = x;
    if (n_ == 8) flush();
  }
  std::vector<std::int64_t> counts(int lanes) {
    flush();
    std::vector<std::int64_t> n(static_cast<std::size_t>(lanes), 0);
    for (int b = 0; b < lanes; ++b) {
      std::int64_t c = 0;
      for (int k = 0; k < top_; ++k) c += static_cast<std::int64_t>((high_[k] >> b) & 1U) << k;
      n[static_cast<std::size_t>(b)] = 8 * c + 4 * static_cast<std::int64_t>((fours_ >> b) & 1U) +
                                       2 * static_cast<std::int64_t>((twos_ >> b) & 1U) +
                                       static_cast<std::int64_t>((ones_ >> b) & 1U);
    }
    return n;
  }

 private:
  // Full adder of three bit planes: high (carry) and low (sum).
  static void csa(std::uint64_t& high, std::uint64_t& low, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    const std::uint64_t u = a ^ b;
    high = (a & b) | (u & c);
    low = u ^ c;
  }
  void flush() {
    if (n_ == 0) return;
    for (int i = n_; i < 8; ++i) buf_[i] = 0;
    std::uint64_t twos_a, twos_b, fours_a, fours_b, eights;
    csa(twos_a, ones_, ones_, buf_[0], buf_[1]);
    csa(twos_b, ones_, ones_, buf_[2], buf_[3]);
    csa(fours_a, twos_, twos_, twos_a, twos_b);
    csa(twos_a, ones_, ones_, buf_[4], buf_[5]);
    csa(twos_b, ones_, ones_, buf_[6], buf_[7]);
    csa(fours_b, twos_, twos_, twos_a, twos_b);
    csa(eights, fours_, fours_, fours_a, fours_b);
    int k = 0;
    for (; eights != 0; ++k) {
      const std::uint64_t carry = high_[k] & eights;
      high_[k] ^= eights;
      eights = carry;
    }
    top_ = std::max(top_, k);
    n_ = 0;
  }
  std::uint64_t buf_[8] = {}, ones_ = 0, twos_ = 0, fours_ = 0, high_[64] = {};
  int n_ = 0, top_ = 0;
};

}  // namespace

template <class EachWord>
std::vector<std::int64_t> MultiSpinIsing2DReplicas::lane_counts(EachWord&& each) const {
  LaneCounter counter;
  each([&](std::uint64_t x) { counter.add(x); });
  return counter.counts(R_);
}

std::vector<double> MultiSpinIsing2DReplicas::energies() const {
  // Every bond joins the two sublattices: count the anti-aligned ones around sublattice 0.
  const std::vector<std::int64_t> anti = lane_counts([&](auto&& add) {
    for (int y = 0; y < L_; ++y) {
      const std::uint64_t* s = &sub_[0][word_index(y, 0)];
      const std::uint64_t* mid = &sub_[1][word_index(y, 0)];
      const std::uint64_t* up = &sub_[1][word_index(y == 0 ? L_ - 1 : y - 1, 0)];
      const std::uint64_t* dn = &sub_[1][word_index(y == L_ - 1 ? 0 : y + 1, 0)];
      const std::uint64_t* side = mid + ((y & 1) ? 1 : -1);
      for (int k = 0; k < n_; ++k) {
        add(s[k] ^ up[k]);
        add(s[k] ^ dn[k]);
        add(s[k] ^ mid[k]);
        add(s[k] ^ side[k]);
      }
    }
  });
  const double bonds = 2.0 * static_cast<double>(size());
  std::vector<double> E(anti.size());
  for (std::size_t b = 0; b < anti.size(); ++b) E[b] = -J_ * (bonds - 2.0 * static_cast<double>(anti[b]));
  return E;
}

std::vector<std::int64_t> MultiSpinIsing2DReplicas::magnetizations() const {
  std::vector<std::int64_t> up = lane_counts([&](auto&& add) {
    for (int c = 0; c < 2; ++c)
      for (int y = 0; y < L_; ++y) {
        const std::uint64_t* row = &sub_[c][word_index(y, 0)];
        for (int k = 0; k < n_; ++k) add(row[k]);
      }
  });
  for (auto& m : up) m = 2 * m - static_cast<std::int64_t>(size());
  return up;
}

}  // namespace spindiff::mc
