#pragma once
// Writes a run to HDF5 (schema spindiff/1, docs/hdf5-schema.md). The file is written under a
// temporary name beside the target and renamed only when complete.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "spindiff/config/run_config.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::runner {

inline constexpr const char* schema_name = "spindiff/1";

struct Provenance {
  std::string command_line;
  int threads = 1;    // task threads per process
  int mpi_ranks = 1;  // processes under mpirun (1 without MPI)
  std::int64_t tasks_resumed = 0;  // tasks taken from the journal of an interrupted run
  // A slice (--tasks START:STOP) also stores each task's exact record under /records, for `merge`.
  std::optional<std::pair<std::int64_t, std::int64_t>> slice = std::nullopt;
};

// Writes the finished tasks of `results`, `complete` as the root attribute of that name (the program
// writes a result file only when every task it holds has finished, so always 1; an unfinished run keeps
// its journal instead). The file is synced to disk, then renamed to `path`, then its folder synced.
void write_results(const std::filesystem::path& path, const config::RunConfig& cfg,
                   const std::vector<TaskResult>& results, const Provenance& provenance, bool complete);

// "results/<config stem>.h5" ("results/<folder>.h5" for a file named config.toml), and the partial
// file "<output stem>.partial.h5".
std::filesystem::path default_output_path(const std::filesystem::path& config_file);
std::filesystem::path partial_output_path(const std::filesystem::path& output);

}  // namespace spindiff::runner
