#include "spindiff/spins/ising_exact.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace spindiff::spins::ising_exact {
namespace {

// gamma_k and its first two K-derivatives.
struct Gamma {
  double g = 0, d1 = 0, d2 = 0;
};

// k >= 1: cosh g = c(K) - cos(theta), c = cosh^2 2K / sinh 2K. cosh g - 1 = (s - 1)^2 / s + 2 sin^2(theta/2)
// keeps full precision where g is small (near T_c at large L).
Gamma gamma_k(int k, int L, double K) {
  const double s = std::sinh(2 * K), ch = std::cosh(2 * K);
  const double half = std::sin(std::numbers::pi * k / (2.0 * L));
  const double a = (s - 1) * (s - 1) / s + 2 * half * half;  // cosh g - 1
  const double sinh_g = std::sqrt(a * (a + 2));
  Gamma r;
  r.g = std::log1p(a + sinh_g);
  const double c1 = 2 * ch - 2 * ch / (s * s);                        // dc/dK
  const double c2 = 4 * s - (4 * s * s - 8 * ch * ch) / (s * s * s);  // d2c/dK2
  r.d1 = c1 / sinh_g;
  r.d2 = (c2 - (1 + a) * r.d1 * r.d1) / sinh_g;
  return r;
}

Gamma gamma_0(double K) {
  const double s = std::sinh(2 * K), ch = std::cosh(2 * K);
  return {2 * K + std::log(std::tanh(K)), 2 + 2 / s, -4 * ch / (s * s)};
}

// One of Z1..Z4 as e^log_scale * (value, d/dK, d2/dK2): a product of 2 cosh or 2 sinh of x = L g / 2,
// with the factor that can vanish or change sign (2 sinh(L g_0 / 2) in Z4) kept outside the logarithm.
struct Part {
  double log_scale = 0, v = 0, d1 = 0, d2 = 0;
};

Part product(int L, double K, bool odd, bool use_sinh) {
  double log_r = 0, S = 0, Q = 0;  // ln R, R'/R, and R''/R - (R'/R)^2
  double g = 1, g1 = 0, g2 = 0;    // the special factor (1 when there is none)
  const double half_L = 0.5 * L;
  for (int r = 0; r < L; ++r) {
    const int k = odd ? 2 * r + 1 : 2 * r;
    const Gamma gm = k == 0 ? gamma_0(K) : gamma_k(k, L, K);
    const double x = half_L * gm.g, x1 = half_L * gm.d1, x2 = half_L * gm.d2;
    if (k == 0 && use_sinh) {
      g = 2 * std::sinh(x);
      g1 = 2 * std::cosh(x) * x1;
      g2 = 2 * std::sinh(x) * x1 * x1 + 2 * std::cosh(x) * x2;
      continue;
    }
    // ln(2 cosh x) and ln(2 sinh x) without overflow; (f'/f) and f''/f - (f'/f)^2 for f = cosh, sinh.
    const double e = std::exp(-2 * std::abs(x));
    if (use_sinh) {
      log_r += x + std::log1p(-e);  // x > 0 for k >= 1
      const double coth = 1 / std::tanh(x);
      S += coth * x1;
      Q += (1 - coth * coth) * x1 * x1 + coth * x2;
    } else {
      log_r += std::abs(x) + std::log1p(e);
      const double th = std::tanh(x);
      S += th * x1;
      Q += (1 - th * th) * x1 * x1 + th * x2;
    }
  }
  return {log_r, g, g1 + g * S, g2 + 2 * g1 * S + g * (S * S + Q)};
}

}  // namespace

Thermo torus(int L, double T, double J) {
  if (L < 2 || !(T > 0) || !(J > 0)) throw std::invalid_argument("ising_exact::torus: need L >= 2, T > 0, J > 0");
  const double K = J / T, N = static_cast<double>(L) * L;
  const std::array<Part, 4> parts = {product(L, K, true, false), product(L, K, true, true), product(L, K, false, false),
                                     product(L, K, false, true)};
  double top = parts[0].log_scale;
  for (const Part& p : parts) top = std::max(top, p.log_scale);
  double W = 0, W1 = 0, W2 = 0;
  for (const Part& p : parts) {
    const double w = std::exp(p.log_scale - top);
    W += w * p.v, W1 += w * p.d1, W2 += w * p.d2;
  }
  const double s = std::sinh(2 * K);
  const double dlogz = N / std::tanh(2 * K) + W1 / W;
  const double d2logz = -2 * N / (s * s) + W2 / W - (W1 / W) * (W1 / W);
  Thermo r;
  r.log_z = std::log(0.5) + 0.5 * N * std::log(2 * s) + top + std::log(W);
  r.free_energy = -T * r.log_z / N;
  r.energy = -J * dlogz / N;
  r.specific_heat = K * K * d2logz / N;
  r.entropy = (r.energy - r.free_energy) / T;
  return r;
}

}  // namespace spindiff::spins::ising_exact
