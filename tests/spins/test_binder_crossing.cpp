// The Binder cumulant crossing of the 2-D Ising torus, measured as the ising_binder experiment does (ising.thermo
// with Wolff clusters): U4(T) of L = 16 and 32 cross at T_c = 2.269185 with U* = 0.61069 (Salas & Sokal 2000;
// Kamieniarz & Blote 1993; docs/references.md).
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

#include "bridge/kind_runner.hpp"
#include "spindiff/spins/onsager.hpp"

using spindiff::test::run_kind;

namespace {
constexpr double kUStar = 0.61069;

// U4 and its error at (L, T) from the kind.
std::pair<double, double> binder(std::int64_t L, double T, std::int64_t sweeps) {
  const auto r = run_kind("ising.thermo", {{"L", L},
                                           {"T", T},
                                           {"algorithm", std::string("wolff")},
                                           {"sweeps", sweeps},
                                           {"thermalize", std::int64_t{1000}}});
  return {r.scalar("binder"), r.scalar("binder_err")};
}

// Linear error propagation of f over independent inputs (central differences of a twentieth of each error).
double propagated_error(const std::function<double(const std::array<double, 6>&)>& f, std::array<double, 6> x,
                        const std::array<double, 6>& err) {
  double var = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = err[i] / 20, xi = x[i];
    x[i] = xi + h;
    const double up = f(x);
    x[i] = xi - h;
    const double down = f(x);
    x[i] = xi;
    const double d = (up - down) / (2 * h) * err[i];
    var += d * d;
  }
  return std::sqrt(var);
}
}  // namespace

TEST_CASE("Binder cumulant: L = 16 and 32 cross at T_c with U* = 0.61069", "[spins][physics]") {
  // U4 at T_c and T_c +- h for each L (independent tasks). Around T_c, U_L(T) = a_L + b_L (T - T_c) + ...: a_L is
  // the value at T_c, b_L the symmetric difference (no curvature term); the two lines cross at
  // T_x = T_c + (a_16 - a_32) / (b_32 - b_16), where U_x = a_16 + b_16 (T_x - T_c). The quadratic terms neglected
  // at the crossing are of order c delta^2, delta = T_x - T_c being of the order of its own error: negligible. Errors
  // by linear propagation of the six independent U4 errors (binning/jackknife of each run).
  const double Tc = spindiff::spins::onsager::critical_temperature, h = 0.02;
  const std::int64_t sweeps = 60000;
  std::array<double, 6> u{}, e{};  // (L = 16: T_c - h, T_c, T_c + h), (L = 32: same)
  std::size_t i = 0;
  for (std::int64_t L : {16, 32})
    for (double T : {Tc - h, Tc, Tc + h}) {
      std::tie(u[i], e[i]) = binder(L, T, sweeps);
      INFO("L = " << L << ", T = " << T);
      REQUIRE(e[i] < 0.003);
      ++i;
    }
  auto delta = [h](const std::array<double, 6>& x) {
    const double b16 = (x[2] - x[0]) / (2 * h), b32 = (x[5] - x[3]) / (2 * h);
    return (x[1] - x[4]) / (b32 - b16);
  };
  auto u_cross = [&](const std::array<double, 6>& x) { return x[1] + (x[2] - x[0]) / (2 * h) * delta(x); };
  const double t_x = Tc + delta(u), t_err = propagated_error(delta, u, e);
  const double u_x = u_cross(u), u_err = propagated_error(u_cross, u, e);
  WARN("U4(T_c): L = 16 " << u[1] << " +- " << e[1] << ", L = 32 " << u[4] << " +- " << e[4]);
  WARN("crossing T_x = " << t_x << " +- " << t_err << ", U_x = " << u_x << " +- " << u_err);
  // Bounded errors: a useless crossing (slopes too alike for the errors) cannot pass.
  CHECK(t_err < 0.005);
  CHECK(u_err < 0.005);
  CHECK(std::abs(t_x - Tc) < 4 * t_err);
  CHECK(std::abs(u_x - kUStar) < 4 * u_err);
  // And each size's U4 at T_c itself.
  CHECK(std::abs(u[1] - kUStar) < 4 * e[1]);
  CHECK(std::abs(u[4] - kUStar) < 4 * e[4]);
}
