#include "spindiff/diffusion/samplers.hpp"

#include <cmath>
#include <stdexcept>

#include "spindiff/diffusion/block_noise.hpp"

namespace spindiff::diffusion {

void Trajectory::record(double t, const Points& x, long step, bool force) {
  if (rows.empty() || (!force && (every <= 0 || step % every != 0))) return;
  Points frame(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) frame.row(static_cast<Eigen::Index>(i)) = x.row(rows[i]);
  times.push_back(t);
  frames.push_back(std::move(frame));
}

namespace {

void check_grid(std::span<const double> times) {
  if (times.size() < 2) throw std::invalid_argument("sampler: need at least two times");
  for (std::size_t i = 1; i < times.size(); ++i)
    if (!(times[i] < times[i - 1])) throw std::invalid_argument("sampler: times must decrease strictly");
}

void check_dim(const ScoreModel& score, const Points& x) {
  if (score.dim() != x.cols()) throw std::invalid_argument("sampler: points and score model differ in dimension");
}

// Record the final state unless the step counter already did.
void finish(Trajectory* tr, double t, const Points& x, long step) {
  if (tr && (tr->every <= 0 || step % tr->every != 0)) tr->record(t, x, step, true);
}

// The loop of the samplers on a time grid: step(k, t, t_next) moves x from times[k] to times[k + 1]; the
// trajectory gets the first state, the state after every step and the last state. Returns the number of steps.
template <class Step>
long over_grid(std::span<const double> times, Points& x, Trajectory* trajectory, Step&& step) {
  const long n = static_cast<long>(times.size()) - 1;
  if (trajectory) trajectory->record(times[0], x, 0);
  for (long k = 0; k < n; ++k) {
    step(k, times[k], times[k + 1]);
    if (trajectory) trajectory->record(times[k + 1], x, k + 1);
  }
  finish(trajectory, times.back(), x, n);
  return n;
}

}  // namespace

long langevin(const ScoreModel& score, const NoiseLevel& level, double step, int n_steps, Points& x,
              const Stream& stream, Trajectory* trajectory) {
  check_dim(score, x);
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  if (trajectory) trajectory->record(level.t, x, 0);
  const double root = std::sqrt(step);
  for (int k = 1; k <= n_steps; ++k) {
    score.score(x, level, s);
    noise.fill(z);
    x += 0.5 * step * s + root * z;
    if (trajectory) trajectory->record(level.t, x, k);
  }
  finish(trajectory, level.t, x, n_steps);
  return n_steps;
}

long annealed_langevin(const ScoreModel& score, std::span<const double> sigmas, int steps_per_level, double eps,
                       Points& x, const Stream& stream, Trajectory* trajectory) {
  check_dim(score, x);
  if (sigmas.empty()) throw std::invalid_argument("annealed Langevin: no sigma levels");
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  const double last = sigmas.back();
  long step = 0;
  if (trajectory) trajectory->record(sigmas.front(), x, 0);
  for (double sigma : sigmas) {
    const NoiseLevel level{sigma, 1.0, sigma};
    const double alpha = eps * sigma * sigma / (last * last), root = std::sqrt(alpha);
    for (int k = 0; k < steps_per_level; ++k) {
      score.score(x, level, s);
      noise.fill(z);
      x += 0.5 * alpha * s + root * z;
      ++step;
      if (trajectory) trajectory->record(sigma, x, step);
    }
  }
  finish(trajectory, last, x, step);
  return step;
}

long reverse_sde_euler_maruyama(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                                Points& x, const Stream& stream, Trajectory* trajectory, bool denoise_last) {
  // The predictor of predictor_corrector alone: the same steps, noise draws and evaluations.
  return predictor_corrector(score, process, times, 0, 0.0, x, stream, trajectory, denoise_last);
}

long predictor_corrector(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                         int corrector_steps, double snr, Points& x, const Stream& stream, Trajectory* trajectory,
                         bool denoise_last) {
  check_dim(score, x);
  check_grid(times);
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  const long last = static_cast<long>(times.size()) - 2;
  long nfe = 0;
  over_grid(times, x, trajectory, [&](long k, double t, double t_next) {
    const double dt = t - t_next;
    const NoiseLevel level = process.level(t);
    for (int c = 0; c < corrector_steps; ++c) {
      score.score(x, level, s);
      ++nfe;
      noise.fill(z);
      const double s_norm = s.rowwise().norm().mean(), z_norm = z.rowwise().norm().mean();
      const double e = s_norm > 0 ? 2.0 * std::pow(snr * z_norm / s_norm, 2) : 0.0;
      x += e * s + std::sqrt(2.0 * e) * z;
    }
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(x, level, s);
    ++nfe;
    x += (g * g * dt) * s - (f * dt) * x;
    if (!(denoise_last && k == last)) {
      noise.fill(z);
      x += (g * std::sqrt(dt)) * z;
    }
  });
  return nfe;
}

long probability_flow_euler(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                            Points& x, Trajectory* trajectory) {
  check_dim(score, x);
  check_grid(times);
  Points s(x.rows(), x.cols());
  return over_grid(times, x, trajectory, [&](long, double t, double t_next) {
    const double dt = t - t_next;
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(x, process.level(t), s);
    x += (0.5 * g * g * dt) * s - (f * dt) * x;
  });
}

long probability_flow_heun(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                           Points& x, Trajectory* trajectory) {
  check_dim(score, x);
  check_grid(times);
  Points s(x.rows(), x.cols()), v0(x.rows(), x.cols()), v1(x.rows(), x.cols()), x1(x.rows(), x.cols());
  long nfe = 0;
  // v = dx/dt; the step goes backwards in t, so x_next = x - dt v.
  auto velocity = [&](const Points& y, double t, Points& v) {
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(y, process.level(t), s);
    ++nfe;
    v = f * y - (0.5 * g * g) * s;
  };
  over_grid(times, x, trajectory, [&](long, double t, double t_next) {
    const double dt = t - t_next;
    velocity(x, t, v0);
    x1 = x - dt * v0;
    if (process.sigma(t_next) > 0) {
      velocity(x1, t_next, v1);
      x -= (0.5 * dt) * (v0 + v1);
    } else {
      x = x1;
    }
  });
  return nfe;
}

long ddpm_ancestral(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times, Points& x,
                    const Stream& stream, Trajectory* trajectory) {
  check_dim(score, x);
  check_grid(times);
  if (!process.variance_preserving())
    throw std::invalid_argument("DDPM ancestral sampling needs a variance-preserving process (vp, ddpm, ou)");
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  return over_grid(times, x, trajectory, [&](long, double t, double t_next) {
    const double abar_t = std::pow(process.scale(t), 2), abar_s = std::pow(process.scale(t_next), 2);
    const double alpha = abar_t / abar_s, beta = 1.0 - alpha;
    score.score(x, process.level(t), s);
    x = (x + beta * s) / std::sqrt(alpha);
    const double var = beta * (1.0 - abar_s) / (1.0 - abar_t);
    if (var > 0) {
      noise.fill(z);
      x += std::sqrt(var) * z;
    }
  });
}

}  // namespace spindiff::diffusion
