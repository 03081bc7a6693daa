#include "spindiff/spins/patterns.hpp"

#include <stdexcept>

namespace spindiff::spins {

PatternCouplings::PatternCouplings(Patterns patterns, std::vector<double> h)
    : n_(patterns.N),
      p_(patterns.P),
      inv_n_(1.0 / static_cast<double>(patterns.N)),
      patterns_(std::move(patterns)),
      h_(std::move(h)) {
  if (patterns_.xi.size() != n_ * p_) throw std::invalid_argument("PatternCouplings: pattern size mismatch");
  if (h_.empty()) h_.assign(n_, 0.0);
  if (h_.size() != n_) throw std::invalid_argument("PatternCouplings: field has the wrong length");
}

PatternCouplings::Cache PatternCouplings::make_cache(std::span<const Spin> s) const {
  Cache M(p_, 0);
  for (std::size_t i = 0; i < n_; ++i) {
    const Spin* x = patterns_.site(i);
    for (std::size_t mu = 0; mu < p_; ++mu) M[mu] += x[mu] * s[i];
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
