// bridge.collapse: the time at which backward trajectories driven by the empirical score lock onto single
// training points, against t_C = (1/2) ln(1 + sigma^2 / (P^{2/d} - 1)) (Biroli et al. 2024).
#include <cmath>
#include <optional>
#include <string>

#include "bridge_kinds.hpp"
#include "spindiff/bridge/collapse.hpp"
#include "spindiff/bridge/curves.hpp"
#include "spindiff/bridge/two_class.hpp"

namespace spindiff::runner::bridge_kinds {

namespace {

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto d = static_cast<int>(p.integer("d"));
  const auto P = p.integer("P");
  const double sigma = p.real("sigma");
  const std::vector<double> times = bridge::backward_times(p.real("T"), p.real("t_min"), p.real("dt"));
  const auto mixture = bridge::two_class_mixture(Eigen::VectorXd::Ones(d), sigma);
  const double entropy_level = p.real("entropy_threshold");

  bridge::CollapseCurves sum;
  // A repeat whose trajectories never reach the threshold has no collapse time: it is left out of the mean.
  auto sample_crossing = [&](const std::string& name, std::optional<double> t) {
    if (t)
      out.sample(name, *t);
    else
      out.no_sample(name);
  };
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    Stream data_stream = ctx.stream(rep, Purpose::patterns);
    const diffusion::Points training = diffusion::sample_mixture(mixture, P, data_stream);
    auto progress = [&](double f) { ctx.report((static_cast<double>(r) + f) / static_cast<double>(ctx.repeats)); };
    const bridge::CollapseCurves c =
        bridge::collapse_curves(training, times, static_cast<int>(p.integer("measure_every")),
                                p.integer("trajectories"), ctx.stream(rep, Purpose::dynamics), progress);
    sample_crossing("t_collapse", bridge::first_crossing(c.times, c.entropy, entropy_level));
    sample_crossing("t_collapse_nn", bridge::first_crossing(c.times, c.nn_fraction, 0.5));
    if (r == 0) {
      sum = c;
      for (double& e : sum.entropy_err) e *= e;
    } else {
      for (std::size_t k = 0; k < c.times.size(); ++k) {
        sum.nn_fraction[k] += c.nn_fraction[k];
        sum.entropy[k] += c.entropy[k];
        sum.entropy_err[k] += c.entropy_err[k] * c.entropy_err[k];
        sum.max_weight[k] += c.max_weight[k];
      }
    }
  }
  const double R = static_cast<double>(ctx.repeats);
  std::vector<double> fe, entropy_per_dim;
  for (std::size_t k = 0; k < sum.times.size(); ++k) {
    sum.nn_fraction[k] /= R;
    sum.entropy[k] /= R;
    sum.entropy_err[k] = std::sqrt(sum.entropy_err[k]) / R;
    sum.max_weight[k] /= R;
    entropy_per_dim.push_back(sum.entropy[k] / d);
    fe.push_back(bridge::excess_entropy(sum.times[k], static_cast<double>(P), d, sigma));
  }

  out.scalar("t_collapse_theory", bridge::collapse_time(static_cast<double>(P), d, sigma));
  out.array("times", sum.times);
  out.array("nn_fraction", sum.nn_fraction);
  out.array("entropy", sum.entropy);
  out.array("entropy_err", sum.entropy_err);
  out.array("entropy_per_dim", entropy_per_dim);
  out.array("max_weight", sum.max_weight);
  out.array("excess_entropy_theory", fe);
}
}  // namespace

Kind collapse_kind() {
  Kind k;
  k.name = "bridge.collapse";
  k.summary = "empirical-score diffusion of P two-class samples: when trajectories lock onto training points";
  k.params = {
      summary(integer_param("d", 32, 1, 1e5, "dimension; data from the two-class mixture +-(1, ..., 1)")),
      summary(integer_param("P", 1000, 2, 1e7, "training points")),
      real_param("sigma", 1.0, 1e-3, 100.0, "standard deviation of each class"),
      integer_param("trajectories", 500, 10, 1e7, "backward trajectories per repeat"),
      real_param("dt", 0.01, 1e-5, 1.0, "Euler-Maruyama time step"),
      real_param("T", 4.0, 0.01, 100.0, "start time of the backward process"),
      real_param("t_min", 1e-3, 1e-6, 1.0, "end time of the backward process"),
      integer_param("measure_every", 2, 1, 1e6, "measure the posterior every this many steps"),
      real_param("entropy_threshold", std::log(2.0), 0.0, 100.0,
                 "t_collapse is where the mean posterior entropy falls to this (ln 2: the posterior holds effectively "
                 "two points)"),
  };
  k.run = run;
  k.cost = [](const Params& p) {
    return double(p.integer("trajectories")) * double(p.integer("P")) * double(p.integer("d")) * p.real("T") /
           p.real("dt");
  };
  k.results = {
      result("t_collapse", "time where the entropy per dimension first crosses `entropy_threshold` (mean over repeats)",
             "time"),
      result("t_collapse_nn", "time where half of the trajectories lock onto their nearest training point", "time"),
      exact_result("t_collapse_theory", "collapse time from the excess-entropy theory", "time"),
  };
  return k;
}

}  // namespace spindiff::runner::bridge_kinds
