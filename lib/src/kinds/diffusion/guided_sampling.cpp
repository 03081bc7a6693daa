#include "guided_sampling.hpp"

#include <stdexcept>

namespace spindiff::runner::diffusion_kinds {

namespace dd = spindiff::diffusion;

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
