#include "spindiff/mc/exact.hpp"

#include <bit>

namespace spindiff::mc {
namespace {

// Boltzmann sums at one temperature, relative to exp(shift).
struct Sums {
  double beta = 1, shift = -INFINITY;
  double z = 0, e = 0, e2 = 0, am = 0, m2 = 0, m4 = 0;

  void add(double E, double m) {
    const double lw = -beta * E;
    if (lw > shift) {  // new largest weight: rescale what was summed so far
      const double scale = std::exp(shift - lw);
      z *= scale, e *= scale, e2 *= scale, am *= scale, m2 *= scale, m4 *= scale;
      shift = lw;
    }
    const double w = std::exp(lw - shift);
    const double mm = m * m;
    z += w;
    e += w * E;
    e2 += w * E * E;
    am += w * std::abs(m);
    m2 += w * mm;
    m4 += w * mm * mm;
  }
};

}  // namespace

std::vector<ExactThermo> enumerate_exact(const spins::DenseCouplings& model, std::span<const double> temperatures) {
  const std::size_t n = model.size();
  if (n == 0 || n > 40) throw std::invalid_argument("enumerate_exact: need 1 <= N <= 40");
  for (double T : temperatures)
    if (!(T > 0)) throw std::invalid_argument("enumerate_exact: temperatures must be positive");
  const Eigen::MatrixXd& J = model.couplings();
  std::vector<double> s(n, -1.0), f(n);
  for (std::size_t i = 0; i < n; ++i) {
    double acc = model.fields()[static_cast<Eigen::Index>(i)];
    for (std::size_t j = 0; j < n; ++j) acc -= J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    f[i] = acc;
  }
  // Energies relative to the all-down state keep the second moments free of cancellation.
  spins::Config down(n, -1);
  const double e_ref = model.energy(down);
  double dE = 0.0, e_min = 0.0;
  std::int64_t M = -static_cast<std::int64_t>(n);
  std::vector<Sums> sums(temperatures.size());
  for (std::size_t t = 0; t < sums.size(); ++t) sums[t].beta = 1.0 / temperatures[t];
  const double inv_n = 1.0 / static_cast<double>(n);
  auto visit = [&] {
    const double m = static_cast<double>(M) * inv_n;
    for (Sums& S : sums) S.add(dE, m);
    e_min = std::min(e_min, dE);
  };
  visit();
  const std::uint64_t states = std::uint64_t{1} << n;
  for (std::uint64_t k = 1; k < states; ++k) {
    const auto b = static_cast<std::size_t>(std::countr_zero(k));
    dE += 2.0 * s[b] * f[b];
    s[b] = -s[b];
    M += 2 * static_cast<std::int64_t>(s[b]);
    const double twice = 2.0 * s[b];
    const double* col = J.col(static_cast<Eigen::Index>(b)).data();
    for (std::size_t j = 0; j < n; ++j) f[j] += twice * col[j];
    visit();
  }
  std::vector<ExactThermo> out;
  for (std::size_t t = 0; t < sums.size(); ++t) {
    const Sums& S = sums[t];
    ExactThermo r;
    r.T = temperatures[t];
    const double mean_rel = S.e / S.z, var = std::max(0.0, S.e2 / S.z - mean_rel * mean_rel);
    const double mean_e = mean_rel + e_ref;
    r.log_z = std::log(S.z) + S.shift - S.beta * e_ref;
    r.free_energy = -r.T * r.log_z * inv_n;
    r.energy = mean_e * inv_n;
    r.entropy = (r.energy - r.free_energy) / r.T;
    r.specific_heat = var * inv_n / (r.T * r.T);
    r.abs_magnetization = S.am / S.z;
    r.magnetization_sq = S.m2 / S.z;
    r.magnetization_4 = S.m4 / S.z;
    r.susceptibility = static_cast<double>(n) * (r.magnetization_sq - r.abs_magnetization * r.abs_magnetization) / r.T;
    r.binder = 1.0 - r.magnetization_4 / (3.0 * r.magnetization_sq * r.magnetization_sq);
    r.ground_energy = (e_min + e_ref) * inv_n;
    out.push_back(r);
  }
  return out;
}

}  // namespace spindiff::mc
