#pragma once
// Samplers: every sampler has one signature,
//   sampler(score, process, times, x, stream, options, trajectory) -> NFE,
// runs the dynamics on a block of points in place and returns its number of score evaluations (NFE, one per call of
// ScoreModel::score on the whole block). `times` is a decreasing grid read through the process: process.level(t) is
// the noise level at t. The Langevin samplers take a grid of noise levels instead (sigma values, read on the EDM
// process where t = sigma, a = 1). Noise comes from per-block substreams of `stream` (block_noise.hpp).
//
// Guidance, composition and preconditioning are wrapper scores (score.hpp), so every sampler serves them unchanged.
// A new sampler is one function below plus one row of sampler_table() in samplers.cpp.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/block_noise.hpp"
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
  // Records the final state after `steps` steps unless the step counter already did.
  void finish(double t, const Points& x, long steps);
};

// An MCMC move at one noise level (Song et al.'s corrector; ULA or MALA for composed scores). Every sampler runs it
// at each level of its grid before the step that leaves the level, with the sampler's own noise. Returns its NFE.
using Corrector = std::function<long(const ScoreModel& score, const NoiseLevel& level, Points& x, BlockNoise& noise)>;

struct SamplerOptions {
  double step_size = 0.1;     // Langevin samplers: epsilon
  int steps_per_level = 1;    // Langevin samplers: steps at each noise level of the grid
  int corrector_steps = 1;    // predictor_corrector: Langevin corrector steps per time step
  double snr = 0.16;          // predictor_corrector: signal-to-noise ratio of its corrector
  bool denoise_last = false;  // SDE samplers: the last step adds no noise (returns the mean of the last step)
  // Every sampler: end with Tweedie's denoising step, the posterior mean E[x_0 | x_t] = (x + sigma^2 s(x, t)) / a at
  // the grid's last noise level above zero. A grid that ends at sigma = 0 has its last step replaced by it; any other
  // grid gets it after its last step (one more score call). Removes the noise the last level still holds.
  bool final_denoise = false;
  Corrector corrector;  // optional extra MCMC move at every noise level (empty: none)
};

using SamplerFunction = long (*)(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                                 Points& x, const Stream& stream, const SamplerOptions& options,
                                 Trajectory* trajectory);

// Throw std::invalid_argument for a grid that does not decrease strictly (or has fewer than two times), and for
// points whose dimension differs from the score's.
void check_time_grid(std::span<const double> times);
void check_dimensions(const ScoreModel& score, const Points& x);

// Tweedie's formula: moves the points x, drawn at `level`, to their posterior mean
//   E[x_0 | x_t = x] = (x + sigma^2 grad log p_t(x)) / a,
// exact for the exact score. Returns its NFE: one score call, none at sigma = 0 (x is then already clean).
long denoise_to_posterior_mean(const ScoreModel& score, const NoiseLevel& level, Points& x);

// The loop of the samplers on a time grid: at each time the options' corrector (if any), then step(k, t, t_next),
// which moves x from times[k] to times[k + 1] and returns its NFE. The trajectory gets the first state, the state
// after every step and the last state. With options.final_denoise the loop ends with the denoising step (replacing
// a last step into sigma = 0; otherwise recorded as one more frame at t = 0, the data end). Returns the total NFE.
// A new time-grid sampler is a step inside this loop.
template <class Step>
long step_over_grid(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times, Points& x,
                    BlockNoise& noise, const SamplerOptions& options, Trajectory* trajectory, Step&& step) {
  check_dimensions(score, x);
  check_time_grid(times);
  const long n = static_cast<long>(times.size()) - 1;
  const bool denoise_replaces_last = options.final_denoise && !(process.sigma(times.back()) > 0);
  long nfe = 0;
  if (trajectory) trajectory->record(times[0], x, 0);
  for (long k = 0; k < n; ++k) {
    if (options.corrector) nfe += options.corrector(score, process.level(times[k]), x, noise);
    if (denoise_replaces_last && k == n - 1)
      nfe += denoise_to_posterior_mean(score, process.level(times[k]), x);
    else
      nfe += step(k, times[k], times[k + 1]);
    if (trajectory) trajectory->record(times[k + 1], x, k + 1);
  }
  if (trajectory) trajectory->finish(times.back(), x, n);
  if (options.final_denoise && !denoise_replaces_last) {
    nfe += denoise_to_posterior_mean(score, process.level(times.back()), x);
    if (trajectory) trajectory->record(0.0, x, n + 1, true);
  }
  return nfe;
}

