// bridge.landscape: the energy -Delta_t log p_t(x) of a noised training set in 1-D and 2-D (the modern-Hopfield
// energy) as the noise decreases, and the time its first symmetry breaks (Raya and Ambrogioni 2023).
#include <cmath>
#include <limits>

#include "bridge_kinds.hpp"
#include "spindiff/bridge/curves.hpp"
#include "spindiff/bridge/landscape.hpp"
#include "spindiff/bridge/two_class.hpp"
#include "spindiff/diffusion/schedule.hpp"

namespace spindiff::runner::bridge_kinds {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

diffusion::NoiseLevel ou_level(double t) { return {t, bridge::ou_scale(t), std::sqrt(bridge::ou_delta(t))}; }

diffusion::Points training_points(const Params& p, int dim, Stream& rng) {
  if (p.string("points") == "pair") {
    diffusion::Points x = diffusion::Points::Zero(2, dim);
    x(0, 0) = -1.0;
    x(1, 0) = 1.0;
    return x;
  }
  diffusion::Points x(p.integer("P"), dim);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (int j = 0; j < dim; ++j) x(i, j) = rng.uniform(-1.0, 1.0);
  return x;
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const int dim = static_cast<int>(p.integer("dim"));
  Stream rng = ctx.stream(0, Purpose::patterns);
  const diffusion::Points training = training_points(p, dim, rng);
  const double extent = p.real("extent");
  const int g = static_cast<int>(p.integer("grid"));

  // The evaluation grid: g points per axis on [-extent, extent]^dim, row-major (y rows, x columns).
  const std::vector<double> axis = diffusion::linspace(-extent, extent, g);
  const Eigen::Index cells = dim == 1 ? g : static_cast<Eigen::Index>(g) * g;
  diffusion::Points grid(cells, dim);
  for (Eigen::Index k = 0; k < cells; ++k) {
    grid(k, 0) = axis[static_cast<std::size_t>(k % g)];
    if (dim == 2) grid(k, 1) = axis[static_cast<std::size_t>(k / g)];
  }
  auto minima = [&](const Eigen::VectorXd& e) {
    return dim == 1 ? bridge::count_minima_1d(e) : bridge::count_minima_2d(e, g, g);
  };

  // Snapshots of the energy at the requested times.
  const std::vector<double>& times = p.reals("times");
  std::vector<double> energies;
  std::vector<std::int64_t> snapshot_minima;
  for (double t : times) {
    const Eigen::VectorXd e = bridge::landscape_energy(grid, training, ou_level(t));
    energies.insert(energies.end(), e.data(), e.data() + e.size());
    snapshot_minima.push_back(minima(e));
  }

  // Number of minima on a fine time grid: the splitting history of the landscape.
  const std::vector<double> scan =
      diffusion::linspace(p.real("scan_max"), p.real("scan_min"), p.integer("scan_points"));
  std::vector<std::int64_t> scan_minima;
  double t_split = nan;
  for (std::size_t k = 0; k < scan.size(); ++k) {
    scan_minima.push_back(minima(bridge::landscape_energy(grid, training, ou_level(scan[k]))));
    if (std::isnan(t_split) && scan_minima.back() > 1) t_split = k ? 0.5 * (scan[k - 1] + scan[k]) : scan[k];
    ctx.report(static_cast<double>(k + 1) / static_cast<double>(scan.size()));
  }

  // Symmetry breaking: for the pair, the centre's curvature changes sign (bisection); for random points the
  // first split seen on the grid.
  double t_break = t_split;
  if (p.string("points") == "pair") {
    const Eigen::VectorXd centre = Eigen::VectorXd::Zero(dim), u = Eigen::VectorXd::Unit(dim, 0);
    t_break = bridge::centre_instability_time(training, centre, u, p.real("scan_min"), p.real("scan_max"));
  }
  out.scalar("t_symmetry_breaking", t_break);
  out.scalar("t_symmetry_breaking_theory", bridge::symmetry_breaking_estimate(training));
  out.scalar("t_first_split", t_split);
  out.scalar("final_minima", static_cast<double>(snapshot_minima.empty() ? 0 : snapshot_minima.back()));

  out.array("training", std::vector<double>(training.data(), training.data() + training.size()),
            {static_cast<std::size_t>(training.rows()), static_cast<std::size_t>(dim)});
  out.array("axis", axis);
  out.array("times", times);
  std::vector<std::size_t> shape{times.size(), static_cast<std::size_t>(g)};
  if (dim == 2) shape.push_back(static_cast<std::size_t>(g));
  out.array("energy", energies, shape);
  out.array("minima", snapshot_minima);
  out.array("scan_times", scan);
  out.array("scan_minima", scan_minima);
}
}  // namespace

Kind landscape_kind() {
  Kind k;
  k.name = "bridge.landscape";
  k.summary = "energy -Delta log p_t of noised training points (modern-Hopfield energy) in 1-D/2-D, symmetry breaking";
  k.params = {
      summary(integer_param("dim", 1, 1, 2, "dimension of the landscape")),
      summary(choice_param("points", "pair", {"pair", "random"},
                           "training points: the pair +-e_1, or P points uniform in [-1, 1]^dim")),
      integer_param("P", 5, 1, 1e5, "number of random points"),
      real_list_param("times", {2.0, 1.0, 0.5, 0.3, 0.2, 0.1, 0.05, 0.02}, 1e-6, 100.0,
                      "OU times of the energy snapshots (Delta_t = 1 - e^{-2t})"),
      integer_param("grid", 401, 5, 1e5, "grid points per axis"),
      real_param("extent", 2.0, 0.01, 1e3, "the grid covers [-extent, extent] per axis"),
      real_param("scan_max", 2.0, 1e-6, 100.0, "largest time of the minima scan"),
      real_param("scan_min", 0.01, 1e-6, 100.0, "smallest time of the minima scan"),
      integer_param("scan_points", 200, 2, 1e6, "times in the minima scan"),
  };
  k.validate = [](const Params& p) {
    if (!(p.real("scan_min") < p.real("scan_max"))) throw ConfigError("", "scan_min", "must be below scan_max");
  };
  k.run = run;
  k.results = {
      exact_result("t_symmetry_breaking", "time where the centre stops being a minimum (pair) or the first split",
                   "time"),
      exact_result("t_symmetry_breaking_theory", "the estimate of the symmetry-breaking time from the training set",
                   "time"),
      exact_result("t_first_split", "largest scanned time with more than one minimum of the energy", "time"),
      exact_result("final_minima", "number of energy minima at the last snapshot time", "minima"),
  };
  return k;
}

}  // namespace spindiff::runner::bridge_kinds
