#include "cli/cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "spindiff/version.hpp"

namespace spindiff::cli {

namespace {
std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@") ==
                        std::string::npos)
    return s;
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

int main(const std::vector<std::string>& args) {
  CLI::App app{
      "spindiff: the statistical physics of memory and generation (Hopfield networks, Monte Carlo, "
      "Langevin dynamics, diffusion models)",
      "spindiff"};
  app.set_version_flag("--version", fmt::format("spindiff {} ({})", spindiff::version, spindiff::git_commit));
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Run an experiment from a TOML configuration and write HDF5");
  run_cmd->add_option("config", run.config, "Configuration file (TOML)")->required();
  run_cmd->add_option("--set", run.sets, "Override a key: --set N=2000, --set 'sweep.alpha=[0.05, 0.1]'")
      ->allow_extra_args(false);
  run_cmd->add_option("-o,--output", run.output, "Output HDF5 file (default results/<config stem>.h5)");
  run_cmd->add_option("-j,--threads", run.threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 4096));
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress output");
  run_cmd->add_flag("--force", run.force, "Overwrite an existing output file (and discard a journal)");
  run_cmd->add_flag("--resume", run.resume, "Continue an interrupted run from its journal <output stem>.partial.h5");
  run_cmd->add_option("--walltime", run.walltime, "Stop before this much time (90m, 2h, seconds) and exit 3");
  run_cmd->add_option("--tasks", run.tasks, "Run only tasks START:STOP (STOP excluded) into their own file, for merge");
  run_cmd
      ->add_option("--coordinator-threads", run.coordinator_threads,
                   "Under mpirun: task threads of rank 0, which also journals (default as --threads; 0: none)")
      ->check(CLI::Range(0, 4096));

  RunArgs rerun;
  auto* rerun_cmd = app.add_subcommand("rerun", "Run a result file's recorded configuration again");
  rerun_cmd->add_option("file", rerun.rerun_file, "spindiff HDF5 result file")->required();
  rerun_cmd->add_option("-o,--output", rerun.output, "Output HDF5 file (default <file stem>.rerun.h5 beside it)");
  rerun_cmd->add_option("-j,--threads", rerun.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 4096));
  rerun_cmd->add_flag("-q,--quiet", rerun.quiet, "No progress output");
  rerun_cmd->add_flag("--force", rerun.force, "Overwrite an existing output file (and discard a journal)");
  rerun_cmd->add_flag("--resume", rerun.resume,
                      "Continue an interrupted run from its journal <output stem>.partial.h5");
  rerun_cmd->add_option("--walltime", rerun.walltime, "Stop before this much time (90m, 2h, seconds) and exit 3");
  rerun_cmd->add_option("--tasks", rerun.tasks,
                        "Run only tasks START:STOP (STOP excluded) into their own file, for merge");
  rerun_cmd
      ->add_option("--coordinator-threads", rerun.coordinator_threads,
                   "Under mpirun: task threads of rank 0, which also journals (default as --threads; 0: none)")
      ->check(CLI::Range(0, 4096));

  app.add_subcommand("list", "List the experiment kinds");

  std::string describe_kind;
  bool markdown = false;
  auto* describe_cmd = app.add_subcommand("describe", "Every parameter of a kind: type, default, range, meaning");
  describe_cmd->add_option("kind", describe_kind, "Experiment kind (omit with --markdown for all kinds)");
  describe_cmd->add_flag("--markdown", markdown, "Markdown output (docs/kinds.md is generated this way)");

  std::string merge_output;
  std::vector<std::string> merge_parts;
  bool merge_force = false;
  auto* merge_cmd = app.add_subcommand("merge", "Join the files of --tasks slices into the file of one run");
  merge_cmd->add_option("output", merge_output, "Output HDF5 file")->required();
  merge_cmd->add_option("parts", merge_parts, "Files written with --tasks")->required();
  merge_cmd->add_flag("--force", merge_force, "Overwrite an existing output file");

  std::string info_file;
  bool info_config = false, info_tasks = false;
  auto* info_cmd = app.add_subcommand("info", "Provenance, parameters and summary table of a result file");
  info_cmd->add_option("file", info_file, "spindiff HDF5 file")->required();
  info_cmd->add_flag("--config", info_config, "Also print the resolved configuration");
  info_cmd->add_flag("--tasks", info_tasks, "Also list each task's datasets");

  std::vector<std::string> rest(args.rbegin(), args.rend() - 1);  // CLI11 wants reversed, without argv[0]
  try {
    app.parse(rest);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }

  if (run_cmd->parsed()) {
    for (const auto& a : args) run.command_line += (run.command_line.empty() ? "" : " ") + shell_quote(a);
    return run_command(run);
  }
  if (rerun_cmd->parsed()) {
    for (const auto& a : args) rerun.command_line += (rerun.command_line.empty() ? "" : " ") + shell_quote(a);
    return run_command(rerun);
  }
  if (merge_cmd->parsed()) {
    std::string line;
    for (const auto& a : args) line += (line.empty() ? "" : " ") + shell_quote(a);
    return merge_command(merge_output, merge_parts, merge_force, line);
  }
  if (app.got_subcommand("list")) return list_command();
  if (describe_cmd->parsed()) return describe_command(describe_kind, markdown);
  if (info_cmd->parsed()) return info_command(info_file, info_config, info_tasks);
  return exit_usage;
}

}  // namespace spindiff::cli
