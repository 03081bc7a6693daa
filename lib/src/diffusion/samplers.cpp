#include "spindiff/diffusion/samplers.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace spindiff::diffusion {

void Trajectory::record(double t, const Points& x, long step, bool force) {
  if (rows.empty() || (!force && (every <= 0 || step % every != 0))) return;
  Points frame(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) frame.row(static_cast<Eigen::Index>(i)) = x.row(rows[i]);
  times.push_back(t);
  frames.push_back(std::move(frame));
}

void Trajectory::finish(double t, const Points& x, long steps) {
  if (every <= 0 || steps % every != 0) record(t, x, steps, true);
}

void check_time_grid(std::span<const double> times) {
  if (times.size() < 2) throw std::invalid_argument("sampler: need at least two times");
  for (std::size_t i = 1; i < times.size(); ++i)
    if (!(times[i] < times[i - 1])) throw std::invalid_argument("sampler: times must decrease strictly");
}

void check_dimensions(const ScoreModel& score, const Points& x) {
  if (score.dim() != x.cols()) throw std::invalid_argument("sampler: points and score model differ in dimension");
}

long denoise_to_posterior_mean(const ScoreModel& score, const NoiseLevel& level, Points& x) {
  check_dimensions(score, x);
  if (!(level.sigma > 0)) return 0;
  Points s(x.rows(), x.cols());
  score.score(x, level, s);
  x = (x + (level.sigma * level.sigma) * s) / level.scale;
  return 1;
}

namespace {

// The loop of the Langevin samplers: steps_per_level moves x <- x + (alpha/2) s + sqrt(alpha) z at each level of
// the grid, alpha = step_of(level), then the options' final denoising at the last level. Returns the NFE.
template <class StepSize>
long over_levels(const ScoreModel& score, const ForwardProcess& process, std::span<const double> levels, Points& x,
                 const Stream& stream, const SamplerOptions& options, Trajectory* trajectory, StepSize&& step_of) {
  check_dimensions(score, x);
  if (levels.empty()) throw std::invalid_argument("Langevin sampler: no noise levels");
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  long step = 0, nfe = 0;
  if (trajectory) trajectory->record(levels.front(), x, 0);
  for (double t : levels) {
    const NoiseLevel level = process.level(t);
    if (options.corrector) nfe += options.corrector(score, level, x, noise);
    const double alpha = step_of(level), root = std::sqrt(alpha);
    for (int k = 0; k < options.steps_per_level; ++k) {
      score.score(x, level, s);
      noise.fill(z);
      x += 0.5 * alpha * s + root * z;
      ++step;
      if (trajectory) trajectory->record(t, x, step);
    }
  }
  if (trajectory) trajectory->finish(levels.back(), x, step);
  if (options.final_denoise) {
    nfe += denoise_to_posterior_mean(score, process.level(levels.back()), x);
    if (trajectory) trajectory->record(0.0, x, step + 1, true);
  }
  return nfe + step;
}

}  // namespace

long langevin(const ScoreModel& score, const ForwardProcess& process, std::span<const double> levels, Points& x,
              const Stream& stream, const SamplerOptions& options, Trajectory* trajectory) {
  return over_levels(score, process, levels, x, stream, options, trajectory,
                     [&](const NoiseLevel&) { return options.step_size; });
}

long annealed_langevin(const ScoreModel& score, const ForwardProcess& process, std::span<const double> levels,
                       Points& x, const Stream& stream, const SamplerOptions& options, Trajectory* trajectory) {
  const double last = levels.empty() ? 0.0 : process.sigma(levels.back());
  return over_levels(score, process, levels, x, stream, options, trajectory, [&](const NoiseLevel& level) {
    return options.step_size * level.sigma * level.sigma / (last * last);
  });
}

Corrector langevin_corrector(int steps, double snr) {
  return [steps, snr](const ScoreModel& score, const NoiseLevel& level, Points& x, BlockNoise& noise) {
    Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
    for (int c = 0; c < steps; ++c) {
      score.score(x, level, s);
      noise.fill(z);
      const double s_norm = s.rowwise().norm().mean(), z_norm = z.rowwise().norm().mean();
      const double e = s_norm > 0 ? 2.0 * std::pow(snr * z_norm / s_norm, 2) : 0.0;
      x += e * s + std::sqrt(2.0 * e) * z;
    }
    return static_cast<long>(steps);
  };
}

long reverse_sde_euler_maruyama(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                                Points& x, const Stream& stream, const SamplerOptions& options,
                                Trajectory* trajectory) {
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  const long last = static_cast<long>(times.size()) - 2;
  return step_over_grid(score, process, times, x, noise, options, trajectory, [&](long k, double t, double t_next) {
    const double dt = t - t_next;
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(x, process.level(t), s);
    x += (g * g * dt) * s - (f * dt) * x;
    if (!(options.denoise_last && k == last)) {
      noise.fill(z);
      x += (g * std::sqrt(dt)) * z;
    }
    return 1L;
  });
}

long predictor_corrector(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                         Points& x, const Stream& stream, const SamplerOptions& options, Trajectory* trajectory) {
  SamplerOptions with_corrector = options;
  with_corrector.corrector = [langevin = langevin_corrector(options.corrector_steps, options.snr),
                              extra = options.corrector](const ScoreModel& s, const NoiseLevel& level, Points& y,
                                                         BlockNoise& noise) {
    const long nfe = langevin(s, level, y, noise);
    return extra ? nfe + extra(s, level, y, noise) : nfe;
  };
  return reverse_sde_euler_maruyama(score, process, times, x, stream, with_corrector, trajectory);
}

