// Zero-temperature dynamics: Lyapunov property, fixed points, and the two Hebb evaluation paths.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "spindiff/hopfield/dynamics.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/hopfield/packed_rows.hpp"
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

namespace {

// The packed kernels of one instruction set against the definitions on int8 rows, for one row length.
template <class Isa, class Overlap>
void check_packed_kernels(std::size_t n, Overlap bound, Stream& rng) {
  Patterns row{1, n, std::vector<std::int8_t>(n)};
  for (auto& x : row.xi) x = static_cast<std::int8_t>(rng.spin());
  const PackedRows packed(row);
  AlignedVector<Overlap> m(packed.padded(), 0);
  for (std::size_t k = 0; k < n; ++k)
    m[k] =
        static_cast<Overlap>(static_cast<std::int64_t>(rng.below(2 * static_cast<std::uint32_t>(bound) + 1)) - bound);
  std::int64_t want = 0, xsum = 0;
  for (std::size_t k = 0; k < n; ++k) want += row.xi[k] > 0 ? m[k] : 0, xsum += row.xi[k];
  CHECK(Isa::sum_set(packed.row(0), m.data(), n) == want);
  CHECK(packed.row_sum[0] == xsum);
  // A flip's step on the set lanes only, values kept inside the type; the padding must stay zero.
  auto a = m;
  Isa::add_set(packed.row(0), a.data(), static_cast<Overlap>(-2), n);
  for (std::size_t k = 0; k < n; ++k) CHECK(a[k] == m[k] - (row.xi[k] > 0 ? 2 : 0));
  for (std::size_t k = n; k < a.size(); ++k) CHECK(a[k] == 0);
}

template <class Isa>
void check_isa(std::uint64_t seed) {
  if (!Isa::available()) return;
  INFO("instruction set " << Isa::name);
  Stream rng(seed, 0, 0, Purpose::patterns);
  for (std::size_t n = 0; n < 200; ++n) {  // partial words and blocks of every SIMD width
    check_packed_kernels<Isa, std::int16_t>(n, 32765, rng);
    check_packed_kernels<Isa, std::int32_t>(n, 1000000, rng);
  }
  for (std::size_t n : {511u, 512u, 513u, 1000u, 5000u}) {  // whole padded rows, long int32 sums
    check_packed_kernels<Isa, std::int16_t>(n, 32765, rng);
    check_packed_kernels<Isa, std::int32_t>(n, 400000, rng);
  }
}

}  // namespace

TEST_CASE("packed pattern kernels equal the plain sums for every length and instruction set", "[hopfield]") {
  check_isa<packed::Portable>(11);
  check_isa<packed::Avx2>(12);
  check_isa<packed::Avx512>(13);
  CHECK(std::string(packed::best_isa_name()).size() > 0);
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

template <class Store>
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
  const PackedRows rows(pats);
  HebbPatternState<Store> pattern(rows, s0, ext);
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
        compare_paths<LaneStore<std::int16_t, packed::Portable>>(400, 53, update, field, trial);
        compare_paths<LaneStore<std::int32_t, packed::Portable>>(400, 53, update, field, trial);
        packed::with_best_isa([&](auto isa) {
          compare_paths<LaneStore<std::int16_t, decltype(isa)>>(400, 53, update, field, trial);
          compare_paths<LaneStore<std::int32_t, decltype(isa)>>(400, 53, update, field, trial);
        });
        if (PlaneStore::available()) compare_paths<PlaneStore>(400, 53, update, field, trial);
      }
    }
  }
  // The automatic choice for N ≥ 32768 is the int32 path; check the dispatcher picks a state that works.
  Stream prng(8, 0, 0, Purpose::patterns);
  const Patterns pats = random_patterns(40000, 3, 0.0, prng);
  const auto xi = pats.pattern(1);
  const double e = with_hebb_pattern_state(PackedRows(pats), xi, [](auto& st) { return st.energy(); });
  // E(ξ¹) = −(1/2N)(Σ_μ M_μ² − P N) with M_1 = N.
  const auto m = overlaps(pats, xi);
  double sum = 0;
  for (double v : m) sum += v * v * 40000.0 * 40000.0;
  CHECK(e == Approx(-(sum - 3.0 * 40000.0) / (2.0 * 40000.0)).epsilon(1e-14));
}

