#pragma once
// MCMC correctors at one noise level (Du et al. 2023): a few Langevin steps that move the points toward the law
// whose score the sampler is given, x' = x + eps s(x) + sqrt(2 eps) z with eps = step * sigma(t)^2.
//   ula:  every proposal accepted (biased at finite eps);
//   mala: Metropolis-adjusted, exact for the wrapper's energy (WrappedScore::log_density), which is what makes a
//         composition of scores sample the product of the noised densities at every level.
#include <string>

#include "spindiff/diffusion/block_noise.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/samplers.hpp"

namespace spindiff::diffusion {

enum class CorrectorKind { none, ula, mala };
// "none", "ula", "mala"; throws std::invalid_argument naming the allowed values.
CorrectorKind corrector_from_name(const std::string& name);
std::string corrector_name(CorrectorKind kind);

struct CorrectorOptions {
  CorrectorKind kind = CorrectorKind::none;
  int steps = 1;      // Langevin steps per noise level
  double step = 0.1;  // eps / sigma(t)^2
};

struct CorrectorStats {
  long proposals = 0;  // point-steps proposed
  long accepted = 0;   // of which accepted (all of them for ula)
  double acceptance() const { return proposals > 0 ? double(accepted) / double(proposals) : 1.0; }
};

// Runs the corrector on x at the level. MALA needs score.has_log_density(); throws std::invalid_argument
// otherwise. Returns the score calls (one per step, plus one to start MALA).
long correct(const WrappedScore& score, const NoiseLevel& level, const CorrectorOptions& options, Points& x,
             BlockNoise& noise, CorrectorStats* stats = nullptr);

// The corrector as the samplers' per-level MCMC move (SamplerOptions::corrector) for the given wrapper score; the
// sampler must be run with that same score (std::logic_error otherwise). Returns the score calls it made; `stats`
// (optional) accumulates the acceptance.
Corrector mcmc_corrector(const WrappedScore& score, const CorrectorOptions& options, CorrectorStats* stats = nullptr);

}  // namespace spindiff::diffusion
