#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/spins/ags.hpp"
#include "spindiff/spins/onsager.hpp"

using namespace spindiff::spins;

// Reference values: docs/references.md (Onsager 1944, Yang 1952, AGS 1985/87).
TEST_CASE("Onsager and Yang exact functions", "[spins][theory]") {
  CHECK(onsager::critical_temperature == Approx(2.2691853142).epsilon(1e-10));
  CHECK(onsager::energy(1.5) == Approx(-1.951117).margin(2e-6));
  CHECK(onsager::energy(2.0) == Approx(-1.745565).margin(2e-6));
  CHECK(onsager::energy(3.0) == Approx(-0.817310).margin(2e-6));
  CHECK(onsager::energy(onsager::critical_temperature) == Approx(-std::sqrt(2.0)).margin(1e-9));
  CHECK(onsager::specific_heat(2.0) == Approx(0.724871).margin(2e-6));
  CHECK(onsager::magnetization(1.5) == Approx(0.986500).margin(2e-6));
  CHECK(onsager::magnetization(2.0) == Approx(0.911319).margin(2e-6));
  CHECK(onsager::magnetization(2.5) == 0.0);
  // c = du/dT, checked by a central difference.
  for (double T : {1.2, 2.0, 2.6, 4.0}) {
    const double h = 1e-4, du = (onsager::energy(T + h) - onsager::energy(T - h)) / (2 * h);
    CHECK(onsager::specific_heat(T) == Approx(du).epsilon(1e-5));
  }
}

TEST_CASE("AGS replica-symmetric theory", "[spins][theory]") {
  // One pattern at alpha = 0 is Curie-Weiss: m = tanh(m/T).
  CHECK(ags::solve(0.0, 0.8).m == Approx(0.710412).margin(1e-6));
  CHECK(ags::solve(0.0, 0.5).m == Approx(0.957504).margin(1e-6));
  CHECK(ags::solve(0.0, 1.2).m == Approx(0.0).margin(1e-6));
  // Gauss-Hermite rule integrates z^2 and z^4 exactly.
  const ags::GaussHermite gh(41);
  double z2 = 0, z4 = 0;
  for (std::size_t k = 0; k < gh.nodes.size(); ++k) {
    z2 += gh.weights[k] * gh.nodes[k] * gh.nodes[k];
    z4 += gh.weights[k] * std::pow(gh.nodes[k], 4);
  }
  CHECK(z2 == Approx(1.0).epsilon(1e-10));
  CHECK(z4 == Approx(3.0).epsilon(1e-10));
  CHECK(ags::spin_glass_temperature(0.04) == Approx(1.2));
  // Retrieval boundary, published to two digits: 0.80, 0.54, 0.32.
  CHECK(ags::retrieval_temperature(0.01) == Approx(0.80).margin(0.006));
  CHECK(ags::retrieval_temperature(0.05) == Approx(0.54).margin(0.006));
  CHECK(ags::retrieval_temperature(0.10) == Approx(0.32).margin(0.006));
  CHECK(ags::retrieval_temperature(0.15) == 0.0);  // beyond alpha_c = 0.138
}
