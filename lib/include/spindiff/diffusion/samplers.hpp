#pragma once
// Samplers: each runs the dynamics on a block of points in place and returns its number of score evaluations
// (NFE, one per call of ScoreModel::score on the whole block). Time grids are plain decreasing arrays (see
// schedule.hpp and default_times); noise comes from per-block substreams of the given stream (block_noise.hpp).
#include <span>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

// Records a few whole trajectories: the chosen rows at every `every`-th step (and the first and last state).
struct Trajectory {
  std::vector<Eigen::Index> rows;
  int every = 1;
  std::vector<double> times;   // the time (or sigma) of each frame
  std::vector<Points> frames;  // rows.size() x d each

  void record(double t, const Points& x, long step, bool force = false);
};

// Plain Langevin at a fixed noise level: x <- x + (step/2) s(x) + sqrt(step) z, n_steps times.
long langevin(const ScoreModel& score, const NoiseLevel& level, double step, int n_steps, Points& x,
              const Stream& stream, Trajectory* trajectory = nullptr);

// Annealed Langevin (NCSN, Song & Ermon 2019): for each sigma_i (decreasing), steps_per_level Langevin steps with
// alpha_i = eps sigma_i^2 / sigma_L^2 at the level (scale 1, sigma_i).
long annealed_langevin(const ScoreModel& score, std::span<const double> sigmas, int steps_per_level, double eps,
                       Points& x, const Stream& stream, Trajectory* trajectory = nullptr);

// Reverse-time SDE dx = [f - g^2 s] dt + g dW-bar with Euler-Maruyama on the grid times[0] > times[1] > ... .
// The last step adds no noise when `denoise_last` (Song et al.'s convention: return the mean of the last step).
long reverse_sde_euler_maruyama(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                                Points& x, const Stream& stream, Trajectory* trajectory = nullptr,
                                bool denoise_last = false);

// Predictor-corrector (Song et al. 2021): before each Euler-Maruyama predictor step, `corrector_steps` Langevin
// steps x <- x + e s + sqrt(2e) z at the current time, with e = 2 (snr |z| / |s|)^2 (norms averaged over points).
long predictor_corrector(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                         int corrector_steps, double snr, Points& x, const Stream& stream,
                         Trajectory* trajectory = nullptr, bool denoise_last = false);

// Probability-flow ODE dx/dt = f - g^2 s / 2, explicit Euler.
long probability_flow_euler(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                            Points& x, Trajectory* trajectory = nullptr);

// Probability-flow ODE with Heun's method (Karras et al. 2022, Alg. 1); a step that ends at sigma = 0 is an Euler
// step, so the EDM grid with N sigmas plus 0 costs 2N - 1 evaluations.
long probability_flow_heun(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                           Points& x, Trajectory* trajectory = nullptr);

// DDPM ancestral sampling (Ho et al. 2020) for a variance-preserving process, on any decreasing subsequence of
// times: from t to s with alpha = abar_t / abar_s, beta = 1 - alpha,
//   x <- (x + beta s(x, t)) / sqrt(alpha) + sqrt(beta (1 - abar_s) / (1 - abar_t)) z.
// On the DDPM process with times i/T, i = T..0, this is exactly Ho et al.'s Algorithm 2 (with sigma^2 = beta~).
long ddpm_ancestral(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times, Points& x,
                    const Stream& stream, Trajectory* trajectory = nullptr);

}  // namespace spindiff::diffusion
