// A spin model added to the kinds as a new model is: one entry (here in the test, registered with
// register_spin_model; in the library, a header model_<name>.hpp and one row of model_table()). The periodic
// Ising chain then runs in spins.exact and spins.thermo, with every move that fits it.
#include <catch2/catch.hpp>
#include <cmath>

#include "../../lib/src/kinds/spins/model_table.hpp"
#include "bridge/kind_runner.hpp"
#include "ring_model.hpp"

namespace sk = spindiff::runner::spins_kinds;
using spindiff::test::run_kind;

namespace {

struct RingModel {
  using Model = spindiff::test::IsingRing;
  static constexpr const char* name = "ring";
  static constexpr const char* size_param = "N";
  static std::vector<spindiff::runner::ParamSpec> params() {
    return {spindiff::runner::integer_param("N", 12, 3, 1e6, "ring length")};
  }
  static spindiff::mc::ModelFacts facts(const spindiff::runner::Params& p) {
    spindiff::mc::ModelFacts f;
    f.bonds = true;
    f.ferromagnetic = p.real("J") >= 0.0;
    return f;
  }
  static std::optional<double> spin_count(const spindiff::runner::Params& p) {
    return static_cast<double>(p.integer("N"));
  }
  static void check_size(const spindiff::runner::Params&) {}
  static sk::Built<Model> build(const spindiff::runner::Params& p, const spindiff::runner::TaskContext&, std::uint32_t,
                                spindiff::runner::TaskOutput*) {
    return {Model(static_cast<std::size_t>(p.integer("N")), p.real("J")), std::nullopt};
  }
};

// Registered before any kind is built (static initialisation precedes main).
const bool registered = [] {
  sk::register_spin_model(sk::model_entry<RingModel>());
  return true;
}();

// Exact energy per spin of the periodic chain: Z = (2 cosh K)^N + (2 sinh K)^N with K = J / T.
double ring_energy(int n, double J, double T) {
  const double K = J / T, c = std::pow(2 * std::cosh(K), n), s = std::pow(2 * std::sinh(K), n);
  return -J * (std::tanh(K) * c + s / std::tanh(K)) / (c + s);
}

}  // namespace

TEST_CASE("an example spin model (one entry, one table row) runs in spins.exact and spins.thermo", "[spins][kind]") {
  REQUIRE(registered);
  const double J = 1.0, T = 1.5;
  const int n = 10;
  // Exact enumeration: its dense couplings are read off its local fields.
  const auto exact = run_kind("spins.exact", {{"model", std::string("ring")}, {"N", std::int64_t{n}}, {"T", T}});
  CHECK(exact.scalar("energy") == Approx(ring_energy(n, J, T)).epsilon(1e-12));
  // Monte Carlo with Wolff clusters (the facts say it has bonds and is ferromagnetic) and with Metropolis.
  for (const std::string algorithm : {"wolff", "metropolis"}) {
    INFO(algorithm);
    const auto mc = run_kind("spins.thermo", {{"model", std::string("ring")},
                                              {"N", std::int64_t{n}},
                                              {"T", T},
                                              {"algorithm", algorithm},
                                              {"sweeps", std::int64_t{20000}},
                                              {"thermalize", std::int64_t{1000}}});
    const double v = mc.scalar("energy"), err = mc.scalar("energy_err");
    INFO("energy " << v << " +- " << err << ", exact " << ring_energy(n, J, T));
    CHECK(err < 0.01);
    CHECK(std::abs(v - ring_energy(n, J, T)) < 4 * err);
  }
}
