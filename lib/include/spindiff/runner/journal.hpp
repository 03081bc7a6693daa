#pragma once
// The journal `<output stem>.partial.h5`: every finished task is committed to it at once (one group,
// the file flushed and synced to disk), so a killed run or a power cut loses at most the tasks in flight
// and `--resume` runs only the rest.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::runner {

inline constexpr const char* journal_schema = "spindiff-journal/1";

class Journal {
 public:
  // A new, empty journal for `cfg` (an existing file is replaced).
  static Journal create(const std::filesystem::path& path, const config::RunConfig& cfg);
  // An existing journal; throws ConfigError naming the first differing key when it was made by another
  // configuration, std::runtime_error when it cannot be read. Finished tasks go to `results` (by point).
  // Checkpoints of unfinished tasks go to `checkpoints` (by task; empty where there is none), when given.
  static Journal resume(const std::filesystem::path& path, const config::RunConfig& cfg,
                        std::vector<TaskResult>& results, std::vector<Bytes>* checkpoints = nullptr);

  // Writes the task's record, drops its checkpoint, flushes the file and syncs it to disk (fsync). Not thread-safe: the
  // caller serialises.
  void commit(std::size_t task, std::uint64_t point, const TaskResult& result);
  // Replaces the task's checkpoint (runner/checkpoint.hpp) so that a kill at any moment leaves either the
  // previous one or the new one readable: the new one is written and synced beside the old one, then takes
  // its name (synced again). Not thread-safe.
  void save_checkpoint(std::size_t task, std::uint64_t point, const Bytes& checkpoint);
  void close() { file_.close(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  Journal(std::filesystem::path path, io::File file, int width);
  std::filesystem::path path_;
  io::File file_;
  int width_;
};

// The first key (dotted path) whose value differs between two TOML configurations, if any.
std::optional<std::string> first_difference(const std::string& toml_a, const std::string& toml_b);

}  // namespace spindiff::runner
