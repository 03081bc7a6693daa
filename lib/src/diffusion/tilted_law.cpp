#include "spindiff/diffusion/tilted_law.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/diffusion/conditional_mixture.hpp"

namespace spindiff::diffusion {

TabulatedLaw::TabulatedLaw(const std::function<double(double)>& log_density, double lo, double hi, int n)
    : lo_(lo), hi_(hi) {
  if (n < 2 || !(hi > lo)) throw std::invalid_argument("tabulated law: needs lo < hi and two grid points");
  h_ = (hi - lo) / (n - 1);
  x_ = Eigen::VectorXd::LinSpaced(n, lo, hi);
  Eigen::VectorXd l(n);
  for (int i = 0; i < n; ++i) l[i] = log_density(x_[i]);
  const double m = l.maxCoeff();
  if (!std::isfinite(m)) throw std::invalid_argument("tabulated law: the log-density is not finite");
  p_ = (l.array() - m).exp();
  cdf_.resize(n);
  cdf_[0] = 0;
  for (int i = 1; i < n; ++i) cdf_[i] = cdf_[i - 1] + 0.5 * h_ * (p_[i - 1] + p_[i]);
  p_ /= cdf_[n - 1];
  cdf_ /= cdf_[n - 1];
}

double TabulatedLaw::density(double x) const {
  if (x < lo_ || x > hi_) return 0.0;
  const double u = (x - lo_) / h_;
  const auto i = std::min<Eigen::Index>(static_cast<Eigen::Index>(u), x_.size() - 2);
  const double f = u - double(i);
  return (1 - f) * p_[i] + f * p_[i + 1];
}

double TabulatedLaw::cdf(double x) const {
  if (x <= lo_) return 0.0;
  if (x >= hi_) return 1.0;
  const double u = (x - lo_) / h_;
  const auto i = std::min<Eigen::Index>(static_cast<Eigen::Index>(u), x_.size() - 2);
  const double dx = x - x_[i];
  // Exact integral of the linear interpolant over [x_i, x].
  return cdf_[i] + dx * p_[i] + 0.5 * dx * dx * (p_[i + 1] - p_[i]) / h_;
}

double TabulatedLaw::quantile(double u) const {
  if (u <= 0) return lo_;
  if (u >= 1) return hi_;
  const auto it = std::upper_bound(cdf_.data(), cdf_.data() + cdf_.size(), u);
  const auto i = std::clamp<Eigen::Index>(it - cdf_.data() - 1, 0, x_.size() - 2);
  // Solve cdf_i + p_i dx + (slope / 2) dx^2 = u on the cell.
  const double slope = (p_[i + 1] - p_[i]) / h_, r = u - cdf_[i];
  double dx;
  if (std::abs(slope) * h_ < 1e-12 * std::max(p_[i], 1e-300))
    dx = p_[i] > 0 ? r / p_[i] : 0.0;
  else
    dx = (-p_[i] + std::sqrt(std::max(0.0, p_[i] * p_[i] + 2 * slope * r))) / slope;
  return x_[i] + std::clamp(dx, 0.0, h_);
}

double TabulatedLaw::mean() const {
  double m = 0;
  for (Eigen::Index i = 1; i < x_.size(); ++i) m += 0.5 * h_ * (x_[i - 1] * p_[i - 1] + x_[i] * p_[i]);
  return m;
}

Eigen::VectorXd TabulatedLaw::sample(Eigen::Index n, Stream& stream) const {
  Eigen::VectorXd out(n);
  for (Eigen::Index i = 0; i < n; ++i) out[i] = quantile(stream.uniform());
  return out;
}

double histogram_tv(const Eigen::VectorXd& samples, const TabulatedLaw& law, int bins) {
  if (bins < 1) throw std::invalid_argument("histogram TV: needs a bin");
  if (samples.size() == 0) throw std::invalid_argument("histogram TV: no samples");
  const double a = law.quantile(1e-4), b = law.quantile(1 - 1e-4), width = (b - a) / bins;
  // Cells: 0 = below a, 1..bins, bins + 1 = above b.
  Eigen::VectorXd observed = Eigen::VectorXd::Zero(bins + 2), expected(bins + 2);
  for (Eigen::Index i = 0; i < samples.size(); ++i) {
    const double x = samples[i];
    const int cell = x < a ? 0 : x >= b ? bins + 1 : 1 + std::min(bins - 1, static_cast<int>((x - a) / width));
    observed[cell] += 1.0;
  }
  observed /= double(samples.size());
  expected[0] = law.cdf(a);
  for (int k = 0; k < bins; ++k) expected[k + 1] = law.cdf(a + (k + 1) * width) - law.cdf(a + k * width);
  expected[bins + 1] = 1.0 - law.cdf(b);
  return 0.5 * (observed - expected).cwiseAbs().sum();
}

TabulatedLaw tilted_law(const GaussianMixture& mixture, const std::vector<int>& labels, int target, double w,
                        int grid_points) {
  if (mixture.dim() != 1) throw std::invalid_argument("tilted law: a one-dimensional mixture is needed");
  LabelledMixture lm{mixture, labels, {}};
  for (int c = 0; c <= *std::max_element(labels.begin(), labels.end()); ++c) lm.names.push_back(std::to_string(c));
  const ConditionalMixtureScore model(lm);
  double lo = INFINITY, hi = -INFINITY;
  for (int k = 0; k < mixture.components(); ++k) {
    const double sd = std::sqrt(mixture.covariances[static_cast<std::size_t>(k)](0, 0));
    lo = std::min(lo, mixture.means(k, 0) - 12 * sd);
    hi = std::max(hi, mixture.means(k, 0) + 12 * sd);
  }
  const NoiseLevel clean{0.0, 1.0, 0.0};
  const Condition c{{target}}, all{{kAnyValue}};
  return TabulatedLaw(
      [&](double x) {
        Points p(1, 1);
        p(0, 0) = x;
        Eigen::VectorXd lc, lu;
        model.log_density(p, clean, c, lc);
        model.log_density(p, clean, all, lu);
        return (1 + w) * lc[0] - w * lu[0];
      },
      lo, hi, grid_points);
}

}  // namespace spindiff::diffusion
