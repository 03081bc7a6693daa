#include "cli/task_pool.hpp"

#include <algorithm>

#include "spindiff/runner/checkpoint.hpp"

namespace spindiff::cli {

TaskPool::TaskPool(const config::RunConfig& cfg, const TaskPoolOptions& options) : cfg_(cfg), options_(options) {
  for (int i = 0; i < options.threads; ++i) workers_.emplace_back([this] { work(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  queued_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
}

void TaskPool::abandon() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  queued_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.detach();
}

void TaskPool::submit(std::size_t task, Bytes restored) {
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(task, std::move(restored));
  }
  queued_.notify_one();
}

std::optional<TaskEvent> TaskPool::poll(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (events_.empty()) events_cv_.wait_for(lock, wait, [this] { return !events_.empty(); });
  if (events_.empty()) return std::nullopt;
  TaskEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

void TaskPool::push(TaskEvent event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  events_cv_.notify_all();
}

// As runner::execute runs one task: continue from its checkpoint, hand on each new one, stop when asked.
void TaskPool::work() {
  for (;;) {
    std::size_t task = 0;
    Bytes restored;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return closed_ || !queue_.empty(); });
      if (closed_) return;
      task = queue_.front().first;
      restored = std::move(queue_.front().second);
      queue_.pop_front();
    }
    TaskEvent end;
    end.task = task;
    runner::TaskContext ctx = runner::context_for(cfg_, task);
    if (options_.progress) ctx.progress = options_.progress->slot(task);
    runner::TaskResult& result = end.result;
    double seconds_before = 0;
    runner::TaskCheckpoints checkpoints;
    checkpoints.every = options_.checkpoint_every;
    checkpoints.stop = options_.stop;
    const auto start = std::chrono::steady_clock::now();
    try {
      if (!restored.empty()) {
        runner::TaskCheckpoint c = runner::unpack_checkpoint(restored);
        checkpoints.restored = std::move(c.state);
        checkpoints.has_restored = true;
        result.output = std::move(c.output);
        seconds_before = c.seconds;
      }
      checkpoints.next = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(std::max(0.0, options_.checkpoint_every)));
      checkpoints.save = [&](Bytes&& state) {
        runner::TaskCheckpoint c;
        c.state = std::move(state);
        c.output = result.output;
        c.seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        TaskEvent saved;
        saved.kind = TaskEvent::Kind::checkpoint;
        saved.task = task;
        saved.checkpoint = runner::pack_checkpoint(c);
        push(std::move(saved));
      };
      ctx.checkpoints = &checkpoints;
      cfg_.kind->run(cfg_.tasks[task], ctx, result.output);
      result.seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      result.done = true;
    } catch (const runner::TaskStopped&) {
      end.kind = TaskEvent::Kind::stopped;
    } catch (...) {
      end.kind = TaskEvent::Kind::failed;
      end.error = std::current_exception();
    }
    push(std::move(end));
  }
}

}  // namespace spindiff::cli
