// Cost of in-task checkpoints: one task run through the runner without checkpoints and with a checkpoint at
// every chance written to a real journal (state serialised, digested, written, flushed, renamed): a Monte
// Carlo task (a chance after every sweep) and a network training (after every chunk of 200 Adam steps). The
// difference per checkpoint, divided by the interval, is the cost per second of run time.
//   bench_checkpoint --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "spindiff/config/run_config.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/journal.hpp"
#include "spindiff/runner/runner.hpp"

namespace {

using namespace spindiff;

constexpr int kSweeps = 200;

config::RunConfig ising_task(int L) {
  return config::parse_run_config(fmt::format("kind = \"ising.thermo\"\nL = {}\nT = 2.3\nthermalize = 0\n"
                                              "sweeps = {}\n",
                                              L, kSweeps),
                                  "bench.toml", ".", {}, runner::all_kinds());
}

// One diffusion.train task without sampling: an MLP of the given width (depth 3, float64, batch 32) trained for
// 1000 Adam steps, so four chances to checkpoint (after 200, 400, 600 and 800 steps).
config::RunConfig train_task(int width) {
  return config::parse_run_config(fmt::format("kind = \"diffusion.train\"\ndata = \"swiss_roll\"\nn_train = 2000\n"
                                              "width = {}\ndepth = 3\nbatch = 32\nsteps = 1000\nn_samples = 0\n",
                                              width),
                                  "bench.toml", ".", {}, runner::all_kinds());
}

// Runs the one task of `cfg` per iteration; with `checkpoints`, one at every chance into a journal.
void run_task(benchmark::State& state, const config::RunConfig& cfg, bool checkpoints, const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("bench_checkpoint_{}.partial.h5", name);
  std::size_t saved = 0, bytes = 0;
  for (auto _ : state) {
    auto journal = runner::Journal::create(path, cfg);
    runner::ExecuteOptions o;
    o.threads = 1;
    if (checkpoints) {
      o.checkpoint_every = 1e-12;
      o.on_checkpoint = [&](std::size_t task, const Bytes& b) {
        journal.save_checkpoint(task, cfg.points[task], b);
        ++saved;
        bytes = b.size();
      };
    }
    const runner::Execution ex = runner::execute(cfg, o);
    if (!ex.complete()) state.SkipWithError("task failed");
    journal.close();
  }
  std::filesystem::remove(path);
  state.counters["checkpoints"] = benchmark::Counter(static_cast<double>(saved), benchmark::Counter::kAvgIterations);
  state.counters["checkpoint_bytes"] = static_cast<double>(bytes);
}

// state.range(0): L; state.range(1): 1 = checkpoint after every sweep into a journal, 0 = none.
void BM_IsingTask(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  run_task(state, ising_task(L), state.range(1) != 0, fmt::format("ising_{}", L));
  state.counters["sweeps"] = kSweeps;
}
BENCHMARK(BM_IsingTask)->ArgsProduct({{64, 256, 1024}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();

// state.range(0): width; state.range(1): 1 = checkpoint after every chunk of steps into a journal, 0 = none.
void BM_TrainTask(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0));
  run_task(state, train_task(width), state.range(1) != 0, fmt::format("train_{}", width));
}
BENCHMARK(BM_TrainTask)->ArgsProduct({{128, 256}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