// Plain Langevin at each noise level of the grid (one level: a fixed score): steps_per_level steps
// x <- x + (step/2) s(x) + sqrt(step) z with step = step_size.
long langevin(const ScoreModel& score, const ForwardProcess& process, std::span<const double> levels, Points& x,
              const Stream& stream, const SamplerOptions& options = {}, Trajectory* trajectory = nullptr);

// Annealed Langevin (NCSN, Song & Ermon 2019): for each sigma_i of the grid (decreasing), steps_per_level Langevin
// steps with alpha_i = step_size sigma_i^2 / sigma_L^2.
long annealed_langevin(const ScoreModel& score, const ForwardProcess& process, std::span<const double> levels,
                       Points& x, const Stream& stream, const SamplerOptions& options = {},
                       Trajectory* trajectory = nullptr);

// Reverse-time SDE dx = [f - g^2 s] dt + g dW-bar with Euler-Maruyama on the grid times[0] > times[1] > ... .
long reverse_sde_euler_maruyama(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                                Points& x, const Stream& stream, const SamplerOptions& options = {},
                                Trajectory* trajectory = nullptr);

// Predictor-corrector (Song et al. 2021): Euler-Maruyama with langevin_corrector(corrector_steps, snr) at each time.
long predictor_corrector(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                         Points& x, const Stream& stream, const SamplerOptions& options = {},
                         Trajectory* trajectory = nullptr);

// Probability-flow ODE dx/dt = f - g^2 s / 2, explicit Euler. Draws no noise.
long probability_flow_euler(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                            Points& x, const Stream& stream, const SamplerOptions& options = {},
                            Trajectory* trajectory = nullptr);

// Probability-flow ODE with Heun's method (Karras et al. 2022, Alg. 1); a step that ends at sigma = 0 is an Euler
// step, so the EDM grid with N sigmas plus 0 costs 2N - 1 evaluations. Draws no noise.
long probability_flow_heun(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                           Points& x, const Stream& stream, const SamplerOptions& options = {},
                           Trajectory* trajectory = nullptr);

// DDPM ancestral sampling (Ho et al. 2020) for a variance-preserving process, on any decreasing subsequence of
// times: from t to s with alpha = abar_t / abar_s, beta = 1 - alpha,
//   x <- (x + beta s(x, t)) / sqrt(alpha) + sqrt(beta (1 - abar_s) / (1 - abar_t)) z.
// On the DDPM process with times i/T, i = T..0, this is exactly Ho et al.'s Algorithm 2 (with sigma^2 = beta~).
long ddpm_ancestral(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times, Points& x,
                    const Stream& stream, const SamplerOptions& options = {}, Trajectory* trajectory = nullptr);

// Song et al.'s Langevin corrector: `steps` moves x <- x + e s + sqrt(2e) z with e = 2 (snr |z| / |s|)^2 (norms
// averaged over points).
Corrector langevin_corrector(int steps, double snr);

// What the grid of a sampler holds.
enum class SamplerGrid {
  process_times,  // the process's default_times(steps)
  noise_levels,   // decreasing sigma levels (annealed Langevin)
  fixed_level     // a single sigma level (plain Langevin)
};

// One row of the sampler table: what a sampler needs, for the kinds that offer it by name.
struct SamplerInfo {
  std::string name;
  SamplerFunction run = nullptr;
  SamplerGrid grid = SamplerGrid::process_times;
  bool uses_noise = true;                                        // draws Gaussian noise from the stream
  bool needs_variance_preserving = false;                        // only defined for a^2 + sigma^2 = 1 (vp, ddpm, ou)
  std::string preferred_process = "vp";                          // the process a kind's process = "auto" picks
  int (*score_calls_per_step)(const SamplerOptions&) = nullptr;  // NFE of one grid step (or one Langevin step)
  std::string summary;
};

// Every sampler, in the order kinds list them.
const std::vector<SamplerInfo>& sampler_table();
// The row of `name`; throws std::invalid_argument naming the known samplers.
const SamplerInfo& find_sampler(std::string_view name);
std::vector<std::string> sampler_names();
// Adds (or replaces) a row, for samplers defined outside the library. Call before any kind is built (kinds read
// the names once); not thread-safe.
void register_sampler(SamplerInfo info);

}  // namespace spindiff::diffusion
