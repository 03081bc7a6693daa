#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <vector>

#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/softmax_retrieval.hpp"

using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

Points random_points(Eigen::Index n, Eigen::Index d, Stream& s, double sd = 1.0) {
  Points x(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = sd * s.normal();
  return x;
}

// A mixture with unequal weights and full, anisotropic covariances.
GaussianMixture full_mixture(Stream& s) {
  const int d = 3;
  GaussianMixture m;
  m.weights = Eigen::Vector3d(0.5, 0.3, 0.2);
  m.means = random_points(3, d, s, 3.0);
  for (int k = 0; k < 3; ++k) {
    const Eigen::MatrixXd b = random_points(d, d, s);
    m.covariances.push_back(b * b.transpose() + 0.2 * Eigen::MatrixXd::Identity(d, d));
  }
  return m;
}

// Fourth-order central difference of a scalar function along coordinate j.
template <class F>
Points gradient_fd(F log_p, const Points& x, double h) {
  Points g(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    auto shifted = [&](double k) {
      Points y = x;
      y.col(j).array() += k * h;
      return log_p(y);
    };
    g.col(j) = (-shifted(2) + 8 * shifted(1) - 8 * shifted(-1) + shifted(-2)) / (12 * h);
  }
  return g;
}

// Independent reference: log p_t(x) = log (1/P) sum_mu N(x; a xi_mu, sigma^2 I), from distances directly.
Eigen::VectorXd empirical_log_density(const Points& train, const Points& x, const NoiseLevel& lv) {
  const double s2 = lv.sigma * lv.sigma;
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    std::vector<double> l;
    for (Eigen::Index mu = 0; mu < train.rows(); ++mu)
      l.push_back(-(x.row(i) - lv.scale * train.row(mu)).squaredNorm() / (2 * s2));
    const double m = *std::max_element(l.begin(), l.end());
    double sum = 0;
    for (double v : l) sum += std::exp(v - m);
    out[i] = m + std::log(sum / train.rows()) - 0.5 * x.cols() * std::log(2 * std::numbers::pi * s2);
  }
  return out;
}

}  // namespace

TEST_CASE("exact mixture score equals finite differences of log p_t (rel 1e-6)", "[diffusion][score]") {
  Stream s(11, 0, 0, Purpose::patterns);
  const GaussianMixtureScore model(full_mixture(s));
  const auto vp = make_process("vp");
  const auto edm = make_process("edm");
  for (const NoiseLevel lv : {vp->level(1e-3), vp->level(0.3), vp->level(1.0), edm->level(0.002), edm->level(2.0)}) {
    Stream ps(11, 0, 0, Purpose::evaluation);
    Points x = random_points(40, 3, ps, 3.0);
    Points sc(x.rows(), x.cols());
    model.score(x, lv, sc);
    const Points fd = gradient_fd([&](const Points& y) { return model.log_density(y, lv); }, x, 1e-3);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      INFO("t = " << lv.t << " point " << i);
      CHECK((fd.row(i) - sc.row(i)).norm() <= 1e-6 * sc.row(i).norm() + 1e-9);
    }
  }
}

TEST_CASE("mixture log density equals the explicit Gaussian formula", "[diffusion][score]") {
  // 1-D mixture 0.3 N(-1, 0.5^2) + 0.7 N(2, 1), noised with a = 0.8, sigma = 0.6.
  Points means(2, 1);
  means << -1.0, 2.0;
  const GaussianMixtureScore model(isotropic_mixture({0.3, 0.7}, means, {0.5, 1.0}));
  const NoiseLevel lv{0.0, 0.8, 0.6};
  Points x(3, 1);
  x << -2.0, 0.1, 3.0;
  const Eigen::VectorXd lp = model.log_density(x, lv);
  auto normal = [](double y, double m, double v) {
    return std::exp(-(y - m) * (y - m) / (2 * v)) / std::sqrt(2 * std::numbers::pi * v);
  };
  for (int i = 0; i < 3; ++i) {
    const double p = 0.3 * normal(x(i, 0), -0.8, 0.64 * 0.25 + 0.36) + 0.7 * normal(x(i, 0), 1.6, 0.64 + 0.36);
    CHECK(lp[i] == Approx(std::log(p)).epsilon(1e-13));
  }
}

