// Independent replicas in one set of multi-spin words (bit b = replica b): layout, the agreement of its
// implementations bit for bit, per-move acceptance probabilities at each replica's temperature, the independence
// of replicas sharing a word, and each replica's exact finite-lattice thermodynamics (Kaufman / Ferdinand-Fisher).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "acceptance_helpers.hpp"
#include "spindiff/mc/multispin_ising2d_replicas.hpp"
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

std::vector<std::string> runnable() {
  std::vector<std::string> v;
  for (const auto& name : mc::MultiSpinIsing2D::implementations())
    if (mc::MultiSpinIsing2D::supported(name)) v.push_back(name);
  return v;
}

// R temperatures cycling through `ladder`.
std::vector<double> cycle(const std::vector<double>& ladder, int R) {
  std::vector<double> T(static_cast<std::size_t>(R));
  for (int b = 0; b < R; ++b) T[static_cast<std::size_t>(b)] = ladder[static_cast<std::size_t>(b) % ladder.size()];
  return T;
}

}  // namespace

TEST_CASE("multispin replicas: layout round trip, energies and magnetisations per replica", "[spins]") {
  Stream init(51, 0, 0, Purpose::init), rng(51, 0, 0, Purpose::dynamics);
  for (int L : {2, 4, 6, 10, 16, 32, 34, 64})
    for (int R : {1, 7, 64}) {
      mc::MultiSpinIsing2DReplicas sim(L, 0.7, cycle({1.5, 2.5, 4.0}, R), mc::Rule::metropolis, rng, "portable");
      std::vector<spins::Config> s;
      for (int b = 0; b < R; ++b) {
        s.push_back(random_config(L, 0.3 + 0.01 * b, init));
        sim.set_spins(b, s.back());
      }
      INFO("L = " << L << ", R = " << R);
      const std::vector<double> E = sim.energies();
      const std::vector<std::int64_t> M = sim.magnetizations();
      REQUIRE(E.size() == static_cast<std::size_t>(R));
      for (int b = 0; b < R; ++b) {
        CHECK(sim.spins(b) == s[static_cast<std::size_t>(b)]);
        CHECK(E[static_cast<std::size_t>(b)] ==
              Approx(direct_energy(s[static_cast<std::size_t>(b)], L, 0.7)).margin(1e-9));
        std::int64_t m = 0;
        for (auto x : s[static_cast<std::size_t>(b)]) m += x;
        CHECK(M[static_cast<std::size_t>(b)] == m);
      }
      // After sweeps each replica's packed energy still equals its direct one (the ghost words hold, lanes stay apart).
      for (int t = 0; t < 3; ++t) sim.sweep();
      const std::vector<double> E2 = sim.energies();
      for (int b = 0; b < R; ++b)
        CHECK(E2[static_cast<std::size_t>(b)] == Approx(direct_energy(sim.spins(b), L, 0.7)).margin(1e-9));
    }
  Stream any;
  CHECK_THROWS_AS(mc::MultiSpinIsing2DReplicas(8, 1.0, std::vector<double>(65, 2.0), mc::Rule::metropolis, any),
                  std::invalid_argument);
  CHECK_THROWS_AS(mc::MultiSpinIsing2DReplicas(7, 1.0, {2.0}, mc::Rule::metropolis, any), std::invalid_argument);
  CHECK_THROWS_AS(mc::MultiSpinIsing2DReplicas(8, 1.0, {2.0, -1.0}, mc::Rule::metropolis, any), std::invalid_argument);
}

TEST_CASE("multispin replicas: every implementation gives the portable one's spins bit for bit", "[spins]") {
  const std::vector<std::string> impls = runnable();
  if (impls.size() == 1) WARN("only the portable implementation runs on this CPU");
  for (int L : {8, 16, 32, 34, 64})
    for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath})
      for (int R : {3, 64}) {
        const std::vector<double> T = cycle({0.5, 1.5, 2.27, 2.5, 20.0}, R);
        Stream init(52, static_cast<std::uint32_t>(L), 0, Purpose::init);
        std::vector<spins::Config> s;
        for (int b = 0; b < R; ++b) s.push_back(random_config(L, 0.7, init));
        auto run = [&](const std::string& name, std::uint64_t& flips, std::uint64_t& bytes) {
          Stream rng(52, static_cast<std::uint32_t>(L), 0, Purpose::dynamics);
          mc::MultiSpinIsing2DReplicas sim(L, 1.0, T, rule, rng, name);
          for (int b = 0; b < R; ++b) sim.set_spins(b, s[static_cast<std::size_t>(b)]);
          flips = 0;
          for (int t = 0; t < 10; ++t) flips += sim.sweep();
          bytes = sim.random_bytes_drawn();
          std::vector<spins::Config> out;
          for (int b = 0; b < R; ++b) out.push_back(sim.spins(b));
          return out;
        };
        std::uint64_t ref_flips = 0, ref_bytes = 0;
        const auto ref = run("portable", ref_flips, ref_bytes);
        for (const auto& name : impls) {
          std::uint64_t flips = 0, bytes = 0;
          INFO(name << ", L = " << L << ", R = " << R << ", rule " << static_cast<int>(rule));
          CHECK(run(name, flips, bytes) == ref);
          CHECK(flips == ref_flips);
          CHECK(flips > 0);
          CHECK(bytes == ref_bytes);
        }
      }
}

