#pragma once
// What the guidance and composition kinds share: the samplers a wrapper score runs under, by name, and the
// forward process of a task.
#include <memory>
#include <string>
#include <vector>

#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner::diffusion_kinds {

// The `final_denoise` parameter every sampling kind offers (SamplerOptions::final_denoise); default false.
ParamSpec final_denoise_param();

// The samplers of the table that run on the process's time grid (reverse SDE, probability-flow ODE, DDPM, ...).
std::vector<std::string> grid_samplers();
// Runs the named sampler over the process's default grid of `steps` steps; returns its count of score calls.
long run_grid_sampler(const std::string& sampler, const spindiff::diffusion::ScoreModel& score,
                      const spindiff::diffusion::ForwardProcess& process, int steps, spindiff::diffusion::Points& x,
                      const Stream& noise, const spindiff::diffusion::SamplerOptions& options = {});

}  // namespace spindiff::runner::diffusion_kinds
