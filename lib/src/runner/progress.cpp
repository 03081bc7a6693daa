#include "spindiff/runner/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace spindiff::runner {

ProgressMode default_progress_mode(bool quiet) {
  if (quiet) return ProgressMode::quiet;
  return isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::lines;
}

Progress::Progress(std::string label, std::size_t total, ProgressMode mode)
    : label_(std::move(label)),
      total_(total),
      mode_(mode),
      fractions_(new std::atomic<double>[total == 0 ? 1 : total]),
      start_(std::chrono::steady_clock::now()) {
  for (std::size_t i = 0; i < total_; ++i) fractions_[i].store(0.0);
  if (mode_ != ProgressMode::quiet) reporter_ = std::thread([this] { loop(); });
}

Progress::~Progress() { finish(); }

void Progress::task_done(std::size_t task) {
  fractions_[task].store(1.0, std::memory_order_relaxed);
  done_.fetch_add(1, std::memory_order_relaxed);
}

void Progress::finish() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (reporter_.joinable()) reporter_.join();
  if (mode_ != ProgressMode::quiet) render(true);
}

void Progress::loop() {
  const auto period = mode_ == ProgressMode::bar ? std::chrono::milliseconds(250) : std::chrono::seconds(10);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stop_; })) render(false);
}

void Progress::render(bool final) {
  double work = 0;
  for (std::size_t i = 0; i < total_; ++i) work += fractions_[i].load(std::memory_order_relaxed);
  const std::size_t done = done_.load();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = total_ ? work / static_cast<double>(total_) : 1.0;
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  std::string eta = "--";
  if (fraction > 0 && fraction < 1) {
    const double remaining = elapsed * (1 - fraction) / fraction;
    eta = remaining < 120 ? fmt::format("{:.0f}s", remaining) : fmt::format("{:.1f}min", remaining / 60);
  }
  if (mode_ == ProgressMode::bar) {
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    fmt::print(stderr, "\r{} [{}] {}/{} tasks  {:.2f} tasks/s  ETA {}   {}", label_, bar, done, total_, rate,
               final ? "0s" : eta, final ? "\n" : "");
  } else {
    fmt::print(stderr, "{}: {}/{} tasks done ({:.0f}%), {:.1f}s elapsed, ETA {}\n", label_, done, total_,
               100 * fraction, elapsed, final ? "0s" : eta);
  }
  std::fflush(stderr);
}

}  // namespace spindiff::runner
