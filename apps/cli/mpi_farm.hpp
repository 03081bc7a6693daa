#pragma once
// `mpirun -np K spindiff run ...`: rank 0 coordinates (it owns the journal and the output file, hands
// out tasks one at a time as ranks free up, and computes with its own threads unless told not to);
// the other ranks run what they are given and send back each task's exact record. The physics and
// the runner know nothing of this: only the command line farms tasks. Without an MPI launcher the
// program never initialises MPI.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/runner/progress.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::cli {

// True when an MPI launcher (mpirun/mpiexec of Open MPI or MPICH, srun with PMI/PMIx) started us.
bool launched_by_mpi();

// MPI for the lifetime of a run: initialised (threads funnelled through the main thread) only when
// launched_by_mpi(); otherwise rank 0 of 1 and no MPI call is ever made.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  bool active() const { return size_ > 1; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  int ranks_on_this_node() const { return local_size_; }

  // Rank 0 tells every rank whether to go on (0) or to exit with a code (checks failed on rank 0).
  int share_start_code(int code) const;
  // Ends MPI (every rank must call it) and exits the process with `code` at once: running task threads
  // are dropped.
  [[noreturn]] void exit_now(int code);

 private:
  bool initialised_ = false;
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

struct FarmOptions {
  int threads = 1;              // task threads on every rank but the coordinator
  int coordinator_threads = 1;  // task threads on rank 0 (0: it only farms and journals)
  runner::Progress* progress = nullptr;
  // Set by this rank's signal handler, and by the farm when the run stops for any reason (the tasks'
  // checkpoint hook reads it).
  std::atomic<bool>* stop = nullptr;
  const std::atomic<int>* stop_signal = nullptr;
  std::optional<double> stop_after;              // seconds (--walltime, with its margin)
  std::chrono::milliseconds grace{3000};         // for running tasks to checkpoint and stop, or finish
  double checkpoint_every = 0;                   // seconds between in-task checkpoints (<= 0: only when stopping)
  const std::vector<Bytes>* restored = nullptr;  // checkpoints to continue from, by task (empty: none)
  // Rank 0, once per checkpoint a task saves (journal); a throw fails the run like a failed task.
  std::function<void(std::size_t task, const Bytes& checkpoint)> on_checkpoint;
  // Rank 0, once per finished task (journal commit); a throw fails the run like a failed task.
  std::function<void(std::size_t task, const runner::TaskResult&)> on_done;
};

struct FarmOutcome {
  runner::Execution ex;
  bool walltime_hit = false;
  int signal = 0;          // the stop signal, from whichever rank received it
  bool abandoned = false;  // stopped with tasks still running here: the caller must exit_now()
};

// Rank 0: runs `pending` over all ranks and tells every other rank to finish (with exit code
// `stop_code(outcome)` when stopped); returns when no other rank sends anything more.
FarmOutcome coordinate(MpiSession& session, const config::RunConfig& cfg, const std::vector<std::size_t>& pending,
                       const FarmOptions& options, const std::function<int(const FarmOutcome&)>& stop_code);

// Every other rank: runs what rank 0 assigns until told to finish; returns the exit code (or exits the
// process at once with it when tasks are still running).
int serve(MpiSession& session, const config::RunConfig& cfg, const FarmOptions& options);

}  // namespace spindiff::cli
