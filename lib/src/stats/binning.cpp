#include "spindiff/stats/binning.hpp"

#include <algorithm>
#include <cmath>

namespace spindiff::stats {

void BinningAccumulator::add(double x) { add_at(0, x); }

void BinningAccumulator::add_at(std::size_t k, double x) {
  if (levels_.size() <= k) levels_.resize(k + 1);
  Level& l = levels_[k];
  ++l.count;
  l.sum += x;
  l.sum_sq += x * x;
  if (l.has_pending) {
    l.has_pending = false;
    add_at(k + 1, 0.5 * (l.pending + x));
  } else {
    l.pending = x;
    l.has_pending = true;
  }
}

double BinningAccumulator::mean() const {
  return levels_.empty() || levels_[0].count == 0 ? NAN : levels_[0].sum / static_cast<double>(levels_[0].count);
}

double BinningAccumulator::level_error(std::size_t k) const {
  if (k >= levels_.size() || levels_[k].count < 2) return NAN;
  const Level& l = levels_[k];
  const double n = static_cast<double>(l.count);
  const double m = l.sum / n;
  const double var = std::max(0.0, (l.sum_sq - n * m * m) / (n - 1));
  return std::sqrt(var / n);
}

std::size_t BinningAccumulator::top_level() const {
  std::size_t top = 0;
  for (std::size_t k = 0; k < levels_.size(); ++k)
    if (levels_[k].count >= min_bins_) top = k;
  return top;
}

double BinningAccumulator::error() const { return level_error(top_level()); }

double BinningAccumulator::max_error() const {
  double e = level_error(0);
  for (std::size_t k = 1; k <= top_level(); ++k) e = std::max(e, level_error(k));
  return e;
}

double BinningAccumulator::tau_int() const {
  const double e0 = level_error(0), e = error();
  if (!(e0 > 0)) return 0.5;  // constant series: no fluctuation, nothing correlated
  return 0.5 * (e / e0) * (e / e0);
}

bool BinningAccumulator::converged() const {
  if (levels_.empty() || levels_[0].count < min_bins_ * 8) return false;
  const std::size_t top = top_level();
  if (top < 3) return false;
  const double e_top = level_error(top);
  if (!(e_top > 0)) return true;  // constant series
  const double rel_noise = 1.0 / std::sqrt(2.0 * static_cast<double>(levels_[top].count - 1));
  // "Still rising" must beat the noise of the ratio e_top / e_k: relative sd ~ sqrt(1 + 1/2) rel_noise for
  // k = top - 1, and 3.29 of them is a one-sided 0.05 % per comparison, so stationary data raise a false
  // alarm less than 0.1 % of the time (measured in tests/stats/test_convergence_flag.cpp).
  constexpr double margin = 3.29 * 1.2247;
  for (std::size_t k = top - 2; k < top; ++k)
    if (e_top > level_error(k) * (1.0 + margin * rel_noise)) return false;
  return true;
}

}  // namespace spindiff::stats
