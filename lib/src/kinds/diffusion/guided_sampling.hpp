#pragma once
// What the guidance and composition kinds share: the samplers a wrapper score runs under, by name, and the
// forward process of a task.
#include <memory>
#include <string>
#include <vector>

#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/samplers.hpp"

namespace spindiff::runner::diffusion_kinds {

// Samplers on a time grid that take any score: euler_maruyama, ode_euler, ode_heun, ddpm.
const std::vector<std::string>& grid_samplers();
// Runs the named sampler from the prior of the process over its default grid of `steps` steps; returns the
// sampler's count of score calls.
long run_grid_sampler(const std::string& sampler, const spindiff::diffusion::ScoreModel& score,
                      const spindiff::diffusion::ForwardProcess& process, int steps, spindiff::diffusion::Points& x,
                      const Stream& noise);

}  // namespace spindiff::runner::diffusion_kinds