namespace {

// Biased patterns pull Σ_j s_j from ~0 to ~0.9 N, so the offset c = −ΔΣs outgrows the room
// kMaxMagnitude − N of a narrow store many times and M' must be folded back; the int32 state (never folds
// here) is the reference.
template <class Narrow, class Wide>
void check_folds_at_largest_n(std::uint64_t seed) {
  const std::size_t N = HebbPatternState<Narrow>::kMaxSites, P = 4;
  INFO("store " << Narrow::name() << ", N = " << N);
  Stream prng(seed, 0, 0, Purpose::patterns), init(seed, 0, 0, Purpose::init);
  const Patterns pats = random_patterns(N, P, 0.9, prng);
  const PackedRows rows(pats);
  const auto s0 = random_state(N, init);
  for (const Update update : {Update::async, Update::sync}) {
    HebbPatternState<Narrow> narrow(rows, s0);
    HebbPatternState<Wide> wide(rows, s0);
    Stream dyn_a(seed, 1, 0, Purpose::dynamics), dyn_b(seed, 1, 0, Purpose::dynamics);
    const Trajectory a = relax(narrow, DynamicsOptions{update, 20, true}, dyn_a);
    const Trajectory b = relax(wide, DynamicsOptions{update, 20, true}, dyn_b);
    REQUIRE(a.energies == b.energies);
    REQUIRE(a.overlaps == b.overlaps);
    std::int64_t drift = 0;
    for (std::size_t i = 0; i < N; ++i) drift += narrow.spin(i) - s0[i];
    CHECK(std::abs(drift) > Narrow::kMaxMagnitude - static_cast<std::int64_t>(N));  // the fold path ran
  }
}

}  // namespace

TEST_CASE("narrow overlap stores fold their offset and stay equal to int32 near their largest N", "[hopfield]") {
  packed::with_best_isa([&](auto isa) {
    using Isa = decltype(isa);
    check_folds_at_largest_n<LaneStore<std::int16_t, Isa>, LaneStore<std::int32_t, Isa>>(21);
    if (PlaneStore::available()) check_folds_at_largest_n<PlaneStore, LaneStore<std::int32_t, Isa>>(22);
  });
}

TEST_CASE("byte-plane overlaps follow every sum, step, fold and renormalisation exactly", "[hopfield]") {
  if (!PlaneStore::available()) return;
  // A long random walk of ±4 steps on random rows, against int32 overlaps: values reach both ends of the
  // planes' range (so hi carries and borrows), and every 16th step renormalises.
  for (const std::size_t P : {1u, 63u, 64u, 65u, 511u, 512u, 1000u, 2048u}) {
    INFO("P = " << P);
    Stream rng(23, static_cast<std::uint32_t>(P), 0, Purpose::patterns);
    const std::size_t rows_n = 40;
    Patterns pats{rows_n, P, std::vector<std::int8_t>(rows_n * P)};
    for (auto& x : pats.xi) x = static_cast<std::int8_t>(rng.spin());
    const PackedRows rows(pats);
    PlaneStore store(rows.words, P);
    std::vector<std::int32_t> want(P);
    const std::int32_t edge = PlaneStore::kMaxMagnitude - 400;
    for (std::size_t mu = 0; mu < P; ++mu)
      want[mu] = mu % 3 == 0 ? (mu % 2 ? edge : -edge) : static_cast<std::int32_t>(rng.below(2001)) - 1000;
    store.assign(want);
    for (int step = 0; step < 200; ++step) {
      const std::size_t i = rng.below(rows_n);
      const std::int32_t delta = rng.spin() > 0 ? 4 : -4;
      std::int64_t sum = 0;
      for (std::size_t mu = 0; mu < P; ++mu) sum += pats.xi[i * P + mu] > 0 ? want[mu] : 0;
      REQUIRE(store.sum_set(rows.row(i)) == sum);
      const std::size_t j = rng.below(rows_n);
      REQUIRE(static_cast<std::int32_t>(P) - 2 * PlaneStore::differing_bits(rows.row(i), rows.row(j), rows.words) ==
              rows.agreement(i, j));
      store.add_set(rows.row(i), delta);
      for (std::size_t mu = 0; mu < P; ++mu) want[mu] += pats.xi[i * P + mu] > 0 ? delta : 0;
      if (step == 100) {
        store.add_all(-37);
        for (auto& v : want) v -= 37;
      }
    }
    for (std::size_t mu = 0; mu < P; ++mu) REQUIRE(store.value(mu) == want[mu]);
  }
  PlaneStore store(8, 1);
  CHECK_THROWS_AS(store.assign(std::vector<std::int32_t>{PlaneStore::kMaxMagnitude + 1}), std::out_of_range);
}

