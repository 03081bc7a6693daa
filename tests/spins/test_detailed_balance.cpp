// Every move leaves the Boltzmann distribution invariant: the histogram of the 16 states of an N = 4 system
// against the exact weights, by a chi-square test. Samples are taken every `thin` sweeps so they are
// (nearly) independent; 15 degrees of freedom, P(chi2 > 37.70) = 0.001.
#include <catch2/catch.hpp>

#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/mc/exact.hpp"
#include "spindiff/mc/parallel_tempering.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/couplings.hpp"

using namespace spindiff;
using namespace spindiff::spins;

namespace {

constexpr int samples = 60000, thin = 6;
constexpr double chi2_limit = 37.70;

double chi_square(const std::vector<double>& p, const std::vector<std::int64_t>& counts) {
  double total = 0, chi2 = 0;
  for (auto c : counts) total += static_cast<double>(c);
  for (std::size_t x = 0; x < p.size(); ++x) {
    const double expected = p[x] * total;
    REQUIRE(expected > 5.0);  // the chi-square approximation needs it
    chi2 += (counts[x] - expected) * (counts[x] - expected) / expected;
  }
  return chi2;
}

template <class M, class Sweep>
void check_histogram(const std::string& label, const M& model, double T, Sweep&& sweep) {
  Replica<M> r(model, Config(model.size(), 1));
  for (int t = 0; t < 100; ++t) sweep(r);
  std::vector<std::int64_t> counts(std::size_t{1} << model.size(), 0);
  for (int k = 0; k < samples; ++k) {
    for (int t = 0; t < thin; ++t) sweep(r);
    ++counts[mc::state_index(r.spins)];
  }
  const double chi2 = chi_square(mc::boltzmann_probabilities(model, T), counts);
  INFO(label << ": chi2 = " << chi2 << " (15 dof)");
  CHECK(chi2 < chi2_limit);
}

}  // namespace

TEST_CASE("detailed balance: state histograms of N = 4 systems (chi-square)", "[spins][mc]") {
  Stream c(21, 0, 0, Purpose::couplings);
  const DenseCouplings dense = sk_couplings(4, 1.5, 0.3, c);  // frustrated, with a field
  const IsingLattice lattice(2, 2, 1.0, 0.2);                 // 2x2 periodic (double bonds): checkerboard-able
  const double T = 1.5, T_lattice = 3.5;
  std::uint32_t task = 0;
  for (mc::Rule rule : {mc::Rule::metropolis, mc::Rule::heatbath}) {
    for (mc::Order order : {mc::Order::random, mc::Order::sequential}) {
      Stream rng(22, task++, 0, Purpose::dynamics);
      mc::SingleSpinUpdater<DenseCouplings> up(dense, T, rule, order);
      check_histogram("dense rule " + std::to_string(int(rule)) + " order " + std::to_string(int(order)), dense, T,
                      [&](Replica<DenseCouplings>& r) { up.sweep(r, rng); });
    }
    Stream rng(22, task++, 0, Purpose::dynamics);
    mc::SingleSpinUpdater<IsingLattice> up(lattice, T_lattice, rule, mc::Order::checkerboard);
    check_histogram("lattice checkerboard rule " + std::to_string(int(rule)), lattice, T_lattice,
                    [&](Replica<IsingLattice>& r) { up.sweep(r, rng); });
    // The fast kernel on L = 2 (same double-bond lattice).
    Stream frng(23, task++, 0, Purpose::dynamics);
    mc::CheckerboardIsing2D sim(2, 1.0, 0.2, T_lattice, rule, frng);
    check_histogram("fast kernel rule " + std::to_string(int(rule)), lattice, T_lattice, [&](Replica<IsingLattice>& r) {
      sim.sweep();
      r.spins = sim.spins();
    });
  }
  {
    const IsingLattice ferro(2, 2, 1.0, 0.0);
    Stream rng(24, 0, 0, Purpose::dynamics);
    mc::Wolff<IsingLattice> wolff(ferro, T_lattice);
    check_histogram("wolff", ferro, T_lattice, [&](Replica<IsingLattice>& r) { wolff.cluster(r, rng); });
  }
  {
    // Parallel tempering: the walker at the coldest slot.
    const std::vector<double> ladder = {1.0, 1.6, 2.5};
    mc::ParallelTempering<DenseCouplings> pt(dense, ladder, mc::Rule::metropolis, mc::Order::random);
    mc::Tempered<DenseCouplings> walkers{
        std::vector<Replica<DenseCouplings>>(3, Replica<DenseCouplings>(dense, Config(4, 1))),
        {Stream(25, 0, 0, Purpose::dynamics, 0), Stream(25, 0, 0, Purpose::dynamics, 1),
         Stream(25, 0, 0, Purpose::dynamics, 2)}};
    Stream ex(25, 0, 0, Purpose::exchange);
    check_histogram("parallel tempering", dense, ladder[0], [&](Replica<DenseCouplings>& r) {
      pt.sweep(walkers, ex);
      r.spins = pt.observed(walkers).spins;
    });
  }
}
