// Zero-temperature dynamics: Lyapunov property, fixed points, and the two Hebb evaluation paths.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "spindiff/hopfield/dynamics.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/hopfield/states.hpp"

using namespace spindiff;
using namespace spindiff::hopfield;

namespace {

std::vector<std::int8_t> random_state(std::size_t n, Stream& rng) {
  std::vector<std::int8_t> s(n);
  for (auto& x : s) x = static_cast<std::int8_t>(rng.spin());
  return s;
}

// E = −½ sᵀWs − h·s evaluated from scratch with W = scale·J.
double reference_energy(const DenseModel& m, std::span<const std::int8_t> s) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(s.size()));
  for (std::size_t i = 0; i < s.size(); ++i) v(static_cast<Eigen::Index>(i)) = s[i];
  double e = -0.5 * m.scale * v.dot(m.J * v);
  if (m.external.size()) e -= m.external.dot(v);
  return e;
}

Eigen::VectorXd random_field(std::size_t n, double sd, Stream& rng) {
  Eigen::VectorXd h(static_cast<Eigen::Index>(n));
  for (Eigen::Index i = 0; i < h.size(); ++i) h(i) = rng.normal(0.0, sd);
  return h;
}

}  // namespace

TEST_CASE("pattern kernels match the plain loops for every length", "[hopfield]") {
  Stream rng(11, 0, 0, Purpose::patterns);
  for (std::size_t n = 0; n < 90; ++n) {  // tails of every SIMD width
    std::vector<std::int8_t> x(n);
    std::vector<std::int16_t> m16(n);
    std::vector<std::int32_t> m32(n);
    for (std::size_t k = 0; k < n; ++k) {
      x[k] = static_cast<std::int8_t>(rng.spin());
      m16[k] = static_cast<std::int16_t>(static_cast<int>(rng.below(65535)) - 32767);
      m32[k] = static_cast<std::int32_t>(rng.below(2000001)) - 1000000;
    }
    std::int64_t want16 = 0, want32 = 0;
    for (std::size_t k = 0; k < n; ++k) want16 += x[k] * m16[k], want32 += x[k] * m32[k];
    CHECK(kernels::dot(x.data(), m16.data(), n) == want16);
    CHECK(kernels::dot(x.data(), m32.data(), n) == want32);
    std::vector<std::uint8_t> lo(n), hi(n);
    kernels::split(m16.data(), lo.data(), hi.data(), n);
    std::int32_t xsum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      CHECK(256 * (hi[k] - 128) + lo[k] == m16[k]);
      xsum += x[k];
    }
    CHECK(kernels::dot_split(x.data(), lo.data(), hi.data(), n, xsum) == want16);
    // A flip's update in split form (values kept away from the int16 ends, as |M| ≤ N < 32768 ensures).
    std::vector<std::int16_t> safe(n);
    for (std::size_t k = 0; k < n; ++k) safe[k] = static_cast<std::int16_t>(m16[k] / 2);
    kernels::split(safe.data(), lo.data(), hi.data(), n);
    kernels::add_split(lo.data(), hi.data(), x.data(), std::int8_t{-2}, n);
    for (std::size_t k = 0; k < n; ++k) CHECK(256 * (hi[k] - 128) + lo[k] == safe[k] - 2 * x[k]);
    auto a16 = m16;
    auto a32 = m32;
    kernels::axpy(a16.data(), x.data(), std::int16_t{-2}, n);
    kernels::axpy(a32.data(), x.data(), 2, n);
    for (std::size_t k = 0; k < n; ++k) {
      CHECK(a16[k] == static_cast<std::int16_t>(m16[k] - 2 * x[k]));  // may wrap: same as the kernel
      CHECK(a32[k] == m32[k] + 2 * x[k]);
    }
  }
}

TEST_CASE("split-byte dot product stays exact for long rows and extreme overlaps", "[hopfield]") {
  // 5000 > 64·32 crosses the int16 flush; ±32767 saturates every byte of the split form.
  Stream rng(12, 0, 0, Purpose::patterns);
  const std::size_t n = 5000;
  std::vector<std::int8_t> x(n);
  std::vector<std::int16_t> m(n);
  std::int64_t want = 0;
  std::int32_t xsum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    x[k] = static_cast<std::int8_t>(rng.spin());
    m[k] = static_cast<std::int16_t>(rng.spin() * 32767);
    want += x[k] * m[k];
    xsum += x[k];
  }
  std::vector<std::uint8_t> lo(n), hi(n);
  kernels::split(m.data(), lo.data(), hi.data(), n);
  CHECK(kernels::dot_split(x.data(), lo.data(), hi.data(), n, xsum) == want);
}