TEST_CASE("empirical score: x + sigma^2 score equals the independent posterior mean (1e-12)", "[diffusion][score]") {
  Stream s(12, 0, 0, Purpose::patterns);
  const Points train = random_points(37, 5, s, 1.5);  // unequal norms: the bias term matters
  // Blocks smaller than the data so the streaming log-sum-exp crosses block boundaries.
  const EmpiricalScore model(train, RetrievalBlocks{4, 8});
  const auto ou = make_process("ou");
  for (const NoiseLevel lv : {ou->level(0.02), ou->level(0.5), ou->level(3.0), NoiseLevel{0, 1.0, 0.05}}) {
    Stream ps(12, 0, 0, Purpose::evaluation);
    const Points x = lv.scale * train.topRows(10) + random_points(10, 5, ps, lv.sigma);
    Points sc(x.rows(), x.cols());
    model.score(x, lv, sc);
    const Points lhs = x + lv.sigma * lv.sigma * sc;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      // Posterior weights from distances: w_mu ~ exp(-|x - a xi_mu|^2 / 2 sigma^2).
      Eigen::VectorXd logw(train.rows());
      for (Eigen::Index mu = 0; mu < train.rows(); ++mu)
        logw[mu] = -(x.row(i) - lv.scale * train.row(mu)).squaredNorm() / (2 * lv.sigma * lv.sigma);
      Eigen::VectorXd w = (logw.array() - logw.maxCoeff()).exp();
      w /= w.sum();
      const Eigen::RowVectorXd expected = lv.scale * (w.transpose() * train);
      INFO("sigma = " << lv.sigma << " point " << i);
      CHECK((lhs.row(i) - expected).norm() <= 1e-12 * (expected.norm() + x.row(i).norm()));
    }
  }
}

TEST_CASE("empirical score equals finite differences of the noised empirical log density", "[diffusion][score]") {
  Stream s(13, 0, 0, Purpose::patterns);
  const Points train = random_points(25, 4, s);
  const EmpiricalScore model(train, RetrievalBlocks{3, 7});
  const NoiseLevel lv = make_process("vp")->level(0.4);
  Stream ps(13, 0, 0, Purpose::evaluation);
  const Points x = random_points(12, 4, ps);
  Points sc(x.rows(), x.cols());
  model.score(x, lv, sc);
  const Points fd = gradient_fd([&](const Points& y) { return empirical_log_density(train, y, lv); }, x, 1e-3);
  for (Eigen::Index i = 0; i < x.rows(); ++i) CHECK((fd.row(i) - sc.row(i)).norm() <= 1e-6 * sc.row(i).norm());
}

TEST_CASE("equal-norm patterns: the empirical denoiser is Ramsauer's softmax update with beta = 1/sigma^2",
          "[diffusion][score][hopfield]") {
  Stream s(14, 0, 0, Purpose::patterns);
  const int p = 30, n = 64;
  Points xi(p, n);
  for (int mu = 0; mu < p; ++mu)
    for (int i = 0; i < n; ++i) xi(mu, i) = s.spin();
  const double sigma = 2.5, beta = 1.0 / (sigma * sigma);
  Stream qs(14, 0, 0, Purpose::cue);
  Points q = xi.topRows(5) + random_points(5, n, qs, 1.0);
  Points denoised, retrieved;
  EmpiricalScore(xi, RetrievalBlocks{2, 4}).denoise(q, NoiseLevel{0, 1.0, sigma}, denoised);
  Eigen::VectorXd lse;
  softmax_retrieval(q, xi, beta, Eigen::VectorXd(), retrieved, &lse);
  for (int i = 0; i < q.rows(); ++i) {
    // xi_new = X softmax(beta X^T xi), written out.
    Eigen::VectorXd logits = beta * (xi * q.row(i).transpose());
    const double m = logits.maxCoeff();
    Eigen::VectorXd w = (logits.array() - m).exp();
    const double z = w.sum();
    w /= z;
    const Eigen::RowVectorXd update = w.transpose() * xi;
    CHECK((retrieved.row(i) - update).norm() <= 1e-12 * update.norm());
    CHECK((denoised.row(i) - update).norm() <= 1e-12 * update.norm());
    CHECK(lse[i] == Approx(m + std::log(z)).epsilon(1e-14));
  }
}

TEST_CASE("softmax retrieval does not depend on the blocking and survives huge logits", "[diffusion][score]") {
  Stream s(15, 0, 0, Purpose::patterns);
  const Points xi = random_points(103, 16, s);
  Stream qs(15, 0, 0, Purpose::cue);
  const Points q = random_points(21, 16, qs);
  Eigen::VectorXd bias = -0.5 * xi.rowwise().squaredNorm();
  Points ref, out;
  softmax_retrieval(q, xi, 1.0, bias, ref, nullptr, RetrievalBlocks{1000, 1000});
  for (auto b : {RetrievalBlocks{1, 1}, RetrievalBlocks{5, 10}, RetrievalBlocks{21, 103}, RetrievalBlocks{8, 64}}) {
    softmax_retrieval(q, xi, 1.0, bias, out, nullptr, b);
    CHECK((out - ref).norm() <= 1e-13 * ref.norm());
  }
  // sigma = 1e-4 in d = 16: logits ~ 1e8; the denoiser returns the nearest training point.
  const Points x = xi.topRows(3) + 1e-6 * q.topRows(3);
  Points den;
  EmpiricalScore(xi).denoise(x, NoiseLevel{0, 1.0, 1e-4}, den);
  REQUIRE(den.allFinite());
  CHECK((den - xi.topRows(3)).norm() <= 1e-12 * xi.topRows(3).norm());
}
