#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/schedule.hpp"

using namespace spindiff::diffusion;

TEST_CASE("every forward process obeys a'/a = f and (sigma^2)' = 2 f sigma^2 + g^2", "[diffusion][process]") {
  for (const char* name : {"ve", "vp", "ddpm", "ou", "edm"}) {
    const auto p = make_process(name);
    INFO(name);
    const double t0 = p->t_start(), t1 = p->t_end();
    for (int k = 1; k < 20; ++k) {
      // Off the DDPM grid (where its rates jump), central differences with h^2 truncation error.
      const double t = t0 + (t1 - t0) * (k + 0.37) / 21.0, h = 1e-5 * (t1 - t0);
      const double dlog_a = (std::log(p->scale(t + h)) - std::log(p->scale(t - h))) / (2 * h);
      const double dvar = (std::pow(p->sigma(t + h), 2) - std::pow(p->sigma(t - h), 2)) / (2 * h);
      const double f = p->drift_rate(t), g = p->diffusion(t), var = std::pow(p->sigma(t), 2);
      CHECK(dlog_a == Approx(f).margin(1e-6 * (1 + std::abs(f))));
      CHECK(dvar == Approx(2 * f * var + g * g).epsilon(1e-6).margin(1e-9));
    }
  }
}

TEST_CASE("VP, VE, OU and EDM marginals have their closed forms", "[diffusion][process]") {
  VariancePreserving vp;
  // int_0^1 beta = (0.1 + 20)/2.
  CHECK(vp.scale(1.0) == Approx(std::exp(-0.5 * 10.05)).epsilon(1e-14));
  CHECK(vp.scale(1.0) * vp.scale(1.0) + vp.sigma(1.0) * vp.sigma(1.0) == Approx(1.0).epsilon(1e-14));
  VarianceExploding ve(0.01, 50.0);
  CHECK(ve.sigma(0.0) == Approx(0.01).epsilon(1e-14));
  CHECK(ve.sigma(1.0) == Approx(50.0).epsilon(1e-14));
  OrnsteinUhlenbeck ou;
  CHECK(ou.scale(0.7) == Approx(std::exp(-0.7)).epsilon(1e-15));
  CHECK(ou.sigma(0.7) == Approx(std::sqrt(1 - std::exp(-1.4))).epsilon(1e-14));
  Edm edm;
  CHECK(edm.sigma(3.0) == 3.0);
  CHECK(edm.scale(3.0) == 1.0);
  CHECK(vp.variance_preserving());
  CHECK(ou.variance_preserving());
  CHECK_FALSE(ve.variance_preserving());
  CHECK_FALSE(edm.variance_preserving());
}

TEST_CASE("DDPM: alpha_bar_T = 4.04e-5 and the process matches the chain on its grid", "[diffusion][process]") {
  const auto betas = ddpm_betas(1000, 1e-4, 0.02);
  REQUIRE(betas.size() == 1000);
  CHECK(betas.front() == 1e-4);
  CHECK(betas.back() == Approx(0.02).epsilon(1e-15));
  const auto abar = alpha_bars(betas);
  // Ho et al. 2020 (docs/references.md): alpha_bar_T ~ 4.04e-5 (three significant digits).
  CHECK(abar.back() == Approx(4.04e-5).margin(0.005e-5));
  DiscreteDdpm ddpm;
  CHECK(ddpm.variance_preserving());
  for (int i : {1, 10, 500, 999, 1000}) {
    CHECK(ddpm.scale(i / 1000.0) * ddpm.scale(i / 1000.0) == Approx(abar[i - 1]).epsilon(1e-12));
  }
  CHECK(ddpm.scale(0.0) == 1.0);
  // The DDPM chain is a discretisation of the VP SDE with beta(t) = T beta_i: 0.1 -> 20.
  VariancePreserving vp;
  CHECK(std::log(ddpm.scale(1.0)) == Approx(std::log(vp.scale(1.0))).epsilon(0.01));
}

TEST_CASE("EDM rho = 7 schedule reproduces Karras et al.'s 18 sigmas", "[diffusion][schedule]") {
  // docs/references.md, 4 significant digits.
  const std::vector<double> published = {80,    57.59, 40.79,  28.37,  19.35,  12.91,   8.401,   5.315,    3.257,
                                         1.923, 1.088, 0.5853, 0.2964, 0.1395, 0.05995, 0.02293, 0.007528, 0.002};
  const auto s = edm_sigmas(18, 0.002, 80.0, 7.0, true);
  REQUIRE(s.size() == 19);
  for (std::size_t i = 0; i < published.size(); ++i) {
    INFO(i);
    CHECK(s[i] == Approx(published[i]).epsilon(6e-4));
  }
  CHECK(s.back() == 0.0);
  const auto t = Edm().default_times(18);
  CHECK(t == s);
}

TEST_CASE("geometric and uniform grids", "[diffusion][schedule]") {
  const auto g = geometric(20.0, 1.0, 10);
  REQUIRE(g.size() == 10);
  CHECK(g.front() == 20.0);
  CHECK(g.back() == 1.0);
  for (std::size_t i = 1; i < g.size(); ++i) CHECK(g[i] / g[i - 1] == Approx(std::pow(20.0, -1.0 / 9)).epsilon(1e-13));
  const auto t = VariancePreserving().default_times(4);
  REQUIRE(t.size() == 5);
  CHECK(t.front() == 1.0);
  CHECK(t.back() == 1e-3);
  const auto d = DiscreteDdpm().default_times(1000);
  CHECK(d.size() == 1001);
  CHECK(d.back() == 0.0);
}
