#include "spindiff/langevin/sampler.hpp"

#include <algorithm>
#include <atomic>
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
  std::int64_t proposed = 0, accepted = 0;
  std::vector<double> trajectory;  // [save][local particle][coordinate]
  std::vector<std::vector<double>> series;
};

int bin_of(double x, double lo, double hi, int bins) {
  if (!(x >= lo) || !(x < hi)) return -1;
  return std::min(bins - 1, static_cast<int>((x - lo) / (hi - lo) * bins));
}

template <class P>
void run_block(const P& pot, const SamplerSettings& s, std::int64_t first, Eigen::Index n, const Stream& rng,
               BlockOutput& out) {
  const int dim = static_cast<int>(pot.dim);
  Stepper<P> stepper(pot, s.method, s.dyn);
  Block b(n, dim, rng);
  for (int c = 0; c < dim; ++c) {
    const std::size_t k = s.init_lo.size() == 1 ? 0 : static_cast<std::size_t>(c);
    for (Eigen::Index i = 0; i < n; ++i) b.x(i, c) = b.rng.uniform(s.init_lo[k], s.init_hi[k]);
  }
  stepper.prepare(b);

  const HistogramSpec& h = s.histogram;
  const std::int64_t records = s.steps / s.record_every;
  out.counts.assign(h.dims == 1 ? h.bins : static_cast<std::size_t>(h.bins) * h.bins, 0);
  out.energy_sum.assign(static_cast<std::size_t>(records), 0.0);
  const Eigen::Index traj_n = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(s.trajectory_particles - first), 0, n);
  const Eigen::Index series_n = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(s.series_particles - first), 0, n);
  out.series.assign(static_cast<std::size_t>(series_n), {});
  const bool record_energy = P::has_energy;

  auto save_trajectory = [&] {
    for (Eigen::Index i = 0; i < traj_n; ++i)
      for (int c = 0; c < dim; ++c) out.trajectory.push_back(b.x(i, c));
  };
  if (traj_n > 0) save_trajectory();

  const std::int64_t total = s.thermalize + s.steps;
  for (std::int64_t t = 1; t <= total; ++t) {
    stepper.step(b);
    if (traj_n > 0 && t % s.trajectory_every == 0) save_trajectory();
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
    for (Eigen::Index i = 0; i < series_n; ++i) out.series[static_cast<std::size_t>(i)].push_back(b.x(i, 0));
    if (record_energy) {
      stepper.energies(b);
      out.energy_sum[static_cast<std::size_t>(r)] = b.energy.sum();
    }
  }
  out.proposed = b.proposed;
  out.accepted = b.accepted;
}

}  // namespace

SamplerResult sample(const Potential& potential, const SamplerSettings& s, const Stream& stream,
                     const std::function<void(double)>& progress) {
  if (s.particles < 1 || s.steps < 1 || s.thermalize < 0 || s.record_every < 1 || s.block_size < 1 ||
      s.trajectory_every < 1)
    throw std::invalid_argument("sample: particles, steps, record_every, block_size must be positive");
  const int dim = potential_dim(potential);
  if (s.init_lo.size() != s.init_hi.size() ||
      (s.init_lo.size() != 1 && s.init_lo.size() != static_cast<std::size_t>(dim)))
    throw std::invalid_argument("sample: init_lo/init_hi need 1 or dim entries each");
  if (s.histogram.dims == 2 && dim < 2) throw std::invalid_argument("sample: a 2-D histogram needs dim >= 2");
  const int blocks = static_cast<int>((s.particles + s.block_size - 1) / s.block_size);
  std::vector<BlockOutput> outs(static_cast<std::size_t>(blocks));
  std::atomic<int> done{0};
  parallel_for(static_cast<std::size_t>(blocks), s.threads, [&](std::size_t block) {
    const int k = static_cast<int>(block);
    const std::int64_t first = static_cast<std::int64_t>(k) * s.block_size;
    const auto n = static_cast<Eigen::Index>(std::min<std::int64_t>(s.block_size, s.particles - first));
    std::visit([&](const auto& pot) { run_block(pot, s, first, n, stream.substream(k), outs[k]); }, potential);
    if (progress) progress(static_cast<double>(++done) / blocks);
  });

  // Merge in block order: the sums are the same for every thread count.
  SamplerResult res;
  const std::int64_t records = s.steps / s.record_every;
  res.counts.assign(outs[0].counts.size(), 0);
  res.mean_energy.assign(static_cast<std::size_t>(records), 0.0);
  const std::int64_t saves = (s.thermalize + s.steps) / s.trajectory_every + 1;
  const int traj_n = static_cast<int>(std::min<std::int64_t>(s.trajectory_particles, s.particles));
  if (traj_n > 0) res.trajectory.assign(static_cast<std::size_t>(saves * traj_n * dim), 0.0);
  for (int k = 0; k < blocks; ++k) {
    const BlockOutput& o = outs[k];
    for (std::size_t i = 0; i < o.counts.size(); ++i) res.counts[i] += o.counts[i];
    res.outside += o.outside;
    for (std::size_t r = 0; r < o.energy_sum.size(); ++r) res.mean_energy[r] += o.energy_sum[r];
    for (int p = 0; p < 4; ++p) res.power_sums[p] += o.power_sums[p];
    res.proposed += o.proposed;
    res.accepted += o.accepted;
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
