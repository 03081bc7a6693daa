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
  std::string resolved_toml;        // the configuration after --set, enough to rerun it exactly
  std::shared_ptr<const std::vector<runner::ParamSpec>> specs;  // runner's + kind's declarations
  std::vector<std::string> swept;   // swept parameter names, outermost first
  std::vector<runner::Params> tasks;  // the Cartesian product, last swept key varying fastest
  std::vector<std::string> summary_params;  // parameter columns of /summary, in declaration order
};

// Reads, overrides (`key.path=value`, value in TOML syntax or a bare string), validates and expands.
// `kinds` are the kinds the file may name (the program passes runner::all_kinds()); the chosen one must
// outlive the RunConfig. Throws runner::ConfigError naming the file, the key and what is allowed.
RunConfig load_run_config(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                          const std::vector<runner::Kind>& kinds);
RunConfig parse_run_config(const std::string& toml_text, const std::string& file_label,
                           const std::filesystem::path& dir, const std::vector<std::string>& overrides,
                           const std::vector<runner::Kind>& kinds);

// The closest candidate by edit distance, or "" if none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace spindiff::config
