#pragma once
// One function per subcommand; each returns the process exit code.
#include <string>
#include <vector>

namespace spindiff::cli {

struct RunArgs {
  std::string config;
  std::vector<std::string> sets;
  std::string output;
  int threads = 0;  // 0 = all hardware threads
  bool quiet = false;
  std::string command_line;
};

int run_command(const RunArgs& args);
int list_command();
int describe_command(const std::string& kind, bool markdown);
int info_command(const std::string& file, bool show_config, bool show_tasks);

}  // namespace spindiff::cli
