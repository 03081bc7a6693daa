#pragma once
// Integrators for Langevin dynamics on one block of independent particles.
//
//   overdamped:   dx = -grad U dt / gamma + sqrt(2 T dt / gamma) xi
//   underdamped:  dx = v dt,  m dv = -grad U dt - gamma v dt + sqrt(2 gamma T) dW
//
// euler: Euler-Maruyama (stationary bias O(dt)); mala: Euler-Maruyama proposal + Metropolis-Hastings
// accept/reject (exact stationary law exp(-U/T)/Z); baoab: Leimkuhler-Matthews splitting of the
// underdamped equation (configurational bias O(dt^2)). Each block owns one Philox stream, so results do
// not depend on how blocks are spread over threads.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/normal.hpp"
#include "spindiff/langevin/potentials.hpp"

namespace spindiff::langevin {

enum class Method { euler, mala, baoab };

Method parse_method(std::string_view name);  // "euler" | "mala" | "baoab"; throws std::invalid_argument
std::string method_name(Method m);

struct Dynamics {
  double T = 1.0;      // temperature (k_B = 1)
  double dt = 1e-3;    // time step
  double gamma = 1.0;  // friction coefficient
  double mass = 1.0;   // underdamped only
};

// The state of one block of particles plus its scratch arrays (allocated once, reused every step).
struct Block {
  Coords x, v, grad, noise, trial, trial_grad;
  Values energy, trial_energy, work;
  std::vector<std::uint64_t> accept_words;  // MALA: one random word per particle and step
  Workspace ws;
  Stream rng;  // this block's Philox stream, drawn in bulk (Stream::fill_u64)
  std::int64_t proposed = 0;
  std::int64_t accepted = 0;

  Block() = default;
  Block(Eigen::Index particles, int dim, const Stream& stream) : rng(stream) {
    x.setZero(particles, dim);
    grad.setZero(particles, dim);
    noise.setZero(particles, dim);
  }
  Eigen::Index size() const { return x.rows(); }
  void fill_noise() {
    fill_standard_normal(rng, std::span<double>(noise.data(), static_cast<std::size_t>(noise.size())));
  }

  // What the integrators carry from one step to the next (the rest is scratch).
  template <class Archive>
  void fields(Archive& ar) {
    array(ar, x), array(ar, v), array(ar, grad), array(ar, energy);
    ar(rng, proposed, accepted);
  }

 private:
  template <class Archive, class A>
  static void array(Archive& ar, A& a) {
    std::int64_t rows = a.rows(), cols = a.cols();
    std::vector<double> values;
    if constexpr (!Archive::reading) values.assign(a.data(), a.data() + a.size());
    ar(rows, cols, values);
    if constexpr (Archive::reading) {
      if (rows < 0 || cols < 0 || values.size() != static_cast<std::size_t>(rows * cols))
        throw std::runtime_error("checkpoint: particle array does not fit");
      a.resize(rows, cols);
      std::copy(values.begin(), values.end(), a.data());
    }
  }
};

template <class P>
class Stepper {
 public:
  Stepper(const P& potential, Method method, const Dynamics& dyn) : pot_(potential), method_(method), dyn_(dyn) {
    if (!(dyn.T > 0.0) || !(dyn.dt > 0.0) || !(dyn.gamma > 0.0) || !(dyn.mass > 0.0))
      throw std::invalid_argument("langevin: T, dt, gamma and mass must be positive");
    if (method == Method::mala && !P::has_energy)
      throw std::invalid_argument("langevin: MALA needs a potential with a known energy");
  }

  // Call once after setting b.x: caches what the method carries between steps; BAOAB draws Maxwell velocities.
  void prepare(Block& b) const {
    b.noise.resize(b.x.rows(), b.x.cols());
    switch (method_) {
      case Method::euler:
        break;
      case Method::mala:
        pot_.evaluate(b.x, &b.energy, &b.grad, b.ws);
        break;
      case Method::baoab:
        pot_.evaluate(b.x, nullptr, &b.grad, b.ws);
        b.fill_noise();
        b.v = std::sqrt(dyn_.T / dyn_.mass) * b.noise;
        break;
    }
  }

