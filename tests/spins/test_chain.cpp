// The Monte Carlo driver (run_chain) and the move factory (make_move).
#include <catch2/catch.hpp>
#include <variant>

#include "mc_helpers.hpp"
#include "ring_model.hpp"
#include "spin_reversal_move.hpp"
#include "spindiff/mc/chain.hpp"
#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"
#include "spindiff/mc/moves.hpp"
#include "spindiff/spins/couplings.hpp"

using namespace spindiff;
using namespace spindiff::spins;

namespace {

auto streams_of(std::uint64_t seed) {
  return [seed](Purpose purpose, std::uint64_t sub) { return Stream(seed, 0, 0, purpose, sub); };
}

// Energies after every sweep of a chain run from the start (thermalisation included).
template <class Model, class Move>
std::vector<double> energies(const Model& model, Move move, const mc::Schedule& schedule, std::uint64_t seed) {
  auto [state, stream] = move.start(Config(model.size(), 1), streams_of(seed));
  std::vector<double> e;
  mc::run_chain(
      model, move, schedule, state, stream, [&](const auto& x, std::int64_t) { e.push_back(mc::energy(x)); },
      [](const mc::Cursor&) {});
  return e;
}

}  // namespace

TEST_CASE("run_chain: the same sweeps as a hand-written loop, resync included", "[spins][mc][unit]") {
  Stream crng(1, 0, 0, Purpose::couplings);
  const DenseCouplings sk = sk_couplings(12, 1.0, 0.1, crng);
  const double T = 0.7;
  const mc::Schedule schedule{20, 50, 16};
  const std::vector<double> driven =
      energies(sk, mc::SingleSpinUpdater<DenseCouplings>(sk, T, mc::Rule::metropolis, mc::Order::random), schedule, 3);

  mc::SingleSpinUpdater<DenseCouplings> up(sk, T, mc::Rule::metropolis, mc::Order::random);
  Replica<DenseCouplings> r(sk, Config(12, 1));
  Stream rng = streams_of(3)(Purpose::dynamics, 0);
  std::vector<double> by_hand;
  for (int t = 0; t < 70; ++t) {
    up.sweep(r, rng);
    by_hand.push_back(r.energy);
    if (t >= 20 && (t - 20 + 1) % 16 == 0) r.resync(sk);
  }
  CHECK(driven == by_hand);
}

TEST_CASE("run_chain: a chain stopped by its hook resumes bit for bit from copies of its values", "[spins][mc][unit]") {
  const IsingLattice lat(8, 2);
  const mc::Schedule schedule{40, 60};
  for (const mc::MoveSpec& spec :
       {mc::MoveSpec{"wolff", mc::Order::random, {}}, mc::MoveSpec{"metropolis", mc::Order::checkerboard, {}},
        mc::MoveSpec{"metropolis", mc::Order::checkerboard, {}, "bytes"},
        mc::MoveSpec{"heatbath", mc::Order::random, {1.5, 3.0}}}) {
    INFO(spec.name << " " << spec.kernel);
    auto any = mc::make_move(spec, lat, 2.3);
    std::visit(
        [&](auto& move) {
          const std::vector<double> whole = energies(lat, move, schedule, 5);
          for (std::int64_t stop : {std::int64_t{17}, std::int64_t{55}}) {
            auto m = move;
            auto [state, stream] = m.start(Config(lat.size(), 1), streams_of(5));
            std::vector<double> e;
            auto measure = [&](const auto& x, std::int64_t) { e.push_back(mc::energy(x)); };
            const mc::Cursor at = mc::run_chain(lat, m, schedule, state, stream, measure,
                                                [&](const mc::Cursor& c) { return c.sweep < stop; });
            REQUIRE(at.sweep == stop);
            // The checkpoint: plain copies of the move, state, stream and cursor.
            auto m2 = m;
            auto state2 = state;
            Stream stream2 = stream;
            const mc::Cursor end = mc::run_chain(
                lat, m2, schedule, state2, stream2, measure, [](const mc::Cursor&) {}, at);
            CHECK(end.sweep == schedule.total());
            CHECK(e == whole);
          }
        },
        any);
  }
}

