// The exact finite-torus 2-D Ising solution against exact enumeration (L = 4), the published finite-size
// specific heats at T_c (Ferdinand & Fisher 1969), and Onsager's infinite lattice (large L).
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/kind_runner.hpp"
#include "spindiff/mc/exact.hpp"
#include "spindiff/spins/couplings.hpp"
#include "spindiff/spins/ising_exact.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/onsager.hpp"

using namespace spindiff;
namespace ie = spindiff::spins::ising_exact;

TEST_CASE("finite torus: L = 4 equals enumeration of the 2^16 states to 1e-12", "[spins][exact]") {
  const spins::IsingLattice lattice(4, 2, 1.0, 0.0, spins::Boundary::periodic);
  const std::vector<double> temps = {0.5, 1.0, 1.8, spins::onsager::critical_temperature, 2.6, 4.0, 20.0};
  const auto enumerated = mc::enumerate_exact(spins::to_dense(lattice), temps);
  for (std::size_t t = 0; t < temps.size(); ++t) {
    const ie::Thermo r = ie::torus(4, temps[t]);
    INFO("T = " << temps[t]);
    CHECK(std::abs(r.log_z - enumerated[t].log_z) < 1e-12 * std::abs(enumerated[t].log_z));
    CHECK(std::abs(r.energy - enumerated[t].energy) < 1e-12);
    // The enumeration's variance is a difference of moments: a few 1e-13 of rounding of its own.
    CHECK(std::abs(r.specific_heat - enumerated[t].specific_heat) < 3e-12);
    CHECK(std::abs(r.free_energy - enumerated[t].free_energy) < 1e-12);
  }
}

TEST_CASE("finite torus: specific heat at T_c for L = 4 .. 128 (Ferdinand & Fisher)", "[spins][exact]") {
  const double Tc = spins::onsager::critical_temperature;
  const std::vector<std::pair<int, double>> published = {{4, 0.78327},  {8, 1.14556},  {16, 1.49870},
                                                         {32, 1.84676}, {64, 2.19220}, {128, 2.53632}};
  for (const auto& [L, c] : published) {
    INFO("L = " << L << ": c = " << ie::torus(L, Tc).specific_heat);
    // The same formula evaluated with 50 digits (mpmath, numerical second derivative) gives 0.7832668,
    // 1.8467676, 2.1922114, 2.5363313 at L = 4, 32, 64, 128: the published five decimals are off by up to
    // 1.1e-5 at L = 64 and 128, so the window is 1.5e-5 (docs/references.md).
    CHECK(std::abs(ie::torus(L, Tc).specific_heat - c) < 1.5e-5);
  }
  CHECK(std::abs(ie::torus(64, Tc).specific_heat - 2.1922114) < 1e-7);
  CHECK(std::abs(ie::torus(128, Tc).specific_heat - 2.5363313) < 1e-7);
  // Energy at T_c tends to Onsager's -sqrt 2 with a 1/L correction.
  CHECK(std::abs(ie::torus(1024, Tc).energy + std::sqrt(2.0)) < 2.0 / 1024);
}

TEST_CASE("finite torus: large L away from T_c is Onsager's infinite lattice", "[spins][exact]") {
  for (double T : {1.5, 2.0, 2.6, 3.0}) {
    const ie::Thermo r = ie::torus(256, T);
    INFO("T = " << T);
    CHECK(std::abs(r.energy - spins::onsager::energy(T)) < 1e-9);
    CHECK(std::abs(r.specific_heat - spins::onsager::specific_heat(T)) < 1e-7);
  }
  CHECK(std::abs(ie::torus(256, 2.0).energy + 1.745565) < 1e-6);  // published value at T = 2
  CHECK(std::abs(ie::torus(256, 2.0).specific_heat - 0.724871) < 1e-6);
}

TEST_CASE("ising.exact kind: L = 4 equals the spins.exact enumeration kind", "[spins][exact][kind]") {
  using spindiff::runner::Value;
  for (double T : {1.5, 2.269185314213022, 3.0}) {
    const auto exact = spindiff::test::run_kind("ising.exact", {{"L", std::int64_t{4}}, {"T", T}});
    const auto enumerated = spindiff::test::run_kind("spins.exact", {{"L", std::int64_t{4}}, {"T", T}});
    INFO("T = " << T);
    CHECK(std::abs(exact.scalar("energy") - enumerated.scalar("energy")) < 1e-12);
    CHECK(std::abs(exact.scalar("specific_heat") - enumerated.scalar("specific_heat")) < 3e-12);
  }
  // Large L: the finite-size columns meet the infinite-lattice ones away from T_c.
  const auto big = spindiff::test::run_kind("ising.exact", {{"L", std::int64_t{512}}, {"T", 3.0}});
  CHECK(std::abs(big.scalar("energy") - big.scalar("energy_infinite")) < 1e-9);
  CHECK(std::abs(big.scalar("energy") + 0.817310) < 1e-6);  // Onsager, T = 3.0
}
