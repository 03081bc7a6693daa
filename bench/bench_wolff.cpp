// Wolff single-cluster updates of the 2-D Ising model at T_c: ns per flipped spin, for each lattice kernel
// (the coordinates kernel, the default on periodic lattices, and the neighbour-table kernel it replaced, which
// grows the same clusters from the same words), with the ratio printed at the end of the same run. Also L = 64
// (lattice in L1/L2) and the 3-D lattice at its T_c (L = 48).
// Run: ./build/bench/bench_wolff --benchmark_repetitions=5 (the ratio uses the fastest repetition of each)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/mc/wolff.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/onsager.hpp"

using namespace spindiff;

namespace {

constexpr double kTc3d = 4.5115;  // simple cubic, J = 1

// Args: L, dim, kernel (0 coordinates, 1 neighbour table).
void BM_Wolff(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0)), dim = static_cast<int>(state.range(1));
  const auto kernel = state.range(2) == 0 ? mc::WolffKernel::coordinates : mc::WolffKernel::neighbor_table;
  const double T = dim == 2 ? spins::onsager::critical_temperature : kTc3d;
  spins::IsingLattice lat(L, dim);
  spins::Replica<spins::IsingLattice> r(lat, spins::Config(lat.size(), 1));
  mc::Wolff<spins::IsingLattice> wolff(lat, T);
  wolff.use_kernel(kernel);
  Stream rng(2, 0, 0, Purpose::dynamics);
  for (int i = 0; i < 200; ++i) wolff.thermalize_sweep(r, rng);
  std::uint64_t flipped = 0;
  for (auto _ : state) benchmark::DoNotOptimize(flipped += wolff.sweep(r, rng));
  state.SetLabel(kernel == mc::WolffKernel::coordinates ? "coordinates" : "neighbor_table");
  state.counters["ns_per_flipped_spin"] = benchmark::Counter(static_cast<double>(flipped) * 1e-9,
                                                             benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["mean_cluster"] =
      static_cast<double>(flipped) / static_cast<double>(state.iterations() * wolff.clusters_per_sweep());
}
BENCHMARK(BM_Wolff)
    ->Args({256, 2, 0})
    ->Args({256, 2, 1})
    ->Args({64, 2, 0})
    ->Args({64, 2, 1})
    ->Args({48, 3, 0})
    ->Args({48, 3, 1})
    ->Unit(benchmark::kMillisecond);

// Keeps the fastest ns per flipped spin of each benchmark (over repetitions) and prints the kernel ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const auto it = r.counters.find("ns_per_flipped_spin");
      if (it == r.counters.end() || r.run_type != Run::RT_Iteration) continue;
      const std::string name = r.run_name.str();
      const auto [slot, fresh] = best.try_emplace(name, it->second.value);
      if (!fresh) slot->second = std::min(slot->second, it->second.value);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> best;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  for (const char* size : {"256/2", "64/2", "48/3"}) {
    const auto fast = reporter.best.find(std::string("BM_Wolff/") + size + "/0");
    const auto table = reporter.best.find(std::string("BM_Wolff/") + size + "/1");
    if (fast != reporter.best.end() && table != reporter.best.end())
      std::printf("Wolff at T_c, L/dim = %s: coordinates %.1f ns, neighbour table %.1f ns per flipped spin: %.2fx\n",
                  size, fast->second, table->second, table->second / fast->second);
  }
  benchmark::Shutdown();
  return 0;
}