TEST_CASE("multispin replicas: per-move acceptance probabilities are exact at each replica's temperature",
          "[spins][mc]") {
  // Sublattice 0 is updated first in the starting environment: flips per class are Binomial(n, p) (5 sigma), at
  // the temperature of the replica's lane. T = 0.69 puts e^{-4/T} below 1/256; heat bath near p = 1/2 at T = 50.
  std::uint32_t task = 0;
  for (const auto& name : runnable())
    for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath}) {
      const int L = 16, R = 64, configs = 400;
      const std::vector<double> ladder = {0.69, 1.5, 2.5, 50.0};
      const std::vector<double> T = cycle(ladder, R);
      Stream rng(53, task, 0, Purpose::dynamics), init(53, task, 0, Purpose::init);
      ++task;
      mc::MultiSpinIsing2DReplicas sim(L, 1.0, T, rule, rng, name);
      std::vector<test::ClassCounts> c(ladder.size());  // pooled over the replicas at one temperature
      std::vector<spins::Config> s(R);
      for (int n = 0; n < configs; ++n) {
        for (int b = 0; b < R; ++b) {
          s[static_cast<std::size_t>(b)] = random_config(L, 0.75, init);
          sim.set_spins(b, s[static_cast<std::size_t>(b)]);
        }
        sim.sweep();
        for (int b = 0; b < R; ++b)
          c[static_cast<std::size_t>(b) % ladder.size()].add(s[static_cast<std::size_t>(b)], sim.spins(b), L);
      }
      for (std::size_t i = 0; i < ladder.size(); ++i)
        test::check_rates(
            name + ", T = " + std::to_string(ladder[i]) + ", rule " + std::to_string(static_cast<int>(rule)), c[i],
            rule, 1.0, 0.0, ladder[i]);
    }
}

