// The multi-spin coded checkerboard kernel (one bit per spin, lazy exact acceptance): layout, the agreement of its
// implementations bit for bit, per-move acceptance probabilities, the move table, and the exact finite-lattice
// thermodynamics (Kaufman / Ferdinand-Fisher).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <variant>

#include "acceptance_helpers.hpp"
#include "spindiff/mc/moves.hpp"
#include "spindiff/mc/multispin_ising2d.hpp"
#include "spindiff/spins/ising_exact.hpp"
#include "spindiff/stats/thermo.hpp"

using namespace spindiff;

namespace {

spins::Config random_config(int L, double up_fraction, Stream& rng) {
  spins::Config s(static_cast<std::size_t>(L) * L);
  for (auto& x : s) x = rng.uniform() < up_fraction ? 1 : -1;
  return s;
}

double direct_energy(const spins::Config& s, int L, double J) {
  double bonds = 0;
  for (int y = 0; y < L; ++y)
    for (int x = 0; x < L; ++x) {
      const int me = s[static_cast<std::size_t>(y) * L + x];
      bonds +=
          me * (s[static_cast<std::size_t>(y) * L + (x + 1) % L] + s[static_cast<std::size_t>((y + 1) % L) * L + x]);
    }
  return -J * bonds;
}

// The implementations this CPU runs besides the portable one.
std::vector<std::string> runnable() {
  std::vector<std::string> v;
  for (const auto& name : mc::MultiSpinIsing2D::implementations())
    if (mc::MultiSpinIsing2D::supported(name)) v.push_back(name);
  return v;
}

}  // namespace

TEST_CASE("multispin kernel: layout round trip, energy and magnetisation", "[spins]") {
  Stream init(41, 0, 0, Purpose::init), rng(41, 0, 0, Purpose::dynamics);
  for (int L : {2, 4, 6, 8, 16, 34, 128, 256}) {
    mc::MultiSpinIsing2D sim(L, 0.7, 2.0, mc::Rule::metropolis, rng, "portable");
    const spins::Config s = random_config(L, 0.6, init);
    sim.set_spins(s);
    INFO("L = " << L);
    CHECK(sim.spins() == s);
    CHECK(sim.energy() == Approx(direct_energy(s, L, 0.7)).margin(1e-9));
    std::int64_t m = 0;
    for (auto x : s) m += x;
    CHECK(sim.magnetization() == m);
    // After sweeps the packed energy still equals the direct one (the ghost words and strip edges hold).
    for (int t = 0; t < 3; ++t) sim.sweep();
    CHECK(sim.energy() == Approx(direct_energy(sim.spins(), L, 0.7)).margin(1e-9));
  }
}

TEST_CASE("multispin kernel: every implementation gives the portable one's spins bit for bit", "[spins]") {
  const std::vector<std::string> impls = runnable();
  CHECK(mc::MultiSpinIsing2D::supported("portable"));
  CHECK(mc::MultiSpinIsing2D::best_implementation() == impls.front());
  if (impls.size() == 1) WARN("only the portable implementation runs on this CPU");
  for (int L : {8, 16, 34, 256})
    for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath})
      for (double T : {1.5, 2.5, 20.0}) {
        Stream init(42, L, 0, Purpose::init);
        const spins::Config s = random_config(L, 0.7, init);
        Stream rng0(42, L, 0, Purpose::dynamics);
        mc::MultiSpinIsing2D ref(L, 1.0, T, rule, rng0, "portable");
        ref.set_spins(s);
        for (int t = 0; t < 10; ++t) ref.sweep();
        for (const auto& name : impls) {
          Stream rng(42, L, 0, Purpose::dynamics);
          mc::MultiSpinIsing2D sim(L, 1.0, T, rule, rng, name);
          sim.set_spins(s);
          std::uint64_t flips = 0;
          for (int t = 0; t < 10; ++t) flips += sim.sweep();
          INFO(name << ", L = " << L << ", T = " << T << ", rule " << static_cast<int>(rule));
          CHECK(flips > 0);
          CHECK(sim.spins() == ref.spins());
          CHECK(sim.random_bytes_drawn() == ref.random_bytes_drawn());
        }
      }
  Stream any;
  CHECK_THROWS_AS(mc::MultiSpinIsing2D(8, 1.0, 2.0, mc::Rule::metropolis, any, "no-such"), std::invalid_argument);
}

