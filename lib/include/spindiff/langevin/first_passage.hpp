#pragma once
// First-passage times of coordinate 0 from `start` to `target` (e.g. from one well to the other).
// Particles that have arrived are removed from their block now and then, so the cost is proportional to the
// total time actually simulated, not to the slowest particle.
#include <cstdint>
#include <functional>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/integrators.hpp"
#include "spindiff/langevin/potentials.hpp"
#include "spindiff/langevin/sampler.hpp"

namespace spindiff::langevin {

struct EscapeSettings {
  Method method = Method::euler;
  Dynamics dyn;
  std::int64_t particles = 1000;
  double start = -1.0;    // every coordinate starts here
  double target = 1.0;    // passage when coordinate 0 reaches it
  double max_time = 1e3;  // particles still out by then are censored (time = +inf)
  int block_size = 1024;
  int threads = 1;
};

struct EscapeResult {
  std::vector<double> times;  // per particle; +inf if censored, NaN if the integration diverged
  std::int64_t censored = 0;
  std::int64_t diverged = 0;  // particles whose position became non-finite before arriving
  double mean() const;        // over arrived particles
  double standard_error() const;
};

// The largest number of steps max_time / dt may ask for (step counts stay exact in a double).
inline constexpr double max_escape_steps = 9007199254740992.0;  // 2^53

// Block k uses stream.substream(k). Throws std::invalid_argument when max_time / dt exceeds max_escape_steps.
// `checkpoints` (langevin/sampler.hpp): the run's whole state between segments of steps, and a run that
// continues from one.
EscapeResult first_passage_times(const Potential& potential, const EscapeSettings& settings, const Stream& stream,
                                 const std::function<void(double)>& progress = {},
                                 const SamplerCheckpoints* checkpoints = nullptr);

}  // namespace spindiff::langevin