TEST_CASE("multispin replicas: replicas sharing a word have uncorrelated energy series", "[spins][mc][physics]") {
  // 64 replicas at one temperature; each replica's energy per spin averaged over blocks of 50 sweeps (much longer
  // than its autocorrelation time), so the block means of one replica are independent. For independent replicas
  // the correlation r of two replicas' block means over n blocks has mean 0 and variance 1/n: the mean of r over
  // all pairs, and over the 32 pairs of neighbouring lanes (bits 2i, 2i+1 share a random byte when both are
  // undecided), lies within 4 standard errors of 0, and n r^2 averages 1 over the 32 disjoint pairs
  // (chi-square with 32 degrees of freedom, divided by 32: within 4 of its standard deviations sqrt(2/32)).
  for (double T : {2.5, 3.5}) {
    const int L = 16, R = 64, blocks = 2000, per_block = 50;
    Stream rng(54, static_cast<std::uint32_t>(10 * T), 0, Purpose::dynamics);
    mc::MultiSpinIsing2DReplicas sim(L, 1.0, std::vector<double>(R, T), mc::Rule::metropolis, rng);
    Stream init(54, 0, 0, Purpose::init);
    for (int b = 0; b < R; ++b) sim.set_spins(b, random_config(L, 0.5, init));
    for (int t = 0; t < 1000; ++t) sim.sweep();
    std::vector<std::vector<double>> e(R, std::vector<double>(blocks, 0.0));
    for (int k = 0; k < blocks; ++k)
      for (int t = 0; t < per_block; ++t) {
        sim.sweep();
        const std::vector<double> E = sim.energies();
        for (int b = 0; b < R; ++b)
          e[static_cast<std::size_t>(b)][static_cast<std::size_t>(k)] += E[static_cast<std::size_t>(b)];
      }
    for (auto& x : e) {  // standardise each replica's block means
      double mean = 0, var = 0;
      for (double v : x) mean += v;
      mean /= blocks;
      for (double v : x) var += (v - mean) * (v - mean);
      const double sd = std::sqrt(var / blocks);
      REQUIRE(sd > 0);
      for (double& v : x) v = (v - mean) / sd;
    }
    auto corr = [&](int a, int b) {
      double s = 0;
      for (int k = 0; k < blocks; ++k)
        s += e[static_cast<std::size_t>(a)][static_cast<std::size_t>(k)] *
             e[static_cast<std::size_t>(b)][static_cast<std::size_t>(k)];
      return s / blocks;
    };
    double all = 0, pairs = 0, neighbours = 0, chi2 = 0;
    for (int a = 0; a < R; ++a)
      for (int b = a + 1; b < R; ++b) {
        all += corr(a, b);
        pairs += 1;
      }
    for (int i = 0; i < R / 2; ++i) {
      const double r = corr(2 * i, 2 * i + 1);
      neighbours += r;
      chi2 += blocks * r * r;
    }
    const double n = blocks;
    INFO("T = " << T << ": mean r over " << pairs << " pairs " << all / pairs << " (se " << 1 / std::sqrt(pairs * n)
                << "), over lane neighbours " << neighbours / (R / 2) << " (se " << 1 / std::sqrt(R / 2 * n)
                << "), n r^2 averaged " << chi2 / (R / 2));
    CHECK(std::abs(all / pairs) <= 4 / std::sqrt(pairs * n));
    CHECK(std::abs(neighbours / (R / 2)) <= 4 / std::sqrt(R / 2 * n));
    CHECK(std::abs(chi2 / (R / 2) - 1) <= 4 * std::sqrt(2.0 / (R / 2)));
  }
}

TEST_CASE("multispin replicas: each replica's energy and specific heat equal the exact torus values",
          "[spins][mc][physics]") {
  // L = 8 and 16, 64 replicas over four temperatures (two ordered, two disordered), both rules: every replica
  // within 4 standard errors of the exact values, and the error bars themselves small.
  const std::vector<double> ladder = {2.0, 2.3, 3.0, 4.0};
  std::uint32_t task = 0;
  for (int L : {8, 16})
    for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath}) {
      const int R = 64, sweeps = 50000;
      const std::vector<double> T = cycle(ladder, R);
      Stream rng(55, task++, 0, Purpose::dynamics);
      mc::MultiSpinIsing2DReplicas sim(L, 1.0, T, rule, rng);
      for (int b = 0; b < R; ++b) sim.set_spins(b, spins::Config(sim.size(), 1));
      for (int t = 0; t < 2000; ++t) sim.sweep();
      const double n = static_cast<double>(sim.size());
      std::vector<stats::ThermoSeries> series;
      for (int b = 0; b < R; ++b) series.emplace_back(sim.size(), T[static_cast<std::size_t>(b)], sweeps);
      for (int t = 0; t < sweeps; ++t) {
        sim.sweep();
        const std::vector<double> E = sim.energies();
        const std::vector<std::int64_t> M = sim.magnetizations();
        for (int b = 0; b < R; ++b)
          series[static_cast<std::size_t>(b)].add(E[static_cast<std::size_t>(b)] / n,
                                                  static_cast<double>(M[static_cast<std::size_t>(b)]) / n);
      }
      for (int b = 0; b < R; ++b) {
        const double Tb = T[static_cast<std::size_t>(b)];
        const auto exact = spins::ising_exact::torus(L, Tb);
        const stats::ThermoEstimates e = series[static_cast<std::size_t>(b)].estimates();
        INFO(sim.implementation() << ", L = " << L << ", replica " << b << ", T = " << Tb << ", rule "
                                  << static_cast<int>(rule) << ": u = " << e.energy.value << " +- " << e.energy.error
                                  << " (exact " << exact.energy << "), c = " << e.specific_heat.value << " +- "
                                  << e.specific_heat.error << " (exact " << exact.specific_heat << ")");
        CHECK(std::abs(e.energy.value - exact.energy) <= 4 * e.energy.error);
        CHECK(std::abs(e.specific_heat.value - exact.specific_heat) <= 4 * e.specific_heat.error);
        CHECK(e.energy.error < 0.01);
        CHECK(e.specific_heat.error < 0.1 * exact.specific_heat);
      }
    }
}
