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
  TaskPoolOptions pool_options;
  pool_options.threads = options.coordinator_threads;
  pool_options.progress = options.progress;
  pool_options.stop = options.stop;
  pool_options.checkpoint_every = options.checkpoint_every;
  auto owned_pool = std::make_unique<TaskPool>(cfg, pool_options);
  TaskPool& pool = *owned_pool;
  const int ranks = session.size();
  std::vector<int> outstanding(static_cast<std::size_t>(ranks), 0);
  int in_flight = 0;
  bool failed = false, stopping = false;
  auto assign = [&](int rank) {
    const std::size_t task = pending.front();
    pending.pop_front();
    Bytes restored;
    if (options.restored && task < options.restored->size()) restored = (*options.restored)[task];
    if (rank == 0) {
      pool.submit(task, std::move(restored));
    } else {
      send(world, rank, FarmTag::assign, encode_task_bytes({task, std::move(restored)}));
    }
    ++outstanding[static_cast<std::size_t>(rank)], ++in_flight;
  };
  auto fail = [&](std::size_t task, std::exception_ptr error) {
    if (!ex.error) ex.error = std::move(error), ex.failed_task = task;
    failed = true;
  };
  auto checkpoint = [&](std::size_t task, const Bytes& bytes) {
    try {
      if (options.on_checkpoint) options.on_checkpoint(task, bytes);
    } catch (...) {
      fail(task, std::current_exception());
    }
  };
  // A task stopped inside, after its checkpoint (already journaled): it is continued on --resume.
  auto stopped = [&](int rank) {
    --outstanding[static_cast<std::size_t>(rank)], --in_flight;
    ++ex.tasks_stopped;
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
      case FarmTag::checkpoint: {
        const TaskBytes m = decode_task_bytes(bytes);
        checkpoint(m.task, m.bytes);
        break;
      }
      case FarmTag::stopped:
        stopped(st.source());
        break;
      case FarmTag::stopping:
        if (!out.signal) out.signal = decode_code(bytes);
        break;
      default:
        break;  // `finished` is read where the farm ends
    }
  };
  auto handle_event = [&](TaskEvent& e) {
    switch (e.kind) {
      case TaskEvent::Kind::finished:
        finished(0, e.task, &e.result, nullptr);
        break;
      case TaskEvent::Kind::failed:
        finished(0, e.task, nullptr, e.error);
        break;
      case TaskEvent::Kind::stopped:
        stopped(0);
        break;
      case TaskEvent::Kind::checkpoint:
        checkpoint(e.task, e.checkpoint);
        break;
    }
  };

  for (int rank = 0; rank < ranks; ++rank) {
    const int slots = rank == 0 ? pool.threads() : options.threads;
    for (int i = 0; i < slots && !pending.empty(); ++i) assign(rank);
  }
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point stop_deadline{};
  for (;;) {
    if (auto e = pool.poll(poll_interval)) handle_event(*e);
    while (auto message = receive(world, mpi::any_source)) handle_message(message->first, message->second);
    if (!stopping) {
      if (options.stop && options.stop->load() && !out.signal && options.stop_signal)
        out.signal = options.stop_signal->load();
      if (options.stop_after && seconds_since(start) >= *options.stop_after) out.walltime_hit = true;
      if (out.signal || out.walltime_hit) {
        stopping = true;
        if (options.stop) options.stop->store(true);  // this rank's tasks checkpoint and stop
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
  TaskPoolOptions pool_options;
  pool_options.threads = options.threads;
  pool_options.stop = options.stop;
  pool_options.checkpoint_every = options.checkpoint_every;
  auto owned_pool = std::make_unique<TaskPool>(cfg, pool_options);
  TaskPool& pool = *owned_pool;
  int in_flight = 0;
  bool told_stopping = false, told_to_stop = false;
  for (;;) {
    if (auto e = pool.poll(poll_interval)) {
      switch (e->kind) {
        case TaskEvent::Kind::finished:
          --in_flight;
          send(world, 0, FarmTag::result, encode_result(e->task, e->result));
          break;
        case TaskEvent::Kind::failed:
          --in_flight;
          send(world, 0, FarmTag::failed, encode_failure(e->task, e->error));
          break;
        case TaskEvent::Kind::stopped:
          --in_flight;
          send(world, 0, FarmTag::stopped, encode_task_bytes({e->task, {}}));
          break;
        case TaskEvent::Kind::checkpoint:
          send(world, 0, FarmTag::checkpoint, encode_task_bytes({e->task, std::move(e->checkpoint)}));
          break;
      }
    }
    if (options.stop && options.stop->load() && !told_stopping && !told_to_stop) {
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