  void step(Block& b) const {
    switch (method_) {
      case Method::euler:
        euler(b);
        break;
      case Method::mala:
        mala(b);
        break;
      case Method::baoab:
        baoab(b);
        break;
    }
  }

  // b.energy = U(b.x) (MALA keeps it current already).
  void energies(Block& b) const {
    if (method_ != Method::mala) pot_.evaluate(b.x, &b.energy, nullptr, b.ws);
  }

  const P& potential() const { return pot_; }
  Method method() const { return method_; }

 private:
  void euler(Block& b) const {
    const double h = dyn_.dt / dyn_.gamma;
    const double sigma = std::sqrt(2.0 * dyn_.T * h);
    b.fill_noise();
    if constexpr (requires(const P& p, const Coords& x) { p.gradient_expr(x); }) {
      b.x += sigma * b.noise - h * pot_.gradient_expr(b.x);  // one pass, element-wise: no aliasing
    } else {
      pot_.evaluate(b.x, nullptr, &b.grad, b.ws);
      b.x += sigma * b.noise - h * b.grad;
    }
  }

  void mala(Block& b) const {
    const double h = dyn_.dt / dyn_.gamma;
    const double sigma = std::sqrt(2.0 * dyn_.T * h);
    b.fill_noise();
    b.trial = b.x - h * b.grad + sigma * b.noise;
    pot_.evaluate(b.trial, &b.trial_energy, &b.trial_grad, b.ws);
    // log q(x | y) - log q(y | x) = -(|x - y + h grad U(y)|^2 - |y - x + h grad U(x)|^2) / (4 T h),
    // and |y - x + h grad U(x)|^2 = sigma^2 |xi|^2.
    b.work = (b.x.col(0) - b.trial.col(0) + h * b.trial_grad.col(0)).square() - sigma * sigma * b.noise.col(0).square();
    for (Eigen::Index c = 1; c < b.x.cols(); ++c)
      b.work +=
          (b.x.col(c) - b.trial.col(c) + h * b.trial_grad.col(c)).square() - sigma * sigma * b.noise.col(c).square();
    b.work = -(b.trial_energy - b.energy) / dyn_.T - b.work / (4.0 * dyn_.T * h);
    const Eigen::Index n = b.x.rows();
    b.accept_words.resize(static_cast<std::size_t>(n));  // allocates on the first step only
    b.rng.fill_u64(b.accept_words);
    std::int64_t accepted = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      // u in (0, 1] from 53 bits of the word, as Stream::uniform_open0.
      const double u = (static_cast<double>(b.accept_words[static_cast<std::size_t>(i)] >> 11) + 1.0) * 0x1.0p-53;
      if (b.work(i) >= 0.0 || std::log(u) < b.work(i)) {
        b.x.row(i) = b.trial.row(i);
        b.grad.row(i) = b.trial_grad.row(i);
        b.energy(i) = b.trial_energy(i);
        ++accepted;
      }
    }
    b.proposed += n;
    b.accepted += accepted;
  }

  void baoab(Block& b) const {
    const double half = 0.5 * dyn_.dt;
    const double c = std::exp(-dyn_.gamma * dyn_.dt / dyn_.mass);
    const double kick = std::sqrt(dyn_.T / dyn_.mass * (1.0 - c * c));
    b.v -= (half / dyn_.mass) * b.grad;  // B
    b.x += half * b.v;                   // A
    b.fill_noise();
    b.v = c * b.v + kick * b.noise;  // O: exact Ornstein-Uhlenbeck velocity update
    b.x += half * b.v;               // A
    pot_.evaluate(b.x, nullptr, &b.grad, b.ws);
    b.v -= (half / dyn_.mass) * b.grad;  // B
  }

  P pot_;
  Method method_;
  Dynamics dyn_;
};

}  // namespace spindiff::langevin
