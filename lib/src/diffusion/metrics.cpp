#include "spindiff/diffusion/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace spindiff::diffusion {

Eigen::MatrixXd squared_distances(const PointsRef& x, const PointsRef& y) {
  Eigen::MatrixXd d2 = -2.0 * (x * y.transpose());
  d2.colwise() += x.rowwise().squaredNorm();
  d2.rowwise() += y.rowwise().squaredNorm().transpose();
  return d2.cwiseMax(0.0);  // rounding can leave tiny negatives
}

namespace {
// Mean of k over the kernel matrix, excluding the diagonal when `same`.
double kernel_mean(const PointsRef& x, const PointsRef& y, double inv_two_h2, bool same) {
  const Eigen::Index block = 512;
  double total = 0.0;
  for (Eigen::Index i0 = 0; i0 < x.rows(); i0 += block) {
    const Eigen::Index ni = std::min(block, x.rows() - i0);
    Eigen::MatrixXd k = (-inv_two_h2 * squared_distances(x.middleRows(i0, ni), y)).array().exp().matrix();
    if (same)
      for (Eigen::Index r = 0; r < ni; ++r) k(r, i0 + r) = 0.0;
    total += k.sum();
  }
  const double pairs = same ? double(x.rows()) * double(x.rows() - 1) : double(x.rows()) * double(y.rows());
  return total / pairs;
}
}  // namespace

double mmd2_unbiased(const PointsRef& x, const PointsRef& y, double bandwidth) {
  if (x.rows() < 2 || y.rows() < 2 || x.cols() != y.cols())
    throw std::invalid_argument("mmd: need >= 2 points in each sample, same dimension");
  if (!(bandwidth > 0)) throw std::invalid_argument("mmd: bandwidth must be positive");
  const double c = 1.0 / (2.0 * bandwidth * bandwidth);
  return kernel_mean(x, x, c, true) + kernel_mean(y, y, c, true) - 2.0 * kernel_mean(x, y, c, false);
}

double median_distance(const PointsRef& x, const PointsRef& y, Eigen::Index max_points) {
  const Eigen::Index nx = std::min(max_points, x.rows()), ny = std::min(max_points, y.rows());
  Points pooled(nx + ny, x.cols());
  pooled << x.topRows(nx), y.topRows(ny);
  const Eigen::MatrixXd d2 = squared_distances(pooled, pooled);
  std::vector<double> v;
  for (Eigen::Index i = 0; i < d2.rows(); ++i)
    for (Eigen::Index j = i + 1; j < d2.cols(); ++j) v.push_back(d2(i, j));
  if (v.empty()) throw std::invalid_argument("median_distance: need two points");
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return std::sqrt(v[v.size() / 2]);
}

namespace {
// Quantile of sorted values at level u in (0, 1), linear interpolation between order statistics at (i + 1/2)/n.
double quantile(const std::vector<double>& sorted, double u) {
  const double pos = u * sorted.size() - 0.5;
  if (pos <= 0) return sorted.front();
  const auto i = static_cast<std::size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  const double f = pos - i;
  return (1 - f) * sorted[i] + f * sorted[i + 1];
}
}  // namespace

double sliced_wasserstein(const PointsRef& x, const PointsRef& y, int projections, Stream& stream) {
  if (x.cols() != y.cols() || x.rows() == 0 || y.rows() == 0 || projections < 1)
    throw std::invalid_argument("sliced_wasserstein: need non-empty samples of one dimension and projections >= 1");
  const Eigen::Index d = x.cols();
  std::vector<double> px(x.rows()), py(y.rows());
  double total = 0.0;
  Eigen::VectorXd dir(d);
  for (int k = 0; k < projections; ++k) {
    for (Eigen::Index j = 0; j < d; ++j) dir[j] = stream.normal();
    dir.normalize();
    Eigen::Map<Eigen::VectorXd>(px.data(), x.rows()) = x * dir;
    Eigen::Map<Eigen::VectorXd>(py.data(), y.rows()) = y * dir;
    std::sort(px.begin(), px.end());
    std::sort(py.begin(), py.end());
    double w2 = 0.0;
    if (px.size() == py.size()) {
      for (std::size_t i = 0; i < px.size(); ++i) w2 += (px[i] - py[i]) * (px[i] - py[i]);
      w2 /= px.size();
    } else {
      // Quantile coupling on the finer of the two grids.
      const std::size_t m = std::max(px.size(), py.size());
      for (std::size_t i = 0; i < m; ++i) {
        const double u = (i + 0.5) / m, diff = quantile(px, u) - quantile(py, u);
        w2 += diff * diff;
      }
      w2 /= m;
    }
    total += w2;
  }
  return std::sqrt(total / projections);
}

Eigen::VectorXd mode_fractions(const PointsRef& samples, const PointsRef& modes) {
  Eigen::VectorXd counts = Eigen::VectorXd::Zero(modes.rows());
  if (samples.rows() == 0) return counts;
  const Eigen::MatrixXd d2 = squared_distances(samples, modes);
  for (Eigen::Index i = 0; i < d2.rows(); ++i) {
    Eigen::Index k;
    d2.row(i).minCoeff(&k);
    counts[k] += 1.0;
  }
  return counts / double(samples.rows());
}

Eigen::MatrixXd nearest_two_distances(const PointsRef& samples, const PointsRef& training) {
  if (training.rows() < 2) throw std::invalid_argument("nearest_two_distances: need two training points");
  Eigen::MatrixXd out(samples.rows(), 2);
  const Eigen::Index block = 256;
  for (Eigen::Index i0 = 0; i0 < samples.rows(); i0 += block) {
    const Eigen::Index ni = std::min(block, samples.rows() - i0);
    const Eigen::MatrixXd d2 = squared_distances(samples.middleRows(i0, ni), training);
    for (Eigen::Index r = 0; r < ni; ++r) {
      double a = std::numeric_limits<double>::infinity(), b = a;
      for (Eigen::Index j = 0; j < d2.cols(); ++j) {
        const double v = d2(r, j);
        if (v < a) {
          b = a;
          a = v;
        } else if (v < b) {
          b = v;
        }
      }
      out(i0 + r, 0) = std::sqrt(a);
      out(i0 + r, 1) = std::sqrt(b);
    }
  }
  return out;
}

}  // namespace spindiff::diffusion
