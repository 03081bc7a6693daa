#pragma once
#include <string>
#include <vector>

namespace spindiff::cli {

// Exit codes: 0 success, 1 runtime failure, 2 bad input (config, arguments, files), 3 stopped before
// the --walltime limit (resumable), 128 + N stopped by signal N (resumable).
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_walltime = 3;

// The whole `spindiff` command line; argv[0] included.
int main(const std::vector<std::string>& args);

}  // namespace spindiff::cli
