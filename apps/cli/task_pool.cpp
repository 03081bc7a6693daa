#include "cli/task_pool.hpp"

#include <chrono>

namespace spindiff::cli {

TaskPool::TaskPool(const config::RunConfig& cfg, int threads, runner::Progress* progress)
    : cfg_(cfg), progress_(progress) {
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
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

void TaskPool::submit(std::size_t task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(task);
  }
  queued_.notify_one();
}

std::optional<FinishedTask> TaskPool::poll(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (finished_.empty()) finished_cv_.wait_for(lock, wait, [this] { return !finished_.empty(); });
  if (finished_.empty()) return std::nullopt;
  FinishedTask f = std::move(finished_.front());
  finished_.pop_front();
  return f;
}

void TaskPool::work() {
  for (;;) {
    std::size_t task = 0;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return closed_ || !queue_.empty(); });
      if (closed_) return;
      task = queue_.front();
      queue_.pop_front();
    }
    FinishedTask f;
    f.task = task;
    runner::TaskContext ctx = runner::context_for(cfg_, task);
    if (progress_) ctx.progress = progress_->slot(task);
    const auto start = std::chrono::steady_clock::now();
    try {
      cfg_.kind->run(cfg_.tasks[task], ctx, f.result.output);
      f.result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      f.result.done = true;
    } catch (...) {
      f.error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      finished_.push_back(std::move(f));
    }
    finished_cv_.notify_all();
  }
}

}  // namespace spindiff::cli
