#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/mc/exact.hpp"
#include "spindiff/spins/couplings.hpp"

using namespace spindiff;
using namespace spindiff::spins;

TEST_CASE("exact enumeration equals a direct sum over states", "[spins][exact]") {
  Stream rng(5, 0, 0, Purpose::couplings);
  const DenseCouplings model = sk_couplings(10, 1.0, 0.3, rng);
  const std::vector<double> temps = {0.4, 1.0, 3.0};
  const auto exact = mc::enumerate_exact(model, temps);
  for (std::size_t t = 0; t < temps.size(); ++t) {
    // Independent code path: energies from model.energy, plain sums in long double.
    const double T = temps[t];
    long double z = 0, e = 0, e2 = 0, am = 0, m2 = 0, m4 = 0;
    Config s(10);
    double e_min = INFINITY;
    for (std::size_t x = 0; x < 1024; ++x)
      for (std::size_t i = 0; i < 10; ++i) s[i] = (x >> i) & 1 ? 1 : -1, e_min = std::min(e_min, model.energy(s));
    for (std::size_t x = 0; x < 1024; ++x) {
      for (std::size_t i = 0; i < 10; ++i) s[i] = (x >> i) & 1 ? 1 : -1;
      const double E = model.energy(s), m = total_magnetization(s) / 10.0;
      const long double w = std::exp(-(E - e_min) / T);
      z += w, e += w * E, e2 += w * E * E, am += w * std::abs(m), m2 += w * m * m, m4 += w * m * m * m * m;
    }
    const double mean_e = e / z, var_e = e2 / z - mean_e * mean_e;
    const auto& r = exact[t];
    CHECK(r.log_z == Approx(std::log(static_cast<double>(z)) - e_min / T).epsilon(1e-12));
    CHECK(r.energy == Approx(mean_e / 10).epsilon(1e-10));
    CHECK(r.specific_heat == Approx(var_e / 10 / (T * T)).epsilon(1e-8));
    CHECK(r.abs_magnetization == Approx(static_cast<double>(am / z)).epsilon(1e-10));
    CHECK(r.magnetization_sq == Approx(static_cast<double>(m2 / z)).epsilon(1e-10));
    CHECK(r.binder ==
          Approx(1 - static_cast<double>(m4 / z) / (3 * std::pow(static_cast<double>(m2 / z), 2))).epsilon(1e-9));
    CHECK(r.ground_energy == Approx(e_min / 10).epsilon(1e-12));
    CHECK(r.entropy == Approx((r.energy - r.free_energy) / T).epsilon(1e-12));
  }
}

TEST_CASE("exact enumeration: free spins in a field and the high-temperature limit", "[spins][exact]") {
  const std::size_t N = 12;
  const double h = 0.7;
  const DenseCouplings free_spins(Eigen::MatrixXd::Zero(N, N), Eigen::VectorXd::Constant(N, h));
  const std::vector<double> temps = {0.5, 2.0, 1e6};
  const auto r = mc::enumerate_exact(free_spins, temps);
  for (std::size_t t = 0; t < 2; ++t) {
    const double b = 1 / temps[t];
    CHECK(r[t].log_z == Approx(N * std::log(2 * std::cosh(b * h))).epsilon(1e-12));
    CHECK(r[t].energy == Approx(-h * std::tanh(b * h)).epsilon(1e-12));
    CHECK(r[t].specific_heat == Approx(std::pow(b * h / std::cosh(b * h), 2)).epsilon(1e-9));
  }
  CHECK(r[2].entropy == Approx(std::log(2.0)).epsilon(1e-9));  // all 2^N states equally likely
}

TEST_CASE("exact enumeration handles N = 22 and very low temperatures", "[spins][exact]") {
  // 4x4 Ising: ground states are the two ordered states, E0 = -2 per spin, and at T -> 0 S -> ln 2 / N.
  const DenseCouplings ising = to_dense(IsingLattice(4, 2));
  const std::vector<double> temps = {0.05};
  const auto r = mc::enumerate_exact(ising, temps);
  CHECK(r[0].energy == Approx(-2.0).margin(1e-12));
  CHECK(r[0].entropy == Approx(std::log(2.0) / 16).epsilon(1e-9));
  CHECK(r[0].abs_magnetization == Approx(1.0).margin(1e-12));
  Stream rng(6, 0, 0, Purpose::couplings);
  const auto big = mc::enumerate_exact(sk_couplings(22, 1.0, 0.0, rng), std::vector<double>{0.01, 1.0});
  CHECK(std::isfinite(big[0].log_z));
  CHECK(big[0].energy == Approx(big[0].ground_energy).margin(1e-6));  // T = 0.01: in the ground state pair
  CHECK(big[1].binder < 1.0);
}
