#include "spindiff/langevin/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/core/parallel.hpp"

namespace spindiff::langevin {
namespace {

struct BlockOutput {
  std::vector<std::int64_t> counts;
  std::int64_t outside = 0;
  std::vector<double> energy_sum;  // per record
  double power_sums[4] = {0, 0, 0, 0};
  std::vector<double> trajectory;  // [save][local particle][coordinate]
  std::vector<std::vector<double>> series;
  std::vector<std::uint8_t> diverged;  // per local particle: 1 once its state or energy was seen non-finite

  template <class Archive>
  void fields(Archive& ar) {
    ar(counts, outside, energy_sum, power_sums, trajectory, series, diverged);
  }
};

int bin_of(double x, double lo, double hi, int bins) {
  if (!(x >= lo) || !(x < hi)) return -1;
  return std::min(bins - 1, static_cast<int>((x - lo) / (hi - lo) * bins));
}

// One block of particles: its state, what it has recorded, and which of its particles are traced.
struct BlockRun {
  Block b;
  BlockOutput out;
  Eigen::Index traj_n = 0, series_n = 0;
  template <class Archive>
  void fields(Archive& ar) {
    ar(b, out, traj_n, series_n);
  }
};

template <class P>
void start_block(const Stepper<P>& stepper, const SamplerSettings& s, std::int64_t first, Eigen::Index n,
                 const Stream& rng, BlockRun& run) {
  const int dim = static_cast<int>(stepper.potential().dim);
  Block& b = run.b;
  b = Block(n, dim, rng);
  for (int c = 0; c < dim; ++c) {
    const std::size_t k = s.init_lo.size() == 1 ? 0 : static_cast<std::size_t>(c);
    for (Eigen::Index i = 0; i < n; ++i) b.x(i, c) = b.rng.uniform(s.init_lo[k], s.init_hi[k]);
  }
  stepper.prepare(b);
  const HistogramSpec& h = s.histogram;
  const std::int64_t records = s.steps / s.record_every;
  run.out.counts.assign(h.dims == 1 ? h.bins : static_cast<std::size_t>(h.bins) * h.bins, 0);
  run.out.energy_sum.assign(static_cast<std::size_t>(records), 0.0);
  run.out.diverged.assign(static_cast<std::size_t>(n), 0);
  run.traj_n = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(s.trajectory_particles - first), 0, n);
  run.series_n = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(s.series_particles - first), 0, n);
  run.out.series.assign(static_cast<std::size_t>(run.series_n), {});
  for (Eigen::Index i = 0; i < run.traj_n; ++i)
    for (int c = 0; c < dim; ++c) run.out.trajectory.push_back(b.x(i, c));
}

// Steps from..until (1-based step numbers from + 1 .. until) of one block.
template <class P>
void advance_block(const Stepper<P>& stepper, const SamplerSettings& s, BlockRun& run, std::int64_t from,
                   std::int64_t until) {
  Block& b = run.b;
  BlockOutput& out = run.out;
  const int dim = static_cast<int>(b.x.cols());
  const HistogramSpec& h = s.histogram;
  const std::int64_t records = s.steps / s.record_every;
  const Eigen::Index n = b.size();
  for (std::int64_t t = from + 1; t <= until; ++t) {
    stepper.step(b);
    if (run.traj_n > 0 && t % s.trajectory_every == 0)
      for (Eigen::Index i = 0; i < run.traj_n; ++i)
        for (int c = 0; c < dim; ++c) out.trajectory.push_back(b.x(i, c));
    if (t <= s.thermalize || (t - s.thermalize) % s.record_every != 0) continue;
    const std::int64_t r = (t - s.thermalize) / s.record_every - 1;
    if (r >= records) continue;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double x0 = b.x(i, 0);
      const double x2 = x0 * x0;
      out.power_sums[0] += x0;
      out.power_sums[1] += x2;
      out.power_sums[2] += x2 * x0;
      out.power_sums[3] += x2 * x2;
      if (!std::isfinite(x2)) out.diverged[static_cast<std::size_t>(i)] = 1;
      const int ix = bin_of(x0, h.lo[0], h.hi[0], h.bins);
      int cell = ix;
      if (h.dims == 2 && ix >= 0) {
        const int iy = bin_of(b.x(i, 1), h.lo[1], h.hi[1], h.bins);
        cell = iy < 0 ? -1 : ix * h.bins + iy;
      }
      if (cell < 0)
        ++out.outside;
      else
        ++out.counts[static_cast<std::size_t>(cell)];
    }
    for (Eigen::Index i = 0; i < run.series_n; ++i) out.series[static_cast<std::size_t>(i)].push_back(b.x(i, 0));
    if (P::has_energy) {
      stepper.energies(b);
      out.energy_sum[static_cast<std::size_t>(r)] = b.energy.sum();
      for (Eigen::Index i = 0; i < n; ++i)
        if (!std::isfinite(b.energy(i))) out.diverged[static_cast<std::size_t>(i)] = 1;
    }
  }
}

constexpr std::uint32_t kCheckpointTag = 0x4C474E31;  // "LGN1"