TEST_CASE("make_move: the table picks the kernel, Wolff, tempering or single spins, and says what does not fit",
          "[spins][mc][unit]") {
  const IsingLattice even(8, 2), odd(5, 2), cubic(4, 3);
  auto chosen = [](const auto& any) { return any.index(); };
  CHECK(std::holds_alternative<mc::MultiSpinSweep>(
      mc::make_move({"metropolis", mc::Order::checkerboard, {}}, even, 2.0)));
  CHECK(std::holds_alternative<mc::CheckerboardSweep>(
      mc::make_move({"metropolis", mc::Order::checkerboard, {}}, IsingLattice(8, 2, 1.0, 0.1), 2.0)));
  CHECK(std::holds_alternative<mc::Wolff<IsingLattice>>(
      mc::make_move({"wolff", mc::Order::checkerboard, {}}, even, 2.0)));
  CHECK(std::holds_alternative<mc::ParallelTempering<IsingLattice>>(
      mc::make_move({"metropolis", mc::Order::checkerboard, {1.0, 3.0}}, even, 2.0)));
  CHECK(std::holds_alternative<mc::SingleSpinUpdater<IsingLattice>>(
      mc::make_move({"heatbath", mc::Order::checkerboard, {}}, cubic, 2.0)));
  CHECK(chosen(mc::make_move({"metropolis", mc::Order::random, {}}, even, 2.0)) ==
        chosen(mc::make_move({"heatbath", mc::Order::sequential, {}}, even, 2.0)));
  auto part = [](auto&& f) {
    try {
      f();
    } catch (const mc::MoveError& e) {
      return static_cast<int>(e.part);
    }
    return -1;
  };
  CHECK(part([&] {
          mc::make_move({"metropolis", mc::Order::checkerboard, {}}, odd, 2.0);
        }) == static_cast<int>(mc::MoveError::Part::order));
  CHECK(part([&] {
          mc::make_move({"wolff", mc::Order::random, {}}, IsingLattice(4, 2, 1.0, 0.5), 2.0);
        }) == static_cast<int>(mc::MoveError::Part::name));
  CHECK(part([&] {
          mc::make_move({"wolff", mc::Order::random, {1.0, 2.0}}, even, 2.0);
        }) == static_cast<int>(mc::MoveError::Part::tempering));
  Stream prng(2, 0, 0, Purpose::patterns);
  const PatternCouplings hopfield(hopfield::random_patterns(10, 2, 0.0, prng));
  CHECK(part([&] {
          mc::make_move({"wolff", mc::Order::random, {}}, hopfield, 2.0);
        }) == static_cast<int>(mc::MoveError::Part::name));
  CHECK(part([&] {
          mc::make_move({"metropolis", mc::Order::checkerboard, {}}, hopfield, 2.0);
        }) == static_cast<int>(mc::MoveError::Part::order));
  CHECK(part([&] {
          mc::make_move({"glauber", mc::Order::random, {}}, even, 2.0);
        }) == static_cast<int>(mc::MoveError::Part::name));
}

TEST_CASE("run_chain drives the 32-replica kernel like its own sweep loop", "[spins][mc][unit]") {
  const mc::CheckerboardReplicasSweep move(8, 1.0, 2.4);
  auto [kernel, stream] = move.start(Config(64, 1), streams_of(7));
  auto by_hand = kernel;
  auto m = move;
  const mc::Cursor end = mc::run_chain(
      IsingLattice(8, 2), m, mc::Schedule{5, 10}, kernel, stream, [](const auto&, std::int64_t) {},
      [](const mc::Cursor&) {});
  std::uint64_t flips = 0;
  for (int t = 0; t < 15; ++t) flips += t >= 5 ? by_hand.sweep() : (by_hand.sweep(), 0);
  CHECK(end.accepted == flips);
  CHECK(end.attempts == 10u * 64u * 32u);
  for (int r = 0; r < 32; ++r) CHECK(kernel.spins(r) == by_hand.spins(r));
}

