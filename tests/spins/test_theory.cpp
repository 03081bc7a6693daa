#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/spins/onsager.hpp"

using namespace spindiff::spins;

// Reference values: Onsager (1944), Yang (1952); docs/references.md.
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
