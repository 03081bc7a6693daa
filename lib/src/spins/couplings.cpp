#include "spindiff/spins/couplings.hpp"

#include <cmath>

#include "spindiff/hopfield/rules.hpp"

namespace spindiff::spins {

DenseCouplings sk_couplings(std::size_t N, double J, double h, Stream& rng) {
  const auto n = static_cast<Eigen::Index>(N);
  Eigen::MatrixXd Jm = Eigen::MatrixXd::Zero(n, n);
  const double sd = J / std::sqrt(static_cast<double>(N));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) Jm(i, j) = Jm(j, i) = sd * rng.normal();
  return DenseCouplings(std::move(Jm), Eigen::VectorXd::Constant(n, h));
}

DenseCouplings to_dense(const PatternCouplings& p) {
  const hopfield::DenseModel hebb = hopfield::hebb_rule(p.patterns());
  return DenseCouplings(hebb.scale * hebb.J);
}

namespace {

// J_ij summed over the neighbour slots of each site, so the double bonds of L = 2 periodic lattices are kept.
template <HasNeighbors M>
Eigen::MatrixXd bond_matrix(const M& model) {
  const auto n = static_cast<Eigen::Index>(model.size());
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(n, n);
  for (std::size_t i = 0; i < model.size(); ++i)
    model.for_each_neighbor(
        i, [&](std::size_t j, double Jij) { J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += Jij; });
  return J;
}

}  // namespace

DenseCouplings to_dense(const IsingLattice& lattice) {
  const auto n = static_cast<Eigen::Index>(lattice.size());
  return DenseCouplings(bond_matrix(lattice), Eigen::VectorXd::Constant(n, lattice.h()));
}

DenseCouplings to_dense(const SparseCouplings& sparse) {
  return DenseCouplings(bond_matrix(sparse), Eigen::Map<const Eigen::VectorXd>(
                                                 sparse.fields().data(), static_cast<Eigen::Index>(sparse.size())));
}

}  // namespace spindiff::spins
