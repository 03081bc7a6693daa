#include "spindiff/hopfield/rules.hpp"

#include <stdexcept>

namespace spindiff::hopfield {

namespace {

Eigen::MatrixXd pattern_matrix(const Patterns& patterns) {  // N × P, column μ = ξ^μ
  Eigen::MatrixXd X(patterns.N, patterns.P);
  for (std::size_t i = 0; i < patterns.N; ++i)
    for (std::size_t mu = 0; mu < patterns.P; ++mu)
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(mu)) = patterns(i, mu);
  return X;
}

}  // namespace

Rule parse_rule(std::string_view name) {
  if (name == "hebb") return Rule::hebb;
  if (name == "pseudo-inverse") return Rule::pseudo_inverse;
  if (name == "storkey") return Rule::storkey;
  throw std::invalid_argument("unknown learning rule '" + std::string(name) +
                              "' (allowed: hebb, pseudo-inverse, storkey)");
}

std::string_view rule_name(Rule rule) {
  switch (rule) {
    case Rule::hebb:
      return "hebb";
    case Rule::pseudo_inverse:
      return "pseudo-inverse";
    case Rule::storkey:
      return "storkey";
  }
  return "?";
}

DenseModel hebb_rule(const Patterns& patterns) {
  const Eigen::MatrixXd X = pattern_matrix(patterns);
  const auto n = static_cast<Eigen::Index>(patterns.N);
  DenseModel m;
  m.J = Eigen::MatrixXd::Zero(n, n);
  m.J.selfadjointView<Eigen::Lower>().rankUpdate(X);  // half the flops of X·Xᵀ; integers stay exact
  m.J.triangularView<Eigen::StrictlyUpper>() = m.J.transpose();
  m.J.diagonal().setZero();
  m.scale = 1.0 / static_cast<double>(patterns.N);
  return m;
}

DenseModel pseudo_inverse_rule(const Patterns& patterns) {
  const Eigen::MatrixXd X = pattern_matrix(patterns);
  const auto n = static_cast<Eigen::Index>(patterns.N);
  DenseModel m;
  if (patterns.P == 0) {
    m.J = Eigen::MatrixXd::Zero(n, n);
    return m;
  }
  const Eigen::MatrixXd C = X.transpose() * X;  // P × P Gram matrix
  Eigen::MatrixXd Y;                            // C⁻¹ Xᵀ
  Eigen::LLT<Eigen::MatrixXd> llt(C);
  if (llt.info() == Eigen::Success) {
    Y = llt.solve(X.transpose());
  } else {
    // Linearly dependent patterns: project on their span with the Moore–Penrose inverse of C.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
    const Eigen::VectorXd& ev = eig.eigenvalues();
    const double cut = 1e-10 * ev.cwiseAbs().maxCoeff();
    Eigen::VectorXd inv = ev.unaryExpr([cut](double v) { return v > cut ? 1.0 / v : 0.0; });
    Y = eig.eigenvectors() * inv.asDiagonal() * eig.eigenvectors().transpose() * X.transpose();
  }
  m.J = X * Y;
  m.J = 0.5 * (m.J + m.J.transpose()).eval();  // exact symmetry keeps E a Lyapunov function
  m.J.diagonal().setZero();
  m.scale = 1.0;
  return m;
}

DenseModel storkey_rule(const Patterns& patterns) {
  const auto n = static_cast<Eigen::Index>(patterns.N);
  const double inv_n = 1.0 / static_cast<double>(patterns.N);
  DenseModel m;
  m.J = Eigen::MatrixXd::Zero(n, n);
  Eigen::VectorXd xi(n);
  for (std::size_t mu = 0; mu < patterns.P; ++mu) {
    for (Eigen::Index i = 0; i < n; ++i) xi(i) = patterns(static_cast<std::size_t>(i), mu);
    // h_ij = (Wξ)_i − W_ij ξ_j (zero diagonal). With ξ_j² = 1 the rule becomes
    // ΔW = (1/N)(ξξᵀ − ξgᵀ − gξᵀ + 2W), g = Wξ, off the diagonal.
    const Eigen::VectorXd g = m.J * xi;
    m.J *= 1.0 + 2.0 * inv_n;
    m.J.noalias() += inv_n * (xi * xi.transpose() - xi * g.transpose() - g * xi.transpose());
    m.J.diagonal().setZero();
  }
  m.scale = 1.0;
  return m;
}

DenseModel learn(Rule rule, const Patterns& patterns) {
  switch (rule) {
    case Rule::hebb:
      return hebb_rule(patterns);
    case Rule::pseudo_inverse:
      return pseudo_inverse_rule(patterns);
    case Rule::storkey:
      return storkey_rule(patterns);
  }
  throw std::invalid_argument("learn: unknown rule");
}

}  // namespace spindiff::hopfield
