// spindiff.hopfield: a stored memory (patterns + rule) that recalls from cues, at T = 0 or at finite T.
#include <pybind11/stl.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/hopfield/patterns.hpp"
#include "spindiff/hopfield/rules.hpp"
#include "spindiff/hopfield/states.hpp"
#include "spindiff/hopfield/thermal_dynamics.hpp"

namespace spindiff::python {

namespace {

using hopfield::Network;

hopfield::Evaluation parse_evaluation(const std::string& name) {
  if (name == "automatic") return hopfield::Evaluation::automatic;
  if (name == "dense") return hopfield::Evaluation::dense;
  if (name == "pattern_form") return hopfield::Evaluation::pattern_form;
  throw std::invalid_argument("evaluation: unknown '" + name + "'; allowed: automatic, dense, pattern_form");
}

hopfield::Rule parse_rule(const std::string& name) {
  try {
    return hopfield::parse_rule(name);
  } catch (const std::exception&) {
    throw std::invalid_argument("rule: unknown '" + name + "'; allowed: hebb, pseudo-inverse, storkey");
  }
}

Network make_network(const py::array& patterns, const std::string& rule, const std::string& evaluation) {
  const auto rows = spin_rows(patterns, "patterns");
  const auto r = parse_rule(rule);
  const auto e = parse_evaluation(evaluation);
  py::gil_scoped_release release;  // the pseudo-inverse and Storkey rules are O(N^2 P) and more
  return Network(hopfield::patterns_from(rows), r, e);
}

py::dict recall(const Network& net, const py::array& cue, double T, std::int64_t max_sweeps_in,
                const std::string& update, std::uint64_t seed, const std::optional<py::tuple>& stream,
                bool record_overlaps) {
  if (!(T >= 0) || !std::isfinite(T)) throw py::value_error("T: must be zero or a positive finite temperature");
  if (max_sweeps_in < 0) throw py::value_error("max_sweeps: must be at least 0");
  const auto max_sweeps = static_cast<std::size_t>(max_sweeps_in);
  if (update != "async" && update != "sync")
    throw py::value_error("update: unknown '" + update + "'; allowed: async, sync");
  if (T > 0 && update != "async")
    throw py::value_error("update: finite-temperature recall is asynchronous (Glauber); use update='async'");
  const auto s0 = spins(cue, "cue", net.patterns().N);
  Stream rng = stream_from(seed, stream, Purpose::dynamics);
  hopfield::Recall r;
  if (T > 0) {
    // Glauber dynamics at temperature T: max_sweeps sweeps (no fixed point at T > 0).
    hopfield::ThermalOptions options;
    options.T = T;
    options.sweeps = max_sweeps;
    options.record_overlaps = record_overlaps;
    py::gil_scoped_release release;
    r = net.recall_at_temperature(s0, options, rng);
  } else {
    hopfield::DynamicsOptions options;
    options.update = update == "sync" ? hopfield::Update::sync : hopfield::Update::async;
    options.max_sweeps = max_sweeps;
    options.record_overlaps = record_overlaps;
    py::gil_scoped_release release;
    r = net.recall(s0, options, rng);
  }
  py::dict out;
  const auto P = static_cast<py::ssize_t>(r.trajectory.num_patterns);
  out["state"] = to_numpy(std::move(r.state));
  out["energies"] = to_numpy(std::move(r.trajectory.energies));
  if (P > 0) {
    const auto frames = static_cast<py::ssize_t>(r.trajectory.overlaps.size()) / P;
    out["overlaps"] = to_numpy(std::move(r.trajectory.overlaps), {frames, P});
  }
  out["sweeps"] = r.trajectory.sweeps;
  out["converged"] = r.trajectory.converged;
  out["two_cycle"] = r.trajectory.two_cycle;
  out["flips"] = r.trajectory.flips;
  return out;
}

double energy(const Network& net, const py::array& state) {
  const auto s = spins(state, "state", net.patterns().N);
  if (!net.pattern_form()) return hopfield::DenseState(net.model(), s).energy();
  // Hebb in pattern form: E = -(sum_mu M_mu^2 - P N) / (2N), M_mu = xi^mu . s (as HebbPatternState).
  const auto& p = net.patterns();
  std::int64_t quad = 0;
  for (std::size_t mu = 0; mu < p.P; ++mu) {
    std::int64_t m = 0;
    for (std::size_t i = 0; i < p.N; ++i) m += p(i, mu) * s[i];
    quad += m * m;
  }
  quad -= static_cast<std::int64_t>(p.P) * static_cast<std::int64_t>(p.N);
  return -0.5 * static_cast<double>(quad) / static_cast<double>(p.N);
}

py::array_t<std::int8_t> patterns_of(const Network& net) {
  const auto& p = net.patterns();
  std::vector<std::int8_t> rows(p.N * p.P);
  for (std::size_t mu = 0; mu < p.P; ++mu)
    for (std::size_t i = 0; i < p.N; ++i) rows[mu * p.N + i] = p(i, mu);
  return to_numpy(std::move(rows), {static_cast<py::ssize_t>(p.P), static_cast<py::ssize_t>(p.N)});
}

}  // namespace

void bind_hopfield(py::module_& m) {
  auto h = m.def_submodule("hopfield");
  py::class_<Network>(h, "Network")
      .def(py::init(&make_network), py::arg("patterns"), py::arg("rule") = "hebb", py::arg("evaluation") = "automatic")
      .def("recall", &recall, py::arg("cue"), py::arg("T") = 0.0, py::arg("max_sweeps") = 100,
           py::arg("update") = "async", py::arg("seed") = 0, py::arg("stream") = py::none(),
           py::arg("record_overlaps") = true)
      .def("energy", &energy, py::arg("state"))
      .def(
          "overlaps",
          [](const Network& net, const py::array& state) {
            return to_numpy(hopfield::overlaps(net.patterns(), spins(state, "state", net.patterns().N)));
          },
          py::arg("state"))
      .def_property_readonly("patterns", &patterns_of)
      .def_property_readonly("rule", [](const Network& net) { return std::string(hopfield::rule_name(net.rule())); })
      .def_property_readonly("pattern_form", &Network::pattern_form)
      .def_property_readonly("N", [](const Network& net) { return net.patterns().N; })
      .def_property_readonly("P", [](const Network& net) { return net.patterns().P; });
  h.def(
      "random_patterns",
      [](std::size_t N, std::size_t P, double bias, std::uint64_t seed, const std::optional<py::tuple>& stream) {
        if (bias < -1 || bias > 1) throw py::value_error("bias: must be in [-1, 1]");
        Stream rng = stream_from(seed, stream, Purpose::patterns);
        const auto p = hopfield::random_patterns(N, P, bias, rng);
        std::vector<std::int8_t> rows(N * P);
        for (std::size_t mu = 0; mu < P; ++mu)
          for (std::size_t i = 0; i < N; ++i) rows[mu * N + i] = p(i, mu);
        return to_numpy(std::move(rows), {static_cast<py::ssize_t>(P), static_cast<py::ssize_t>(N)});
      },
      py::arg("N"), py::arg("P"), py::arg("bias") = 0.0, py::arg("seed") = 0, py::arg("stream") = py::none(),
      "P random ±1 patterns of N sites, shape (P, N), int8");
}

}  // namespace spindiff::python