// The example move, added with one header and one table line, samples the Boltzmann distribution.
TEST_CASE("an example move added with one header and one table line matches exact enumeration", "[spins][mc][unit]") {
  using Table = mc::MoveTableOf<test::SpinReversalMoves, mc::CheckerboardKernelMoves, mc::WolffMoves,
                                mc::TemperingMoves, mc::SingleSpinMoves>;
  const IsingLattice lat(4, 2);
  const double T = 1.8;
  const mc::ExactThermo exact = mc::enumerate_exact(to_dense(lat), std::vector<double>{T})[0];
  auto any = mc::make_move<Table>({"reversal", mc::Order::random, {}}, lat, T);
  REQUIRE(std::holds_alternative<test::SpinReversal<IsingLattice>>(any));
  auto& move = std::get<test::SpinReversal<IsingLattice>>(any);
  auto [r, rng] = move.start(Config(16, 1), streams_of(9));
  const mc::Schedule schedule{1000, 40000};
  stats::ThermoSeries series(16, T, 40000);
  stats::BinningAccumulator signed_m;
  mc::run_chain(
      lat, move, schedule, r, rng,
      [&](const Replica<IsingLattice>& x, std::int64_t t) {
        if (t < schedule.thermalize) return;
        series.add(x.energy / 16, static_cast<double>(x.magnetization) / 16);
        signed_m.add(static_cast<double>(x.magnetization) / 16);
      },
      [](const mc::Cursor&) {});
  test::check_all("reversal T=1.8", series.estimates(), exact);
  // The reversal makes +m and -m equally likely: <m> = 0 within 4 errors, the error bounded by <|m|>/10.
  CHECK(std::abs(signed_m.mean()) <= 4 * signed_m.error());
  CHECK(signed_m.error() < 0.1 * exact.abs_magnetization);
  CHECK_THROWS_AS(mc::make_move<Table>({"reversal", mc::Order::random, {}}, IsingLattice(4, 2, 1.0, 0.3), T),
                  mc::MoveError);
}

// The example model, added with one header, runs under every move that fits it. Exact: with t = tanh(J/T),
// Z = (2 cosh(J/T))^N (1 + t^N), so <E>/N = -J t - J t^(N-1) (1 - t^2) / (1 + t^N).
TEST_CASE("an example model added with one header runs under the factory's moves", "[spins][mc][unit]") {
  const std::size_t N = 10;
  const double J = 1.0, T = 1.5;
  const test::IsingRing ring(N, J);
  const double t = std::tanh(J / T), tn = std::pow(t, static_cast<double>(N));
  const double exact_e = -J * t - J * std::pow(t, N - 1.0) * (1 - t * t) / (1 + tn);
  for (const char* name : {"metropolis", "heatbath", "wolff"}) {
    INFO(name);
    auto any = mc::make_move({name, mc::Order::random, {}}, ring, T);
    std::visit(
        [&](auto& move) {
          auto [state, stream] = move.start(Config(N, 1), streams_of(11));
          stats::BinningAccumulator e;
          const mc::Schedule schedule{1000, 40000};
          mc::run_chain(
              ring, move, schedule, state, stream,
              [&](const auto& x, std::int64_t sweep) {
                if (sweep >= schedule.thermalize) e.add(mc::energy(x) / static_cast<double>(N));
              },
              [](const mc::Cursor&) {});
          INFO("<e> = " << e.mean() << " +- " << e.error() << ", exact " << exact_e);
          CHECK(e.error() < 0.01);
          CHECK(std::abs(e.mean() - exact_e) <= 4 * e.error());
        },
        any);
  }
  CHECK(std::holds_alternative<mc::Wolff<test::IsingRing>>(mc::make_move({"wolff", mc::Order::random, {}}, ring, T)));
}
