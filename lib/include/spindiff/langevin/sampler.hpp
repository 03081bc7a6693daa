#pragma once
// Runs many independent particles with one integrator and collects what the Boltzmann checks need:
// a histogram of coordinate 0 (or of coordinates 0 and 1), the ensemble-mean energy at every record,
// power sums of coordinate 0, per-particle series for the autocorrelation and a few trajectories.
#include <cstdint>
#include <functional>
#include <vector>

#include "spindiff/core/bytes.hpp"
#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/integrators.hpp"
#include "spindiff/langevin/potentials.hpp"

namespace spindiff::langevin {

struct HistogramSpec {
  int dims = 1;  // 1: coordinate 0; 2: coordinates 0 and 1
  int bins = 100;
  double lo[2] = {-3.0, -3.0};
  double hi[2] = {3.0, 3.0};
};

struct SamplerSettings {
  Method method = Method::euler;
  Dynamics dyn;
  std::int64_t particles = 1000;
  std::int64_t steps = 10000;      // recorded phase
  std::int64_t thermalize = 1000;  // discarded first
  std::int64_t record_every = 10;
  // Initial positions uniform in the box [init_lo[c], init_hi[c]] (one entry = the same for every coordinate).
  std::vector<double> init_lo = {-1.0}, init_hi = {1.0};
  HistogramSpec histogram;
  int trajectory_particles = 0;  // particles 0..n-1 saved every trajectory_every steps (thermalisation included)
  std::int64_t trajectory_every = 100;
  int series_particles = 0;  // coordinate-0 series (every record) of particles 0..n-1, for the autocorrelation
  int block_size = 1024;
  int threads = 1;
};

struct SamplerResult {
  std::vector<std::int64_t> counts;         // bins (1-D) or bins x bins row-major [ix * bins + iy]
  std::int64_t samples = 0;                 // histogram entries = particles x records
  std::int64_t outside = 0;                 // entries outside the histogram range
  std::vector<double> mean_energy;          // ensemble mean of U at each record (NaN if U unknown)
  double power_sums[4] = {0, 0, 0, 0};      // sum of x0, x0^2, x0^3, x0^4 over all entries
  std::int64_t proposed = 0, accepted = 0;  // MALA
  // Particles whose trajectory diverged: a non-finite coordinate or energy (or x0^2 overflowing) at some record,
  // or a non-finite coordinate at the end. Their entries stay in the sums above (as NaN, or outside the histogram).
  std::int64_t diverged_particles = 0;
  std::vector<double> trajectory;  // [save][particle][coordinate]
  std::vector<double> trajectory_time;
  std::vector<std::vector<double>> series;  // per particle, coordinate 0 at every record
  double acceptance() const { return proposed ? static_cast<double>(accepted) / proposed : 1.0; }
  template <class Archive>
  void fields(Archive& ar) {
    ar(counts, samples, outside, mean_energy, power_sums, proposed, accepted, diverged_particles, trajectory,
       trajectory_time, series);
  }
};

// Checkpoints of a long run: between two segments of steps (tens of milliseconds each) `due()` is asked,
// and when it says so `save` gets the run's whole state (every particle, stream and partial sum); a run
// given `restored` continues from such a state and ends bit for bit as the uninterrupted run.
struct SamplerCheckpoints {
  std::function<bool()> due;
  std::function<void(Bytes&&)> save;
  const Bytes* restored = nullptr;
};

// `stream` is the run's dynamics stream; block k uses stream.substream(k).
SamplerResult sample(const Potential& potential, const SamplerSettings& settings, const Stream& stream,
                     const std::function<void(double)>& progress = {}, const SamplerCheckpoints* checkpoints = nullptr);

}  // namespace spindiff::langevin
