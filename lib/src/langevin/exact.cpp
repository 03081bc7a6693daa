#include "spindiff/langevin/exact.hpp"

#include <algorithm>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace spindiff::langevin {
namespace {

constexpr double kCut = 60.0;  // weights below e^-60 are dropped
constexpr double kTol = 1e-11;

template <class F>
double gk(F f, double a, double b, unsigned depth = 12) {
  return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(f, a, b, depth, kTol);
}

// Integrates over [a, b] in `pieces` panels so narrow peaks are not missed by the first Kronrod rule.
template <class F>
double gk_panels(F f, double a, double b, int pieces) {
  double s = 0.0;
  for (int i = 0; i < pieces; ++i) s += gk(f, a + (b - a) * i / pieces, a + (b - a) * (i + 1) / pieces);
  return s;
}

}  // namespace

Boltzmann1D::Boltzmann1D(std::function<double(double)> energy, double T, double lo, double hi)
    : energy_(std::move(energy)), T_(T) {
  if (!(T > 0.0) || !(hi > lo)) throw std::invalid_argument("Boltzmann1D: need T > 0 and hi > lo");
  u0_ = std::numeric_limits<double>::infinity();
  const int grid = 4000;
  for (int i = 0; i <= grid; ++i) u0_ = std::min(u0_, energy_(lo + (hi - lo) * i / grid));
  const double step = 0.25 * (hi - lo);
  lo_ = lo;
  hi_ = hi;
  for (int it = 0; it < 400 && (energy_(lo_) - u0_) / T_ < kCut; ++it) lo_ -= step;
  for (int it = 0; it < 400 && (energy_(hi_) - u0_) / T_ < kCut; ++it) hi_ += step;
  z_ = 1.0;
  z_ = gk_panels([this](double x) { return weight(x); }, lo_, hi_, 256);
}

double Boltzmann1D::weight(double x) const { return std::exp(-(energy_(x) - u0_) / T_) / z_; }
double Boltzmann1D::density(double x) const { return weight(x); }

double Boltzmann1D::probability(double a, double b) const {
  a = std::max(a, lo_);
  b = std::min(b, hi_);
  if (b <= a) return 0.0;
  return gk([this](double x) { return weight(x); }, a, b);
}

std::vector<double> Boltzmann1D::bin_probabilities(const std::vector<double>& edges) const {
  std::vector<double> p(edges.size() - 1);
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) p[i] = probability(edges[i], edges[i + 1]);
  return p;
}

double Boltzmann1D::expectation(const std::function<double(double)>& f) const {
  return gk_panels([&](double x) { return f(x) * weight(x); }, lo_, hi_, 256);
}

double Boltzmann1D::mean_energy() const { return expectation(energy_); }

Boltzmann2D::Boltzmann2D(Energy energy, double T, std::array<double, 2> lo, std::array<double, 2> hi)
    : energy_(std::move(energy)), T_(T), lo_(lo), hi_(hi) {
  if (!(T > 0.0) || !(hi[0] > lo[0]) || !(hi[1] > lo[1])) throw std::invalid_argument("Boltzmann2D: bad box or T");
  u0_ = std::numeric_limits<double>::infinity();
  const int grid = 400;
  for (int i = 0; i <= grid; ++i)
    for (int j = 0; j <= grid; ++j)
      u0_ = std::min(u0_, energy_(lo[0] + (hi[0] - lo[0]) * i / grid, lo[1] + (hi[1] - lo[1]) * j / grid));
  // Widen each side while the smallest energy on it is within kCut * T of the minimum.
  auto edge_min = [&](int axis, double at) {
    double m = std::numeric_limits<double>::infinity();
    const int other = 1 - axis;
    for (int i = 0; i <= grid; ++i) {
      const double t = lo_[other] + (hi_[other] - lo_[other]) * i / grid;
      m = std::min(m, axis == 0 ? energy_(at, t) : energy_(t, at));
    }
    return m;
  };
  for (int axis = 0; axis < 2; ++axis) {
    const double step = 0.25 * (hi[axis] - lo[axis]);
    for (int it = 0; it < 100 && (edge_min(axis, lo_[axis]) - u0_) / T_ < kCut; ++it) lo_[axis] -= step;
    for (int it = 0; it < 100 && (edge_min(axis, hi_[axis]) - u0_) / T_ < kCut; ++it) hi_[axis] += step;
  }
  z_ = 1.0;
  const int panels = 32;
  double z = 0.0;
  for (int i = 0; i < panels; ++i)
    for (int j = 0; j < panels; ++j)
      z += probability(lo_[0] + (hi_[0] - lo_[0]) * i / panels, lo_[0] + (hi_[0] - lo_[0]) * (i + 1) / panels,
                       lo_[1] + (hi_[1] - lo_[1]) * j / panels, lo_[1] + (hi_[1] - lo_[1]) * (j + 1) / panels);
  z_ = z;
}