long probability_flow_euler(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                            Points& x, const Stream& stream, const SamplerOptions& options, Trajectory* trajectory) {
  BlockNoise noise(stream);  // for the options' corrector only
  Points s(x.rows(), x.cols());
  return step_over_grid(score, process, times, x, noise, options, trajectory, [&](long, double t, double t_next) {
    const double dt = t - t_next;
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(x, process.level(t), s);
    x += (0.5 * g * g * dt) * s - (f * dt) * x;
    return 1L;
  });
}

long probability_flow_heun(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times,
                           Points& x, const Stream& stream, const SamplerOptions& options, Trajectory* trajectory) {
  BlockNoise noise(stream);  // for the options' corrector only
  Points s(x.rows(), x.cols()), v0(x.rows(), x.cols()), v1(x.rows(), x.cols()), x1(x.rows(), x.cols());
  // v = dx/dt; the step goes backwards in t, so x_next = x - dt v.
  auto velocity = [&](const Points& y, double t, Points& v) {
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(y, process.level(t), s);
    v = f * y - (0.5 * g * g) * s;
  };
  return step_over_grid(score, process, times, x, noise, options, trajectory, [&](long, double t, double t_next) {
    const double dt = t - t_next;
    velocity(x, t, v0);
    x1 = x - dt * v0;
    if (process.sigma(t_next) > 0) {
      velocity(x1, t_next, v1);
      x -= (0.5 * dt) * (v0 + v1);
      return 2L;
    }
    x = x1;
    return 1L;
  });
}

long ddpm_ancestral(const ScoreModel& score, const ForwardProcess& process, std::span<const double> times, Points& x,
                    const Stream& stream, const SamplerOptions& options, Trajectory* trajectory) {
  if (!process.variance_preserving())
    throw std::invalid_argument("DDPM ancestral sampling needs a variance-preserving process (vp, ddpm, ou)");
  BlockNoise noise(stream);
  Points s(x.rows(), x.cols()), z(x.rows(), x.cols());
  return step_over_grid(score, process, times, x, noise, options, trajectory, [&](long, double t, double t_next) {
    const double abar_t = std::pow(process.scale(t), 2), abar_s = std::pow(process.scale(t_next), 2);
    const double alpha = abar_t / abar_s, beta = 1.0 - alpha;
    score.score(x, process.level(t), s);
    x = (x + beta * s) / std::sqrt(alpha);
    const double var = beta * (1.0 - abar_s) / (1.0 - abar_t);
    if (var > 0) {
      noise.fill(z);
      x += std::sqrt(var) * z;
    }
    return 1L;
  });
}

// ---- the table

namespace {

int one_call(const SamplerOptions&) { return 1; }

std::vector<SamplerInfo>& table() {
  static std::vector<SamplerInfo> rows = {
      {"langevin", langevin, SamplerGrid::fixed_level, true, false, "vp", one_call,
       "plain Langevin with the score at one noise level"},
      {"annealed_langevin", annealed_langevin, SamplerGrid::noise_levels, true, false, "vp", one_call,
       "annealed Langevin over geometric sigma levels (Song & Ermon 2019)"},
      {"euler_maruyama", reverse_sde_euler_maruyama, SamplerGrid::process_times, true, false, "vp", one_call,
       "reverse-time SDE, Euler-Maruyama"},
      {"predictor_corrector", predictor_corrector, SamplerGrid::process_times, true, false, "vp",
       [](const SamplerOptions& o) { return 1 + o.corrector_steps; },
       "Euler-Maruyama predictor with a Langevin corrector (Song et al. 2021)"},
      {"ode_euler", probability_flow_euler, SamplerGrid::process_times, false, false, "edm", one_call,
       "probability-flow ODE, explicit Euler"},
      {"ode_heun", probability_flow_heun, SamplerGrid::process_times, false, false, "edm",
       [](const SamplerOptions&) { return 2; }, "probability-flow ODE, Heun (Karras et al. 2022)"},
      {"ddpm", ddpm_ancestral, SamplerGrid::process_times, true, true, "ddpm", one_call,
       "DDPM ancestral sampling (Ho et al. 2020)"},
  };
  return rows;
}

}  // namespace

const std::vector<SamplerInfo>& sampler_table() { return table(); }

const SamplerInfo& find_sampler(std::string_view name) {
  for (const SamplerInfo& row : table())
    if (row.name == name) return row;
  std::string known;
  for (const SamplerInfo& row : table()) known += (known.empty() ? "" : ", ") + row.name;
  throw std::invalid_argument("unknown sampler '" + std::string(name) + "' (" + known + ")");
}

std::vector<std::string> sampler_names() {
  std::vector<std::string> names;
  for (const SamplerInfo& row : table()) names.push_back(row.name);
  return names;
}

void register_sampler(SamplerInfo info) {
  auto& rows = table();
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const SamplerInfo& r) { return r.name == info.name; });
  if (it != rows.end())
    *it = std::move(info);
  else
    rows.push_back(std::move(info));
}

}  // namespace spindiff::diffusion
