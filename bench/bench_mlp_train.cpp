// DSM training throughput of the MLP score (2-D data, Adam, one thread): samples per second.
// bench/bench_mlp_torch.py runs this program and times the same workload in PyTorch.
// Arguments: batch, width, depth (hidden layers). Precision: the template parameter.
#include <benchmark/benchmark.h>

#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/training.hpp"

namespace {

using namespace spindiff;
using namespace spindiff::diffusion;

template <class Scalar>
void BM_DsmTrain(benchmark::State& state) {
  MlpArchitecture arch;
  arch.dim = 2;
  arch.width = static_cast<int>(state.range(1));
  arch.depth = static_cast<int>(state.range(2));
  arch.n_frequencies = 4;
  Points data(10000, 2);
  Stream ds(1, 0, 0, Purpose::patterns);
  for (Eigen::Index k = 0; k < data.size(); ++k) data.data()[k] = ds.normal();

  MlpT<Scalar> net(arch);
  Stream init(1, 0, 0, Purpose::init);
  net.initialize(init);
  TrainingConfig cfg;
  cfg.batch = static_cast<int>(state.range(0));
  cfg.adam.learning_rate = 1e-3;
  cfg.noise = NoiseDistribution::log_uniform(0.01, 50.0);
  DsmTrainer<Scalar> trainer(net, cfg);
  Stream stream(1, 0, 0, Purpose::training);
  for (int k = 0; k < 10; ++k) trainer.step(data, stream);  // warm caches and Adam state

  double loss = 0;
  for (auto _ : state) {
    loss = trainer.step(data, stream);
    benchmark::DoNotOptimize(loss);
  }
  state.counters["samples_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * cfg.batch, benchmark::Counter::kIsRate);
  state.counters["loss"] = loss;
}

void configurations(benchmark::internal::Benchmark* b) {
  b->ArgNames({"batch", "width", "depth"});
  b->Args({256, 128, 3});
  b->Args({32, 64, 3});
  b->MinTime(1.0);
}

BENCHMARK_TEMPLATE(BM_DsmTrain, double)->Apply(configurations);
BENCHMARK_TEMPLATE(BM_DsmTrain, float)->Apply(configurations);

}  // namespace

BENCHMARK_MAIN();
