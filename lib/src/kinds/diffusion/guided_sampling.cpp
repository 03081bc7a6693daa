#include "guided_sampling.hpp"

#include <stdexcept>

namespace spindiff::runner::diffusion_kinds {

namespace dd = spindiff::diffusion;

const std::vector<std::string>& grid_samplers() {
  static const std::vector<std::string> names = {"euler_maruyama", "ode_euler", "ode_heun", "ddpm"};
  return names;
}

long run_grid_sampler(const std::string& sampler, const dd::ScoreModel& score, const dd::ForwardProcess& process,
                      int steps, dd::Points& x, const Stream& noise) {
  const auto times = dd::default_times(process, steps);
  if (sampler == "euler_maruyama") return dd::reverse_sde_euler_maruyama(score, process, times, x, noise);
  if (sampler == "ode_euler") return dd::probability_flow_euler(score, process, times, x);
  if (sampler == "ode_heun") return dd::probability_flow_heun(score, process, times, x);
  if (sampler == "ddpm") return dd::ddpm_ancestral(score, process, times, x, noise);
  throw std::invalid_argument("unknown sampler '" + sampler + "'");
}

}  // namespace spindiff::runner::diffusion_kinds
