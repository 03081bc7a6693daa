// spindiff.spins: spin models (Ising lattice, SK, dense couplings, edge lists), exact enumeration and a
// Monte Carlo chain on the library's driver (mc::run_chain over the move mc::make_move selects).
#include <fmt/format.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>

#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "spindiff/mc/chain.hpp"
#include "spindiff/mc/exact.hpp"
#include "spindiff/mc/moves.hpp"
#include "spindiff/spins/couplings.hpp"
#include "spindiff/spins/dense.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/sparse.hpp"

namespace spindiff::python {

namespace {

// A number of sweeps given from Python: a negative one is a bad value, not a type error.
std::size_t sweep_count(std::int64_t n) {
  if (n < 0) throw py::value_error("n: must be at least 0");
  return static_cast<std::size_t>(n);
}

using ModelVariant = std::variant<spins::IsingLattice, spins::DenseCouplings, spins::SparseCouplings>;

struct Model {
  ModelVariant model;
  std::string description;
  std::size_t size() const {
    return std::visit([](const auto& m) { return m.size(); }, model);
  }
};

// A replica of a model with its updater; the chain's stream is its own (seed, 0, 0, dynamics) unless named.
// A chain as the library's Monte Carlo driver runs it: the move make_move selects (single-spin Metropolis or
// heat bath, the packed checkerboard kernel, Wolff clusters, parallel tempering) advanced by mc::run_chain.
// The erased interface is called once per sweep(n), never inside the sweeps.
class ChainBase {
 public:
  virtual ~ChainBase() = default;
  virtual void run(std::size_t n, bool thermalizing) = 0;
  virtual double energy() const = 0;
  virtual std::int64_t magnetization() const = 0;
  virtual spins::Config spins() const = 0;
  virtual void set_spins(spins::Config s) = 0;
  virtual const mc::Cursor& cursor() const = 0;
  virtual std::string move_name() const = 0;
};

template <class M, class Mv>
class ChainOf final : public ChainBase {
 public:
  template <class Streams>
  ChainOf(const M& model, Mv move, spins::Config init, Streams&& streams)
      : model_(&model), move_(std::move(move)), start_(move_.start(std::move(init), streams)) {}

  // n sweeps; while thermalizing, the move may adapt (Wolff learns its cluster size) and nothing is counted.
  void run(std::size_t n, bool thermalizing) override {
    if (thermalizing && cursor_.sweep != thermalized_)
      throw py::value_error("thermalize: only before the first measured sweep (a kind's thermalize)");
    const auto k = static_cast<std::int64_t>(n);
    if (thermalizing) thermalized_ += k;
    const mc::Schedule schedule{thermalized_, thermalizing ? 0 : cursor_.sweep - thermalized_ + k};
    cursor_ = mc::run_chain(
        *model_, move_, schedule, start_.state, start_.stream, [](const auto&, std::int64_t) {},
        [](const mc::Cursor&) {}, cursor_);
  }
  double energy() const override { return mc::energy(mc::observed(move_, start_.state)); }
  std::int64_t magnetization() const override { return mc::magnetization(mc::observed(move_, start_.state)); }
  spins::Config spins() const override {
    const auto& x = mc::observed(move_, start_.state);
    if constexpr (requires { x.spins(); })
      return x.spins();
    else
      return x.spins;
  }
  void set_spins(spins::Config s) override {
    if constexpr (std::is_same_v<typename Mv::State, spins::Replica<M>>) {
      start_.state.spins = std::move(s);
      start_.state.resync(*model_);
    } else if constexpr (requires { start_.state.set_spins(std::span<const spins::Spin>(s)); }) {
      start_.state.set_spins(std::span<const spins::Spin>(s));
    } else {
      throw py::value_error("state: cannot be set on a parallel-tempering chain (give state= when creating it)");
    }
  }
  const mc::Cursor& cursor() const override { return cursor_; }
  std::string move_name() const override {
    if constexpr (std::is_same_v<Mv, mc::CheckerboardSweep>)
      return "checkerboard kernel (bytes)";
    else if constexpr (std::is_same_v<Mv, mc::MultiSpinSweep>)
      return "checkerboard kernel (multispin)";
    else if constexpr (requires { move_.exchange_acceptance(); })
      return "parallel tempering";
    else if constexpr (requires { move_.clusters_per_sweep(); })
      return "wolff";
    else
      return "single spin";
  }

