// Ising benchmarks:
//  - fast checkerboard Metropolis, 2-D, L = 1024, T = 2.5, against a straightforward random-site
//    Metropolis (std::mt19937 + std::exp per step) in the same program; the ratio is printed at the end;
//    also at L = 32, 16, 8, and the 32-replica kernel there (updates counted over all replicas);
//  - the multi-spin coded kernel (one bit per spin), every implementation the CPU runs, at L = 1024 and 32,
//    Metropolis and heat bath, with its random bits per update; the ratio to the checkerboard kernel at the same
//    L is printed at the end;
//  - 64 independent replicas in one set of multi-spin words (bit b = replica b) at L = 32 and 64, every
//    implementation, Metropolis and heat bath (updates counted over all replicas); the ratio to the checkerboard
//    kernel at the same L is printed at the end;
//  - exact enumeration of N = 24 (SK couplings): seconds.
// Run: ./build/bench/bench_ising   (add --benchmark_min_time=2 for steadier figures)
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/mc/checkerboard_ising2d_replicas.hpp"
#include "spindiff/mc/exact.hpp"
#include "spindiff/mc/multispin_ising2d.hpp"
#include "spindiff/mc/multispin_ising2d_replicas.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/spins/couplings.hpp"
#include "spindiff/spins/lattice.hpp"

using namespace spindiff;

namespace {

constexpr int L_big = 1024;
constexpr double T_bench = 2.5;

void BM_CheckerboardMetropolis(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  Stream rng(1, 0, 0, Purpose::dynamics);
  mc::CheckerboardIsing2D sim(L, 1.0, 0.0, T_bench, mc::Rule::metropolis, rng);
  for (int i = 0; i < 20; ++i) sim.sweep();  // leave the ordered start
  std::uint64_t accepted = 0;
  for (auto _ : state) benchmark::DoNotOptimize(accepted += sim.sweep());
  const double updates = static_cast<double>(state.iterations()) * L * L;
  state.counters["updates_per_ns"] = benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / updates;
}
BENCHMARK(BM_CheckerboardMetropolis)->Arg(L_big)->Arg(32)->Arg(16)->Arg(8)->Unit(benchmark::kMicrosecond);

// The multi-spin coded kernel (one bit per spin, lazy exact acceptance), each implementation this CPU runs
// (arg 1: index in MultiSpinIsing2D::implementations()), Metropolis and heat bath (arg 2: 0, 1).
void BM_MultiSpin(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  const std::string impl = mc::MultiSpinIsing2D::implementations().at(static_cast<std::size_t>(state.range(1)));
  const mc::Rule rule = state.range(2) == 0 ? mc::Rule::metropolis : mc::Rule::heatbath;
  if (!mc::MultiSpinIsing2D::supported(impl)) {
    state.SkipWithError("implementation not supported on this CPU");
    return;
  }
  Stream rng(1, 0, 0, Purpose::dynamics);
  mc::MultiSpinIsing2D sim(L, 1.0, T_bench, rule, rng, impl);
  sim.set_spins(spins::Config(sim.size(), 1));
  for (int i = 0; i < 20; ++i) sim.sweep();
  const std::uint64_t bytes0 = sim.random_bytes_drawn();
  std::uint64_t accepted = 0;
  for (auto _ : state) benchmark::DoNotOptimize(accepted += sim.sweep());
  const double updates = static_cast<double>(state.iterations()) * L * L;
  state.SetLabel(impl + (rule == mc::Rule::metropolis ? " metropolis" : " heatbath"));
  state.counters["updates_per_ns"] = benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / updates;
  state.counters["random_bits_per_update"] = 8.0 * static_cast<double>(sim.random_bytes_drawn() - bytes0) / updates;
}
BENCHMARK(BM_MultiSpin)->ArgsProduct({{L_big, 32}, {0, 1}, {0, 1}})->Unit(benchmark::kMicrosecond);

// 64 independent replicas in one set of multi-spin words, all at T_bench (arguments as BM_MultiSpin).
void BM_MultiSpinReplicas(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  const std::string impl = mc::MultiSpinIsing2D::implementations().at(static_cast<std::size_t>(state.range(1)));
  const mc::Rule rule = state.range(2) == 0 ? mc::Rule::metropolis : mc::Rule::heatbath;
  if (!mc::MultiSpinIsing2D::supported(impl)) {
    state.SkipWithError("implementation not supported on this CPU");
    return;
  }
  Stream rng(1, 0, 0, Purpose::dynamics);
  const int R = mc::MultiSpinIsing2DReplicas::kMaxReplicas;
  mc::MultiSpinIsing2DReplicas sim(L, 1.0, std::vector<double>(R, T_bench), rule, rng, impl);
  for (int b = 0; b < R; ++b) sim.set_spins(b, spins::Config(sim.size(), 1));
  for (int i = 0; i < 20; ++i) sim.sweep();
  const std::uint64_t bytes0 = sim.random_bytes_drawn();
  std::uint64_t accepted = 0;
  for (auto _ : state) benchmark::DoNotOptimize(accepted += sim.sweep());
  const double updates = static_cast<double>(state.iterations()) * L * L * R;
  state.SetLabel(impl + (rule == mc::Rule::metropolis ? " metropolis" : " heatbath"));
  state.counters["updates_per_ns"] = benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / updates;
  state.counters["random_bits_per_update"] = 8.0 * static_cast<double>(sim.random_bytes_drawn() - bytes0) / updates;
}
BENCHMARK(BM_MultiSpinReplicas)->ArgsProduct({{32, 64}, {0, 1}, {0, 1}})->Unit(benchmark::kMicrosecond);

// 32 replicas in the byte lanes: the kernel of the critical-slowing test (small L, many chains).
void BM_CheckerboardReplicasMetropolis(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  Stream rng(1, 0, 0, Purpose::dynamics);
  mc::CheckerboardIsing2DReplicas sim(L, 1.0, T_bench, rng);
  for (int i = 0; i < 20; ++i) sim.sweep();
  std::uint64_t accepted = 0;
  for (auto _ : state) benchmark::DoNotOptimize(accepted += sim.sweep());
  const double updates = static_cast<double>(state.iterations()) * L * L * mc::CheckerboardIsing2DReplicas::kReplicas;
  state.counters["updates_per_ns"] = benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / updates;
}
BENCHMARK(BM_CheckerboardReplicasMetropolis)->Arg(32)->Arg(16)->Arg(8)->Unit(benchmark::kMicrosecond);

// The straightforward reference: random site, std::mt19937, std::exp at every step, int spins.
void BM_NaiveRandomSiteMetropolis(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  const std::size_t N = static_cast<std::size_t>(L) * L;
  std::vector<int> s(N, 1);
  std::mt19937 gen(12345);
  std::uniform_int_distribution<std::size_t> site(0, N - 1);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  const double beta = 1.0 / T_bench;
  auto sweep = [&] {
    std::uint64_t acc = 0;
    for (std::size_t step = 0; step < N; ++step) {
      const std::size_t i = site(gen);
      const std::size_t x = i % L, y = i / L;
      const int nb =
          s[y * L + (x + 1) % L] + s[y * L + (x + L - 1) % L] + s[((y + 1) % L) * L + x] + s[((y + L - 1) % L) * L + x];
      const double dE = 2.0 * s[i] * nb;
      if (uni(gen) < std::exp(-beta * dE)) {
        s[i] = -s[i];
        ++acc;
      }
    }
    return acc;
  };
  for (int i = 0; i < 2; ++i) sweep();
  std::uint64_t accepted = 0;
  for (auto _ : state) benchmark::DoNotOptimize(accepted += sweep());
  const double updates = static_cast<double>(state.iterations()) * N;
  state.counters["updates_per_ns"] = benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate);
  state.counters["acceptance"] = static_cast<double>(accepted) / updates;
}
BENCHMARK(BM_NaiveRandomSiteMetropolis)->Arg(L_big)->Unit(benchmark::kMillisecond);

