#pragma once
// Shared by the spins tests: run a sampler and collect equilibrium estimates.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "spindiff/mc/exact.hpp"
#include "spindiff/spins/model.hpp"
#include "spindiff/stats/thermo.hpp"

namespace spindiff::test {

// `sweep(replica)` performs one sweep; measurements after each sweep. `warm(replica)` (default: sweep)
// is used during thermalisation.
template <class M, class Sweep, class Warm>
stats::ThermoEstimates sample(const M& model, spins::Config start, double T, int thermalize, int sweeps, Sweep&& sweep,
                              Warm&& warm) {
  spins::Replica<M> r(model, std::move(start));
  for (int t = 0; t < thermalize; ++t) warm(r);
  const double n = static_cast<double>(model.size());
  stats::ThermoSeries series(model.size(), T, static_cast<std::size_t>(sweeps));
  for (int t = 0; t < sweeps; ++t) {
    sweep(r);
    series.add(r.energy / n, static_cast<double>(r.magnetization) / n);
  }
  // The running energy must still equal a fresh computation.
  REQUIRE(r.energy == Approx(model.energy(r.spins)).margin(1e-9));
  return series.estimates();
}

template <class M, class Sweep>
stats::ThermoEstimates sample(const M& model, spins::Config start, double T, int thermalize, int sweeps,
                              Sweep&& sweep) {
  return sample(model, std::move(start), T, thermalize, sweeps, sweep, sweep);
}

// |estimate - exact| <= k standard errors, with a readable message.
inline void check_within(const std::string& what, const stats::Estimate& est, double exact, double k = 4.0) {
  INFO(what << ": " << est.value << " +- " << est.error << " vs exact " << exact << " ("
            << (est.value - exact) / est.error << " sigma)");
  CHECK(std::isfinite(est.error));
  CHECK(std::abs(est.value - exact) <= k * est.error);
}

inline void check_all(const std::string& label, const stats::ThermoEstimates& e, const mc::ExactThermo& x) {
  check_within(label + " energy", e.energy, x.energy);
  check_within(label + " |m|", e.abs_magnetization, x.abs_magnetization);
  check_within(label + " specific heat", e.specific_heat, x.specific_heat);
  check_within(label + " susceptibility", e.susceptibility, x.susceptibility);
  check_within(label + " binder", e.binder, x.binder);
}

}  // namespace spindiff::test
