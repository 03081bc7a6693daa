// bridge.speciation: the cloning experiment of Biroli, Bonnaire, de Bortoli and Mezard (2024).
#include <fmt/format.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "bridge_kinds.hpp"
#include "spindiff/bridge/cloning.hpp"
#include "spindiff/bridge/curves.hpp"
#include "spindiff/bridge/two_class.hpp"
#include "spindiff/diffusion/schedule.hpp"

namespace spindiff::runner::bridge_kinds {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// T and the clone times: defaults centred on the predicted t_S (a sampling design only; the measured crossing
// does not use it).
double horizon(const Params& p, double t_s) { return p.real("T") > 0 ? p.real("T") : t_s + 3.0; }
std::vector<double> clone_times(const Params& p, double t_s, double t_min) {
  std::vector<double> t;
  for (double offset : p.reals("t_b_offsets")) t.push_back(std::max(t_min, t_s + offset));
  return t;
}

struct Crossing {
  double t = nan, err = nan;
};

// Where the measured phi(t_b) (t_b decreasing, phi rising) first reaches `level`: the root of a least-squares
// quadratic through the bracketing pair and its two neighbours (a straight line between the pair is biased by
// the curvature of phi, ~ 0.01 in t for a spacing of 0.25), with the binomial error of phi at the pair
// propagated through the fitted slope.
Crossing crossing(const std::vector<double>& tb, const std::vector<double>& phi, const std::vector<double>& err,
                  double level) {
  Crossing c;
  for (std::size_t b = 0; b + 1 < tb.size(); ++b) {
    if ((phi[b] - level) * (phi[b + 1] - level) > 0 || phi[b + 1] == phi[b]) continue;
    const std::size_t lo = b > 0 ? b - 1 : b, hi = std::min(tb.size() - 1, b + 2);
    // phi ~ c0 + c1 u + c2 u^2 with u = t - tb[b] (normal equations of the 3-parameter fit).
    Eigen::Matrix3d A = Eigen::Matrix3d::Zero();
    Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
    for (std::size_t k = lo; k <= hi; ++k) {
      const double u = tb[k] - tb[b];
      const Eigen::Vector3d f(1.0, u, u * u);
      A += f * f.transpose();
      rhs += f * phi[k];
    }
    const double slope_linear = (phi[b + 1] - phi[b]) / (tb[b + 1] - tb[b]);
    double u = (level - phi[b]) / slope_linear, slope = slope_linear;
    if (hi - lo + 1 >= 3) {
      const Eigen::Vector3d q = A.ldlt().solve(rhs);
      // Newton from the linear estimate, kept only if it stays inside the bracket.
      double v = u;
      for (int it = 0; it < 20; ++it) v -= (q[0] + q[1] * v + q[2] * v * v - level) / (q[1] + 2 * q[2] * v);
      const double width = tb[b + 1] - tb[b];
      if (std::isfinite(v) && v * width >= 0 && std::abs(v) <= std::abs(width)) {
        u = v;
        slope = q[1] + 2 * q[2] * v;
      }
    }
    c.t = tb[b] + u;
    c.err = 0.5 * (err[b] + err[b + 1]) / std::abs(slope);
    return c;
  }
  return c;
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto d = p.integer("d");
  const double sigma = p.real("sigma");
  const double mu_norm = p.real("mu_norm") > 0 ? p.real("mu_norm") : std::sqrt(static_cast<double>(d));
  const double lambda = bridge::data_covariance_top_eigenvalue(mu_norm, sigma);
  const double t_s = bridge::speciation_time(mu_norm, sigma), t_min = p.real("t_min");
  const double level = bridge::speciation_agreement_level();
  const double T = horizon(p, t_s);
  const std::vector<double> times = bridge::backward_times(T, t_min, p.real("dt"));

  // The class lives on the axis mu; `projected` simulates that coordinate alone (the orthogonal ones are
  // independent OU processes that never enter the class).
  const bool projected = p.flag("projected");
  const Eigen::VectorXd mu = projected ? Eigen::VectorXd::Constant(1, mu_norm)
                                       : Eigen::VectorXd::Constant(d, mu_norm / std::sqrt(static_cast<double>(d)));
  const bridge::TwoClassScore score(mu, sigma);

  const auto n = p.integer("trajectories");
  std::vector<double> tb, same, pairs;
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    auto progress = [&](double f) { ctx.report((static_cast<double>(r) + f) / static_cast<double>(ctx.repeats)); };
    const bridge::CloneAgreement c =
        bridge::clone_agreement(score, times, clone_times(p, t_s, t_min), mu.normalized(), n,
                                ctx.stream(static_cast<std::uint32_t>(r), Purpose::dynamics), progress);
    if (tb.empty()) {
      tb = c.t_b;
      same.assign(tb.size(), 0.0);
      pairs.assign(tb.size(), 0.0);
    }
    for (std::size_t b = 0; b < tb.size(); ++b) {
      same[b] += c.phi[b] * static_cast<double>(n);
      pairs[b] += static_cast<double>(n);
    }
    // t_speciation: where this repeat's phi reaches the fixed level phi* (signal-to-noise 1 along mu).
    const Crossing x = crossing(c.t_b, c.phi, c.phi_err, level);
    if (std::isnan(x.t))
      out.warning(fmt::format("repeat {}: phi never reaches {:.4f} over the clone times: widen t_b_offsets", r, level));
    out.sample("t_speciation", x.t, x.err);
  }
  std::vector<double> phi(tb.size()), err(tb.size()), theory(tb.size());
  for (std::size_t b = 0; b < tb.size(); ++b) {
    phi[b] = same[b] / pairs[b];
    err[b] = std::sqrt(phi[b] * (1 - phi[b]) / pairs[b]);
    theory[b] = bridge::clone_agreement_theory(tb[b], mu_norm, sigma);
  }