TEST_CASE("synchronous dynamics detects the two-cycle of an antiferromagnetic pair", "[hopfield]") {
  // J_12 = J_21 = -1 from (+, +): both fields are -1, both spins flip to (-, -), whose fields are +1, so both flip
  // back. Synchronous updates alternate forever; asynchronous ones stop at (+, -) or (-, +) after one flip.
  DenseModel pair;
  pair.J = Eigen::MatrixXd{{0.0, -1.0}, {-1.0, 0.0}};
  const std::vector<std::int8_t> up{1, 1};
  Stream dyn(4, 0, 0, Purpose::dynamics);
  DenseState sync_state(pair, up);
  const Trajectory sync = relax(sync_state, DynamicsOptions{Update::sync, 50, false}, dyn);
  CHECK(sync.two_cycle);
  CHECK_FALSE(sync.converged);
  CHECK(sync.sweeps == 2);  // the second sweep undid the first
  CHECK(sync.flips == 4);
  CHECK(std::vector<std::int8_t>(sync_state.spins().begin(), sync_state.spins().end()) == up);
  CHECK(sync.energies == std::vector<double>{1.0, 1.0, 1.0});  // E = -s1 s2 J_12 = +1 in both states
  DenseState async_state(pair, up);
  const Trajectory async = relax(async_state, DynamicsOptions{Update::async, 50, false}, dyn);
  CHECK(async.converged);
  CHECK_FALSE(async.two_cycle);
  CHECK(async.flips == 1);
  CHECK(async.energies.back() == -1.0);
  // Only part of the system cycles: an antiferromagnetic pair next to an aligned ferromagnetic pair that stays.
  DenseModel four;
  four.J = Eigen::MatrixXd::Zero(4, 4);
  four.J(0, 1) = four.J(1, 0) = -1.0;
  four.J(2, 3) = four.J(3, 2) = 1.0;
  DenseState mixed(four, std::vector<std::int8_t>{1, 1, 1, 1});
  const Trajectory t4 = relax(mixed, DynamicsOptions{Update::sync, 50, false}, dyn);
  CHECK(t4.two_cycle);
  CHECK(t4.sweeps == 2);
  CHECK(t4.flips == 4);  // spins 0 and 1, twice
}

TEST_CASE("synchronous dynamics stops at fixed points or two-cycles, and a detected two-cycle is one", "[hopfield]") {
  // Symmetric couplings under synchronous updates end at a fixed point or a two-cycle (Goles & Olivos); at
  // load P/N = 0.2 from random states both happen. Each detected cycle is checked by running two more sweeps by
  // hand: the state must come back after two and differ after one.
  const std::size_t N = 300, P = 60;
  Stream prng(9, 0, 0, Purpose::patterns);
  const Network net(random_patterns(N, P, 0.0, prng), Rule::hebb, Evaluation::dense);
  std::size_t cycles = 0, fixed = 0;
  for (std::uint32_t trial = 0; trial < 20; ++trial) {
    Stream init(9, trial, 0, Purpose::init), dyn(9, trial, 0, Purpose::dynamics);
    const Recall r = net.recall(random_state(N, init), DynamicsOptions{Update::sync, 200, true}, dyn);
    CHECK(r.trajectory.energies.size() == r.trajectory.sweeps + 1);
    CHECK(r.trajectory.overlaps.size() == (r.trajectory.sweeps + 1) * P);
    REQUIRE(r.trajectory.converged + r.trajectory.two_cycle == 1);  // 200 sweeps are plenty
    DenseState state(net.model(), r.state);
    std::vector<std::uint32_t> scratch;
    const std::size_t first = sync_sweep(state, scratch);
    const std::vector<std::int8_t> one(state.spins().begin(), state.spins().end());
    sync_sweep(state, scratch);
    const std::vector<std::int8_t> two(state.spins().begin(), state.spins().end());
    CHECK(two == r.state);
    if (r.trajectory.converged) {
      ++fixed;
      CHECK(first == 0);
      CHECK(r.trajectory.energies.back() == r.trajectory.energies[r.trajectory.sweeps - 1]);
    } else {
      ++cycles;
      CHECK(first > 0);
      CHECK(one != r.state);
      CHECK(r.trajectory.sweeps < 200);
    }
  }
  INFO(fixed << " fixed points, " << cycles << " two-cycles");
  CHECK(cycles > 0);
  CHECK(fixed > 0);
}
