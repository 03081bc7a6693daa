#pragma once
// One function per subcommand; each returns the process exit code.
#include <optional>
#include <string>
#include <vector>

namespace spindiff::cli {

struct RunArgs {
  std::string config;
  std::vector<std::string> sets;
  std::string output;
  int threads = 0;               // 0 = all hardware threads (under MPI: shared by the ranks of a node)
  int coordinator_threads = -1;  // under MPI, task threads of rank 0 (-1: as --threads; 0: it only coordinates)
  bool quiet = false;
  bool force = false;      // overwrite an existing output file (and start over from no journal)
  bool resume = false;     // take the finished tasks from the journal
  std::string walltime;    // stop (exit 3) before this duration: 90m, 2h, 3600
  std::string tasks;       // START:STOP: run only this slice of the task list
  std::string rerun_file;  // rerun: the configuration is this result file's /config
  std::string command_line;
};

int run_command(const RunArgs& args);
// Seconds in "90m", "2h", "45s", "1d" or plain seconds; nullopt when not a positive duration.
std::optional<double> parse_duration(const std::string& text);
int list_command();
int describe_command(const std::string& kind, bool markdown);
// docs/kinds.md: every registered kind's parameters, from their declarations.
std::string kinds_markdown();
int merge_command(const std::string& output, const std::vector<std::string>& parts, bool force,
                  const std::string& command_line);
int info_command(const std::string& file, bool show_config, bool show_tasks);

}  // namespace spindiff::cli