 private:
  const M* model_;
  Mv move_;
  mc::Start<typename Mv::State> start_;
  mc::Cursor cursor_;
  std::int64_t thermalized_ = 0;
};

class Chain {
 public:
  Chain(std::shared_ptr<const Model> model, double T, const std::string& rule, const std::string& order,
        std::uint64_t seed, const std::optional<py::tuple>& task, const std::optional<py::array>& initial,
        const std::vector<double>& tempering, const std::string& kernel)
      : model_(std::move(model)) {
    if (!(T > 0) || !std::isfinite(T)) throw py::value_error("T: must be positive and finite");
    if (rule != "metropolis" && rule != "heatbath" && rule != "wolff")
      throw py::value_error("rule: unknown '" + rule + "'; allowed: metropolis, heatbath, wolff");
    mc::MoveSpec spec;
    spec.name = rule;
    try {
      spec.order = mc::parse_order(order);
    } catch (const std::exception&) {
      throw py::value_error("order: unknown '" + order + "'; allowed: random, sequential, checkerboard");
    }
    spec.tempering = tempering;
    if (kernel != "auto" && kernel != "bytes" && kernel != "multispin" && kernel != "generic")
      throw py::value_error("kernel: unknown '" + kernel + "'; allowed: auto, multispin, bytes, generic");
    spec.kernel = kernel;
    for (double t : tempering)
      if (!(t > 0) || !std::isfinite(t)) throw py::value_error("tempering: every temperature must be positive");
    key_ = task_streams(seed, task);
    // The spins.thermo kind's random start: one spin per site from the (seed, point, repeat, init) stream.
    spins::Config s;
    if (initial) {
      s = spins_of(*initial);
    } else {
      Stream init = key_(Purpose::init);
      s.resize(model_->size());
      for (auto& x : s) x = static_cast<spins::Spin>(init.spin());
    }
    const TaskStreams key = key_;
    auto streams = [key](Purpose purpose, std::uint64_t sub) { return key(purpose, sub); };
    std::visit(
        [&](const auto& m) {
          using M = std::decay_t<decltype(m)>;
          try {
            auto any = mc::make_move(spec, m, T);
            std::visit(
                [&](auto& move) {
                  using Mv = std::decay_t<decltype(move)>;
                  chain_ = std::make_unique<ChainOf<M, Mv>>(m, std::move(move), std::move(s), streams);
                },
                any);
          } catch (const std::invalid_argument& e) {
            throw py::value_error(std::string("rule/order: ") + e.what());
          }
        },
        model_->model);
  }

  std::uint64_t sweep(std::int64_t n_in) {
    const std::size_t n = sweep_count(n_in);
    const std::uint64_t before = chain_->cursor().accepted;
    {
      py::gil_scoped_release release;
      chain_->run(n, false);
    }
    return chain_->cursor().accepted - before;
  }
  void thermalize(std::int64_t n_in) {
    const std::size_t n = sweep_count(n_in);
    py::gil_scoped_release release;
    chain_->run(n, true);
  }
  double energy() const { return chain_->energy(); }
  std::int64_t magnetization() const { return chain_->magnetization(); }
  py::array_t<std::int8_t> state() const { return to_numpy(chain_->spins()); }
  void set_state(const py::array& s) { chain_->set_spins(spins_of(s)); }
  std::size_t sweeps() const { return static_cast<std::size_t>(chain_->cursor().sweep); }
  double acceptance() const { return chain_->cursor().acceptance(); }
  std::string move() const { return chain_->move_name(); }

 private:
  spins::Config spins_of(const py::array& a) const { return python::spins(a, "state", model_->size()); }

  std::shared_ptr<const Model> model_;
  TaskStreams key_;
  std::unique_ptr<ChainBase> chain_;
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
        const PointsView view(J, "J");
        const Eigen::Map<const diffusion::Points>& j = *view;
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
                    const std::optional<py::tuple>&, const std::optional<py::array>&, const std::vector<double>&,
                    const std::string&>(),
           py::arg("model"), py::arg("T"), py::arg("rule") = "metropolis", py::arg("order") = "random",
           py::arg("seed") = 0, py::arg("task") = py::none(), py::arg("state") = py::none(),
           py::arg("tempering") = std::vector<double>{}, py::arg("kernel") = "auto")
      .def("sweep", &Chain::sweep, py::arg("n") = 1, "n sweeps; returns the accepted (or flipped) spins")
      .def("thermalize", &Chain::thermalize, py::arg("n"),
           "n sweeps before the measured ones, as a kind's `thermalize`: the move may adapt (Wolff learns its "
           "cluster size) and acceptance does not count them")
      .def_property_readonly("acceptance", &Chain::acceptance)
      .def_property_readonly("move", &Chain::move)
      .def_property_readonly("energy", &Chain::energy)
      .def_property_readonly("magnetization", &Chain::magnetization)
      .def_property_readonly("sweeps", &Chain::sweeps)
      .def_property("state", &Chain::state, &Chain::set_state);
}

}  // namespace spindiff::python
