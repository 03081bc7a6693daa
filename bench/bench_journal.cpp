// What journaling costs a task: committing one finished task to the journal <stem>.partial.h5 (its
// record written as one group, then the file flushed and synced to disk), for the record of a real task (ising.thermo,
// L = 32 as in scripts/mpi_benchmark.sh: the record does not depend on the sweeps) and for a tiny one (one
// scalar). Compare with the task's own run time (about 0.2 s there) to get the fraction. BM_WriteGroup
// isolates the fsync: the same 4 KB group written and the file flushed only (0) or flushed and synced (1).
// Run: ./build/bench/bench_journal   (the journal goes to the current folder and is removed)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/journal.hpp"
#include "spindiff/runner/runner.hpp"
#include "spindiff/runner/task_record.hpp"

using namespace spindiff;

namespace {
const char* ising_config = R"(kind = "ising.thermo"
seed = 1
L = 32
sweeps = 2000
thermalize = 200
[sweep]
T = { linspace = [1.5, 3.5, 64] }
)";

void commit_tasks(benchmark::State& state, const runner::TaskResult& result, const config::RunConfig& cfg) {
  const std::filesystem::path path = "bench_journal.partial.h5";
  auto journal = runner::Journal::create(path, cfg);
  std::size_t task = 0;
  for (auto _ : state) {
    journal.commit(task, cfg.points[task], result);
    task = (task + 1) % cfg.tasks.size();
  }
  state.counters["record_bytes"] = static_cast<double>(runner::pack_task(result).size());
  journal.close();
  std::filesystem::remove(path);
}

void BM_JournalCommitIsingTask(benchmark::State& state) {
  const auto cfg = config::parse_run_config(ising_config, "bench.toml", ".", {}, runner::all_kinds());
  runner::TaskResult result;
  result.output = runner::run_task(cfg, 0);
  result.done = true;
  commit_tasks(state, result, cfg);
}
BENCHMARK(BM_JournalCommitIsingTask)->Unit(benchmark::kMicrosecond);

void BM_JournalCommitScalarTask(benchmark::State& state) {
  const auto cfg = config::parse_run_config(ising_config, "bench.toml", ".", {}, runner::all_kinds());
  runner::TaskResult result;
  result.output.scalar("m", 0.5, 0.01);
  result.done = true;
  commit_tasks(state, result, cfg);
}
BENCHMARK(BM_JournalCommitScalarTask)->Unit(benchmark::kMicrosecond);

void BM_WriteGroup(benchmark::State& state) {
  const std::filesystem::path path = "bench_journal_sync.h5";
  const bool sync = state.range(0) != 0;
  auto file = io::File::create(path);
  const std::vector<std::int8_t> record(4096, 1);
  std::size_t n = 0;
  for (auto _ : state) {
    io::Group tasks = file.root();
    const std::string name = std::to_string(n++ % 64);
    if (tasks.exists(name)) tasks.remove(name);
    tasks.create_group(name).write("record", std::span<const std::int8_t>(record));
    if (sync) {
      file.sync();
    } else {
      file.flush();
    }
  }
  file.close();
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteGroup)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
}  // namespace

BENCHMARK_MAIN();
