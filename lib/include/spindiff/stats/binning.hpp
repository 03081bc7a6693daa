#pragma once
// Logarithmic binning of a correlated time series (Flyvbjerg & Petersen 1989; Ambegaokar & Troyer 2010).
// Level k averages blocks of 2^k consecutive samples. For blocks much longer than the autocorrelation time
// the block means are independent and the naive error of level k reaches a plateau: the true standard error.
// tau_int = (1/2) (err_plateau / err_0)^2, with tau_int = 1/2 for uncorrelated data.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace spindiff::stats {

class BinningAccumulator {
 public:
  // A level is used only when it has at least `min_bins` blocks.
  explicit BinningAccumulator(std::size_t min_bins = 32) : min_bins_(min_bins) {}

  void add(double x);

  std::uint64_t count() const { return levels_.empty() ? 0 : levels_[0].count; }
  double mean() const;
  // Naive standard error of the mean from the block means of level k.
  double level_error(std::size_t k) const;
  std::size_t level_bins(std::size_t k) const { return k < levels_.size() ? levels_[k].count : 0; }
  // Highest level with at least min_bins blocks (0 when there are too few samples).
  std::size_t top_level() const;

  // Standard error: the error of the top level.
  double error() const;
  // The largest error of levels 0..top_level(): a conservative plateau value that never undershoots a level
  // still rising at the top.
  double max_error() const;
  double tau_int() const;
  // True when the errors of the top three levels agree within their own statistical uncertainty
  // (~ err / sqrt(2 n_bins)): the binning has reached a plateau. False for too few samples.
  bool converged() const;

  template <class Archive>
  void fields(Archive& ar) {
    ar(min_bins_, levels_);
  }

 private:
  struct Level {
    std::uint64_t count = 0;
    double sum = 0, sum_sq = 0;
    double pending = 0;
    bool has_pending = false;
  };
  void add_at(std::size_t k, double x);

  std::size_t min_bins_;
  std::vector<Level> levels_;
};

}  // namespace spindiff::stats
