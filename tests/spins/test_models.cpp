#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/mc/checkerboard_ising2d.hpp"
#include "spindiff/spins/couplings.hpp"

using namespace spindiff;
using namespace spindiff::spins;

namespace {

Config random_config(std::size_t n, Stream& rng) {
  Config s(n);
  for (Spin& x : s) x = static_cast<Spin>(rng.spin());
  return s;
}

// delta_energy must equal the energy difference of a flip, and the cache must follow flips.
template <class M>
void check_model(const M& model, Stream& rng) {
  Config s = random_config(model.size(), rng);
  auto cache = model.make_cache(s);
  const DenseCouplings dense = to_dense(model);
  for (int step = 0; step < 200; ++step) {
    const std::size_t i = rng.below(static_cast<std::uint32_t>(model.size()));
    const double before = model.energy(s);
    const double dE = model.delta_energy(s, cache, i);
    model.flip(s, cache, i);
    REQUIRE(model.energy(s) - before == Approx(dE).margin(1e-9));
    REQUIRE(dense.energy(s) == Approx(model.energy(s)).margin(1e-9));
  }
  const auto fresh = model.make_cache(s);
  for (std::size_t i = 0; i < model.size(); ++i)
    REQUIRE(model.local_field(s, cache, i) == Approx(model.local_field(s, fresh, i)).margin(1e-9));
}

}  // namespace

TEST_CASE("every model: delta_energy is the energy change of a flip", "[spins]") {
  Stream rng(1, 0, 0, Purpose::user);
  for (Boundary b : {Boundary::periodic, Boundary::open}) {
    check_model(IsingLattice(5, 2, 1.0, 0.3, b), rng);
    check_model(IsingLattice(4, 3, -0.7, 0.1, b), rng);
    check_model(IsingLattice(2, 2, 1.0, 0.0, b), rng);
  }
  Stream c(2, 0, 0, Purpose::couplings);
  check_model(sk_couplings(15, 1.0, 0.2, c), rng);
  Patterns p = hopfield::random_patterns(20, 3, 0.0, c);
  check_model(PatternCouplings(p), rng);
  check_model(to_dense(PatternCouplings(p)), rng);
  check_model(SparseCouplings(parse_edge_list("0 1 1.5\n1 2 -0.5\n2 3 0.25\n0 3 1\nfield 2 0.3\n")), rng);
}

TEST_CASE("lattice geometry: bonds, open boundaries and sublattices", "[spins]") {
  const IsingLattice per(4, 2), open(4, 2, 1.0, 0.0, Boundary::open), cube(4, 3);
  const Config up(16, 1);
  CHECK(per.energy(up) == -32.0);               // 2 N bonds
  CHECK(open.energy(up) == -24.0);              // 2 L (L - 1) bonds
  CHECK(cube.energy(Config(64, 1)) == -192.0);  // 3 N bonds
  CHECK(per.sublattice(0).size() == 8);
  for (int c = 0; c < 2; ++c)
    for (std::uint32_t i : per.sublattice(c))
      for (int k = 0; k < 4; ++k)
        CHECK(std::find(per.sublattice(c).begin(), per.sublattice(c).end(), per.neighbor(i, k)) ==
              per.sublattice(c).end());
  CHECK_FALSE(IsingLattice(5, 2).bipartite());
}

TEST_CASE("edge-list format: comments, fields, declared size, errors", "[spins]") {
  const EdgeList e =
      parse_edge_list("# a triangle\nspins 4\n0 1 1.0   # bond\n1 2 -2\n\n2 0 0.5\nfield 1 0.25\n1 0 1\n");
  CHECK(e.n == 4);
  CHECK(e.edges.size() == 4);
  CHECK(e.fields[1] == 0.25);
  const SparseCouplings m(e);
  const Config s = {1, -1, 1, 1};
  // Repeated bond 0-1 adds up to J = 2: E = -(2*(-1) + (-2)*(-1) + 0.5*1) - 0.25*(-1).
  CHECK(m.energy(s) == Approx(-(2.0 * -1 + -2.0 * -1 + 0.5 * 1) + 0.25));
  CHECK_THROWS_AS(parse_edge_list("0 0 1\n"), std::invalid_argument);
  CHECK_THROWS_AS(parse_edge_list("0 1\n"), std::invalid_argument);
  CHECK_THROWS_AS(parse_edge_list("0 x 1\n"), std::invalid_argument);
  CHECK_THROWS_AS(parse_edge_list("spins 2\n0 5 1\n"), std::invalid_argument);
  CHECK_THROWS_AS(parse_edge_list("# nothing\n"), std::invalid_argument);
}

TEST_CASE("SK couplings have variance J^2/N", "[spins]") {
  Stream rng(3, 0, 0, Purpose::couplings);
  const std::size_t N = 400;
  const DenseCouplings sk = sk_couplings(N, 2.0, 0.0, rng);
  double s2 = 0;
  const double pairs = N * (N - 1) / 2.0;
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j) s2 += sk.couplings()(i, j) * sk.couplings()(i, j);
  const double var = s2 / pairs, expected = 4.0 / N;
  // Var of the sample variance of normals: 2 sigma^4 / pairs.
  CHECK(std::abs(var - expected) < 4 * std::sqrt(2.0 / pairs) * expected);
}

TEST_CASE("checkerboard kernel: layout round trip and energy", "[spins]") {
  Stream rng(4, 0, 0, Purpose::dynamics);
  for (int L : {2, 4, 6, 16}) {
    mc::CheckerboardIsing2D sim(L, 1.0, 0.2, 2.0, mc::Rule::metropolis, rng);
    const IsingLattice lat(L, 2, 1.0, 0.2);
    const Config s = random_config(lat.size(), rng);
    sim.set_spins(s);
    CHECK(sim.spins() == s);
    CHECK(sim.energy() == Approx(lat.energy(s)));
    for (int t = 0; t < 3; ++t) sim.sweep();
    const Config after = sim.spins();
    CHECK(sim.energy() == Approx(lat.energy(after)));
    CHECK(sim.magnetization() == total_magnetization(after));
  }
  CHECK_THROWS(mc::CheckerboardIsing2D(5, 1.0, 0.0, 2.0, mc::Rule::metropolis, rng));
}
