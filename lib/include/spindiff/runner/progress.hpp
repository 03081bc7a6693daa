#pragma once
// Progress on stderr: a bar with done/total, rate and ETA on a terminal, a one-line status every
// few seconds otherwise, nothing when quiet.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace spindiff::runner {

enum class ProgressMode { bar, lines, quiet };

// Picks bar or lines by whether stderr is a terminal.
ProgressMode default_progress_mode(bool quiet);

class Progress {
 public:
  Progress(std::string label, std::size_t total, ProgressMode mode);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Per-task fraction slots, written by the tasks through TaskContext::report.
  std::atomic<double>* slot(std::size_t task) { return &fractions_[task]; }
  void task_done(std::size_t task);
  void finish();  // final line; stops the reporter

 private:
  void loop();
  void render(bool final);

  std::string label_;
  std::size_t total_;
  ProgressMode mode_;
  std::unique_ptr<std::atomic<double>[]> fractions_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread reporter_;
};

}  // namespace spindiff::runner
