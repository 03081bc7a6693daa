#include "spindiff/langevin/first_passage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "spindiff/core/parallel.hpp"

namespace spindiff::langevin {
namespace {

// Keeps only the rows listed in `keep` of every per-particle array the integrators carry.
void compact_rows(Coords& a, const std::vector<Eigen::Index>& keep) {
  if (a.rows() == 0) return;
  Coords b(static_cast<Eigen::Index>(keep.size()), a.cols());
  for (std::size_t i = 0; i < keep.size(); ++i) b.row(static_cast<Eigen::Index>(i)) = a.row(keep[i]);
  a.swap(b);
}
void compact_rows(Values& a, const std::vector<Eigen::Index>& keep) {
  if (a.size() == 0) return;
  Values b(static_cast<Eigen::Index>(keep.size()));
  for (std::size_t i = 0; i < keep.size(); ++i) b(static_cast<Eigen::Index>(i)) = a(keep[i]);
  a.swap(b);
}

// One block of particles: its state, which particles are still out and which row each occupies.
struct EscapeBlock {
  Block b;
  std::vector<Eigen::Index> id;  // particle of each row
  std::vector<char> arrived;
  std::int64_t active = 0;
  template <class Archive>
  void fields(Archive& ar) {
    ar(b, id, arrived, active);
  }
};

// Steps from + 1 .. until of one block (none once every particle is in); `times` are the block's own.
template <class P>
void advance_block(const Stepper<P>& stepper, const EscapeSettings& s, EscapeBlock& e, double* times, std::int64_t from,
                   std::int64_t until) {
  Block& b = e.b;
  const double direction = s.target > s.start ? 1.0 : -1.0;
  for (std::int64_t t = from + 1; t <= until && e.active > 0; ++t) {
    stepper.step(b);
    std::int64_t arrived_now = 0;
    for (Eigen::Index i = 0; i < b.size(); ++i) {
      const auto p = static_cast<std::size_t>(e.id[static_cast<std::size_t>(i)]);
      if (e.arrived[p]) continue;
      if (!b.x.row(i).allFinite()) {  // the integrator blew up: neither an arrival nor a censoring
        e.arrived[p] = 1;
        times[p] = std::numeric_limits<double>::quiet_NaN();
        ++arrived_now;
      } else if (direction * (b.x(i, 0) - s.target) >= 0.0) {
        e.arrived[p] = 1;
        times[p] = static_cast<double>(t) * s.dyn.dt;
        ++arrived_now;
      }
    }
    e.active -= arrived_now;
    // Drop arrived particles once they are half the block (amortised O(1) per particle-step).
    if (arrived_now > 0 && 2 * e.active <= b.size()) {
      std::vector<Eigen::Index> keep;
      std::vector<Eigen::Index> new_id;
      for (Eigen::Index i = 0; i < b.size(); ++i)
        if (!e.arrived[static_cast<std::size_t>(e.id[static_cast<std::size_t>(i)])]) {
          keep.push_back(i);
          new_id.push_back(e.id[static_cast<std::size_t>(i)]);
        }
      for (Coords* a : {&b.x, &b.v, &b.grad}) compact_rows(*a, keep);
      compact_rows(b.energy, keep);
      b.noise.resize(static_cast<Eigen::Index>(keep.size()), b.x.cols());
      e.id.swap(new_id);
    }
  }
}

constexpr std::uint32_t kCheckpointTag = 0x45534331;  // "ESC1"

// All blocks advance together segment by segment; between two segments the run is plain values (a
// checkpoint). Each block's steps are the same whatever the segments.
template <class P>
void run_blocks(const P& pot, const EscapeSettings& s, const Stream& stream, std::vector<double>& times,
                const std::function<void(double)>& progress, const SamplerCheckpoints* checkpoints) {
  const int blocks = static_cast<int>((s.particles + s.block_size - 1) / s.block_size);
  std::vector<Stepper<P>> steppers;
  steppers.reserve(static_cast<std::size_t>(blocks));
  for (int k = 0; k < blocks; ++k) steppers.emplace_back(pot, s.method, s.dyn);
  std::vector<EscapeBlock> runs(static_cast<std::size_t>(blocks));
  auto first_of = [&](std::size_t k) { return static_cast<std::int64_t>(k) * s.block_size; };
  parallel_for(static_cast<std::size_t>(blocks), s.threads, [&](std::size_t k) {
    const auto n = static_cast<Eigen::Index>(std::min<std::int64_t>(s.block_size, s.particles - first_of(k)));
    EscapeBlock& e = runs[k];
    e.b = Block(n, static_cast<int>(pot.dim), stream.substream(k));
    e.b.x.setConstant(s.start);
    steppers[k].prepare(e.b);
    e.id.resize(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) e.id[static_cast<std::size_t>(i)] = i;
    e.arrived.assign(static_cast<std::size_t>(n), 0);
    e.active = n;
  });
  std::int64_t done = 0;
  if (checkpoints && checkpoints->restored) {
    ByteReader r(*checkpoints->restored);
    r.tag(kCheckpointTag);
    r(done, runs, times);
    if (!r.done() || times.size() != static_cast<std::size_t>(s.particles))
      throw std::runtime_error("escape checkpoint does not fit the run");
  }
  const auto max_steps = static_cast<std::int64_t>(std::ceil(s.max_time / s.dyn.dt));
  // About a million particle-steps per segment (milliseconds), at least 16 steps.
  const std::int64_t segment = std::max<std::int64_t>(16, (std::int64_t{1} << 20) / s.particles);
  auto active = [&] {
    std::int64_t n = 0;
    for (const auto& e : runs) n += e.active;
    return n;
  };
  while (done < max_steps && active() > 0) {
    const std::int64_t until = std::min(max_steps, done + segment);
    parallel_for(static_cast<std::size_t>(blocks), s.threads, [&](std::size_t k) {
      advance_block(steppers[k], s, runs[k], times.data() + first_of(k), done, until);
    });
    done = until;
    const std::int64_t still = active();
    if (progress) progress(1.0 - static_cast<double>(still) / static_cast<double>(s.particles));
    if (checkpoints && done < max_steps && still > 0 && checkpoints->due && checkpoints->due()) {
      ByteWriter w;
      w.tag(kCheckpointTag);
      w(done, runs, times);
      checkpoints->save(std::move(w).bytes());
    }
  }
}

}  // namespace

double EscapeResult::mean() const {
  double s = 0.0;
  std::int64_t n = 0;
  for (double t : times)
    if (std::isfinite(t)) s += t, ++n;
  return n ? s / n : std::nan("");
}

double EscapeResult::standard_error() const {
  const double m = mean();
  double s = 0.0;
  std::int64_t n = 0;
  for (double t : times)
    if (std::isfinite(t)) s += (t - m) * (t - m), ++n;
  return n > 1 ? std::sqrt(s / (n - 1) / n) : std::nan("");
}

EscapeResult first_passage_times(const Potential& potential, const EscapeSettings& s, const Stream& stream,
                                 const std::function<void(double)>& progress, const SamplerCheckpoints* checkpoints) {
  if (s.particles < 1 || s.block_size < 1 || !(s.max_time > 0.0) || s.start == s.target)
    throw std::invalid_argument("first_passage_times: need particles >= 1, max_time > 0, start != target");
  if (!(s.max_time / s.dyn.dt <= max_escape_steps))
    throw std::invalid_argument("first_passage_times: max_time / dt exceeds 2^53 steps");
  EscapeResult res;
  res.times.assign(static_cast<std::size_t>(s.particles), std::numeric_limits<double>::infinity());
  std::visit([&](const auto& pot) { run_blocks(pot, s, stream, res.times, progress, checkpoints); }, potential);
  for (double t : res.times) {
    res.censored += std::isinf(t) ? 1 : 0;
    res.diverged += std::isnan(t) ? 1 : 0;
  }
  return res;
}

}  // namespace spindiff::langevin
