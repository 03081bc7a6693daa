#pragma once
// Exact enumeration of all 2^N states of a dense coupling matrix with fields, in Gray-code order (one spin
// flip per state, O(N) to update the local fields), accumulating Boltzmann sums at several temperatures
// with a running log-sum-exp shift so nothing overflows.
#include <cmath>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "spindiff/spins/dense.hpp"

namespace spindiff::mc {

struct ExactThermo {
  double T = 0;
  double log_z = 0;              // ln Z
  double free_energy = 0;        // -T ln Z / N
  double entropy = 0;            // (<E> - F) / (N T)
  double energy = 0;             // <E> / N
  double specific_heat = 0;      // (<E^2> - <E>^2) / (N T^2)
  double abs_magnetization = 0;  // <|m|>, m = sum s / N
  double magnetization_sq = 0;   // <m^2>
  double magnetization_4 = 0;    // <m^4>
  double susceptibility = 0;     // N (<m^2> - <|m|>^2) / T
  double binder = 0;             // 1 - <m^4> / (3 <m^2>^2)
  double ground_energy = 0;      // min E / N over all states
};

// N up to ~30 in practice (2^N states); throws beyond 40.
std::vector<ExactThermo> enumerate_exact(const spins::DenseCouplings& model, std::span<const double> temperatures);

// Boltzmann probabilities of every state, index bit i set <=> s_i = +1 (N <= 24). For tests and small systems.
template <class M>
std::vector<double> boltzmann_probabilities(const M& model, double T) {
  const std::size_t n = model.size();
  if (n > 24) throw std::invalid_argument("boltzmann_probabilities: N > 24");
  const std::size_t states = std::size_t{1} << n;
  std::vector<double> logw(states);
  spins::Config s(n);
  double top = -INFINITY;
  for (std::size_t x = 0; x < states; ++x) {
    for (std::size_t i = 0; i < n; ++i) s[i] = (x >> i) & 1u ? 1 : -1;
    logw[x] = -model.energy(s) / T;
    top = std::max(top, logw[x]);
  }
  double z = 0;
  for (double& w : logw) z += (w = std::exp(w - top));
  for (double& w : logw) w /= z;
  return logw;
}

inline std::size_t state_index(std::span<const spins::Spin> s) {
  std::size_t x = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] > 0) x |= std::size_t{1} << i;
  return x;
}

}  // namespace spindiff::mc
