#pragma once
// Collapse (memorisation) of backward trajectories onto a training set: the time at which a trajectory locks onto
// the single training point it will end on. The trajectories follow the training set's empirical score or any other.
#include <functional>
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::bridge {

struct CollapseCurves {
  std::vector<double> times;        // measurement times, decreasing
  std::vector<double> nn_fraction;  // fraction whose nearest rescaled training point at t is the one they end on
  std::vector<double> entropy;      // mean posterior entropy S = -sum_mu w_mu ln w_mu (nats) over trajectories
  std::vector<double> entropy_err;  // its standard error
  std::vector<double> max_weight;   // mean largest posterior weight
};

// The posterior weights w_mu(x) = softmax_mu((a xi_mu . x - a^2 |xi_mu|^2 / 2) / Delta) of one level, written for
// every row of x (n x P): the weights the empirical score averages the training points with.
Eigen::MatrixXd posterior_weights(const diffusion::Points& x, const diffusion::PointsRef& training,
                                  const diffusion::NoiseLevel& level);

// n trajectories from x_T ~ N(0, I) run with the OU reverse SDE and `score` down to times.back(); the curves are
// measured at every `measure_every`-th grid time (and the last). The posterior weights and the landing point (the
// training point nearest to a trajectory's end) are those of `training`, whatever score drives the trajectories: a
// learned score is judged by how its trajectories lock onto the training set. Noise: stream.substream(0) for x_T,
// substream(1 + k) for the k-th segment between measurements.
CollapseCurves collapse_curves(const diffusion::ScoreModel& score, const diffusion::PointsRef& training,
                               std::span<const double> times, int measure_every, Eigen::Index n, const Stream& stream,
                               const std::function<void(double)>& progress = {});

// The same driven by diffusion::EmpiricalScore(training), the exact score of the training set.
CollapseCurves collapse_curves(const diffusion::Points& training, std::span<const double> times, int measure_every,
                               Eigen::Index n, const Stream& stream, const std::function<void(double)>& progress = {});

}  // namespace spindiff::bridge
