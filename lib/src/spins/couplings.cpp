#include "spindiff/spins/couplings.hpp"

#include <cmath>

namespace spindiff::spins {

DenseCouplings sk_couplings(std::size_t N, double J, double h, Stream& rng) {
  const auto n = static_cast<Eigen::Index>(N);
  Eigen::MatrixXd Jm = Eigen::MatrixXd::Zero(n, n);
  const double sd = J / std::sqrt(static_cast<double>(N));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) Jm(i, j) = Jm(j, i) = sd * rng.normal();
  return DenseCouplings(std::move(Jm), Eigen::VectorXd::Constant(n, h));
}

DenseCouplings hopfield_couplings(const Patterns& patterns) {
  const auto n = static_cast<Eigen::Index>(patterns.N), p = static_cast<Eigen::Index>(patterns.P);
  Eigen::MatrixXd xi(n, p);
  for (Eigen::Index mu = 0; mu < p; ++mu)
    for (Eigen::Index i = 0; i < n; ++i)
      xi(i, mu) = patterns(static_cast<std::size_t>(mu), static_cast<std::size_t>(i));
  Eigen::MatrixXd J = xi * xi.transpose() / static_cast<double>(n);
  J.diagonal().setZero();
  return DenseCouplings(std::move(J));
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
