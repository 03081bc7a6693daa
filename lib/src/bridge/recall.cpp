#include "spindiff/bridge/recall.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"

namespace spindiff::bridge {

RecallMethod parse_recall_method(std::string_view name) {
  if (name == "hebb") return RecallMethod::hebb;
  if (name == "modern") return RecallMethod::modern;
  if (name == "diffusion") return RecallMethod::diffusion;
  if (name == "learned") return RecallMethod::learned;
  throw std::invalid_argument("unknown recall method: " + std::string(name));
}

diffusion::Points pattern_points(const hopfield::Patterns& patterns) {
  diffusion::Points x(static_cast<Eigen::Index>(patterns.P), static_cast<Eigen::Index>(patterns.N));
  for (std::size_t i = 0; i < patterns.N; ++i)
    for (std::size_t mu = 0; mu < patterns.P; ++mu)
      x(static_cast<Eigen::Index>(mu), static_cast<Eigen::Index>(i)) = patterns(i, mu);
  return x;
}

std::vector<std::int8_t> noisy_cue(std::span<const std::int8_t> pattern, double noise, Stream& rng) {
  if (!(noise >= 0 && noise <= 1)) throw std::invalid_argument("noisy_cue: noise must be in [0, 1]");
  std::vector<std::int8_t> cue(pattern.begin(), pattern.end());
  std::vector<std::uint32_t> sites(cue.size());
  std::iota(sites.begin(), sites.end(), 0U);
  const auto flips = static_cast<std::size_t>(std::lround(noise * static_cast<double>(cue.size())));
  // Partial Fisher-Yates: the first `flips` entries become a uniform random subset.
  for (std::size_t k = 0; k < flips; ++k) {
    const std::size_t j = k + rng.below(static_cast<std::uint32_t>(sites.size() - k));
    std::swap(sites[k], sites[j]);
    cue[sites[k]] = static_cast<std::int8_t>(-cue[sites[k]]);
  }
  return cue;
}

double sign_overlap(std::span<const std::int8_t> pattern, const Eigen::Ref<const Eigen::RowVectorXd>& x) {
  if (static_cast<Eigen::Index>(pattern.size()) != x.size()) throw std::invalid_argument("sign_overlap: sizes differ");
  double m = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) m += pattern[i] * (x[static_cast<Eigen::Index>(i)] >= 0 ? 1 : -1);
  return m / static_cast<double>(pattern.size());
}

double cue_time(double noise) {
  if (!(noise >= 0 && noise < 0.5)) throw std::invalid_argument("cue_time: noise must be in [0, 0.5)");
  return -std::log1p(-2.0 * noise);
}

void diffusion_recall(const diffusion::ScoreModel& score, diffusion::Points& x, double noise, int steps, double t_min,
                      const Stream& stream) {
  const double t0 = cue_time(noise);
  if (t0 <= t_min) return;
  if (steps < 1) throw std::invalid_argument("diffusion_recall: need at least one step");
  const diffusion::OrnsteinUhlenbeck ou(t0, t_min);
  const std::vector<double> times = diffusion::linspace(t0, t_min, steps + 1);
  diffusion::SamplerOptions options;
  options.denoise_last = true;
  diffusion::reverse_sde_euler_maruyama(score, ou, times, x, stream, options);
}

}  // namespace spindiff::bridge
