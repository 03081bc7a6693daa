// Empirical score of P = 10,000 training points in d = 256, batched: GFLOP/s and fraction of one core's peak.
// Reference: the same score computed one query at a time with matrix-vector products (no batching).
//
//   ./build/bench/diffusion_empirical_score
//
// Times are CPU times of the benchmark thread (the machine is shared). Counters: GFLOPs = 4 n P d / time (the two
// matrix products; the exp and the softmax are O(n P) and not counted), peak_frac = GFLOPs / (16 flop/cycle x measured
// clock): two 4-wide FMA ports of AVX2 (x86-64-v3).
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <cstdint>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/empirical_score.hpp"

using namespace spindiff::diffusion;

namespace {

constexpr Eigen::Index kP = 10000, kD = 256;

// Thread CPU time: the machine is shared, and wall time would count other processes' slices.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

Points random_points(Eigen::Index n, Eigen::Index d, std::uint32_t purpose) {
  spindiff::Stream s(1, 0, 0, static_cast<spindiff::Purpose>(purpose));
  Points x(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = s.normal();
  return x;
}

const Points& training() {
  static const Points x = random_points(kP, kD, 1);
  return x;
}

// Clock from a chain of dependent 64-bit multiplies (3 cycles each on every Intel core since Sandy Bridge and on
// Zen). Integer adds with an immediate are no good: Golden Cove folds them at rename and runs them faster than one
// per cycle. The best of many short runs keeps other processes on this shared machine out of the figure.
double clock_hz() {
  static const double hz = [] {
    double best = 1e30;
    const std::int64_t iterations = 1'000'000;  // 24 M cycles, ~10 ms
    for (int rep = 0; rep < 50; ++rep) {
      std::uint64_t x = 1, one = 1;
      const double t0 = cpu_seconds();
      for (std::int64_t i = 0; i < iterations; ++i)
        asm volatile(
            "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0\n\t"
            "imul %1, %0\n\timul %1, %0\n\timul %1, %0\n\timul %1, %0"
            : "+r"(x)
            : "r"(one));
      best = std::min(best, cpu_seconds() - t0);
      benchmark::DoNotOptimize(x);
    }
    return 3.0 * 8.0 * iterations / best;
  }();
  return hz;
}

void report(benchmark::State& state, Eigen::Index n) {
  const double flops = 4.0 * double(n) * kP * kD * state.iterations();
  state.counters["GFLOPs"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
  state.counters["clock_GHz"] = clock_hz() * 1e-9;
  // Rates divided by a rate: dimensionless fractions of the peak.
  state.counters["peak_frac"] = benchmark::Counter(flops / (16.0 * clock_hz()), benchmark::Counter::kIsRate);
  state.counters["queries_per_s"] = benchmark::Counter(double(n) * state.iterations(), benchmark::Counter::kIsRate);
}

// Batched: blocks of queries x blocks of patterns, two GEMMs each (the library path).
void BM_EmpiricalScoreBatched(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const EmpiricalScore model(training(), RetrievalBlocks{state.range(1), state.range(2)});
  const Points x = random_points(n, kD, 2);
  Points out(n, kD);
  const NoiseLevel level{0.5, 0.6, 0.8};
  for (auto _ : state) {
    model.score(x, level, out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, n);
}

// Reference: one query at a time, logits by matrix-vector product, then the weighted sum.
void BM_EmpiricalScorePerPoint(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Points& xi = training();
  const Eigen::VectorXd half_sq = 0.5 * xi.rowwise().squaredNorm();
  const Points x = random_points(n, kD, 2);
  Points out(n, kD);
  const NoiseLevel level{0.5, 0.6, 0.8};
  const double iv = 1.0 / (level.sigma * level.sigma), a = level.scale;
  Eigen::VectorXd logits(kP);
  for (auto _ : state) {
    for (Eigen::Index i = 0; i < n; ++i) {
      logits.noalias() = (a * iv) * (xi * x.row(i).transpose());
      logits -= (a * a * iv) * half_sq;
      logits = (logits.array() - logits.maxCoeff()).exp();
      const double z = logits.sum();
      out.row(i).noalias() = (a * iv / z) * (logits.transpose() * xi);
      out.row(i) -= iv * x.row(i);
    }
    benchmark::DoNotOptimize(out.data());
  }
  report(state, n);
}

}  // namespace

BENCHMARK(BM_EmpiricalScoreBatched)
    ->ArgNames({"n", "qblock", "pblock"})
    ->Args({1024, 256, 512})
    ->Args({1024, 128, 1024})
    ->Args({1024, 256, 256})
    ->Args({256, 256, 512})
    ->Args({64, 64, 512})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmpiricalScorePerPoint)->ArgName("n")->Arg(64)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
