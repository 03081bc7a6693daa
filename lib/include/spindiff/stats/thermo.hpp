#pragma once
// Equilibrium estimates from a series of measurements of the energy per spin e and the magnetisation
// per spin m: means with binning errors, and the fluctuation quantities with jackknife errors:
//   C = N(<e^2> - <e>^2)/T^2,  chi = N(<m^2> - <|m|>^2)/T,  U4 = 1 - <m^4>/(3 <m^2>^2).
#include <cstddef>

#include "spindiff/stats/binning.hpp"
#include "spindiff/stats/jackknife.hpp"

namespace spindiff::stats {

struct ThermoEstimates {
  Estimate energy, abs_magnetization, magnetization_sq, specific_heat, susceptibility, binder;
  double tau_energy = NAN, tau_abs_magnetization = NAN;
  bool converged = false;
  std::size_t samples = 0, jackknife_blocks = 0, block_length = 0;
};

class ThermoSeries {
 public:
  // N spins at temperature T; `expected_samples` fixes the jackknife block length.
  ThermoSeries(std::size_t N, double T, std::size_t expected_samples, std::size_t jackknife_blocks = 64);

  void add(double e, double m);
  ThermoEstimates estimates() const;
  const BinningAccumulator& energy_binning() const { return e_; }
  const BinningAccumulator& abs_magnetization_binning() const { return abs_m_; }

  template <class Archive>
  void fields(Archive& ar) {
    ar(N_, T_, e_, abs_m_, blocks_);
  }

 private:
  double N_, T_;
  BinningAccumulator e_, abs_m_;
  BlockMeans<5> blocks_;  // e, e^2, |m|, m^2, m^4
};

}  // namespace spindiff::stats
