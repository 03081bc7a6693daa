#pragma once
// Jackknife over blocks: the error of a nonlinear function of means (Efron 1982). With B block means of
// K primary observables, the leave-one-block-out estimates f_(b) give
//   var(f) = (B - 1)/B sum_b (f_(b) - mean_b f_(b))^2.
// Blocks must be much longer than the autocorrelation time for the error to be honest.
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

namespace spindiff::stats {

struct Estimate {
  double value = NAN;
  double error = NAN;
};

// Fixed-size blocks of K primary observables, sized from the expected number of samples.
template <std::size_t K>
class BlockMeans {
 public:
  using Sample = std::array<double, K>;

  BlockMeans(std::size_t expected_samples, std::size_t blocks)
      : block_length_(std::max<std::size_t>(1, expected_samples / std::max<std::size_t>(1, blocks))) {}

  void add(const Sample& x) {
    for (std::size_t k = 0; k < K; ++k) current_[k] += x[k];
    if (++in_current_ == block_length_) {
      for (double& v : current_) v /= static_cast<double>(block_length_);
      blocks_.push_back(current_);
      current_.fill(0.0);
      in_current_ = 0;
    }
  }
  // Complete blocks only (a partial last block is dropped).
  const std::vector<Sample>& blocks() const { return blocks_; }
  std::size_t block_length() const { return block_length_; }

  template <class Archive>
  void fields(Archive& ar) {
    ar(block_length_, in_current_, current_, blocks_);
  }

 private:
  std::size_t block_length_;
  std::size_t in_current_ = 0;
  Sample current_{};
  std::vector<Sample> blocks_;
};

// f: (const std::array<double, K>& means) -> double. Value = f(mean over all blocks).
template <std::size_t K, class F>
Estimate jackknife(const std::vector<std::array<double, K>>& blocks, F&& f) {
  const std::size_t B = blocks.size();
  if (B == 0) return {};
  std::array<double, K> total{};
  for (const auto& b : blocks)
    for (std::size_t k = 0; k < K; ++k) total[k] += b[k];
  std::array<double, K> all{};
  for (std::size_t k = 0; k < K; ++k) all[k] = total[k] / static_cast<double>(B);
  if (B < 2) return {f(all), NAN};
  std::vector<double> leave_one(B);
  double mean = 0;
  for (std::size_t b = 0; b < B; ++b) {
    std::array<double, K> m{};
    for (std::size_t k = 0; k < K; ++k) m[k] = (total[k] - blocks[b][k]) / static_cast<double>(B - 1);
    leave_one[b] = f(m);
    mean += leave_one[b];
  }
  mean /= static_cast<double>(B);
  double var = 0;
  for (double v : leave_one) var += (v - mean) * (v - mean);
  var *= static_cast<double>(B - 1) / static_cast<double>(B);
  return {f(all), std::sqrt(var)};
}

}  // namespace spindiff::stats
