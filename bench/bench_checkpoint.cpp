// Cost of in-task checkpoints: one Monte Carlo task run through the runner without checkpoints and with one
// checkpoint after every sweep written to a real journal (state serialised, digested, written, flushed,
// renamed). The difference per checkpoint, divided by the interval, is the cost per second of run time.
//   bench_checkpoint --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fmt/format.h>

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

// state.range(0): L; state.range(1): 1 = checkpoint after every sweep into a journal, 0 = none.
void BM_IsingTask(benchmark::State& state) {
  const int L = static_cast<int>(state.range(0));
  const bool checkpoints = state.range(1) != 0;
  const config::RunConfig cfg = ising_task(L);
  const auto path = std::filesystem::temp_directory_path() / fmt::format("bench_checkpoint_{}.partial.h5", L);
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
  state.counters["sweeps"] = kSweeps;
  state.counters["checkpoints"] = benchmark::Counter(static_cast<double>(saved), benchmark::Counter::kAvgIterations);
  state.counters["checkpoint_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_IsingTask)
    ->ArgsProduct({{64, 256, 1024}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
