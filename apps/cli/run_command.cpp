#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/runner.hpp"
#include "spindiff/runner/results_file.hpp"

namespace spindiff::cli {

namespace {
std::atomic<bool> stop_requested{false};

// First Ctrl-C: start no new task, let running ones finish, keep what finished. Second: default.
extern "C" void on_interrupt(int sig) {
  stop_requested.store(true);
  std::signal(sig, SIG_DFL);
}
}  // namespace

int run_command(const RunArgs& args) {
  config::RunConfig cfg;
  try {
    cfg = config::load_run_config(args.config, args.sets);
  } catch (const runner::ConfigError& e) {
    fmt::print(stderr, "spindiff: error: {}\n", e.what());
    return exit_usage;
  }
  const std::filesystem::path output = args.output.empty() ? runner::default_output_path(args.config) : std::filesystem::path(args.output);
  const int threads = args.threads > 0 ? args.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));

  stop_requested.store(false);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  runner::Progress progress(cfg.kind->name, cfg.tasks.size(), runner::default_progress_mode(args.quiet));
  runner::ExecuteOptions options;
  options.threads = threads;
  options.progress = &progress;
  options.stop = &stop_requested;
  runner::Execution ex = runner::execute(cfg, options);
  progress.finish();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  const runner::Provenance provenance{args.command_line, threads};
  for (std::size_t t = 0; t < ex.results.size(); ++t)
    for (const auto& w : ex.results[t].output.warnings()) fmt::print(stderr, "spindiff: warning: task {}: {}\n", t, w);
  if (ex.error) {
    try {
      std::rethrow_exception(ex.error);
    } catch (const runner::ConfigError& e) {
      // Bad input found only when the task read it: no output file at all.
      fmt::print(stderr, "spindiff: error: {}\n", runner::ConfigError(cfg.file, e.key(), e.message()).what());
      return exit_usage;
    } catch (const std::exception& e) {
      fmt::print(stderr, "spindiff: task {} failed: {}\n", ex.failed_task, e.what());
    } catch (...) {
      fmt::print(stderr, "spindiff: task {} failed with an unknown error\n", ex.failed_task);
    }
  }
  if (!ex.complete()) {
    const auto partial = runner::partial_output_path(output);
    std::size_t done = 0;
    for (const auto& r : ex.results) done += r.done;
    if (done > 0) {
      try {
        runner::write_results(partial, cfg, ex.results, provenance, false);
        fmt::print(stderr, "spindiff: kept {} finished task(s) of {} in {}\n", done, cfg.tasks.size(),
                   partial.string());
      } catch (const std::exception& e) {
        fmt::print(stderr, "spindiff: could not write {}: {}\n", partial.string(), e.what());
      }
    }
    if (ex.interrupted && !ex.error) fmt::print(stderr, "spindiff: interrupted\n");
    return ex.interrupted && !ex.error ? 130 : exit_runtime;
  }
  try {
    runner::write_results(output, cfg, ex.results, provenance, true);
  } catch (const std::exception& e) {
    fmt::print(stderr, "spindiff: could not write {}: {}\n", output.string(), e.what());
    return exit_runtime;
  }
  if (!args.quiet) fmt::print(stderr, "spindiff: wrote {}\n", output.string());
  fmt::print("{}\n", output.string());
  return exit_ok;
}

}  // namespace spindiff::cli
