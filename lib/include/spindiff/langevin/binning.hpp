#pragma once
// Error bar of the mean of a correlated time series by blocking (Flyvbjerg & Petersen 1989): level l
// holds means of 2^l consecutive values; once blocks are longer than the correlation time their means
// are independent and the naive standard error of level l reaches a plateau.
#include <cstdint>
#include <vector>

namespace spindiff::langevin {

class BinningAccumulator {
 public:
  void add(double x);

  std::int64_t count() const { return levels_.empty() ? 0 : levels_[0].n; }
  double mean() const;
  // Naive standard error of the mean at each level (block length 2^l).
  std::vector<double> level_errors() const;
  // The largest level error among levels with at least `min_blocks` blocks (conservative plateau value).
  double error(std::int64_t min_blocks = 32) const;
  // (error / naive error)^2: the statistical inefficiency 2 tau_int.
  double inefficiency(std::int64_t min_blocks = 32) const;

 private:
  struct Level {
    std::int64_t n = 0;
    double sum = 0.0;
    double sum_sq = 0.0;
    double pending = 0.0;
    bool has_pending = false;
  };
  std::vector<Level> levels_;
};

}  // namespace spindiff::langevin
