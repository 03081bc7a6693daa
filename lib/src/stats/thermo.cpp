#include "spindiff/stats/thermo.hpp"

#include <cmath>

namespace spindiff::stats {

ThermoSeries::ThermoSeries(std::size_t N, double T, std::size_t expected_samples, std::size_t jackknife_blocks)
    : N_(static_cast<double>(N)), T_(T), blocks_(expected_samples, jackknife_blocks) {}

void ThermoSeries::add(double e, double m) {
  e_.add(e);
  abs_m_.add(std::abs(m));
  const double m2 = m * m;
  blocks_.add({e, e * e, std::abs(m), m2, m2 * m2});
}

ThermoEstimates ThermoSeries::estimates() const {
  ThermoEstimates r;
  r.samples = e_.count();
  r.energy = {e_.mean(), e_.error()};
  r.abs_magnetization = {abs_m_.mean(), abs_m_.error()};
  r.tau_energy = e_.tau_int();
  r.tau_abs_magnetization = abs_m_.tau_int();
  r.converged = e_.converged() && abs_m_.converged();
  const auto& b = blocks_.blocks();
  r.jackknife_blocks = b.size();
  r.block_length = blocks_.block_length();
  const double N = N_, T = T_;
  r.magnetization_sq = jackknife(b, [](const auto& x) { return x[3]; });
  r.specific_heat = jackknife(b, [N, T](const auto& x) { return N * (x[1] - x[0] * x[0]) / (T * T); });
  r.susceptibility = jackknife(b, [N, T](const auto& x) { return N * (x[3] - x[2] * x[2]) / T; });
  r.binder = jackknife(b, [](const auto& x) { return 1.0 - x[4] / (3.0 * x[3] * x[3]); });
  return r;
}

}  // namespace spindiff::stats
