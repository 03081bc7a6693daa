#include "spindiff/langevin/first_passage.hpp"

#include <algorithm>
#include <atomic>
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

template <class P>
void run_block(const P& pot, const EscapeSettings& s, Eigen::Index n, const Stream& rng, double* times) {
  Stepper<P> stepper(pot, s.method, s.dyn);
  Block b(n, static_cast<int>(pot.dim), rng);
  b.x.setConstant(s.start);
  stepper.prepare(b);
  std::vector<Eigen::Index> id(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) id[static_cast<std::size_t>(i)] = i;
  std::vector<char> arrived(static_cast<std::size_t>(n), 0);
  for (Eigen::Index i = 0; i < n; ++i) times[i] = std::numeric_limits<double>::infinity();
  const double direction = s.target > s.start ? 1.0 : -1.0;
  const auto max_steps = static_cast<std::int64_t>(std::ceil(s.max_time / s.dyn.dt));
  std::int64_t active = n;
  for (std::int64_t t = 1; t <= max_steps && active > 0; ++t) {
    stepper.step(b);
    std::int64_t arrived_now = 0;
    for (Eigen::Index i = 0; i < b.size(); ++i) {
      const auto p = static_cast<std::size_t>(id[static_cast<std::size_t>(i)]);
      if (arrived[p]) continue;
      if (!b.x.row(i).allFinite()) {  // the integrator blew up: neither an arrival nor a censoring
        arrived[p] = 1;
        times[p] = std::numeric_limits<double>::quiet_NaN();
        ++arrived_now;
      } else if (direction * (b.x(i, 0) - s.target) >= 0.0) {
        arrived[p] = 1;
        times[p] = static_cast<double>(t) * s.dyn.dt;
        ++arrived_now;
      }
    }
    active -= arrived_now;
    // Drop arrived particles once they are half the block (amortised O(1) per particle-step).
    if (arrived_now > 0 && 2 * active <= b.size()) {
      std::vector<Eigen::Index> keep;
      std::vector<Eigen::Index> new_id;
      for (Eigen::Index i = 0; i < b.size(); ++i)
        if (!arrived[static_cast<std::size_t>(id[static_cast<std::size_t>(i)])]) {
          keep.push_back(i);
          new_id.push_back(id[static_cast<std::size_t>(i)]);
        }
      for (Coords* a : {&b.x, &b.v, &b.grad}) compact_rows(*a, keep);
      compact_rows(b.energy, keep);
      b.noise.resize(static_cast<Eigen::Index>(keep.size()), b.x.cols());
      id.swap(new_id);
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
                                 const std::function<void(double)>& progress) {
  if (s.particles < 1 || s.block_size < 1 || !(s.max_time > 0.0) || s.start == s.target)
    throw std::invalid_argument("first_passage_times: need particles >= 1, max_time > 0, start != target");
  if (!(s.max_time / s.dyn.dt <= max_escape_steps))
    throw std::invalid_argument("first_passage_times: max_time / dt exceeds 2^53 steps");
  const int blocks = static_cast<int>((s.particles + s.block_size - 1) / s.block_size);
  EscapeResult res;
  res.times.assign(static_cast<std::size_t>(s.particles), 0.0);
  std::atomic<int> done{0};
  parallel_for(static_cast<std::size_t>(blocks), s.threads, [&](std::size_t block) {
    const int k = static_cast<int>(block);
    const std::int64_t first = static_cast<std::int64_t>(k) * s.block_size;
    const auto n = static_cast<Eigen::Index>(std::min<std::int64_t>(s.block_size, s.particles - first));
    std::visit([&](const auto& pot) { run_block(pot, s, n, stream.substream(k), res.times.data() + first); },
               potential);
    if (progress) progress(static_cast<double>(++done) / blocks);
  });
  for (double t : res.times) {
    res.censored += std::isinf(t) ? 1 : 0;
    res.diverged += std::isnan(t) ? 1 : 0;
  }
  return res;
}

}  // namespace spindiff::langevin
