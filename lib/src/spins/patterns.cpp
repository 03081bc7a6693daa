#include "spindiff/spins/patterns.hpp"

#include <stdexcept>

namespace spindiff::spins {

Patterns random_patterns(std::size_t N, std::size_t P, Stream& rng) {
  Patterns p{N, P, std::vector<Spin>(N * P)};
  for (Spin& x : p.xi) x = static_cast<Spin>(rng.spin());
  return p;
}

double overlap(const Patterns& p, std::size_t mu, std::span<const Spin> s) {
  std::int64_t acc = 0;
  for (std::size_t i = 0; i < p.N; ++i) acc += p(mu, i) * s[i];
  return static_cast<double>(acc) / static_cast<double>(p.N);
}

PatternCouplings::PatternCouplings(Patterns patterns, std::vector<double> h)
    : n_(patterns.N),
      p_(patterns.P),
      inv_n_(1.0 / static_cast<double>(patterns.N)),
      patterns_(std::move(patterns)),
      h_(std::move(h)) {
  if (patterns_.xi.size() != n_ * p_) throw std::invalid_argument("PatternCouplings: pattern size mismatch");
  if (h_.empty()) h_.assign(n_, 0.0);
  if (h_.size() != n_) throw std::invalid_argument("PatternCouplings: field has the wrong length");
  xi_t_.resize(n_ * p_);
  for (std::size_t mu = 0; mu < p_; ++mu)
    for (std::size_t i = 0; i < n_; ++i) xi_t_[i * p_ + mu] = patterns_(mu, i);
}

PatternCouplings::Cache PatternCouplings::make_cache(std::span<const Spin> s) const {
  Cache M(p_, 0);
  for (std::size_t mu = 0; mu < p_; ++mu) {
    std::int32_t acc = 0;
    for (std::size_t i = 0; i < n_; ++i) acc += patterns_(mu, i) * s[i];
    M[mu] = acc;
  }
  return M;
}

double PatternCouplings::energy(std::span<const Spin> s) const {
  const Cache M = make_cache(s);
  double e = 0.0;
  for (std::int32_t m : M) e -= (static_cast<double>(m) * m - static_cast<double>(n_)) * 0.5 * inv_n_;
  for (std::size_t i = 0; i < n_; ++i) e -= h_[i] * s[i];
  return e;
}

}  // namespace spindiff::spins
