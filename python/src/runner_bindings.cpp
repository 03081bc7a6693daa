// The runner from Python: kinds, their declarations, and a run written by the library's own writer,
// so a file from spindiff.run() and one from `spindiff run` hold the same datasets.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/runner/kind.hpp"
#include "spindiff/runner/results_file.hpp"
#include "spindiff/runner/runner.hpp"

namespace spindiff::python {

namespace {

const runner::Kind& kind_named(const std::string& name) {
  if (const runner::Kind* kind = runner::find_kind(name)) return *kind;
  std::vector<std::string> names;
  for (const auto& k : runner::all_kinds()) names.push_back(k.name);
  const std::string hint = config::did_you_mean(name, names);
  throw runner::ConfigError(
      "", "kind",
      fmt::format("unknown kind '{}'{}; allowed kinds: {}", name,
                  hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), fmt::join(names, ", ")));
}

py::object value_to_python(const runner::Value& v) {
  return std::visit([](const auto& x) -> py::object { return py::cast(x); }, v);
}

py::dict describe(const std::string& name) {
  const runner::Kind& kind = kind_named(name);
  auto specs = runner::runner_params();
  specs.insert(specs.end(), kind.params.begin(), kind.params.end());
  py::list rows;
  for (const auto& s : specs) {
    py::dict row;
    row["parameter"] = s.name;
    row["type"] = runner::type_name(s.type);
    row["default"] = s.required ? py::none() : value_to_python(s.default_value);
    row["min"] = s.min ? py::cast(*s.min) : py::none();
    row["max"] = s.max ? py::cast(*s.max) : py::none();
    row["choices"] = s.choices;
    row["summary"] = s.in_summary;
    row["required"] = s.required;
    row["meaning"] = s.doc;
    rows.append(row);
  }
  py::list results;
  for (const auto& r : kind.results) {
    py::dict row;
    row["column"] = r.prefix ? r.name + "*" : r.name;
    row["meaning"] = r.doc;
    row["unit"] = r.unit;
    row["error_column"] = r.has_error;
    results.append(row);
  }
  py::dict out;
  out["parameters"] = rows;
  out["results"] = results;
  return out;
}

// Runs the tasks on worker threads while this thread, holding the GIL only briefly, watches for Ctrl-C:
// then no new task starts, the running ones finish, and KeyboardInterrupt is raised.
runner::Execution execute_interruptibly(const config::RunConfig& cfg, int threads, bool quiet) {
  std::atomic<bool> stop{false};
  runner::Progress progress(cfg.kind->name, cfg.tasks.size(), runner::default_progress_mode(quiet));
  runner::ExecuteOptions options;
  options.threads = threads;
  options.progress = &progress;
  options.stop = &stop;
  bool interrupted = false;
  runner::Execution ex;
  {
    py::gil_scoped_release release;
    auto done = std::async(std::launch::async, [&] { return runner::execute(cfg, options); });
    while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        stop.store(true);
        interrupted = true;
        PyErr_Clear();
      }
    }
    ex = done.get();
    progress.finish();
  }
  if (interrupted) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  return ex;
}

// Runs a configuration (a file, or TOML text with a label and a folder for relative paths) with the
// CLI's `--set` overrides, and writes the HDF5 file `output`.
void run(const std::optional<std::string>& file, const std::optional<std::string>& toml_text, const std::string& label,
         const std::string& dir, const std::vector<std::string>& overrides, const std::string& output, int threads,
         bool quiet, const std::string& command_line) {
  if (threads < 1) throw runner::ConfigError("", "threads", "must be at least 1");
  const config::RunConfig cfg =
      file ? config::load_run_config(*file, overrides, runner::all_kinds())
           : config::parse_run_config(toml_text.value(), label, dir, overrides, runner::all_kinds());
  runner::Execution ex = execute_interruptibly(cfg, threads, quiet);
  if (ex.error) {
    try {
      std::rethrow_exception(ex.error);
    } catch (const runner::ConfigError& e) {
      throw runner::ConfigError(cfg.file, e.key(), e.message());  // bad input found only when a task read it
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("task {} failed: {}", ex.failed_task, e.what()));
    }
  }
  if (!ex.complete()) throw std::runtime_error("the run stopped before every task finished");
  py::gil_scoped_release release;
  runner::write_results(output, cfg, ex.results, runner::Provenance{command_line, threads}, true);
}

}  // namespace

void bind_runner(py::module_& m) {
  m.def(
      "kinds",
      [] {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& k : runner::all_kinds()) out.emplace_back(k.name, k.summary);
        return out;
      },
      "(name, one-line summary) of every experiment kind, in `spindiff list` order");
  m.def("describe", &describe, py::arg("kind"),
        "a kind's parameters and result columns: {'parameters': [dict], 'results': [dict]}");
  m.def("run", &run, py::arg("file"), py::arg("toml_text"), py::arg("label"), py::arg("dir"), py::arg("overrides"),
        py::arg("output"), py::arg("threads"), py::arg("quiet"), py::arg("command_line"));
}

}  // namespace spindiff::python