TEST_CASE("multispin kernel: per-move acceptance probabilities are exact", "[spins][mc]") {
  // Sublattice 0 is updated first in the starting environment: flips per class are Binomial(n, p) (5 sigma).
  // T = 0.69 puts e^{-4/T} below 1/256 and e^{-8/T} near 1e-5; heat bath at T = 2 and 50 (p near 1/2).
  std::uint32_t task = 0;
  for (const auto& name : runnable())
    for (int L : {64, 10}) {
      const int configs = L == 64 ? 300 : 12000;
      struct Case {
        mc::Rule rule;
        double T;
      };
      for (const Case k : {Case{mc::Rule::metropolis, 2.5}, Case{mc::Rule::metropolis, 0.69},
                           Case{mc::Rule::heatbath, 2.0}, Case{mc::Rule::heatbath, 50.0}}) {
        Stream rng(43, task, 0, Purpose::dynamics), init(43, task, 0, Purpose::init);
        ++task;
        mc::MultiSpinIsing2D sim(L, 1.0, k.T, k.rule, rng, name);
        test::ClassCounts c;
        for (int n = 0; n < configs; ++n) {
          const spins::Config s = random_config(L, 0.75, init);
          sim.set_spins(s);
          sim.sweep();
          c.add(s, sim.spins(), L);
        }
        test::check_rates(name + ", L = " + std::to_string(L) + ", T = " + std::to_string(k.T), c, k.rule, 1.0, 0.0,
                          k.T);
      }
    }
}

TEST_CASE("multispin kernel: chosen by the move table where it applies", "[spins][mc]") {
  const spins::IsingLattice lat(16, 2);
  mc::MoveSpec spec;
  spec.order = mc::Order::checkerboard;
  CHECK(std::holds_alternative<mc::MultiSpinSweep>(mc::make_move(spec, lat, 2.0)));
  spec.kernel = "bytes";
  CHECK(std::holds_alternative<mc::CheckerboardSweep>(mc::make_move(spec, lat, 2.0)));
  spec.kernel = "generic";
  CHECK(std::holds_alternative<mc::SingleSpinUpdater<spins::IsingLattice>>(mc::make_move(spec, lat, 2.0)));
  // In a field the byte kernel takes over; asking for the multi-spin kernel there is an error naming the kernel.
  const spins::IsingLattice field(16, 2, 1.0, 0.2);
  spec.kernel = "auto";
  CHECK(std::holds_alternative<mc::CheckerboardSweep>(mc::make_move(spec, field, 2.0)));
  spec.kernel = "multispin";
  try {
    (void)mc::make_move(spec, field, 2.0);
    FAIL("no error");
  } catch (const mc::MoveError& e) {
    CHECK(e.part == mc::MoveError::Part::kernel);
  }
  spec.order = mc::Order::random;
  CHECK_THROWS_AS(mc::make_move(spec, lat, 2.0), mc::MoveError);
}

TEST_CASE("multispin kernel: energy and specific heat equal the exact torus values", "[spins][mc][physics]") {
  // L = 8 and 16 at T = 2.0 (ordered) and 3.0 (disordered), both rules, within 4 standard errors; the error bar
  // itself must be small (a useless one cannot pass).
  std::uint32_t task = 0;
  for (int L : {8, 16})
    for (double T : {2.0, 3.0})
      for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath}) {
        const auto exact = spins::ising_exact::torus(L, T);
        Stream rng(44, task++, 0, Purpose::dynamics);
        mc::MultiSpinIsing2D sim(L, 1.0, T, rule, rng);
        sim.set_spins(spins::Config(static_cast<std::size_t>(L) * L, 1));
        const int sweeps = 200000;
        for (int t = 0; t < 2000; ++t) sim.sweep();
        const double n = static_cast<double>(sim.size());
        stats::ThermoSeries series(sim.size(), T, sweeps);
        for (int t = 0; t < sweeps; ++t) {
          sim.sweep();
          series.add(sim.energy() / n, static_cast<double>(sim.magnetization()) / n);
        }
        const stats::ThermoEstimates e = series.estimates();
        INFO(sim.implementation() << ", L = " << L << ", T = " << T << ", rule " << static_cast<int>(rule)
                                  << ": u = " << e.energy.value << " +- " << e.energy.error << " (exact "
                                  << exact.energy << "), c = " << e.specific_heat.value << " +- "
                                  << e.specific_heat.error << " (exact " << exact.specific_heat << ")");
        CHECK(std::abs(e.energy.value - exact.energy) <= 4 * e.energy.error);
        CHECK(std::abs(e.specific_heat.value - exact.specific_heat) <= 4 * e.specific_heat.error);
        CHECK(e.energy.error < 0.005);
        CHECK(e.specific_heat.error < 0.05 * exact.specific_heat);
      }
}