// All blocks advance together segment by segment; between two segments the whole run is plain values (a
// checkpoint). Each block's steps are the same whatever the segments, so the results do not depend on them.
template <class P>
std::vector<BlockRun> run_blocks(const P& pot, const SamplerSettings& s, const Stream& stream,
                                 const std::function<void(double)>& progress, const SamplerCheckpoints* checkpoints) {
  const int blocks = static_cast<int>((s.particles + s.block_size - 1) / s.block_size);
  std::vector<Stepper<P>> steppers;
  steppers.reserve(static_cast<std::size_t>(blocks));
  for (int k = 0; k < blocks; ++k) steppers.emplace_back(pot, s.method, s.dyn);
  std::vector<BlockRun> runs(static_cast<std::size_t>(blocks));
  parallel_for(static_cast<std::size_t>(blocks), s.threads, [&](std::size_t k) {
    const std::int64_t first = static_cast<std::int64_t>(k) * s.block_size;
    const auto n = static_cast<Eigen::Index>(std::min<std::int64_t>(s.block_size, s.particles - first));
    start_block(steppers[k], s, first, n, stream.substream(k), runs[k]);
  });
  std::int64_t done = 0;
  if (checkpoints && checkpoints->restored) {
    ByteReader r(*checkpoints->restored);
    r.tag(kCheckpointTag);
    r(done, runs);
    if (!r.done()) throw std::runtime_error("sampler checkpoint has trailing bytes");
  }
  const std::int64_t total = s.thermalize + s.steps;
  // About a million particle-steps per segment (milliseconds), at least 16 steps.
  const std::int64_t segment = std::max<std::int64_t>(16, (std::int64_t{1} << 20) / s.particles);
  while (done < total) {
    const std::int64_t until = std::min(total, done + segment);
    parallel_for(static_cast<std::size_t>(blocks), s.threads,
                 [&](std::size_t k) { advance_block(steppers[k], s, runs[k], done, until); });
    done = until;
    if (progress) progress(static_cast<double>(done) / static_cast<double>(total));
    if (checkpoints && done < total && checkpoints->due && checkpoints->due()) {
      ByteWriter w;
      w.tag(kCheckpointTag);
      w(done, runs);
      checkpoints->save(std::move(w).bytes());
    }
  }
  return runs;
}

}  // namespace

SamplerResult sample(const Potential& potential, const SamplerSettings& s, const Stream& stream,
                     const std::function<void(double)>& progress, const SamplerCheckpoints* checkpoints) {
  if (s.particles < 1 || s.steps < 1 || s.thermalize < 0 || s.record_every < 1 || s.block_size < 1 ||
      s.trajectory_every < 1)
    throw std::invalid_argument("sample: particles, steps, record_every, block_size must be positive");
  const int dim = potential_dim(potential);
  if (s.init_lo.size() != s.init_hi.size() ||
      (s.init_lo.size() != 1 && s.init_lo.size() != static_cast<std::size_t>(dim)))
    throw std::invalid_argument("sample: init_lo/init_hi need 1 or dim entries each");
  if (s.histogram.dims == 2 && dim < 2) throw std::invalid_argument("sample: a 2-D histogram needs dim >= 2");
  const std::vector<BlockRun> runs =
      std::visit([&](const auto& pot) { return run_blocks(pot, s, stream, progress, checkpoints); }, potential);
  const int blocks = static_cast<int>(runs.size());

  // Merge in block order: the sums are the same for every thread count.
  SamplerResult res;
  const std::int64_t records = s.steps / s.record_every;
  res.counts.assign(runs[0].out.counts.size(), 0);
  res.mean_energy.assign(static_cast<std::size_t>(records), 0.0);
  const std::int64_t saves = (s.thermalize + s.steps) / s.trajectory_every + 1;
  const int traj_n = static_cast<int>(std::min<std::int64_t>(s.trajectory_particles, s.particles));
  if (traj_n > 0) res.trajectory.assign(static_cast<std::size_t>(saves * traj_n * dim), 0.0);
  for (int k = 0; k < blocks; ++k) {
    const BlockOutput& o = runs[static_cast<std::size_t>(k)].out;
    for (std::size_t i = 0; i < o.counts.size(); ++i) res.counts[i] += o.counts[i];
    res.outside += o.outside;
    for (std::size_t r = 0; r < o.energy_sum.size(); ++r) res.mean_energy[r] += o.energy_sum[r];
    for (int p = 0; p < 4; ++p) res.power_sums[p] += o.power_sums[p];
    // A particle diverged if it was seen non-finite at a record or ends non-finite in any coordinate.
    const Block& b = runs[static_cast<std::size_t>(k)].b;
    for (Eigen::Index i = 0; i < b.size(); ++i)
      res.diverged_particles += o.diverged[static_cast<std::size_t>(i)] || !b.x.row(i).allFinite() ? 1 : 0;
    res.proposed += runs[static_cast<std::size_t>(k)].b.proposed;
    res.accepted += runs[static_cast<std::size_t>(k)].b.accepted;
    for (const auto& ser : o.series) res.series.push_back(ser);
    const std::int64_t first = static_cast<std::int64_t>(k) * s.block_size;
    const std::int64_t local = std::clamp<std::int64_t>(traj_n - first, 0, s.block_size);
    for (std::int64_t t = 0; local > 0 && t < saves; ++t)
      for (std::int64_t i = 0; i < local; ++i)
        for (int c = 0; c < dim; ++c)
          res.trajectory[static_cast<std::size_t>((t * traj_n + first + i) * dim + c)] =
              o.trajectory[static_cast<std::size_t>((t * local + i) * dim + c)];
  }
  const bool has_energy = potential_has_energy(potential);
  for (double& e : res.mean_energy) e = has_energy ? e / static_cast<double>(s.particles) : std::nan("");
  res.samples = s.particles * records;
  for (std::int64_t t = 0; traj_n > 0 && t < saves; ++t)
    res.trajectory_time.push_back(static_cast<double>(t * s.trajectory_every) * s.dyn.dt);
  return res;
}

}  // namespace spindiff::langevin