double Boltzmann2D::weight(double x, double y) const { return std::exp(-(energy_(x, y) - u0_) / T_) / z_; }
double Boltzmann2D::density(double x, double y) const { return weight(x, y); }

double Boltzmann2D::integrate(const Energy& f, double x0, double x1, double y0, double y1) const {
  using GK = boost::math::quadrature::gauss_kronrod<double, 15>;
  auto inner = [&](double x) { return GK::integrate([&](double y) { return f(x, y); }, y0, y1, 8, 1e-10); };
  return GK::integrate(inner, x0, x1, 8, 1e-10);
}

double Boltzmann2D::probability(double x0, double x1, double y0, double y1) const {
  x0 = std::max(x0, lo_[0]);
  x1 = std::min(x1, hi_[0]);
  y0 = std::max(y0, lo_[1]);
  y1 = std::min(y1, hi_[1]);
  if (x1 <= x0 || y1 <= y0) return 0.0;
  return integrate([this](double x, double y) { return weight(x, y); }, x0, x1, y0, y1);
}

std::vector<double> Boltzmann2D::bin_probabilities(const std::vector<double>& ex, const std::vector<double>& ey) const {
  const std::size_t nx = ex.size() - 1, ny = ey.size() - 1;
  std::vector<double> p(nx * ny);
  for (std::size_t i = 0; i < nx; ++i)
    for (std::size_t j = 0; j < ny; ++j) p[i * ny + j] = probability(ex[i], ex[i + 1], ey[j], ey[j + 1]);
  return p;
}

double Boltzmann2D::expectation(const Energy& f) const {
  const int panels = 32;
  double s = 0.0;
  for (int i = 0; i < panels; ++i)
    for (int j = 0; j < panels; ++j)
      s += integrate([&](double x, double y) { return f(x, y) * weight(x, y); },
                     lo_[0] + (hi_[0] - lo_[0]) * i / panels, lo_[0] + (hi_[0] - lo_[0]) * (i + 1) / panels,
                     lo_[1] + (hi_[1] - lo_[1]) * j / panels, lo_[1] + (hi_[1] - lo_[1]) * (j + 1) / panels);
  return s;
}

double Boltzmann2D::mean_energy() const { return expectation(energy_); }

double mfpt_exact_1d(const std::function<double(double)>& energy, double T, double a, double b, double gamma) {
  if (!(T > 0.0) || a == b) throw std::invalid_argument("mfpt_exact_1d: need T > 0 and a != b");
  // Mirror so that the walk goes to the right: V(x) = U(-x) for b < a.
  const double s = b > a ? 1.0 : -1.0;
  auto U = [&](double x) { return energy(s * x); };
  const double from = s * a, to = s * b;
  // Reference energy and the left end where e^{-(U - u0)/T} is negligible.
  double u0 = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= 4000; ++i) u0 = std::min(u0, U(from + (to - from) * i / 4000));
  double left = from;
  const double step = 0.25 * (to - from);
  for (int it = 0; it < 400 && (U(left) - u0) / T < kCut; ++it) left -= step;
  const double inner_from = gk_panels([&](double z) { return std::exp(-(U(z) - u0) / T); }, left, from, 64);
  auto outer = [&](double y) {
    const double inner = inner_from + gk([&](double z) { return std::exp(-(U(z) - u0) / T); }, from, y);
    return std::exp((U(y) - u0) / T) * inner;
  };
  return gamma / T * gk_panels(outer, from, to, 32);
}

double mfpt_kramers(double curvature_min, double curvature_barrier, double barrier, double T, double gamma) {
  const double rate = std::sqrt(curvature_min * std::abs(curvature_barrier)) / (2.0 * std::numbers::pi * gamma) *
                      std::exp(-barrier / T);
  return 1.0 / rate;
}

}  // namespace spindiff::langevin
