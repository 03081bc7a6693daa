#pragma once
// Gaussian noise for blocks of points: rows [k*B, (k+1)*B) always draw from substream k of the base stream, so
// the numbers a point receives depend on its row only, never on how the rows are split between threads.
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

class BlockNoise {
 public:
  static constexpr Eigen::Index default_rows = 64;
  explicit BlockNoise(const Stream& base, Eigen::Index rows_per_block = default_rows)
      : base_(base), rows_(rows_per_block) {}

  // Fills z (its shape is kept) with independent N(0, 1) numbers; successive calls continue each block's stream.
  void fill(Points& z) {
    const Eigen::Index blocks = (z.rows() + rows_ - 1) / rows_;
    while (static_cast<Eigen::Index>(streams_.size()) < blocks) streams_.push_back(base_.substream(streams_.size()));
    for (Eigen::Index b = 0; b < blocks; ++b) {
      const Eigen::Index r0 = b * rows_, r1 = std::min(z.rows(), r0 + rows_);
      Stream& s = streams_[b];
      for (Eigen::Index i = r0; i < r1; ++i)
        for (Eigen::Index j = 0; j < z.cols(); ++j) z(i, j) = s.normal();
    }
  }

 private:
  Stream base_;
  Eigen::Index rows_;
  std::vector<Stream> streams_;
};

}  // namespace spindiff::diffusion
