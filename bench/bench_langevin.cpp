// Euler-Maruyama for 10^5 independent particles in the 1-D double well U = x^4/4 - x^2/2 at T = 0.5,
// one thread. Reports particle-steps per ns. The reference in this program is the straightforward scalar
// loop (one Box-Muller normal from Stream::normal per particle-step); bench_langevin_numpy.py runs this
// binary and times the same update in numpy.
#include <benchmark/benchmark.h>

#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/langevin/integrators.hpp"
#include "spindiff/langevin/normal.hpp"

namespace sl = spindiff::langevin;

namespace {

constexpr std::int64_t kParticles = 100000;
constexpr int kStepsPerIteration = 10;
const sl::Dynamics kDyn{0.5, 1e-3, 1.0, 1.0};

void set_rate(benchmark::State& state, std::int64_t particle_steps_per_iteration) {
  state.counters["particle_steps_per_ns"] = benchmark::Counter(static_cast<double>(particle_steps_per_iteration) * 1e-9,
                                                               benchmark::Counter::kIsIterationInvariantRate);
  state.SetItemsProcessed(state.iterations() * particle_steps_per_iteration);
}

template <sl::Method M>
void BM_DoubleWell(benchmark::State& state) {
  const int block_size = static_cast<int>(state.range(0));
  const sl::DoubleWell pot{1, 0.25, 0.5};
  const sl::Stepper<sl::DoubleWell> stepper(pot, M, kDyn);
  const spindiff::Stream root(1, 0, 0, spindiff::Purpose::dynamics);
  std::vector<sl::Block> blocks;
  for (std::int64_t first = 0, k = 0; first < kParticles; first += block_size, ++k) {
    const auto n = static_cast<Eigen::Index>(std::min<std::int64_t>(block_size, kParticles - first));
    blocks.emplace_back(n, 1, root.substream(static_cast<std::uint64_t>(k)));
    for (Eigen::Index i = 0; i < n; ++i) blocks.back().x(i, 0) = blocks.back().rng.uniform(-1.5, 1.5);
    stepper.prepare(blocks.back());
  }
  for (auto _ : state) {
    for (sl::Block& b : blocks)
      for (int t = 0; t < kStepsPerIteration; ++t) stepper.step(b);
    benchmark::DoNotOptimize(blocks.front().x.data());
  }
  set_rate(state, kParticles * kStepsPerIteration);
}

// The reference: a plain loop over particles, one scalar Box-Muller normal each.
void BM_EulerDoubleWell_ScalarReference(benchmark::State& state) {
  spindiff::Stream rng(1, 0, 0, spindiff::Purpose::dynamics);
  std::vector<double> x(kParticles);
  for (double& v : x) v = rng.uniform(-1.5, 1.5);
  const double h = kDyn.dt / kDyn.gamma, sigma = std::sqrt(2.0 * kDyn.T * h);
  for (auto _ : state) {
    for (int t = 0; t < kStepsPerIteration; ++t)
      for (double& v : x) v += -h * (v * v * v - v) + sigma * rng.normal();
    benchmark::DoNotOptimize(x.data());
  }
  set_rate(state, kParticles * kStepsPerIteration);
}

void BM_ZigguratNormals(benchmark::State& state) {
  spindiff::Stream rng(spindiff::StreamId{2, 0, 0, 3, 0});
  std::vector<double> z(1024);
  for (auto _ : state) {
    sl::fill_standard_normal(rng, z);
    benchmark::DoNotOptimize(z.data());
  }
  state.counters["normals_per_ns"] =
      benchmark::Counter(static_cast<double>(z.size()) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_DoubleWell<sl::Method::euler>)
    ->Name("BM_EulerDoubleWell")
    ->Arg(1024)
    ->Arg(256)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EulerDoubleWell_ScalarReference)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DoubleWell<sl::Method::mala>)->Name("BM_MalaDoubleWell")->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DoubleWell<sl::Method::baoab>)->Name("BM_BaoabDoubleWell")->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ZigguratNormals);

BENCHMARK_MAIN();
