#pragma once
// Cloning experiment of Biroli et al. (2024): backward trajectories of the OU process are copied at a time t_b and
// both copies run to the end with independent noise; phi(t_b) is the probability that they land in the same class.
#include <functional>
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::bridge {

struct CloneAgreement {
  std::vector<double> t_b;      // clone times actually used (grid points), decreasing
  std::vector<double> phi;      // fraction of (trajectory, clone) pairs that end in the same class
  std::vector<double> phi_err;  // binomial standard error
};

// n trajectories start from x_T ~ N(0, I) at T = times.front() and run to times.back() with the reverse SDE of the
// OU process, x <- x + dt (x + 2 s(x, t)) + sqrt(2 dt) z (diffusion::reverse_sde_euler_maruyama). Each clone time
// is snapped to the nearest grid time; there a copy of every trajectory continues with its own noise. The class of
// an end point x is the sign of direction . x. Noise: stream.substream(0) for x_T, substream(1) for the originals,
// substream(2) for the clones. `progress` (optional) receives the fraction of steps done.
CloneAgreement clone_agreement(const diffusion::ScoreModel& score, std::span<const double> times,
                               std::span<const double> clone_times, const Eigen::VectorXd& direction, Eigen::Index n,
                               const Stream& stream, const std::function<void(double)>& progress = {});

}  // namespace spindiff::bridge