  // phi measured at the predicted t_S, against its exact value there (0.7752 when Lambda >> 1 and |mu| >> sigma).
  double phi_ts = nan, phi_ts_err = nan;
  for (std::size_t b = 0; b + 1 < tb.size(); ++b)
    if ((tb[b] - t_s) * (tb[b + 1] - t_s) <= 0) {
      const double w = (t_s - tb[b]) / (tb[b + 1] - tb[b]);
      phi_ts = (1 - w) * phi[b] + w * phi[b + 1];
      phi_ts_err = std::sqrt((1 - w) * (1 - w) * err[b] * err[b] + w * w * err[b + 1] * err[b + 1]);
      break;
    }

  out.scalar("t_speciation_theory", t_s);
  out.scalar("phi_speciation", phi_ts, phi_ts_err);
  out.scalar("phi_speciation_theory", bridge::clone_agreement_theory(t_s, mu_norm, sigma));
  out.array("t_b", tb);
  out.array("phi", phi);
  out.array("phi_err", err);
  out.array("phi_theory", theory);
  std::vector<double> fine_t = diffusion::linspace(0.0, T, 301), fine_phi;
  fine_t.front() = t_min;
  for (double t : fine_t) fine_phi.push_back(bridge::clone_agreement_theory(t, mu_norm, sigma));
  out.array("theory_t", fine_t);
  out.array("theory_phi", fine_phi);
  out.attribute("T", T);
  out.attribute("steps", static_cast<std::int64_t>(times.size() - 1));
  out.attribute("mu_norm_used", mu_norm);
  out.attribute("Lambda", lambda);
  out.attribute("phi_level", level);
}
}  // namespace

Kind speciation_kind() {
  Kind k;
  k.name = "bridge.speciation";
  k.summary = "two-class OU diffusion: clone trajectories at t_b, probability both land in the same class";
  k.params = {
      summary(integer_param("d", 256, 1, 1e5, "dimension; the classes are +-mu with mu along (1, ..., 1)")),
      real_param("mu_norm", 0.0, 0.0, 1e4, "|mu|, the distance of each class from the origin; 0 = sqrt(d)"),
      real_param("sigma", 1.0, 0.0, 100.0, "standard deviation of each class"),
      integer_param("trajectories", 10000, 10, 1e8, "backward trajectories (and clones) per repeat"),
      real_param("dt", 0.01, 1e-5, 1.0, "Euler-Maruyama time step"),
      real_param("T", 0.0, 0.0, 100.0, "start time of the backward process; 0 = t_S + 3"),
      real_param("t_min", 1e-3, 1e-6, 1.0, "end time of the backward process"),
      real_list_param("t_b_offsets", {1.5, 1.25, 1.0, 0.75, 0.5, 0.25, 0.0, -0.25, -0.5, -0.75, -1.0, -1.25, -1.5},
                      -100.0, 100.0, "clone times t_b = t_S + offset (clamped to t_min)"),
      bool_param("projected", false,
                 "simulate only the coordinate along mu (exact in law for the class, d times cheaper)"),
  };
  k.run = run;
  k.cost = [](const Params& p) {
    return static_cast<double>(p.integer("trajectories")) * (p.flag("projected") ? 1.0 : double(p.integer("d"))) /
           p.real("dt");
  };
  k.results = {
      result("t_speciation", "measured speciation time: where the clone agreement phi(t_b) crosses its value at t_S",
             "time"),
      exact_result("t_speciation_theory", "speciation time t_S of the theory", "time"),
      result("phi_speciation", "measured clone agreement (both clones in the same class) at t_S"),
      exact_result("phi_speciation_theory", "clone agreement at t_S from the theory"),
  };
  return k;
}

}  // namespace spindiff::runner::bridge_kinds
