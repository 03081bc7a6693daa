#pragma once
// Hopfield couplings J_ij = (1/N) sum_mu xi_i^mu xi_j^mu (i != j) kept in low-rank form: the cache holds the
// integer overlaps M_mu = sum_j xi_j^mu s_j, so a proposal costs O(P) and a flip O(P), for any N.
// E = -(1/2N) sum_mu (M_mu^2 - N) - sum_i h_i s_i.
#include <cstdint>
#include <span>
#include <vector>

#include "spindiff/hopfield/patterns.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::spins {

// The one pattern type (site-major, xi(i, mu)); random_patterns, overlaps and the learning rules are beside it.
using hopfield::Patterns;

class PatternCouplings {
 public:
  using Cache = std::vector<std::int32_t>;  // M_mu

  explicit PatternCouplings(Patterns patterns, std::vector<double> h = {});

  std::size_t size() const { return n_; }
  const Patterns& patterns() const { return patterns_; }

  double energy(std::span<const Spin> s) const;
  Cache make_cache(std::span<const Spin> s) const;
  double local_field(std::span<const Spin> s, const Cache& M, std::size_t i) const {
    const Spin* x = patterns_.site(i);
    std::int64_t acc = 0;
    for (std::size_t mu = 0; mu < p_; ++mu) acc += x[mu] * M[mu];
    acc -= static_cast<std::int64_t>(p_) * s[i];  // remove the self-coupling
    return static_cast<double>(acc) * inv_n_ + h_[i];
  }
  double delta_energy(std::span<const Spin> s, const Cache& M, std::size_t i) const {
    return 2.0 * s[i] * local_field(s, M, i);
  }
  void flip(std::span<Spin> s, Cache& M, std::size_t i) const {
    s[i] = static_cast<Spin>(-s[i]);
    const Spin* x = patterns_.site(i);
    const std::int32_t twice_new = 2 * s[i];
    for (std::size_t mu = 0; mu < p_; ++mu) M[mu] += twice_new * x[mu];
  }

 private:
  std::size_t n_, p_;
  double inv_n_;
  Patterns patterns_;  // site-major: the P entries of site i are contiguous
  std::vector<double> h_;
};

}  // namespace spindiff::spins
