#include "cli/mpi_farm.hpp"

#include <mpi.h>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <cstdlib>
#include <deque>
#include <thread>

#include "cli/farm_messages.hpp"
#include "cli/task_pool.hpp"

namespace spindiff::cli {

namespace mpi = boost::mpi;

namespace {
constexpr std::chrono::milliseconds poll_interval{2};

void send(const mpi::communicator& world, int dest, FarmTag tag, const Bytes& bytes) {
  world.send(dest, static_cast<int>(tag), bytes.data(), static_cast<int>(bytes.size()));
}

// The next message from `source` (any rank when mpi::any_source), if one is waiting.
std::optional<std::pair<mpi::status, Bytes>> receive(const mpi::communicator& world, int source) {
  auto probed = world.iprobe(source, mpi::any_tag);
  if (!probed) return std::nullopt;
  const int n = probed->count<std::uint8_t>().value_or(0);
  Bytes bytes(static_cast<std::size_t>(n));
  const mpi::status st = world.recv(probed->source(), probed->tag(), bytes.data(), n);
  return std::make_pair(st, std::move(bytes));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(name)) return true;
  return false;
}

MpiSession::MpiSession() {
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  initialised_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &local_size_);
  MPI_Comm_free(&node);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  if (initialised_ && (MPI_Finalized(&finalized), !finalized)) MPI_Finalize();
}

int MpiSession::share_start_code(int code) const {
  if (!active()) return code;
  MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return code;
}

void MpiSession::exit_now(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  int finalized = 0;
  if (initialised_ && (MPI_Finalized(&finalized), !finalized)) MPI_Finalize();
  std::_Exit(code);
}

