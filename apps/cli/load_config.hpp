#pragma once
// The configuration of `run` (a TOML file and --set) or of `rerun` (a result file's /config, its
// relative inputs resolved against the folder recorded with it).
#include "cli/commands.hpp"
#include "spindiff/config/run_config.hpp"

namespace spindiff::cli {

// Throws runner::ConfigError (exit 2). Prints --set notes and changed inputs on stderr.
config::RunConfig load_config(const RunArgs& args);
std::filesystem::path output_path(const RunArgs& args);

}  // namespace spindiff::cli
