#include <catch2/catch.hpp>

#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/unit_scale_score.hpp"

namespace dd = spindiff::diffusion;

TEST_CASE("a unit-scale score serves any (a, sigma) by the change of variables", "[diffusion]") {
  dd::Points means(2, 2);
  means << -2.0, 1.0, 3.0, -0.5;
  auto mixture = dd::isotropic_mixture({0.3, 0.7}, means, {0.4, 0.9});
  dd::GaussianMixtureScore exact(mixture);
  dd::UnitScaleScore rescaled(std::make_unique<dd::GaussianMixtureScore>(mixture));
  dd::Points x(4, 2);
  x << 0.1, 0.2, -1.5, 2.0, 3.0, -3.0, 0.0, 0.0;
  for (double a : {1.0, 0.8, 0.3, 0.05}) {
    for (double sigma : {0.01, 0.5, 2.0}) {
      dd::Points want, got;
      want.resize(x.rows(), x.cols());
      got.resize(x.rows(), x.cols());
      exact.score(x, dd::NoiseLevel{0.0, a, sigma}, want);
      rescaled.score(x, dd::NoiseLevel{0.0, a, sigma}, got);
      CHECK((got - want).cwiseAbs().maxCoeff() <= 1e-9 * (1.0 + want.cwiseAbs().maxCoeff()));
    }
  }
}
