#include "guided_sampling.hpp"

#include <stdexcept>

namespace spindiff::runner::diffusion_kinds {

namespace dd = spindiff::diffusion;

ParamSpec final_denoise_param() {
  // Added after these kinds' experiments were run: unset, it keeps their streams.
  return unkeyed_at_default(
      bool_param("final_denoise", false,
                 "end with Tweedie's denoising step: the posterior mean (x + sigma^2 s(x, t)) / a at the last noise "
                 "level above zero (replaces a last step into sigma = 0, otherwise one more score call, in nfe)"));
}

std::vector<std::string> grid_samplers() {
  std::vector<std::string> names;
  for (const dd::SamplerInfo& info : dd::sampler_table())
    if (info.grid == dd::SamplerGrid::process_times) names.push_back(info.name);
  return names;
}

long run_grid_sampler(const std::string& sampler, const dd::ScoreModel& score, const dd::ForwardProcess& process,
                      int steps, dd::Points& x, const Stream& noise, const dd::SamplerOptions& options) {
  const dd::SamplerInfo& info = dd::find_sampler(sampler);
  if (info.grid != dd::SamplerGrid::process_times)
    throw std::invalid_argument("sampler '" + sampler + "' does not run on a time grid");
  const auto times = process.default_times(steps);
  return info.run(score, process, times, x, noise, options, nullptr);
}

}  // namespace spindiff::runner::diffusion_kinds
