#include "spindiff/runner/results_file.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "spindiff/io/hdf5.hpp"
#include "spindiff/runner/task_record.hpp"
#include "spindiff/version.hpp"

namespace spindiff::runner {

namespace {

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

void write_value_attr(const io::Group& g, const std::string& name, const Value& v) {
  struct Visitor {
    const io::Group& g;
    const std::string& name;
    void operator()(bool b) const { g.attr(name, static_cast<std::int64_t>(b)); }
    void operator()(std::int64_t i) const { g.attr(name, i); }
    void operator()(double d) const { g.attr(name, d); }
    void operator()(const std::string& s) const { g.attr(name, s); }
    void operator()(const std::vector<double>& l) const { g.attr(name, std::span<const double>(l)); }
  };
  std::visit(Visitor{g, name}, v);
}

void write_arrays(const io::Group& g, const TaskOutput& out) {
  for (const auto& [name, array] : out.arrays()) {
    std::visit(
        [&](const auto& data) {
          using T = typename std::decay_t<decltype(data)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            g.write(name, data);
          } else {
            g.write(name, std::span<const T>(data), array.shape);
          }
        },
        array.data);
    if (!array.attributes.empty()) {
      io::Group obj = g.object(name);
      for (const auto& [k, v] : array.attributes) write_value_attr(obj, k, v);
    }
  }
  for (const auto& [k, v] : out.attributes()) write_value_attr(g, k, v);
}

// One /summary column for a parameter, over the written tasks.
void write_param_column(const io::Group& summary, const std::string& name, const std::vector<const Params*>& rows) {
  const Value& first = rows.front()->value(name);
  if (std::holds_alternative<std::int64_t>(first) || std::holds_alternative<bool>(first)) {
    std::vector<std::int64_t> col;
    for (const Params* p : rows) {
      const Value& v = p->value(name);
      col.push_back(std::holds_alternative<bool>(v) ? std::get<bool>(v) : std::get<std::int64_t>(v));
    }
    summary.write(name, std::span<const std::int64_t>(col));
  } else if (std::holds_alternative<double>(first)) {
    std::vector<double> col;
    for (const Params* p : rows) col.push_back(p->real(name));
    summary.write(name, std::span<const double>(col));
  } else if (std::holds_alternative<std::string>(first)) {
    std::vector<std::string> col;
    for (const Params* p : rows) col.push_back(p->string(name));
    summary.write(name, col);
  } else {
    std::vector<std::string> col;
    for (const Params* p : rows) col.push_back(format_value(p->value(name)));
    summary.write(name, col);
  }
}

// The `doc` (and `unit`) attributes of one /summary column: from the parameter or result declaration.
void describe_column(const io::Group& summary, const config::RunConfig& cfg, const std::string& name) {
  io::Group column = summary.object(name);
  if (name == "task") {
    column.attr("doc", "index of the task in the run's task list (/tasks/NNNN)");
    return;
  }
  for (const auto& spec : *cfg.specs)
    if (spec.name == name) {
      column.attr("doc", "parameter: " + spec.doc);
      return;
    }
  const ResolvedColumn resolved = resolve_result_column(cfg.kind->results, name);
  if (!resolved.column) return;  // undeclared: the runner has warned
  column.attr("doc", resolved.doc());
  if (!resolved.column->unit.empty()) column.attr("unit", resolved.column->unit);
}

void write_summary(const io::Group& root, const config::RunConfig& cfg, const std::vector<TaskResult>& results,
                   const std::vector<std::size_t>& written) {
  io::Group summary = root.create_group("summary");
  std::vector<std::string> columns;
  std::vector<const Params*> rows;
  for (std::size_t t : written) rows.push_back(&cfg.tasks[t]);
  std::vector<std::int64_t> task_index(written.begin(), written.end());
  summary.write("task", std::span<const std::int64_t>(task_index));
  columns.push_back("task");
  if (!rows.empty()) {
    for (const auto& name : cfg.summary_params) {
      write_param_column(summary, name, rows);
      columns.push_back(name);
    }
  }
  // Result columns in order of first appearance; a task without a column gets NaN / "".
  std::vector<std::string> order;
  std::map<std::string, bool> is_text;
  for (std::size_t t : written)
    for (const auto& [name, value] : results[t].output.columns())
      if (!is_text.count(name)) {
        order.push_back(name);
        is_text[name] = std::holds_alternative<std::string>(value);
      }
  for (const auto& name : order) {
    if (std::find(columns.begin(), columns.end(), name) != columns.end()) continue;  // a parameter already
    if (is_text[name]) {
      std::vector<std::string> col;
      for (std::size_t t : written) {
        std::string v;
        for (const auto& [n, val] : results[t].output.columns())
          if (n == name) v = std::get<std::string>(val);
        col.push_back(v);
      }
      summary.write(name, col);
    } else {
      std::vector<double> col;
      for (std::size_t t : written) {
        double v = std::numeric_limits<double>::quiet_NaN();
        for (const auto& [n, val] : results[t].output.columns())
          if (n == name && std::holds_alternative<double>(val)) v = std::get<double>(val);
        col.push_back(v);
      }
      summary.write(name, std::span<const double>(col));
    }
    columns.push_back(name);
  }
  summary.attr("columns", columns);
  for (const auto& name : columns) describe_column(summary, cfg, name);
}

// Every file the tasks read, by parameter, absolute path and SHA-256 (attributes: they describe the run).
void write_inputs(const io::Group& root, const config::RunConfig& cfg) {
  io::Group inputs = root.create_group("inputs");
  std::vector<std::string> parameter, path, sha256;
  for (const auto& in : cfg.inputs) {
    parameter.push_back(in.parameter);
    path.push_back(in.path);
    sha256.push_back(in.sha256);
  }
  if (cfg.inputs.empty()) return;  // zero-length string attributes do not read back
  inputs.attr("parameter", parameter);
  inputs.attr("path", path);
  inputs.attr("sha256", sha256);
}

void write_file(const std::filesystem::path& path, const config::RunConfig& cfg, const std::vector<TaskResult>& results,
                const Provenance& provenance, bool complete) {
  io::File file = io::File::create(path);
  io::Group root = file.root();
  root.attr("schema", schema_name);
  root.attr("spindiff_version", spindiff::version);
  root.attr("git_commit", spindiff::git_commit);
  root.attr("created_utc", utc_now());
  root.attr("command_line", provenance.command_line);
  root.attr("hostname", host_name());
  root.attr("kind", cfg.kind->name);
  root.attr("seed", static_cast<std::int64_t>(cfg.seed));
  root.attr("threads", static_cast<std::int64_t>(provenance.threads));
  root.attr("mpi_ranks", static_cast<std::int64_t>(provenance.mpi_ranks));
  root.attr("tasks_resumed", provenance.tasks_resumed);
  if (provenance.slice) {
    root.attr("task_slice_start", provenance.slice->first);
    root.attr("task_slice_stop", provenance.slice->second);
  }
  root.attr("config_file", cfg.file);
  // Relative input paths in /config resolve against this folder (spindiff rerun uses it).
  root.attr("config_dir", std::filesystem::absolute(cfg.dir).lexically_normal().string());
  root.attr("complete", static_cast<std::int64_t>(complete));
  root.attr("task_count", static_cast<std::int64_t>(cfg.tasks.size()));
  root.attr("compiler", fmt::format("g++ {}", __VERSION__));
  root.attr("build", fmt::format("{} -march={}", spindiff::build_type, spindiff::target_arch));
  root.attr("hdf5_version", io::hdf5_version());
  root.attr("eigen_version", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION));
  root.attr("boost_version",
            fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100));
  root.attr("fmt_version", fmt::format("{}", FMT_VERSION));
  root.attr("tomlplusplus_version", fmt::format("{}.{}.{}", TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH));
  root.write_text("config", cfg.resolved_toml);
  write_inputs(root, cfg);

  std::vector<std::size_t> written;
  for (std::size_t t = 0; t < results.size(); ++t)
    if (results[t].done) written.push_back(t);
  write_summary(root, cfg, results, written);

  io::Group tasks = root.create_group("tasks");
  const int width = std::max<int>(4, static_cast<int>(std::to_string(cfg.tasks.size() - 1).size()));
  for (std::size_t t : written) {
    io::Group g = tasks.create_group(fmt::format("{:0{}d}", t, width));
    for (const auto& [name, value] : cfg.tasks[t].values()) write_value_attr(g, name, value);
    g.attr("seconds", results[t].seconds);
    g.attr("point", static_cast<std::int64_t>(cfg.points[t]));  // names the task's random streams
    write_arrays(g, results[t].output);
  }

  if (provenance.slice) {
    io::Group records = root.create_group("records");
    for (std::size_t t : written) {
      io::Group g = records.create_group(fmt::format("{:0{}d}", t, width));
      g.attr("point", static_cast<std::int64_t>(cfg.points[t]));
      const auto bytes = pack_task(results[t]);
      g.write("record", std::span<const std::int8_t>(bytes));
    }
  }

  if (cfg.kind->theory) {
    TaskOutput theory;
    cfg.kind->theory(std::span<const Params>(cfg.tasks), theory);
    io::Group g = root.create_group("theory");
    write_arrays(g, theory);
    for (const auto& [name, value] : theory.columns()) {
      if (auto* d = std::get_if<double>(&value)) g.attr(name, *d);
      if (auto* s = std::get_if<std::string>(&value)) g.attr(name, *s);
    }
  }
  file.sync();  // on disk before it takes the output's name
}

}  // namespace

std::filesystem::path default_output_path(const std::filesystem::path& config_file) {
  // experiments/<name>/config.toml would all collide as results/config.h5: use the folder name.
  std::string stem = config_file.stem().string();
  const std::string folder = std::filesystem::absolute(config_file).parent_path().filename().string();
  if (stem == "config" && !folder.empty()) stem = folder;
  return std::filesystem::path("results") / (stem + ".h5");
}

std::filesystem::path partial_output_path(const std::filesystem::path& output) {
  std::filesystem::path p = output;
  p.replace_extension(".partial.h5");
  return p;
}

void write_results(const std::filesystem::path& path, const config::RunConfig& cfg,
                   const std::vector<TaskResult>& results, const Provenance& provenance, bool complete) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::filesystem::path tmp = path;
  tmp.replace_filename(fmt::format(".{}.tmp-{}", path.filename().string(), getpid()));
  try {
    write_file(tmp, cfg, results, provenance, complete);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
  std::filesystem::rename(tmp, path);
  // The new name on disk before the caller removes the journal: a power cut leaves one or the other.
  io::sync_directory(path.parent_path());
}

}  // namespace spindiff::runner
