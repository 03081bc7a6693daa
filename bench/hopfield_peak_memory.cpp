// Peak memory of one hopfield.capacity trial at N = 100,000, α = 0.1 (P = 10,000) in the pattern form:
// int8 patterns take N·P = 1 GB and the packed rows N·P/8 = 125 MB, where a dense double W would take
// 80 GB (40 GB as float).
// Run alone: peak_rss_MB is the whole process's high-water mark (getrusage).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "spindiff/hopfield/network.hpp"

using namespace spindiff;
using namespace spindiff::hopfield;

namespace {

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void BM_CapacityTrial_N100000_alpha0_1(benchmark::State& bm) {
  const std::size_t N = 100000, P = 10000;
  double m = 0, sweeps = 0;
  for (auto _ : bm) {
    Stream prng(1, 0, 0, Purpose::patterns), dyn(1, 0, 0, Purpose::dynamics);
    const Network net(random_patterns(N, P, 0.0, prng), Rule::hebb);
    const Recall r = net.recall(net.patterns().pattern(0), DynamicsOptions{Update::async, 100, false}, dyn);
    m = overlaps(net.patterns(), r.state)[0];
    sweeps = static_cast<double>(r.trajectory.sweeps);
  }
  bm.counters["overlap"] = m;
  bm.counters["sweeps"] = sweeps;
  bm.counters["peak_rss_MB"] = peak_rss_mb();
  bm.counters["patterns_MB"] = static_cast<double>(N * P) / (1024.0 * 1024.0);
}

}  // namespace

BENCHMARK(BM_CapacityTrial_N100000_alpha0_1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
