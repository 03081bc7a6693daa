// One asynchronous T = 0 sweep at N = 10,000, P = 1,000 (α = 0.1): Hebb pattern form (O(P) per update,
// never builds W) against the dense-W path (field vector updated by a column per flip), same program.
// Counter ns_per_update = wall time per single-spin update.
//   random_start: every iteration restores the same random state (43 % of the spins flip).
//   noisy_cue:    every iteration restores pattern 0 with 10 % of its bits flipped (a recall).
//   at_pattern:   sweeps near a stored pattern, where almost no spin flips (pure field evaluation).
// BM_PatternForm_<start> uses the overlap store Network::recall picks on this CPU (byte planes with GFNI);
// the _int16_avx512_, _avx2_, _portable_ and _int32_ ones fix the store, for ratios in the same run.
// Run with --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true and read the _min rows on
// a shared machine (bench_hopfield_numpy.py does).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

#include "spindiff/hopfield/dynamics.hpp"
#include "spindiff/hopfield/states.hpp"

using namespace spindiff;
using namespace spindiff::hopfield;

namespace {

constexpr std::size_t kN = 10000;
constexpr std::size_t kP = 1000;

struct Setup {
  Patterns patterns;
  std::unique_ptr<PackedRows> rows;  // packed once, as Network does
  std::vector<std::int8_t> random_state;
  std::vector<std::int8_t> noisy_cue;  // pattern 0 with 10 % of its bits flipped
  std::unique_ptr<DenseModel> dense;   // 800 MB, built on first use
};

Setup& setup() {
  static Setup s = [] {
    Setup x;
    Stream prng(1, 0, 0, Purpose::patterns), init(1, 0, 0, Purpose::init);
    x.patterns = random_patterns(kN, kP, 0.0, prng);
    x.rows = std::make_unique<PackedRows>(x.patterns);
    x.random_state.resize(kN);
    for (auto& v : x.random_state) v = static_cast<std::int8_t>(init.spin());
    x.noisy_cue = x.patterns.pattern(0);
    for (auto& v : x.noisy_cue)
      if (init.uniform() < 0.1) v = static_cast<std::int8_t>(-v);
    return x;
  }();
  return s;
}

const DenseModel& dense_model() {
  Setup& s = setup();
  if (!s.dense) s.dense = std::make_unique<DenseModel>(hebb_rule(s.patterns));
  return *s.dense;
}

template <class State>
void sweeps(benchmark::State& bm, State& st, std::span<const std::int8_t> start, bool reset_each) {
  Stream rng(1, 0, 0, Purpose::dynamics);
  std::vector<std::uint32_t> order;
  std::size_t flips = 0;
  for (auto _ : bm) {
    if (reset_each) {
      bm.PauseTiming();
      st.reset(start);
      bm.ResumeTiming();
    }
    flips += async_sweep(st, order, rng);
  }
  bm.counters["ns_per_update"] = benchmark::Counter(
      static_cast<double>(kN), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  bm.counters["flip_fraction"] = static_cast<double>(flips) / static_cast<double>(kN * bm.iterations());
}

// The pattern form with one overlap store; skipped where the CPU lacks its instructions.
enum class Start { random, noisy_cue, pattern };

template <class Store>
void pattern_form(benchmark::State& bm, Start from) {
  if (!Store::available()) {
    bm.SkipWithError("instruction set not available on this CPU");
    return;
  }
  const auto start = from == Start::pattern     ? setup().patterns.pattern(0)
                     : from == Start::noisy_cue ? setup().noisy_cue
                                                : setup().random_state;
  HebbPatternState<Store> st(*setup().rows, start);
  sweeps(bm, st, start, from != Start::pattern);
  bm.SetLabel(Store::name());
}

// What Network::recall runs on this CPU (with_hebb_pattern_state's choice for N = 10⁴).
template <class F>
void best_store(F&& f) {
  if (PlaneStore::available()) return f(std::type_identity<PlaneStore>{});
  packed::with_best_isa([&](auto isa) { f(std::type_identity<LaneStore<std::int16_t, decltype(isa)>>{}); });
}

void BM_PatternForm_random_start(benchmark::State& bm) {
  best_store([&](auto store) { pattern_form<typename decltype(store)::type>(bm, Start::random); });
}
void BM_PatternForm_noisy_cue(benchmark::State& bm) {
  best_store([&](auto store) { pattern_form<typename decltype(store)::type>(bm, Start::noisy_cue); });
}
void BM_PatternForm_at_pattern(benchmark::State& bm) {
  best_store([&](auto store) { pattern_form<typename decltype(store)::type>(bm, Start::pattern); });
}
// The int16 lanes on each instruction set (the choice on CPUs without GFNI, and for 15295 < N ≤ 31743).
void BM_PatternForm_int16_avx512_random_start(benchmark::State& bm) {
  pattern_form<LaneStore<std::int16_t, packed::Avx512>>(bm, Start::random);
}
void BM_PatternForm_int16_avx512_noisy_cue(benchmark::State& bm) {
  pattern_form<LaneStore<std::int16_t, packed::Avx512>>(bm, Start::noisy_cue);
}
void BM_PatternForm_int16_avx512_at_pattern(benchmark::State& bm) {
  pattern_form<LaneStore<std::int16_t, packed::Avx512>>(bm, Start::pattern);
}
void BM_PatternForm_avx2_random_start(benchmark::State& bm) {
  pattern_form<LaneStore<std::int16_t, packed::Avx2>>(bm, Start::random);
}
void BM_PatternForm_avx2_at_pattern(benchmark::State& bm) {
  pattern_form<LaneStore<std::int16_t, packed::Avx2>>(bm, Start::pattern);
}
void BM_PatternForm_portable_at_pattern(benchmark::State& bm) {
  pattern_form<LaneStore<std::int16_t, packed::Portable>>(bm, Start::pattern);
}
void BM_PatternForm_int32_random_start(benchmark::State& bm) {
  packed::with_best_isa([&](auto isa) { pattern_form<LaneStore<std::int32_t, decltype(isa)>>(bm, Start::random); });
}
void BM_Dense_random_start(benchmark::State& bm) {
  DenseState st(dense_model(), setup().random_state);
  sweeps(bm, st, setup().random_state, true);
}
void BM_Dense_at_pattern(benchmark::State& bm) {
  const auto xi = setup().patterns.pattern(0);
  DenseState st(dense_model(), xi);
  sweeps(bm, st, xi, false);
}

// Milliseconds, and with --benchmark_repetitions a `_min` row beside mean and median: the sweeps are
// deterministic work, so on a shared machine the fastest repetition is the least disturbed one.
void with_min(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->ComputeStatistics("min", [](const std::vector<double>& v) {
    return *std::min_element(v.begin(), v.end());
  });
}

}  // namespace

BENCHMARK(BM_PatternForm_random_start)->Apply(with_min);
BENCHMARK(BM_PatternForm_noisy_cue)->Apply(with_min);
BENCHMARK(BM_PatternForm_at_pattern)->Apply(with_min);
BENCHMARK(BM_PatternForm_int16_avx512_random_start)->Apply(with_min);
BENCHMARK(BM_PatternForm_int16_avx512_noisy_cue)->Apply(with_min);
BENCHMARK(BM_PatternForm_int16_avx512_at_pattern)->Apply(with_min);
BENCHMARK(BM_PatternForm_avx2_random_start)->Apply(with_min);
BENCHMARK(BM_PatternForm_avx2_at_pattern)->Apply(with_min);
BENCHMARK(BM_PatternForm_portable_at_pattern)->Apply(with_min);
BENCHMARK(BM_PatternForm_int32_random_start)->Apply(with_min);
BENCHMARK(BM_Dense_random_start)->Apply(with_min);
BENCHMARK(BM_Dense_at_pattern)->Apply(with_min);
BENCHMARK_MAIN();