// The generic templated single-spin code on the same lattice (checkerboard order), for reference.
void BM_GenericCheckerboardMetropolis(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  spins::IsingLattice lat(L, 2);
  spins::Replica<spins::IsingLattice> r(lat, spins::Config(lat.size(), 1));
  mc::SingleSpinUpdater<spins::IsingLattice> up(lat, T_bench, mc::Rule::metropolis, mc::Order::checkerboard);
  Stream rng(1, 0, 0, Purpose::dynamics);
  for (int i = 0; i < 2; ++i) up.sweep(r, rng);
  for (auto _ : state) benchmark::DoNotOptimize(up.sweep(r, rng));
  const double updates = static_cast<double>(state.iterations()) * lat.size();
  state.counters["updates_per_ns"] = benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GenericCheckerboardMetropolis)->Arg(L_big)->Unit(benchmark::kMillisecond);

void BM_ExactEnumeration(benchmark::State& state) {
  const auto N = static_cast<std::size_t>(state.range(0));
  Stream rng(3, 0, 0, Purpose::couplings);
  const spins::DenseCouplings sk = spins::sk_couplings(N, 1.0, 0.0, rng);
  const std::vector<double> T = {1.0};
  for (auto _ : state) benchmark::DoNotOptimize(mc::enumerate_exact(sk, T));
}
BENCHMARK(BM_ExactEnumeration)->Arg(24)->Unit(benchmark::kSecond)->Iterations(1);

// Prints the checkerboard / naive ratio after the usual table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const auto it = r.counters.find("updates_per_ns");
      if (it != r.counters.end() && r.run_type == Run::RT_Iteration) rates[r.benchmark_name()] = it->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> rates;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const std::string fast = "BM_CheckerboardMetropolis/" + std::to_string(L_big);
  const std::string naive = "BM_NaiveRandomSiteMetropolis/" + std::to_string(L_big);
  // Every multi-spin run against the byte checkerboard kernel at the same L, in this run.
  for (const auto& [name, rate] : reporter.rates) {
    std::string L;
    for (const std::string prefix : {"BM_MultiSpin/", "BM_MultiSpinReplicas/"})
      if (name.rfind(prefix, 0) == 0) L = name.substr(prefix.size(), name.find('/', prefix.size()) - prefix.size());
    if (L.empty()) continue;
    const auto ref = reporter.rates.find("BM_CheckerboardMetropolis/" + L);
    if (ref != reporter.rates.end())
      std::printf("%s / checkerboard bytes (L = %s): %.2fx (%.3f vs %.3f updates/ns)\n", name.c_str(), L.c_str(),
                  rate / ref->second, rate, ref->second);
  }
  if (reporter.rates.count(fast) && reporter.rates.count(naive))
    std::printf("checkerboard / naive random-site Metropolis (L = %d, T = %.1f): %.1fx (%.3f vs %.4f updates/ns)\n",
                L_big, T_bench, reporter.rates[fast] / reporter.rates[naive], reporter.rates[fast],
                reporter.rates[naive]);
  benchmark::Shutdown();
  return 0;
}
