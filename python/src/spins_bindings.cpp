// spindiff.spins: spin models (Ising lattice, SK, dense couplings, edge lists), exact enumeration and a
// single-spin-flip Monte Carlo chain.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/mc/exact.hpp"
#include "spindiff/mc/single_spin.hpp"
#include "spindiff/spins/couplings.hpp"
#include "spindiff/spins/dense.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/sparse.hpp"

namespace spindiff::python {

namespace {

using ModelVariant = std::variant<spins::IsingLattice, spins::DenseCouplings, spins::SparseCouplings>;

struct Model {
  ModelVariant model;
  std::string description;
  std::size_t size() const {
    return std::visit([](const auto& m) { return m.size(); }, model);
  }
};

// A replica of a model with its updater; the chain's stream is its own (seed, 0, 0, dynamics) unless named.
template <class M>
struct ChainOf {
  ChainOf(const M& model, spins::Config s, double T, mc::Rule rule, mc::Order order)
      : model(&model), replica(model, std::move(s)), updater(model, T, rule, order) {}
  const M* model;
  spins::Replica<M> replica;
  mc::SingleSpinUpdater<M> updater;
};

class Chain {
 public:
  Chain(std::shared_ptr<const Model> model, double T, const std::string& rule, const std::string& order,
        std::uint64_t seed, const std::optional<py::tuple>& stream, const std::optional<py::array>& initial)
      : model_(std::move(model)), rng_(stream_from(seed, stream, Purpose::dynamics)) {
    if (!(T > 0)) throw py::value_error("T: must be positive");
    const mc::Rule r = rule == "metropolis" ? mc::Rule::metropolis
                       : rule == "heatbath"
                           ? mc::Rule::heatbath
                           : throw py::value_error("rule: unknown '" + rule + "'; allowed: metropolis, heatbath");
    const mc::Order o =
        order == "random"       ? mc::Order::random
        : order == "sequential" ? mc::Order::sequential
        : order == "checkerboard"
            ? mc::Order::checkerboard
            : throw py::value_error("order: unknown '" + order + "'; allowed: random, sequential, checkerboard");
    spins::Config s;
    if (initial) {
      s = spins_of(*initial);
    } else {  // a random start from the (seed, 0, 0, init) stream
      Stream init = stream ? rng_.substream(0) : Stream(seed, 0, 0, Purpose::init);
      s.resize(model_->size());
      for (auto& x : s) x = static_cast<spins::Spin>(init.spin());
    }
    std::visit(
        [&](const auto& m) {
          using M = std::decay_t<decltype(m)>;
          try {
            chain_ = std::make_unique<Any>(ChainOf<M>(m, std::move(s), T, r, o));
          } catch (const std::invalid_argument& e) {
            throw py::value_error(std::string("order: ") + e.what());
          }
        },
        model_->model);
  }

  std::uint64_t sweep(std::size_t n) {
    py::gil_scoped_release release;
    return std::visit(
        [&](auto& c) {
          std::uint64_t accepted = 0;
          for (std::size_t k = 0; k < n; ++k) accepted += c.updater.sweep(c.replica, rng_);
          sweeps_ += n;
          return accepted;
        },
        *chain_);
  }
  double energy() const {
    return std::visit([](const auto& c) { return c.replica.energy; }, *chain_);
  }
  std::int64_t magnetization() const {
    return std::visit([](const auto& c) { return c.replica.magnetization; }, *chain_);
  }
  py::array_t<std::int8_t> state() const {
    return std::visit([](const auto& c) { return to_numpy(spins::Config(c.replica.spins)); }, *chain_);
  }
  void set_state(const py::array& s) {
    auto config = spins_of(s);
    std::visit(
        [&](auto& c) {
          c.replica.spins = std::move(config);
          c.replica.resync(*c.model);
        },
        *chain_);
  }
  std::size_t sweeps() const { return sweeps_; }

 private:
  using Any =
      std::variant<ChainOf<spins::IsingLattice>, ChainOf<spins::DenseCouplings>, ChainOf<spins::SparseCouplings>>;
  spins::Config spins_of(const py::array& a) const { return python::spins(a, "state", model_->size()); }

