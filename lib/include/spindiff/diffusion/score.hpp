#pragma once
// The batched score interface shared by every score model (exact, empirical, learned) and sampler.
// One virtual call per block of points, never per point.
#include <Eigen/Dense>

namespace spindiff::diffusion {

// n points in d dimensions, one per row (row-major so a point is contiguous).
using Points = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The noised marginal at time t: x_t = scale * x_0 + sigma * z, z ~ N(0, I).
struct NoiseLevel {
  double t = 0.0;
  double scale = 1.0;  // a(t)
  double sigma = 1.0;  // sigma(t)
};

// Thread safety: score() is const and may be called from many threads at once on the same object (the samplers'
// blocks and the Langevin particle blocks share one model). A model therefore keeps no scratch between calls (no
// `mutable` members): buffers are local to the call.
class ScoreModel {
 public:
  virtual ~ScoreModel() = default;
  // out(i, :) = grad_x log p_t(x(i, :)); out is resized by the caller to x's shape.
  virtual void score(const Points& x, const NoiseLevel& level, Points& out) const = 0;
  virtual int dim() const = 0;
};

}  // namespace spindiff::diffusion
