#include "cli/load_config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/results_file.hpp"

namespace spindiff::cli {

namespace {
config::RunConfig load_recorded(const std::string& file) {
  std::string text, dir;
  std::vector<std::string> paths, digests;
  try {
    io::File f = io::File::open_read(file);
    io::Group root = f.root();
    if (!root.exists("config")) throw runner::ConfigError(file, "/config", "no recorded configuration");
    text = root.read_text("config");
    dir = root.has_attr("config_dir") ? root.attr_string("config_dir")
                                      : std::filesystem::absolute(file).parent_path().string();
    if (root.exists("inputs") && root.open_group("inputs").has_attr("path")) {
      io::Group inputs = root.open_group("inputs");
      paths = inputs.attr_strings("path");
      digests = inputs.attr_strings("sha256");
    }
  } catch (const io::Hdf5Error& e) {
    throw runner::ConfigError(file, "(file)", fmt::format("not a readable spindiff result file: {}", e.what()));
  }
  config::RunConfig cfg = config::parse_run_config(text, file + ":/config", dir, {}, runner::all_kinds());
  for (std::size_t i = 0; i < paths.size() && i < digests.size(); ++i)
    for (const auto& in : cfg.inputs)
      if (in.path == paths[i] && in.sha256 != digests[i])
        fmt::print(stderr, "spindiff: input {} changed since {} was written (sha256 {} then, {} now)\n", in.path,
                   file, digests[i], in.sha256);
  return cfg;
}
}  // namespace

config::RunConfig load_config(const RunArgs& args) {
  if (!args.rerun_file.empty()) return load_recorded(args.rerun_file);
  config::RunConfig cfg = config::load_run_config(args.config, args.sets, runner::all_kinds());
  for (const auto& note : cfg.notes) fmt::print(stderr, "spindiff: {}\n", note);
  return cfg;
}

std::filesystem::path output_path(const RunArgs& args) {
  if (!args.output.empty()) return args.output;
  if (!args.tasks.empty()) {  // a slice never takes the name of the whole run
    std::filesystem::path p =
        args.rerun_file.empty() ? runner::default_output_path(args.config) : std::filesystem::path(args.rerun_file);
    std::string range = args.tasks;
    std::replace(range.begin(), range.end(), ':', '-');
    return p.replace_extension(".tasks-" + range + ".h5");
  }
  if (!args.rerun_file.empty()) {
    std::filesystem::path p = args.rerun_file;
    return p.replace_extension(".rerun.h5");
  }
  return runner::default_output_path(args.config);
}

}  // namespace spindiff::cli