FarmOutcome coordinate(MpiSession& session, const config::RunConfig& cfg, const std::vector<std::size_t>& pending_tasks,
                       const FarmOptions& options, const std::function<int(const FarmOutcome&)>& stop_code) {
  mpi::communicator world;
  FarmOutcome out;
  runner::Execution& ex = out.ex;
  ex.results.resize(cfg.tasks.size());
  std::deque<std::size_t> pending;
  if (!pending_tasks.empty())
    for (std::size_t t : runner::scheduling_order(cfg, pending_tasks)) pending.push_back(t);

  // Left running (never destroyed) when the farm stops with tasks in flight: the process exits then.
  auto owned_pool = std::make_unique<TaskPool>(cfg, options.coordinator_threads, options.progress);
  TaskPool& pool = *owned_pool;
  const int ranks = session.size();
  std::vector<int> outstanding(static_cast<std::size_t>(ranks), 0);
  int in_flight = 0;
  bool failed = false, stopping = false;
  auto assign = [&](int rank) {
    const std::size_t task = pending.front();
    pending.pop_front();
    if (rank == 0) {
      pool.submit(task);
    } else {
      send(world, rank, FarmTag::assign, encode_task_bytes({task, {}}));
    }
    ++outstanding[static_cast<std::size_t>(rank)], ++in_flight;
  };
  auto fail = [&](std::size_t task, std::exception_ptr error) {
    if (!ex.error) ex.error = std::move(error), ex.failed_task = task;
    failed = true;
  };
  auto finished = [&](int rank, std::size_t task, runner::TaskResult* result, std::exception_ptr error) {
    --outstanding[static_cast<std::size_t>(rank)], --in_flight;
    if (result) {
      try {
        if (options.on_done) options.on_done(task, *result);
        ex.results[task] = std::move(*result);
        if (options.progress) options.progress->task_done(task);
      } catch (...) {
        fail(task, std::current_exception());
      }
    } else {
      fail(task, std::move(error));
    }
    if (!failed && !stopping && !pending.empty()) assign(rank);
  };
  auto handle_message = [&](const mpi::status& st, const Bytes& bytes) {
    switch (static_cast<FarmTag>(st.tag())) {
      case FarmTag::result: {
        auto [task, result] = decode_result(bytes);
        finished(st.source(), task, &result, nullptr);
        break;
      }
      case FarmTag::failed: {
        auto [task, error] = decode_failure(bytes);
        finished(st.source(), task, nullptr, error);
        break;
      }
      case FarmTag::stopping:
        if (!out.signal) out.signal = decode_code(bytes);
        break;
      default:
        break;  // checkpoints are not produced by any kind yet; `finished` is read below
    }
  };

  for (int rank = 0; rank < ranks; ++rank) {
    const int slots = rank == 0 ? pool.threads() : options.threads;
    for (int i = 0; i < slots && !pending.empty(); ++i) assign(rank);
  }
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point stop_deadline{};
  for (;;) {
    if (auto f = pool.poll(poll_interval)) finished(0, f->task, f->error ? nullptr : &f->result, f->error);
    while (auto message = receive(world, mpi::any_source)) handle_message(message->first, message->second);
    if (!stopping) {
      if (options.stop && options.stop->load() && !out.signal && options.stop_signal)
        out.signal = options.stop_signal->load();
      if (options.stop_after && seconds_since(start) >= *options.stop_after) out.walltime_hit = true;
      if (out.signal || out.walltime_hit) {
        stopping = true;
        stop_deadline = std::chrono::steady_clock::now() + options.grace;
        for (int rank = 1; rank < ranks; ++rank) send(world, rank, FarmTag::stop, encode_code(out.signal));
      }
    }
    if (in_flight == 0 && (pending.empty() || failed || stopping)) break;
    if (stopping && std::chrono::steady_clock::now() >= stop_deadline) break;
  }
  ex.interrupted = stopping;

  // Every other rank finishes; what they still send before acknowledging is kept.
  const int code = stopping && in_flight > 0 ? stop_code(out) : 0;
  for (int rank = 1; rank < ranks; ++rank) send(world, rank, FarmTag::finish, encode_code(code));
  int acknowledged = 0;
  while (acknowledged < ranks - 1) {
    if (auto f = pool.poll(std::chrono::milliseconds(0)))
      finished(0, f->task, f->error ? nullptr : &f->result, f->error);
    auto message = receive(world, mpi::any_source);
    if (!message) {
      std::this_thread::sleep_for(poll_interval);
      continue;
    }
    if (static_cast<FarmTag>(message->first.tag()) == FarmTag::finished) {
      ++acknowledged;
    } else {
      handle_message(message->first, message->second);
    }
  }
  if (in_flight > 0) {
    out.abandoned = true;
    pool.abandon();
    (void)owned_pool.release();
  }
  return out;
}

int serve(MpiSession& session, const config::RunConfig& cfg, const FarmOptions& options) {
  mpi::communicator world;
  auto owned_pool = std::make_unique<TaskPool>(cfg, options.threads, nullptr);
  TaskPool& pool = *owned_pool;
  int in_flight = 0;
  bool told_stopping = false;
  for (;;) {
    if (auto f = pool.poll(poll_interval)) {
      --in_flight;
      if (f->error) {
        send(world, 0, FarmTag::failed, encode_failure(f->task, f->error));
      } else {
        send(world, 0, FarmTag::result, encode_result(f->task, f->result));
      }
    }
    if (options.stop && options.stop->load() && !told_stopping) {
      told_stopping = true;
      send(world, 0, FarmTag::stopping, encode_code(options.stop_signal ? options.stop_signal->load() : 0));
    }
    while (auto message = receive(world, 0)) {
      const Bytes& bytes = message->second;
      switch (static_cast<FarmTag>(message->first.tag())) {
        case FarmTag::assign:
          pool.submit(decode_task_bytes(bytes).task);
          ++in_flight;
          break;
        case FarmTag::stop:
          break;  // nothing new arrives after it; running tasks are left to finish
        case FarmTag::finish: {
          const int code = decode_code(bytes);
          send(world, 0, FarmTag::finished, {});
          if (in_flight > 0) {
            pool.abandon();
            (void)owned_pool.release();
            session.exit_now(code);
          }
          return code;
        }
        default:
          break;
      }
    }
  }
}

}  // namespace spindiff::cli