  std::shared_ptr<const Model> model_;
  Stream rng_;
  std::unique_ptr<Any> chain_;
  std::size_t sweeps_ = 0;
};

py::list exact(const Model& model, const py::object& temperatures) {
  std::vector<double> Ts;
  if (py::isinstance<py::float_>(temperatures) || py::isinstance<py::int_>(temperatures))
    Ts.push_back(temperatures.cast<double>());
  else
    Ts = temperatures.cast<std::vector<double>>();
  for (double T : Ts)
    if (!(T > 0)) throw py::value_error("T: every temperature must be positive");
  if (model.size() > 30)
    throw py::value_error(fmt::format("model: {} spins; exact enumeration takes N <= 30", model.size()));
  std::vector<mc::ExactThermo> rows;
  {
    py::gil_scoped_release release;
    const spins::DenseCouplings dense =
        std::visit([](const auto& m) { return spins::DenseCouplings(spins::to_dense(m)); }, model.model);
    rows = mc::enumerate_exact(dense, Ts);
  }
  py::list out;
  for (const auto& r : rows) {
    py::dict d;
    d["T"] = r.T;
    d["log_z"] = r.log_z;
    d["free_energy"] = r.free_energy;
    d["energy"] = r.energy;
    d["entropy"] = r.entropy;
    d["specific_heat"] = r.specific_heat;
    d["abs_magnetization"] = r.abs_magnetization;
    d["magnetization_sq"] = r.magnetization_sq;
    d["magnetization_4"] = r.magnetization_4;
    d["susceptibility"] = r.susceptibility;
    d["binder"] = r.binder;
    d["ground_energy"] = r.ground_energy;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_spins(py::module_& m) {
  auto s = m.def_submodule("spins");
  py::class_<Model, std::shared_ptr<Model>>(s, "Model")
      .def_property_readonly("N", &Model::size)
      .def("energy",
           [](const Model& model, const py::array& state) {
             const auto c = spins(state, "state", model.size());
             return std::visit([&](const auto& mm) { return mm.energy(c); }, model.model);
           })
      .def("__repr__", [](const Model& model) { return "<spindiff.spins.Model " + model.description + ">"; });

  s.def(
      "ising",
      [](int L, int dim, double J, double h, const std::string& boundary) {
        if (L < 2) throw py::value_error("L: must be at least 2");
        if (dim < 1 || dim > 3) throw py::value_error("dim: must be 1, 2 or 3");
        if (boundary != "periodic" && boundary != "open")
          throw py::value_error("boundary: unknown '" + boundary + "'; allowed: periodic, open");
        return std::make_shared<Model>(Model{spins::IsingLattice(L, dim, J, h, spins::parse_boundary(boundary)),
                                             fmt::format("ising L={} dim={} J={} h={} {}", L, dim, J, h, boundary)});
      },
      py::arg("L"), py::arg("dim") = 2, py::arg("J") = 1.0, py::arg("h") = 0.0, py::arg("boundary") = "periodic");
  s.def(
      "sk",
      [](std::size_t N, double J, double h, std::uint64_t seed, const std::optional<py::tuple>& stream) {
        if (N < 2) throw py::value_error("N: must be at least 2");
        Stream rng = stream_from(seed, stream, Purpose::couplings);
        return std::make_shared<Model>(Model{spins::sk_couplings(N, J, h, rng), fmt::format("sk N={}", N)});
      },
      py::arg("N"), py::arg("J") = 1.0, py::arg("h") = 0.0, py::arg("seed") = 0, py::arg("stream") = py::none());
  s.def(
      "dense",
      [](const py::array& J, const std::optional<py::array>& h) {
        const Eigen::Map<const diffusion::Points> j = points_view(J, "J");
        if (j.rows() != j.cols() || j.rows() < 1) throw py::value_error("J: must be a square (N, N) matrix");
        if (!j.isApprox(j.transpose(), 0.0)) throw py::value_error("J: must be symmetric");
        Eigen::VectorXd field;
        if (h) {
          const auto hv = reals(*h, "h");
          if (hv.size() != static_cast<std::size_t>(j.rows())) throw py::value_error("h: must have shape (N,)");
          field = Eigen::Map<const Eigen::VectorXd>(hv.data(), static_cast<Eigen::Index>(hv.size()));
        }
        return std::make_shared<Model>(
            Model{spins::DenseCouplings(Eigen::MatrixXd(j), field), fmt::format("dense N={}", j.rows())});
      },
      py::arg("J"), py::arg("h") = py::none());
  s.def(
      "edges",
      [](const std::string& text) {
        try {
          const auto list = spins::parse_edge_list(text);
          return std::make_shared<Model>(Model{spins::SparseCouplings(list), fmt::format("edges N={}", list.n)});
        } catch (const std::invalid_argument& e) {
          throw py::value_error(std::string("edges: ") + e.what());
        }
      },
      py::arg("text"), "a model from the edges text format (\"i j J\" lines, \"field i h\", \"spins N\")");
  s.def("exact", &exact, py::arg("model"), py::arg("T"),
        "exact Boltzmann averages per spin by enumerating all 2^N states (N <= 30), one dict per temperature");

  py::class_<Chain>(s, "Chain")
      .def(py::init<std::shared_ptr<const Model>, double, const std::string&, const std::string&, std::uint64_t,
                    const std::optional<py::tuple>&, const std::optional<py::array>&>(),
           py::arg("model"), py::arg("T"), py::arg("rule") = "metropolis", py::arg("order") = "random",
           py::arg("seed") = 0, py::arg("stream") = py::none(), py::arg("state") = py::none())
      .def("sweep", &Chain::sweep, py::arg("n") = 1, "n sweeps (N update attempts each); returns accepted flips")
      .def_property_readonly("energy", &Chain::energy)
      .def_property_readonly("magnetization", &Chain::magnetization)
      .def_property_readonly("sweeps", &Chain::sweeps)
      .def_property("state", &Chain::state, &Chain::set_state);
}

}  // namespace spindiff::python
