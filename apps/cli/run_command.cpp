#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/load_config.hpp"
#include "cli/mpi_farm.hpp"
#include "cli/output_safety.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/journal.hpp"
#include "spindiff/runner/results_file.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::cli {

namespace {
std::atomic<bool> stop_requested{false};
std::atomic<int> stop_signal{0};

// First SIGINT/SIGTERM/SIGHUP: start no new task, journal what finishes within a moment, exit
// 128 + signal. A second one: exit at once; the journal already holds every committed task.
extern "C" void on_stop_signal(int sig) {
  if (stop_requested.exchange(true)) _exit(128 + sig);
  stop_signal.store(sig);
}

constexpr int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

// Under MPI, the command of one rank, behind the launcher that starts them all.
std::string resume_command(const RunArgs& args, int mpi_ranks = 1) {
  const std::string launcher = mpi_ranks > 1 ? fmt::format("mpirun -np {} ", mpi_ranks) : "";
  if (args.command_line.find(" --resume") != std::string::npos) return launcher + args.command_line;
  return launcher + args.command_line + " --resume";
}

std::size_t count_done(const std::vector<runner::TaskResult>& results) {
  std::size_t n = 0;
  for (const auto& r : results) n += r.done;
  return n;
}
}  // namespace

std::optional<double> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double unit = 1;
  std::string number = text;
  switch (text.back()) {
    case 's':
      unit = 1, number.pop_back();
      break;
    case 'm':
      unit = 60, number.pop_back();
      break;
    case 'h':
      unit = 3600, number.pop_back();
      break;
    case 'd':
      unit = 86400, number.pop_back();
      break;
    default:
      break;
  }
  try {
    std::size_t used = 0;
    const double x = std::stod(number, &used);
    if (used != number.size() || !(x > 0)) return std::nullopt;
    return x * unit;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// "START:STOP" (STOP excluded; empty STOP = to the end) within [0, count].
std::optional<std::pair<std::int64_t, std::int64_t>> parse_slice(const std::string& text, std::size_t count) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  try {
    std::size_t used = 0;
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    const long long start = a.empty() ? 0 : std::stoll(a, &used);
    if (!a.empty() && used != a.size()) return std::nullopt;
    const long long stop = b.empty() ? static_cast<long long>(count) : std::stoll(b, &used);
    if (!b.empty() && used != b.size()) return std::nullopt;
    if (start < 0 || stop <= start || stop > static_cast<long long>(count)) return std::nullopt;
    return std::make_pair(static_cast<std::int64_t>(start), static_cast<std::int64_t>(stop));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {
// The single-process run: the tasks on a pool of threads, this thread watching for a stop.
runner::Execution run_here(const config::RunConfig& cfg, const std::vector<std::size_t>& pending,
                           runner::ExecuteOptions options, std::optional<double> stop_after, runner::Journal& journal,
                           std::mutex& journal_mutex, bool& journal_open, std::size_t& committed,
                           std::size_t tasks_resumed, runner::Progress& progress, const RunArgs& args,
                           bool& walltime_hit) {
  runner::Execution ex;
  std::atomic<bool> finished{pending.empty()};
  std::thread worker;
  if (!pending.empty())
    worker = std::thread([&] {
      ex = runner::execute(cfg, options, pending);
      finished.store(true);
    });
  const auto start = std::chrono::steady_clock::now();
  while (!finished.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (stop_after && !stop_requested.load() &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= *stop_after) {
      walltime_hit = true;
      stop_requested.store(true);
    }
    if (stop_requested.load()) {
      // Running tasks of kinds that checkpoint save their state and stop; tasks about to finish still reach
      // the journal; other running tasks are run again on --resume.
      const auto grace = std::chrono::steady_clock::now() + std::chrono::seconds(3);
      while (!finished.load() && std::chrono::steady_clock::now() < grace)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (finished.load()) break;
      std::size_t kept = 0;
      {
        std::lock_guard lock(journal_mutex);
        journal_open = false;
        journal.close();
        kept = tasks_resumed + committed;
      }
      progress.finish();
      const int code = walltime_hit ? exit_walltime : 128 + stop_signal.load();
      fmt::print(stderr, "spindiff: {}; {} of {} tasks are kept in {}\nspindiff: resume with: {}\n",
                 walltime_hit ? "stopped before the --walltime limit" : "interrupted", kept, cfg.tasks.size(),
                 journal.path().string(), resume_command(args));
      std::fflush(stderr);
      std::_Exit(code);  // tasks still running in other threads are dropped; the journal is closed
    }
  }
  if (worker.joinable()) worker.join();
  if (pending.empty()) ex.results.resize(cfg.tasks.size());
  return ex;
}
}  // namespace

int run_command(const RunArgs& args) {
  // A file-size limit (ulimit -f) must be a write error we report, not a signal that kills us.
  std::signal(SIGXFSZ, SIG_IGN);
  // Under mpirun every rank runs this; rank 0 alone checks files, journals, prints and writes.
  MpiSession session;
  const bool coordinator = session.rank() == 0;
  config::RunConfig cfg;
  try {
    cfg = load_config(args);
  } catch (const runner::ConfigError& e) {
    if (coordinator) fmt::print(stderr, "spindiff: error: {}\n", e.what());
    return exit_usage;
  }
  std::optional<double> walltime;
  if (!args.walltime.empty()) {
    walltime = parse_duration(args.walltime);
    if (!walltime) {
      if (coordinator)
        fmt::print(stderr, "spindiff: error: --walltime {}: expected a duration such as 90m, 2h or 3600 (seconds)\n",
                   args.walltime);
      return exit_usage;
    }
  }
  std::optional<std::pair<std::int64_t, std::int64_t>> slice;
  if (!args.tasks.empty()) {
    slice = parse_slice(args.tasks, cfg.tasks.size());
    if (!slice) {
      if (coordinator)
        fmt::print(stderr,
                   "spindiff: error: --tasks {}: expected START:STOP with 0 <= START < STOP <= {} (the task count)\n",
                   args.tasks, cfg.tasks.size());
      return exit_usage;
    }
  }
  // Under MPI the cores of a node are shared by its ranks.
  const int hardware = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const int threads = args.threads > 0 ? args.threads : std::max(1, hardware / session.ranks_on_this_node());
  const int coordinator_threads = args.coordinator_threads >= 0 ? args.coordinator_threads : threads;
  if (!session.active() && coordinator_threads == 0) {
    fmt::print(stderr, "spindiff: error: --coordinator-threads 0 needs more than one MPI rank (mpirun -np K, K > 1)\n");
    return exit_usage;
  }
  stop_requested.store(false);
  stop_signal.store(0);
  if (!coordinator) {
    if (const int code = session.share_start_code(0); code != exit_ok) return code;
    for (int sig : stop_signals) std::signal(sig, on_stop_signal);
    FarmOptions options;
    options.threads = threads;
    options.stop = &stop_requested;
    options.stop_signal = &stop_signal;
    return serve(session, cfg, options);
  }

  const std::filesystem::path output = output_path(args);
  const std::filesystem::path config_file = args.rerun_file.empty() ? args.config : args.rerun_file;
  if (auto problem = check_output(output, config_file, args.force)) {
    fmt::print(stderr, "spindiff: error: {}\n", *problem);
    return session.share_start_code(exit_usage);
  }
  const auto journal_path = runner::partial_output_path(output);
  std::error_code ec;
  const bool journal_exists = std::filesystem::exists(journal_path, ec);
  if (journal_exists && !args.resume && !args.force) {
    fmt::print(stderr,
               "spindiff: error: the journal {} of an unfinished run exists; add --resume to continue it, or "
               "--force to start over\n",
               journal_path.string());
    return session.share_start_code(exit_usage);
  }

  // The journal, before any compute: resumed tasks come from it, finished ones go to it.
  std::vector<runner::TaskResult> resumed(cfg.tasks.size());
  std::vector<Bytes> checkpoints(cfg.tasks.size());  // of tasks stopped mid-way
  std::optional<runner::Journal> journal;
  try {
    if (args.resume && journal_exists) {
      journal.emplace(runner::Journal::resume(journal_path, cfg, resumed, &checkpoints));
    } else {
      journal.emplace(runner::Journal::create(journal_path, cfg));
    }
  } catch (const runner::ConfigError& e) {
    fmt::print(stderr, "spindiff: error: {}\n", e.what());
    return session.share_start_code(exit_usage);
  } catch (const std::exception& e) {
    fmt::print(stderr, "spindiff: error: cannot use the journal {}: {}\n", journal_path.string(), e.what());
    return session.share_start_code(exit_runtime);
  }
  session.share_start_code(exit_ok);
  const std::size_t tasks_resumed = count_done(resumed);
  std::size_t tasks_continued = 0;
  for (const auto& c : checkpoints) tasks_continued += !c.empty();
  if ((tasks_resumed > 0 || tasks_continued > 0) && !args.quiet)
    fmt::print(stderr, "spindiff: resuming: {} of {} tasks{} from {}\n", tasks_resumed, cfg.tasks.size(),
               tasks_continued ? fmt::format(" and {} checkpointed", tasks_continued) : "", journal_path.string());
  std::vector<std::size_t> pending;
  auto in_slice = [&](std::size_t t) {
    return !slice || (static_cast<std::int64_t>(t) >= slice->first && static_cast<std::int64_t>(t) < slice->second);
  };
  std::size_t wanted = 0;
  for (std::size_t t = 0; t < cfg.tasks.size(); ++t) {
    if (!in_slice(t)) resumed[t] = runner::TaskResult{};
    wanted += in_slice(t);
    if (in_slice(t) && !resumed[t].done) pending.push_back(t);
  }

  for (int sig : stop_signals) std::signal(sig, on_stop_signal);

  std::mutex journal_mutex;
  bool journal_open = true;
  std::size_t committed = 0;  // guarded by journal_mutex
  runner::Progress progress(cfg.kind->name, cfg.tasks.size(), runner::default_progress_mode(args.quiet));
  for (std::size_t t = 0; t < cfg.tasks.size(); ++t)
    if (resumed[t].done) progress.task_done(t);
  auto commit = [&](std::size_t task, const runner::TaskResult& result) {
    std::lock_guard lock(journal_mutex);
    if (!journal_open) return;
    journal->commit(task, cfg.points[task], result);
    ++committed;
  };
  auto save_checkpoint = [&](std::size_t task, const Bytes& bytes) {
    std::lock_guard lock(journal_mutex);
    if (!journal_open) return;
    journal->save_checkpoint(task, cfg.points[task], bytes);
  };
  const std::optional<double> stop_after =
      walltime ? std::optional<double>(*walltime - std::min(60.0, 0.05 * *walltime)) : std::nullopt;

  runner::Execution ex;
  bool walltime_hit = false;
  if (session.active()) {
    FarmOptions options;
    options.threads = threads;
    options.coordinator_threads = coordinator_threads;
    options.progress = &progress;
    options.stop = &stop_requested;
    options.stop_signal = &stop_signal;
    options.stop_after = stop_after;
    options.on_done = commit;
    options.checkpoint_every = args.checkpoint_every;
    options.restored = &checkpoints;
    options.on_checkpoint = save_checkpoint;
    auto stop_code = [](const FarmOutcome& o) { return o.walltime_hit ? exit_walltime : 128 + o.signal; };
    FarmOutcome outcome = coordinate(session, cfg, pending, options, stop_code);
    walltime_hit = outcome.walltime_hit;
    if (outcome.signal) stop_signal.store(outcome.signal);
    if (outcome.abandoned) {
      journal->close();
      progress.finish();
      fmt::print(stderr, "spindiff: {}; {} of {} tasks are kept in {}\nspindiff: resume with: {}\n",
                 walltime_hit ? "stopped before the --walltime limit" : "interrupted", tasks_resumed + committed,
                 cfg.tasks.size(), journal_path.string(), resume_command(args, session.size()));
      session.exit_now(stop_code(outcome));
    }
    ex = std::move(outcome.ex);
  } else {
    runner::ExecuteOptions options;
    options.threads = threads;
    options.progress = &progress;
    options.stop = &stop_requested;
    options.on_done = commit;
    options.checkpoint_every = args.checkpoint_every;
    options.restored = &checkpoints;
    options.on_checkpoint = save_checkpoint;
    ex = run_here(cfg, pending, options, stop_after, *journal, journal_mutex, journal_open, committed, tasks_resumed,
                  progress, args, walltime_hit);
  }
  progress.finish();
  for (int sig : stop_signals) std::signal(sig, SIG_DFL);

  for (std::size_t t = 0; t < cfg.tasks.size(); ++t)
    if (resumed[t].done) ex.results[t] = std::move(resumed[t]);
  const std::size_t done = count_done(ex.results);

  for (std::size_t t = 0; t < ex.results.size(); ++t)
    for (const auto& w : ex.results[t].output.warnings()) fmt::print(stderr, "spindiff: warning: task {}: {}\n", t, w);
  if (ex.error) {
    try {
      std::rethrow_exception(ex.error);
    } catch (const runner::ConfigError& e) {
      // Bad input found only when the task read it.
      fmt::print(stderr, "spindiff: error: {}\n", runner::ConfigError(cfg.file, e.key(), e.message()).what());
      journal->close();
      std::filesystem::remove(journal_path, ec);
      return exit_usage;
    } catch (const io::Hdf5Error& e) {
      fmt::print(stderr, "spindiff: could not write the journal {}: {}\n", journal_path.string(), e.what());
    } catch (const std::exception& e) {
      fmt::print(stderr, "spindiff: task {} failed: {}\n", ex.failed_task, e.what());
    } catch (...) {
      fmt::print(stderr, "spindiff: task {} failed with an unknown error\n", ex.failed_task);
    }
  }
  if (ex.error || done < wanted) {
    journal->close();
    fmt::print(stderr, "spindiff: kept {} finished task(s) of {}{} in {}\n", tasks_resumed + committed,
               cfg.tasks.size(),
               ex.tasks_stopped ? fmt::format(" and the checkpoints of {} stopped mid-way", ex.tasks_stopped) : "",
               journal_path.string());
    if (ex.interrupted && !ex.error) {
      fmt::print(stderr, "spindiff: {}; resume with: {}\n",
                 walltime_hit ? "stopped before the --walltime limit" : "interrupted",
                 resume_command(args, session.size()));
      return stop_signal.load() ? 128 + stop_signal.load() : exit_walltime;
    }
    return exit_runtime;
  }
  try {
    runner::Provenance provenance;
    provenance.command_line = args.command_line;
    provenance.threads = threads;
    provenance.mpi_ranks = session.size();
    provenance.tasks_resumed = static_cast<std::int64_t>(tasks_resumed);
    provenance.slice = slice;
    runner::write_results(output, cfg, ex.results, provenance, true);
  } catch (const std::exception& e) {
    journal->close();
    fmt::print(stderr, "spindiff: could not write {}: {}; the finished tasks are kept in {}\n", output.string(),
               e.what(), journal_path.string());
    return exit_runtime;
  }
  journal->close();
  std::filesystem::remove(journal_path, ec);
  if (!args.quiet) fmt::print(stderr, "spindiff: wrote {}\n", output.string());
  fmt::print("{}\n", output.string());
  return exit_ok;
}

}  // namespace spindiff::cli
