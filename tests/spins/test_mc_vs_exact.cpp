// Monte Carlo against exact enumeration, within 4 standard errors, for every algorithm.
#include <catch2/catch.hpp>

#include "mc_helpers.hpp"
#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/mc/parallel_tempering.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/couplings.hpp"

using namespace spindiff;
using namespace spindiff::spins;

namespace {

constexpr int thermalize = 2000;
constexpr int sweeps = 100000;

const char* name(mc::Rule r) { return r == mc::Rule::metropolis ? "metropolis" : "heatbath"; }
const char* name(mc::Order o) {
  return o == mc::Order::random ? "random" : o == mc::Order::sequential ? "sequential" : "checkerboard";
}

template <class M>
void single_spin_all_orders(const M& model, double T, const mc::ExactThermo& exact, bool lattice, std::uint32_t task) {
  std::vector<mc::Order> orders = {mc::Order::random, mc::Order::sequential};
  if (lattice) orders.push_back(mc::Order::checkerboard);
  for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath})
    for (mc::Order order : orders) {
      Stream rng(11, task, static_cast<std::uint32_t>(rule) * 4 + static_cast<std::uint32_t>(order), Purpose::dynamics);
      mc::SingleSpinUpdater<M> up(model, T, rule, order);
      const auto est =
          test::sample(model, Config(model.size(), 1), T, thermalize, sweeps, [&](Replica<M>& r) { up.sweep(r, rng); });
      test::check_all(std::string(name(rule)) + "/" + name(order) + " T=" + std::to_string(T), est, exact);
    }
}

// Parallel tempering: the estimates at slot `slot` of the ladder.
template <class M>
void parallel_tempering(const M& model, const std::vector<double>& ladder, std::size_t slot,
                        const mc::ExactThermo& exact, std::uint32_t task) {
  mc::ParallelTempering<M> pt(model, ladder, mc::Rule::metropolis, mc::Order::random, slot);
  mc::Tempered<M> walkers;
  for (std::size_t w = 0; w < ladder.size(); ++w) {
    walkers.walkers.emplace_back(model, Config(model.size(), 1));
    walkers.streams.push_back(Stream(12, task, 0, Purpose::dynamics, w));
  }
  Stream ex(12, task, 0, Purpose::exchange);
  for (int t = 0; t < thermalize; ++t) pt.sweep(walkers, ex);
  const double n = static_cast<double>(model.size());
  stats::ThermoSeries series(model.size(), ladder[slot], sweeps);
  for (int t = 0; t < sweeps; ++t) {
    pt.sweep(walkers, ex);
    const auto& r = pt.observed(walkers);
    series.add(r.energy / n, static_cast<double>(r.magnetization) / n);
  }
  test::check_all("parallel tempering T=" + std::to_string(ladder[slot]), series.estimates(), exact);
  CHECK(pt.round_trips() > 10);
  for (double a : pt.exchange_acceptance()) CHECK(a > 0.05);
}

}  // namespace

TEST_CASE("4x4 periodic Ising: every algorithm against exact enumeration", "[spins][mc][physics]") {
  const IsingLattice lat(4, 2);
  const std::vector<double> temps = {1.8, 2.27, 3.0};
  const auto exact = mc::enumerate_exact(to_dense(lat), temps);
  for (std::size_t t = 0; t < temps.size(); ++t) {
    const double T = temps[t];
    single_spin_all_orders(lat, T, exact[t], true, static_cast<std::uint32_t>(t));
    {
      Stream rng(13, static_cast<std::uint32_t>(t), 0, Purpose::dynamics);
      mc::Wolff<IsingLattice> wolff(lat, T);
      const auto est = test::sample(
          lat, Config(lat.size(), 1), T, thermalize, sweeps, [&](Replica<IsingLattice>& r) { wolff.sweep(r, rng); },
          [&](Replica<IsingLattice>& r) { wolff.thermalize_sweep(r, rng); });
      test::check_all("wolff T=" + std::to_string(T), est, exact[t]);
    }
    for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath}) {
      Stream rng(14, static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(rule), Purpose::dynamics);
      mc::CheckerboardIsing2D sim(4, 1.0, 0.0, T, rule, rng);
      for (int s = 0; s < thermalize; ++s) sim.sweep();
      stats::ThermoSeries series(16, T, sweeps);
      for (int s = 0; s < sweeps; ++s) {
        sim.sweep();
        series.add(sim.energy() / 16, static_cast<double>(sim.magnetization()) / 16);
      }
      test::check_all(std::string("fast checkerboard ") + name(rule) + " T=" + std::to_string(T), series.estimates(),
                      exact[t]);
    }
  }
  parallel_tempering(lat, {1.8, 2.1, 2.5, 3.0}, 0, exact[0], 20);
}

TEST_CASE("4x4 Ising in a field, open boundaries: fast kernel general path and single-spin", "[spins][mc][physics]") {
  const double T = 2.2, h = 0.15;
  const IsingLattice open(4, 2, 1.0, h, Boundary::open);
  const auto exact_open = mc::enumerate_exact(to_dense(open), std::vector<double>{T});
  single_spin_all_orders(open, T, exact_open[0], true, 30);
  const auto exact_per = mc::enumerate_exact(to_dense(IsingLattice(4, 2, 1.0, h)), std::vector<double>{T});
  Stream rng(15, 0, 0, Purpose::dynamics);
  mc::CheckerboardIsing2D sim(4, 1.0, h, T, mc::Rule::metropolis, rng);
  stats::ThermoSeries series(16, T, sweeps);
  for (int s = 0; s < thermalize + sweeps; ++s) {
    sim.sweep();
    if (s >= thermalize) series.add(sim.energy() / 16, static_cast<double>(sim.magnetization()) / 16);
  }
  test::check_all("fast checkerboard with field", series.estimates(), exact_per[0]);
}

TEST_CASE("SK N = 12: single-spin algorithms and parallel tempering against exact enumeration",
          "[spins][mc][physics]") {
  Stream c(16, 0, 0, Purpose::couplings);
  const DenseCouplings sk = sk_couplings(12, 1.0, 0.0, c);
  const double T = 0.7;
  const auto exact = mc::enumerate_exact(sk, std::vector<double>{T});
  single_spin_all_orders(sk, T, exact[0], false, 40);
  parallel_tempering(sk, {0.7, 0.9, 1.2, 1.6}, 0, exact[0], 41);
}

TEST_CASE("Hopfield N = 16, P = 2: low-rank and dense couplings against exact enumeration", "[spins][mc][physics]") {
  Stream c(17, 0, 0, Purpose::patterns);
  const Patterns p = hopfield::random_patterns(16, 2, 0.0, c);
  const PatternCouplings low_rank(p);
  const DenseCouplings dense = to_dense(PatternCouplings(p));
  const double T = 0.5;
  const auto exact = mc::enumerate_exact(dense, std::vector<double>{T});
  single_spin_all_orders(low_rank, T, exact[0], false, 50);
  single_spin_all_orders(dense, T, exact[0], false, 51);
  parallel_tempering(low_rank, {0.5, 0.7, 1.0, 1.4}, 0, exact[0], 52);
}
