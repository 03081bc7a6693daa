#include "spindiff/diffusion/mixture_product.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace spindiff::diffusion {

GaussianMixture mixture_product(const GaussianMixture& a, const GaussianMixture& b) {
  a.validate();
  b.validate();
  if (a.dim() != b.dim()) throw std::invalid_argument("mixture product: dimensions differ");
  const int d = a.dim(), ka = a.components(), kb = b.components();
  GaussianMixture p;
  p.weights.resize(ka * kb);
  p.means.resize(ka * kb, d);
  Eigen::VectorXd log_w(ka * kb);
  for (int i = 0; i < ka; ++i)
    for (int j = 0; j < kb; ++j) {
      const int k = i * kb + j;
      const Eigen::MatrixXd ai = a.covariances[static_cast<std::size_t>(i)].inverse();
      const Eigen::MatrixXd bj = b.covariances[static_cast<std::size_t>(j)].inverse();
      Eigen::MatrixXd c = (ai + bj).inverse();
      c = 0.5 * (c + c.transpose());
      p.means.row(k) = (c * (ai * a.means.row(i).transpose() + bj * b.means.row(j).transpose())).transpose();
      p.covariances.push_back(c);
      const Eigen::MatrixXd s = a.covariances[static_cast<std::size_t>(i)] + b.covariances[static_cast<std::size_t>(j)];
      const Eigen::LLT<Eigen::MatrixXd> llt(s);
      const Eigen::VectorXd diff = (a.means.row(i) - b.means.row(j)).transpose();
      const Eigen::VectorXd y = llt.matrixL().solve(diff);
      log_w[k] = std::log(a.weights[i]) + std::log(b.weights[j]) - 0.5 * y.squaredNorm() -
                 Eigen::MatrixXd(llt.matrixL()).diagonal().array().log().sum() -
                 0.5 * d * std::log(2 * std::numbers::pi);
    }
  p.weights = (log_w.array() - log_w.maxCoeff()).exp();
  p.weights /= p.weights.sum();
  p.validate();
  return p;
}

}  // namespace spindiff::diffusion
