// Critical slowing down at T_c: tau_int of the magnetisation m (slowest, odd mode) of checkerboard Metropolis grows
// like L^z, z = 2.17 (references.md), fitted over L = 8 ... 32 to within 4 standard errors of the fit
// (z_err ~ 0.11) plus 0.1 for corrections to scaling at these small L (the effective z comes out ~2.05 over
// many seeds); Wolff's stays below a few sweeps. tau from the windowed autocorrelation
// function.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/onsager.hpp"
#include "spindiff/stats/autocorrelation.hpp"

using namespace spindiff;

TEST_CASE("critical slowing down: Metropolis z = 2.17 within the fit error, Wolff tau of a few sweeps",
          "[spins][physics]") {
  const double Tc = spins::onsager::critical_temperature;
  const std::vector<int> sizes = {8, 12, 16, 24, 32};
  std::vector<double> logL, logtau, weight;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const int L = sizes[k];
    // ~ 4000 tau of data: tau ~ 0.3 L^2.17 sweeps.
    const int sweeps = static_cast<int>(4000 * 0.3 * std::pow(L, 2.17));
    Stream rng(71, static_cast<std::uint32_t>(k), 0, Purpose::dynamics);
    mc::CheckerboardIsing2D sim(L, 1.0, 0.0, Tc, mc::Rule::metropolis, rng);
    for (int t = 0; t < sweeps / 20; ++t) sim.sweep();
    std::vector<double> m(static_cast<std::size_t>(sweeps));
    for (auto& x : m) {
      sim.sweep();
      x = static_cast<double>(sim.magnetization()) / static_cast<double>(sim.size());
    }
    const auto tau = stats::integrated_autocorrelation_time(m);
    INFO("Metropolis L = " << L << ": tau_int(m) = " << tau.tau << " +- " << tau.error << " sweeps");
    REQUIRE(tau.reliable);
    logL.push_back(std::log(L));
    logtau.push_back(std::log(tau.tau));
    weight.push_back(std::pow(tau.tau / tau.error, 2));  // 1 / var(log tau)
    WARN("Metropolis L = " << L << ": tau_int(m) = " << tau.tau << " +- " << tau.error);
  }
  // Weighted least squares log tau = a + z log L.
  double S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  for (std::size_t k = 0; k < logL.size(); ++k) {
    S += weight[k], Sx += weight[k] * logL[k], Sy += weight[k] * logtau[k];
    Sxx += weight[k] * logL[k] * logL[k], Sxy += weight[k] * logL[k] * logtau[k];
  }
  const double z = (S * Sxy - Sx * Sy) / (S * Sxx - Sx * Sx), z_err = std::sqrt(S / (S * Sxx - Sx * Sx));
  WARN("fitted z = " << z << " +- " << z_err);
  CHECK(std::abs(z - 2.17) < 4.0 * z_err + 0.1);

  for (int L : {16, 32}) {
    const spins::IsingLattice lat(L, 2);
    spins::Replica<spins::IsingLattice> r(lat, spins::Config(lat.size(), 1));
    mc::Wolff<spins::IsingLattice> wolff(lat, Tc);
    Stream rng(72, static_cast<std::uint32_t>(L), 0, Purpose::dynamics);
    for (int t = 0; t < 500; ++t) wolff.thermalize_sweep(r, rng);
    std::vector<double> m(20000);
    for (auto& x : m) {
      wolff.sweep(r, rng);
      x = std::abs(static_cast<double>(r.magnetization)) / static_cast<double>(lat.size());
    }
    const auto tau = stats::integrated_autocorrelation_time(m);
    WARN("Wolff L = " << L << ": tau_int(m) = " << tau.tau << " +- " << tau.error << " sweeps");
    CHECK(tau.tau < 3.0);
  }
}
