#include "spindiff/langevin/binning.hpp"

#include <algorithm>
#include <cmath>

namespace spindiff::langevin {

void BinningAccumulator::add(double x) {
  for (std::size_t l = 0;; ++l) {
    if (l == levels_.size()) levels_.emplace_back();
    Level& lv = levels_[l];
    ++lv.n;
    lv.sum += x;
    lv.sum_sq += x * x;
    if (!lv.has_pending) {
      lv.pending = x;
      lv.has_pending = true;
      return;
    }
    x = 0.5 * (lv.pending + x);  // a completed pair moves one level up
    lv.has_pending = false;
  }
}

double BinningAccumulator::mean() const { return levels_.empty() ? 0.0 : levels_[0].sum / levels_[0].n; }

std::vector<double> BinningAccumulator::level_errors() const {
  std::vector<double> out;
  for (const Level& lv : levels_) {
    if (lv.n < 2) break;
    const double m = lv.sum / lv.n;
    const double var = std::max(0.0, (lv.sum_sq - lv.n * m * m) / (lv.n - 1));
    out.push_back(std::sqrt(var / lv.n));
  }
  return out;
}

double BinningAccumulator::error(std::int64_t min_blocks) const {
  const std::vector<double> e = level_errors();
  if (e.empty()) return std::nan("");
  double best = e[0];
  for (std::size_t l = 0; l < e.size(); ++l)
    if (levels_[l].n >= min_blocks) best = std::max(best, e[l]);
  return best;
}

double BinningAccumulator::inefficiency(std::int64_t min_blocks) const {
  const std::vector<double> e = level_errors();
  if (e.empty() || e[0] == 0.0) return std::nan("");
  const double r = error(min_blocks) / e[0];
  return r * r;
}

}  // namespace spindiff::langevin
