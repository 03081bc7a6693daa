// The two lattice kernels of the Wolff move grow the same clusters from the same words, and the coordinates kernel
// samples the exact finite-torus energy and specific heat.
#include <catch2/catch.hpp>
#include <cmath>

#include "mc_helpers.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/ising_exact.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/onsager.hpp"

using namespace spindiff;
using namespace spindiff::spins;

TEST_CASE("Wolff: the coordinates kernel is the default on periodic lattices with L >= 3", "[spins][mc]") {
  CHECK(mc::Wolff<IsingLattice>(IsingLattice(3, 2), 2.0).kernel() == mc::WolffKernel::coordinates);
  CHECK(mc::Wolff<IsingLattice>(IsingLattice(5, 3), 2.0).kernel() == mc::WolffKernel::coordinates);
  CHECK(mc::Wolff<IsingLattice>(IsingLattice(2, 2), 2.0).kernel() == mc::WolffKernel::neighbor_table);
  const IsingLattice open(8, 2, 1.0, 0.0, Boundary::open);
  mc::Wolff<IsingLattice> w(open, 2.0);
  CHECK(w.kernel() == mc::WolffKernel::neighbor_table);
  CHECK_THROWS_AS(w.use_kernel(mc::WolffKernel::coordinates), std::invalid_argument);
}

TEST_CASE("Wolff: coordinates and neighbour-table kernels give the same chain bit for bit", "[spins][mc]") {
  struct Case {
    int L, dim;
    double T;
  };
  const double Tc = onsager::critical_temperature;
  for (const Case c : {Case{3, 2, Tc}, Case{4, 2, 1.5}, Case{5, 2, Tc}, Case{8, 2, 4.0}, Case{17, 2, Tc},
                       Case{256, 2, Tc}, Case{3, 3, 4.5}, Case{4, 3, 4.5}, Case{7, 3, 3.0}}) {
    INFO("L = " << c.L << ", dim = " << c.dim << ", T = " << c.T);
    const IsingLattice lat(c.L, c.dim);
    mc::Wolff<IsingLattice> table(lat, c.T), coords(lat, c.T);
    table.use_kernel(mc::WolffKernel::neighbor_table);
    REQUIRE(coords.kernel() == mc::WolffKernel::coordinates);
    Replica<IsingLattice> a(lat, Config(lat.size(), 1)), b(lat, Config(lat.size(), 1));
    Stream ra(5, static_cast<std::uint32_t>(c.L), static_cast<std::uint32_t>(c.dim), Purpose::dynamics), rb = ra;
    const int sweeps = c.L >= 100 ? 20 : 300;
    std::size_t flipped = 0;
    for (int t = 0; t < sweeps; ++t) {
      const std::size_t fa = t < 10 ? table.thermalize_sweep(a, ra) : table.sweep(a, ra);
      const std::size_t fb = t < 10 ? coords.thermalize_sweep(b, rb) : coords.sweep(b, rb);
      REQUIRE(fa == fb);
      REQUIRE(a.spins == b.spins);
      REQUIRE(a.energy == b.energy);
      REQUIRE(a.magnetization == b.magnetization);
      flipped += fb;
    }
    CHECK(flipped > lat.size());  // the chain moved
    CHECK(b.energy == lat.energy(b.spins));
    CHECK(b.magnetization == total_magnetization(b.spins));
    CHECK(ra() == rb());  // both consumed the same words
  }
}

TEST_CASE("Wolff coordinates kernel: energy and specific heat equal the exact torus values", "[spins][mc][physics]") {
  // L = 8 and 16 at T = 2.0 (ordered) and T_c, within 4 standard errors; the error bar itself must be small.
  std::uint32_t task = 0;
  for (int L : {8, 16})
    for (double T : {2.0, onsager::critical_temperature}) {
      const auto exact = ising_exact::torus(L, T);
      const IsingLattice lat(L, 2);
      mc::Wolff<IsingLattice> wolff(lat, T);
      REQUIRE(wolff.kernel() == mc::WolffKernel::coordinates);
      Stream rng(45, task++, 0, Purpose::dynamics);
      const auto e = test::sample(
          lat, Config(lat.size(), 1), T, 2000, 100000, [&](Replica<IsingLattice>& r) { wolff.sweep(r, rng); },
          [&](Replica<IsingLattice>& r) { wolff.thermalize_sweep(r, rng); });
      INFO("L = " << L << ", T = " << T << ": u = " << e.energy.value << " +- " << e.energy.error << " (exact "
                  << exact.energy << "), c = " << e.specific_heat.value << " +- " << e.specific_heat.error << " (exact "
                  << exact.specific_heat << ")");
      CHECK(std::abs(e.energy.value - exact.energy) <= 4 * e.energy.error);
      CHECK(std::abs(e.specific_heat.value - exact.specific_heat) <= 4 * e.specific_heat.error);
      CHECK(e.energy.error < 0.005);
      CHECK(e.specific_heat.error < 0.05 * exact.specific_heat);
    }
}
