#include "spindiff/bridge/cloning.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/bridge/curves.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/samplers.hpp"

namespace spindiff::bridge {

namespace {
std::vector<int> classes(const diffusion::Points& x, const Eigen::VectorXd& direction) {
  const Eigen::VectorXd proj = x * direction;
  std::vector<int> c(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) c[static_cast<std::size_t>(i)] = proj[i] >= 0 ? 1 : -1;
  return c;
}
}  // namespace

CloneAgreement clone_agreement(const diffusion::ScoreModel& score, std::span<const double> times,
                               std::span<const double> clone_times, const Eigen::VectorXd& direction, Eigen::Index n,
                               const Stream& stream, const std::function<void(double)>& progress) {
  if (times.size() < 2) throw std::invalid_argument("clone_agreement: need a time grid");
  if (direction.size() != score.dim()) throw std::invalid_argument("clone_agreement: direction has the wrong size");
  const diffusion::OrnsteinUhlenbeck ou(times.front(), times.back());

  std::vector<std::size_t> at;  // grid index of each clone time, ascending = decreasing time
  for (double t : clone_times) at.push_back(nearest_index(times, t));
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());

  const std::size_t last = times.size() - 1;
  double total_steps = static_cast<double>(last), done = 0;
  for (std::size_t k : at) total_steps += static_cast<double>(last - k);
  auto advance = [&](std::size_t steps) {
    done += static_cast<double>(steps);
    if (progress) progress(done / total_steps);
  };

  diffusion::Points x(n, score.dim());
  ou.sample_prior(x, stream.substream(0));
  const Stream originals = stream.substream(1), clones = stream.substream(2);
  std::vector<std::vector<int>> clone_classes;  // classes only: a copy of every clone would not fit
  std::size_t pos = 0;
  for (std::size_t b = 0; b < at.size(); ++b) {
    if (at[b] > pos) {
      diffusion::reverse_sde_euler_maruyama(score, ou, times.subspan(pos, at[b] - pos + 1), x, originals.substream(b));
      advance(at[b] - pos);
      pos = at[b];
    }
    diffusion::Points clone = x;
    if (pos < last) {
      diffusion::reverse_sde_euler_maruyama(score, ou, times.subspan(pos), clone, clones.substream(b));
      advance(last - pos);
    }
    clone_classes.push_back(classes(clone, direction));
  }
  if (pos < last) {
    diffusion::reverse_sde_euler_maruyama(score, ou, times.subspan(pos), x, originals.substream(at.size()));
    advance(last - pos);
  }

  const std::vector<int> end_class = classes(x, direction);
  CloneAgreement r;
  for (std::size_t b = 0; b < at.size(); ++b) {
    const std::vector<int>& c = clone_classes[b];
    double same = 0;
    for (std::size_t i = 0; i < c.size(); ++i) same += c[i] == end_class[i];
    const double phi = same / static_cast<double>(n);
    r.t_b.push_back(times[at[b]]);
    r.phi.push_back(phi);
    r.phi_err.push_back(std::sqrt(phi * (1 - phi) / static_cast<double>(n)));
  }
  return r;
}

}  // namespace spindiff::bridge
