#include "spindiff/spins/dense.hpp"

#include <stdexcept>

namespace spindiff::spins {

DenseCouplings::DenseCouplings(Eigen::MatrixXd J, Eigen::VectorXd h) : J_(std::move(J)), h_(std::move(h)) {
  if (J_.rows() != J_.cols()) throw std::invalid_argument("DenseCouplings: J must be square");
  if (h_.size() == 0) h_ = Eigen::VectorXd::Zero(J_.rows());
  if (h_.size() != J_.rows()) throw std::invalid_argument("DenseCouplings: h has the wrong length");
  if (!J_.isApprox(J_.transpose(), 1e-12)) throw std::invalid_argument("DenseCouplings: J must be symmetric");
  J_ = 0.5 * (J_ + J_.transpose()).eval();
  J_.diagonal().setZero();
}

double DenseCouplings::energy(std::span<const Spin> s) const {
  Eigen::VectorXd v(static_cast<Eigen::Index>(s.size()));
  for (std::size_t i = 0; i < s.size(); ++i) v[static_cast<Eigen::Index>(i)] = s[i];
  return -0.5 * v.dot(J_ * v) - h_.dot(v);
}

DenseCouplings::Cache DenseCouplings::make_cache(std::span<const Spin> s) const {
  Eigen::VectorXd v(static_cast<Eigen::Index>(s.size()));
  for (std::size_t i = 0; i < s.size(); ++i) v[static_cast<Eigen::Index>(i)] = s[i];
  const Eigen::VectorXd f = J_ * v + h_;
  return Cache(f.data(), f.data() + f.size());
}

}  // namespace spindiff::spins