TEST_CASE("asynchronous dynamics never raises the energy", "[hopfield]") {
  const std::size_t N = 200, P = 30;
  for (const Rule rule : {Rule::hebb, Rule::pseudo_inverse, Rule::storkey}) {
    for (const bool with_field : {false, true}) {
      Stream prng(3, static_cast<std::uint32_t>(rule), with_field, Purpose::patterns);
      const Patterns pats = random_patterns(N, P, 0.2, prng);
      DenseModel model = learn(rule, pats);
      if (with_field) model.external = random_field(N, 0.3, prng);
      for (std::uint32_t trial = 0; trial < 5; ++trial) {
        Stream init(3, trial, 0, Purpose::init);
        Stream dyn(3, trial, 0, Purpose::dynamics);
        DenseState state(model, random_state(N, init), &pats);
        // Flip by flip: each accepted flip changes E by −2|h_i| ≤ 0.
        std::vector<std::uint32_t> order(N);
        double e = state.energy();
        for (int sweep = 0; sweep < 3; ++sweep) {
          for (std::size_t i = 0; i < N; ++i) order[i] = static_cast<std::uint32_t>(i);
          dyn.shuffle(std::span<std::uint32_t>(order));
          for (const std::uint32_t i : order) {
            if (!wants_flip(state, i)) continue;
            state.flip(i);
            const double e_new = state.energy();
            REQUIRE(e_new < e + 1e-12 * (1.0 + std::abs(e)));
            e = e_new;
          }
        }
        // The bookkept energy is the energy.
        REQUIRE(state.energy() == Approx(reference_energy(model, state.spins())).epsilon(1e-12).margin(1e-9));
        // Whole relaxations, sweep by sweep.
        const Trajectory t = relax(state, DynamicsOptions{}, dyn);
        REQUIRE(t.converged);
        for (std::size_t k = 1; k < t.energies.size(); ++k)
          REQUIRE(t.energies[k] <= t.energies[k - 1] + 1e-12 * (1.0 + std::abs(t.energies[k - 1])));
      }
    }
  }
}

TEST_CASE("stored random patterns are fixed points at small load", "[hopfield]") {
  // Hebb at α = 0.01: a bit is unstable when its crosstalk exceeds 1, probability ≈ Φ(−√(N/P)) = Φ(−10).
  const std::size_t N = 1000, P = 10;
  Stream prng(5, 0, 0, Purpose::patterns);
  const Patterns pats = random_patterns(N, P, 0.0, prng);
  for (const Rule rule : {Rule::hebb, Rule::pseudo_inverse, Rule::storkey}) {
    const Network net(pats, rule);
    for (std::size_t mu = 0; mu < P; ++mu) {
      Stream dyn(5, static_cast<std::uint32_t>(mu), 0, Purpose::dynamics);
      const auto xi = pats.pattern(mu);
      const Recall r = net.recall(xi, DynamicsOptions{}, dyn);
      CHECK(r.trajectory.flips == 0);
      CHECK(r.trajectory.sweeps == 1);
      CHECK(r.state == xi);
    }
  }
}

TEST_CASE("pseudo-inverse rule keeps P = N/2 correlated patterns as exact fixed points", "[hopfield]") {
  // Biased patterns (mean 0.4): pairwise overlaps ≈ 0.16, where Hebb fails.
  const std::size_t N = 200, P = 100;
  Stream prng(6, 0, 0, Purpose::patterns);
  const Patterns pats = random_patterns(N, P, 0.4, prng);
  const DenseModel model = pseudo_inverse_rule(pats);
  // h_i = (1 − W_ii) ξ_i for a stored pattern; the projection has W_ii < 1 unless ξ spans e_i.
  for (std::size_t mu = 0; mu < P; ++mu) {
    const auto xi = pats.pattern(mu);
    DenseState state(model, xi);
    for (std::size_t i = 0; i < N; ++i) REQUIRE(state.field(i) * xi[i] > 0.0);
  }
  // The Hebb rule does not hold them: some stored bits are unstable.
  const DenseModel hebb = hebb_rule(pats);
  std::size_t unstable = 0;
  for (std::size_t mu = 0; mu < P; ++mu) {
    const auto xi = pats.pattern(mu);
    DenseState state(hebb, xi);
    for (std::size_t i = 0; i < N; ++i) unstable += state.field(i) * xi[i] <= 0.0;
  }
  CHECK(unstable > 0);
}

