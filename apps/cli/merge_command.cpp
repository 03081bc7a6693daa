// `spindiff merge OUT PART.h5...`: joins the files of `--tasks` slices into the file one run would write.
#include <fmt/format.h>

#include <map>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/output_safety.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/journal.hpp"
#include "spindiff/runner/results_file.hpp"
#include "spindiff/runner/task_record.hpp"

namespace spindiff::cli {

int merge_command(const std::string& output, const std::vector<std::string>& parts, bool force,
                  const std::string& command_line) {
  if (auto problem = check_output(output, "", force)) {
    fmt::print(stderr, "spindiff: error: {}\n", *problem);
    return exit_usage;
  }
  std::string config_text, config_dir;
  config::RunConfig cfg;
  std::vector<runner::TaskResult> results;
  std::map<std::uint64_t, std::size_t> task_of_point;
  std::int64_t threads = 1;
  try {
    for (const auto& part : parts) {
      io::File f = io::File::open_read(part);
      io::Group root = f.root();
      if (!root.exists("config") || !root.exists("records")) {
        fmt::print(stderr, "spindiff: error: {}: not the file of a --tasks slice (no /records)\n", part);
        return exit_usage;
      }
      const std::string text = root.read_text("config");
      if (config_text.empty()) {
        config_text = text;
        config_dir = root.attr_string("config_dir");
        threads = root.attr_int64("threads");
        cfg = config::parse_run_config(text, part + ":/config", config_dir, {}, runner::all_kinds());
        results.resize(cfg.tasks.size());
        for (std::size_t t = 0; t < cfg.points.size(); ++t) task_of_point[cfg.points[t]] = t;
      } else if (auto key = runner::first_difference(config_text, text)) {
        fmt::print(stderr, "spindiff: error: {}: key '{}' differs from {}; only slices of one configuration merge\n",
                   part, *key, parts.front());
        return exit_usage;
      }
      io::Group records = root.open_group("records");
      for (const auto& name : records.children()) {
        io::Group g = records.open_group(name);
        const auto it = task_of_point.find(static_cast<std::uint64_t>(g.attr_int64("point")));
        if (it == task_of_point.end()) continue;
        const auto wide = g.read_int64("record");
        results[it->second] = runner::unpack_task(std::vector<std::int8_t>(wide.begin(), wide.end()));
      }
    }
  } catch (const runner::ConfigError& e) {
    fmt::print(stderr, "spindiff: error: {}\n", e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "spindiff: error: cannot read the parts: {}\n", e.what());
    return exit_usage;
  }
  std::vector<std::size_t> missing;
  for (std::size_t t = 0; t < results.size(); ++t)
    if (!results[t].done) missing.push_back(t);
  if (!missing.empty()) {
    fmt::print(stderr, "spindiff: error: {} of {} tasks are in none of the parts (the first: task {})\n",
               missing.size(), results.size(), missing.front());
    return exit_usage;
  }
  try {
    runner::Provenance provenance;
    provenance.command_line = command_line;
    provenance.threads = static_cast<int>(threads);
    runner::write_results(output, cfg, results, provenance, true);
  } catch (const std::exception& e) {
    fmt::print(stderr, "spindiff: could not write {}: {}\n", output, e.what());
    return exit_runtime;
  }
  fmt::print("{}\n", output);
  return exit_ok;
}

}  // namespace spindiff::cli
