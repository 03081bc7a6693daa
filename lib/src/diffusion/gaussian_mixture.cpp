#include "spindiff/diffusion/gaussian_mixture.hpp"

#include <algorithm>
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
  for (double s : stds) m.covariances.push_back(s * s * Eigen::MatrixXd::Identity(means.cols(), means.cols()));
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

GaussianMixtureScore::Factors GaussianMixtureScore::factorise(const NoiseLevel& level) const {
  const int k = mixture_.components(), d = mixture_.dim();
  const double a = level.scale, s2 = level.sigma * level.sigma;
  Factors f;
  f.log_norm.resize(k);
  f.scaled_means = a * mixture_.means;
  for (int c = 0; c < k; ++c) {
    const Eigen::MatrixXd cov = a * a * mixture_.covariances[c] + s2 * Eigen::MatrixXd::Identity(d, d);
    const Eigen::LLT<Eigen::MatrixXd> llt(cov);
    if (llt.info() != Eigen::Success) throw std::runtime_error("mixture score: singular noised covariance");
    f.chol.push_back(llt.matrixL());
    const double w = mixture_.weights[c];
    f.log_norm[c] = (w > 0 ? std::log(w) : -INFINITY) - f.chol.back().diagonal().array().log().sum() -
                    0.5 * d * std::log(2 * std::numbers::pi);
  }
  return f;
}

void GaussianMixtureScore::evaluate(const Factors& f, const Eigen::Ref<const Points>& x, Eigen::MatrixXd& logp,
                                    std::vector<Points>* grads) const {
  const int k = mixture_.components();
  logp.resize(x.rows(), k);
  if (grads) grads->resize(k);
  for (int c = 0; c < k; ++c) {
    const auto L = f.chol[c].triangularView<Eigen::Lower>();
    // Columns are points: y = L^{-1} (x - a mu)^T.
    Eigen::MatrixXd y = (x.rowwise() - f.scaled_means.row(c)).transpose();
    L.solveInPlace(y);
    logp.col(c) = (-0.5 * y.colwise().squaredNorm().array() + f.log_norm[c]).matrix().transpose();
    if (grads) {
      L.transpose().solveInPlace(y);
      (*grads)[c] = -y.transpose();
    }
  }
}

namespace {
// Row blocks keep the temporaries in cache.
constexpr Eigen::Index kRows = 512;

Eigen::MatrixXd softmax_rows(const Eigen::MatrixXd& logp) {
  const Eigen::VectorXd m = logp.rowwise().maxCoeff();
  Eigen::MatrixXd r = (logp.colwise() - m).array().exp().matrix();
  r.array().colwise() /= r.rowwise().sum().array();
  return r;
}
}  // namespace

Eigen::MatrixXd GaussianMixtureScore::responsibilities(const Points& x, const NoiseLevel& level) const {
  const Factors f = factorise(level);
  Eigen::MatrixXd out(x.rows(), mixture_.components()), logp;
  for (Eigen::Index i0 = 0; i0 < x.rows(); i0 += kRows) {
    const Eigen::Index n = std::min(kRows, x.rows() - i0);
    evaluate(f, x.middleRows(i0, n), logp, nullptr);
    out.middleRows(i0, n) = softmax_rows(logp);
  }
  return out;
}

Eigen::VectorXd GaussianMixtureScore::log_density(const Points& x, const NoiseLevel& level) const {
  const Factors f = factorise(level);
  Eigen::VectorXd out(x.rows());
  Eigen::MatrixXd logp;
  for (Eigen::Index i0 = 0; i0 < x.rows(); i0 += kRows) {
    const Eigen::Index n = std::min(kRows, x.rows() - i0);
    evaluate(f, x.middleRows(i0, n), logp, nullptr);
    const Eigen::VectorXd m = logp.rowwise().maxCoeff();
    out.segment(i0, n) = m.array() + (logp.colwise() - m).array().exp().rowwise().sum().log();
  }
  return out;
}

void GaussianMixtureScore::score(const Points& x, const NoiseLevel& level, Points& out) const {
  const Factors f = factorise(level);
  out.resize(x.rows(), x.cols());
  Eigen::MatrixXd logp;
  std::vector<Points> grads;
  for (Eigen::Index i0 = 0; i0 < x.rows(); i0 += kRows) {
    const Eigen::Index n = std::min(kRows, x.rows() - i0);
    evaluate(f, x.middleRows(i0, n), logp, &grads);
    const Eigen::MatrixXd r = softmax_rows(logp);
    auto o = out.middleRows(i0, n);
    o = r.col(0).asDiagonal() * grads[0];
    for (int c = 1; c < mixture_.components(); ++c) o += r.col(c).asDiagonal() * grads[c];
  }
}

}  // namespace spindiff::diffusion