namespace {

template <class Overlap>
void compare_paths(std::size_t N, std::size_t P, Update update, bool with_field, std::uint32_t trial) {
  Stream prng(7, trial, 0, Purpose::patterns);
  const Patterns pats = random_patterns(N, P, 0.0, prng);
  DenseModel model = hebb_rule(pats);
  if (with_field) model.external = random_field(N, 0.2, prng);
  std::span<const double> ext(model.external.data(), static_cast<std::size_t>(model.external.size()));

  Stream init(7, trial, 0, Purpose::init);
  // Half the runs from a random state, half from a noisy stored pattern.
  std::vector<std::int8_t> s0 = random_state(N, init);
  if (trial % 2) {
    s0 = pats.pattern(0);
    for (std::size_t i = 0; i < N; ++i)
      if (init.uniform() < 0.2) s0[i] = static_cast<std::int8_t>(-s0[i]);
  }
  const DynamicsOptions opt{update, 50, true};
  DenseState dense(model, s0, &pats);
  HebbPatternState<Overlap> pattern(pats, s0, ext);
  Stream dyn_a(7, trial, 0, Purpose::dynamics), dyn_b(7, trial, 0, Purpose::dynamics);
  const Trajectory a = relax(dense, opt, dyn_a);
  const Trajectory b = relax(pattern, opt, dyn_b);
  REQUIRE(a.sweeps == b.sweeps);
  REQUIRE(a.flips == b.flips);
  REQUIRE(a.converged == b.converged);
  REQUIRE(a.energies == b.energies);  // bit-identical, not approximately equal
  REQUIRE(a.overlaps == b.overlaps);
  REQUIRE(std::equal(dense.spins().begin(), dense.spins().end(), pattern.spins().begin()));
  REQUIRE(a.flips > 0);
}

}  // namespace

TEST_CASE("dense and pattern-form Hebb paths give identical trajectories", "[hopfield]") {
  // P = 53 exercises the SIMD tails; α = 0.13 gives long, nontrivial trajectories.
  for (std::uint32_t trial = 0; trial < 4; ++trial) {
    for (const Update update : {Update::async, Update::sync}) {
      for (const bool field : {false, true}) {
        compare_paths<std::int16_t>(400, 53, update, field, trial);
        compare_paths<std::int32_t>(400, 53, update, field, trial);
      }
    }
  }
  // The automatic choice for N ≥ 32768 is the int32 path; check the dispatcher picks a state that works.
  Stream prng(8, 0, 0, Purpose::patterns);
  const Patterns pats = random_patterns(40000, 3, 0.0, prng);
  const auto xi = pats.pattern(1);
  const double e = with_hebb_pattern_state(pats, xi, [](auto& st) { return st.energy(); });
  // E(ξ¹) = −(1/2N)(Σ_μ M_μ² − P N) with M_1 = N.
  const auto m = overlaps(pats, xi);
  double sum = 0;
  for (double v : m) sum += v * v * 40000.0 * 40000.0;
  CHECK(e == Approx(-(sum - 3.0 * 40000.0) / (2.0 * 40000.0)).epsilon(1e-14));
}

TEST_CASE("synchronous dynamics stops at fixed points or two-cycles within max_sweeps", "[hopfield]") {
  const std::size_t N = 300, P = 60;
  Stream prng(9, 0, 0, Purpose::patterns);
  const Network net(random_patterns(N, P, 0.0, prng), Rule::hebb);
  Stream init(9, 0, 0, Purpose::init), dyn(9, 0, 0, Purpose::dynamics);
  const Recall r = net.recall(random_state(N, init), DynamicsOptions{Update::sync, 7, true}, dyn);
  CHECK(r.trajectory.sweeps <= 7);
  CHECK(r.trajectory.energies.size() == r.trajectory.sweeps + 1);
  CHECK(r.trajectory.overlaps.size() == (r.trajectory.sweeps + 1) * P);
  if (r.trajectory.converged) CHECK(r.trajectory.energies.back() == r.trajectory.energies[r.trajectory.sweeps - 1]);
}
