#pragma once
// A run configuration: the TOML file (after --set overrides), resolved against the kind's declared
// parameters and expanded over the [sweep] table into one parameter set per task.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "spindiff/runner/params.hpp"

namespace spindiff::runner {
struct Kind;
}

namespace spindiff::config {

struct RunConfig {
  std::string file;                 // the config path as given (for messages and provenance)
  std::filesystem::path dir;        // its folder: relative file parameters are resolved against it
  const runner::Kind* kind = nullptr;
  std::uint64_t seed = 0;
  std::int64_t repeats = 1;
  std::string resolved_toml;        // the configuration after --set, in the order written: rerunning it
                                    // gives the same tasks in the same order (the file itself without --set)
  std::shared_ptr<const std::vector<runner::ParamSpec>> specs;  // runner's + kind's declarations
  std::vector<std::string> swept;   // swept parameter names, outermost first
  std::vector<runner::Params> tasks;  // the Cartesian product, last swept key varying fastest
  std::vector<std::string> summary_params;  // parameter columns of /summary, in declaration order
  std::vector<std::uint64_t> points;  // per task: the key of its parameter point (runner/point.hpp)
  struct Input {
    std::string parameter, path, sha256;  // a file a task reads: absolute path and content digest
  };
  std::vector<Input> inputs;        // every distinct input file, in task order
  std::vector<std::string> notes;   // what --set changed beyond a value (a sweep replaced, ...), for stderr
};

// Reads, overrides (`key.path=value`, value in TOML syntax or a bare word taken as a string), validates
// and expands. `--set key=v` on a swept key replaces the sweep; `--set sweep.key=[...]` on a fixed key
// sweeps it (both noted in `notes`). Relative file parameters resolve against `dir` (the config file's
// folder) to absolute paths. Throws runner::ConfigError naming the file (or the --set argument), the key
// and what is allowed. `kinds` are the kinds the file may name (the program passes runner::all_kinds());
// the chosen one must outlive the RunConfig.
RunConfig load_run_config(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                          const std::vector<runner::Kind>& kinds);
RunConfig parse_run_config(const std::string& toml_text, const std::string& file_label,
                           const std::filesystem::path& dir, const std::vector<std::string>& overrides,
                           const std::vector<runner::Kind>& kinds);

// The closest candidate by edit distance, or "" if none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace spindiff::config
