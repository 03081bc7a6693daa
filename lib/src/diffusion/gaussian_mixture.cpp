#include "spindiff/diffusion/gaussian_mixture.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace spindiff::diffusion {

void GaussianMixture::validate() const {
  const auto k = weights.size();
  if (k == 0) throw std::invalid_argument("mixture: no components");
  if (means.rows() != k || static_cast<Eigen::Index>(covariances.size()) != k)
    throw std::invalid_argument("mixture: weights, means and covariances disagree on the number of components");
  if ((weights.array() < 0).any() || std::abs(weights.sum() - 1.0) > 1e-12)
    throw std::invalid_argument("mixture: weights must be non-negative and sum to 1");
  for (const auto& c : covariances) {
    if (c.rows() != means.cols() || c.cols() != means.cols())
      throw std::invalid_argument("mixture: covariance shape differs from the dimension");
    if (Eigen::LLT<Eigen::MatrixXd>(c).info() != Eigen::Success)
      throw std::invalid_argument("mixture: covariance not positive definite");
  }
}

GaussianMixture isotropic_mixture(std::vector<double> weights, const Points& means, std::vector<double> stds) {
  GaussianMixture m;
  m.weights = Eigen::Map<Eigen::VectorXd>(weights.data(), static_cast<Eigen::Index>(weights.size()));
  if (m.weights.sum() <= 0) throw std::invalid_argument("mixture: weights sum to zero");
  m.weights /= m.weights.sum();
  m.means = means;
  if (stds.size() != weights.size()) throw std::invalid_argument("mixture: one std per component needed");
  for (double s : stds)
    m.covariances.push_back(s * s * Eigen::MatrixXd::Identity(means.cols(), means.cols()));
  m.validate();
  return m;
}

Points sample_mixture(const GaussianMixture& mixture, Eigen::Index n, Stream& stream) {
  const int k = mixture.components(), d = mixture.dim();
  std::vector<Eigen::MatrixXd> chol;
  for (const auto& c : mixture.covariances) chol.push_back(Eigen::LLT<Eigen::MatrixXd>(c).matrixL());
  Points x(n, d);
  Eigen::VectorXd z(d);
  for (Eigen::Index i = 0; i < n; ++i) {
    double u = stream.uniform();
    int c = 0;
    while (c < k - 1 && u >= mixture.weights[c]) u -= mixture.weights[c++];
    for (int j = 0; j < d; ++j) z[j] = stream.normal();
    x.row(i) = mixture.means.row(c) + (chol[c] * z).transpose();
  }
  return x;
}

GaussianMixtureScore::GaussianMixtureScore(GaussianMixture mixture) : mixture_(std::move(mixture)) {
  mixture_.validate();
}

void GaussianMixtureScore::evaluate(const Points& x, const NoiseLevel& level, Eigen::MatrixXd& logp,
                                    std::vector<Points>* grads) const {
  const int k = mixture_.components(), d = mixture_.dim();
  const Eigen::Index n = x.rows();
  logp.resize(n, k);
  if (grads) grads->resize(k);
  const double a = level.scale, s2 = level.sigma * level.sigma;
  for (int c = 0; c < k; ++c) {
    const Eigen::MatrixXd cov = a * a * mixture_.covariances[c] + s2 * Eigen::MatrixXd::Identity(d, d);
    const Eigen::LLT<Eigen::MatrixXd> llt(cov);
    if (llt.info() != Eigen::Success) throw std::runtime_error("mixture score: singular noised covariance");
    const Eigen::MatrixXd L = llt.matrixL();
    const double log_det = 2.0 * L.diagonal().array().log().sum();
    // Columns are points: y = L^{-1} (x - a mu)^T.
    Eigen::MatrixXd diff = (x.rowwise() - a * mixture_.means.row(c)).transpose();
    Eigen::MatrixXd y = L.triangularView<Eigen::Lower>().solve(diff);
    const double w = mixture_.weights[c];
    const double norm = (w > 0 ? std::log(w) : -INFINITY) - 0.5 * log_det - 0.5 * d * std::log(2 * std::numbers::pi);
    logp.col(c) = (-0.5 * y.colwise().squaredNorm().array() + norm).matrix().transpose();
    if (grads) (*grads)[c] = -L.transpose().triangularView<Eigen::Upper>().solve(y).transpose();
  }
}

Eigen::MatrixXd GaussianMixtureScore::responsibilities(const Points& x, const NoiseLevel& level) const {
  Eigen::MatrixXd logp;
  evaluate(x, level, logp, nullptr);
  const Eigen::VectorXd m = logp.rowwise().maxCoeff();
  Eigen::MatrixXd r = (logp.colwise() - m).array().exp().matrix();
  r.array().colwise() /= r.rowwise().sum().array();
  return r;
}

Eigen::VectorXd GaussianMixtureScore::log_density(const Points& x, const NoiseLevel& level) const {
  Eigen::MatrixXd logp;
  evaluate(x, level, logp, nullptr);
  const Eigen::VectorXd m = logp.rowwise().maxCoeff();
  return m.array() + (logp.colwise() - m).array().exp().rowwise().sum().log();
}

void GaussianMixtureScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  Eigen::MatrixXd logp;
  std::vector<Points> grads;
  evaluate(x, level, logp, &grads);
  const Eigen::VectorXd m = logp.rowwise().maxCoeff();
  Eigen::MatrixXd r = (logp.colwise() - m).array().exp().matrix();
  r.array().colwise() /= r.rowwise().sum().array();
  out.setZero(x.rows(), x.cols());
  for (int c = 0; c < mixture_.components(); ++c) out += r.col(c).asDiagonal() * grads[c];
}

}  // namespace spindiff::diffusion
