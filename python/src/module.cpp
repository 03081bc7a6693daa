// The extension module spindiff._core: the library's runner and physics objects. The pure-Python
// package (python/spindiff) builds the user-facing API (DataFrames, Run objects) on top of it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bindings.hpp"
#include "spindiff/runner/params.hpp"
#include "spindiff/version.hpp"

namespace spindiff::python {

namespace {
Purpose purpose_from(const py::handle& h) {
  if (py::isinstance<py::str>(h)) {
    const auto name = h.cast<std::string>();
    static const std::pair<const char*, Purpose> names[] = {
        {"patterns", Purpose::patterns},   {"cue", Purpose::cue},
        {"dynamics", Purpose::dynamics},   {"init", Purpose::init},
        {"couplings", Purpose::couplings}, {"exchange", Purpose::exchange},
        {"training", Purpose::training},   {"evaluation", Purpose::evaluation}};
    for (const auto& [n, p] : names)
      if (name == n) return p;
    throw std::invalid_argument("stream: unknown purpose '" + name +
                                "'; allowed: patterns, cue, dynamics, init, couplings, exchange, training, "
                                "evaluation or an integer");
  }
  return static_cast<Purpose>(h.cast<std::uint32_t>());
}
// The keyword names a function bound here accepts (every overload's, `self` left out); None for anything else.
// The package checks keywords against them, so an unknown one is a ValueError naming it and the allowed ones.
std::optional<std::vector<std::string>> keyword_names(const py::handle& f) {
  const py::handle function = py::detail::get_function(f);
  if (!function || !PyCFunction_Check(function.ptr())) return std::nullopt;
  const py::handle self = PyCFunction_GET_SELF(function.ptr());
  if (!self || !py::isinstance<py::capsule>(self)) return std::nullopt;
  const auto capsule = py::reinterpret_borrow<py::capsule>(self);
  if (!py::detail::is_function_record_capsule(capsule)) return std::nullopt;
  std::vector<std::string> names;
  for (auto* record = capsule.get_pointer<py::detail::function_record>(); record; record = record->next)
    for (const auto& arg : record->args)
      if (arg.name && std::string_view(arg.name) != "self" &&
          std::find(names.begin(), names.end(), arg.name) == names.end())
        names.emplace_back(arg.name);
  return names;
}
}  // namespace

Stream stream_from(std::uint64_t seed, const std::optional<py::tuple>& stream, Purpose purpose) {
  if (!stream) return Stream(seed, 0, 0, purpose);
  const py::tuple& t = *stream;
  if (t.size() < 4 || t.size() > 5)
    throw std::invalid_argument(
        "stream must be (seed, point, repeat, purpose[, substream]), point as in a task's `point` attribute");
  // The file keeps the 64-bit point as a signed integer: taken modulo 2^64 it is the point again.
  const auto point = static_cast<std::uint64_t>(PyLong_AsUnsignedLongLongMask(py::int_(t[1]).ptr()));
  return Stream(t[0].cast<std::uint64_t>(), point, t[2].cast<std::uint32_t>(), purpose_from(t[3]),
                t.size() == 5 ? t[4].cast<std::uint64_t>() : 0);
}

TaskStreams task_streams(std::uint64_t seed, const std::optional<py::tuple>& task) {
  if (!task) return {seed, 0, 0};
  const py::tuple& t = *task;
  if (t.size() != 3)
    throw py::value_error("task: must be (seed, point, repeat), point as in a task's `point` attribute");
  // The file keeps the 64-bit point as a signed integer: taken modulo 2^64 it is the point again.
  const auto point = static_cast<std::uint64_t>(PyLong_AsUnsignedLongLongMask(py::int_(t[1]).ptr()));
  return {t[0].cast<std::uint64_t>(), point, t[2].cast<std::uint32_t>()};
}

}  // namespace spindiff::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace spindiff;
  m.doc() = "spindiff's C++ library (use the spindiff package, not this module directly)";
  m.attr("__version__") = spindiff::version;
  m.attr("git_commit") = spindiff::git_commit;

  // A bad parameter: a ValueError that also carries the key, with the CLI's message.
  static py::exception<runner::ConfigError> config_error(m, "ConfigError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const runner::ConfigError& e) {
      py::object error = py::reinterpret_borrow<py::object>(config_error)(e.what());
      error.attr("key") = e.key();
      error.attr("file") = e.file();
      PyErr_SetObject(config_error.ptr(), error.ptr());
    }
  });

  m.def("_keyword_names", &python::keyword_names, py::arg("function"),
        "the keyword names a function of this module accepts (None: not one of them)");

  python::bind_runner(m);
  python::bind_hopfield(m);
  python::bind_spins(m);
  python::bind_diffusion(m);
  python::bind_langevin(m);
  python::bind_bridge(m);
  python::bind_conditional(m);
}
