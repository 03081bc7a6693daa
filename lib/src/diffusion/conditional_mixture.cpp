#include "spindiff/diffusion/conditional_mixture.hpp"

#include <stdexcept>
#include <string>

namespace spindiff::diffusion {

void LabelledMixture::validate() const {
  mixture.validate();
  if (static_cast<int>(labels.size()) != mixture.components())
    throw std::invalid_argument("labelled mixture: one label per component needed");
  std::vector<double> mass(names.size(), 0.0);
  for (std::size_t k = 0; k < labels.size(); ++k) {
    if (labels[k] < 0 || labels[k] >= classes())
      throw std::invalid_argument("labelled mixture: component label out of range");
    mass[static_cast<std::size_t>(labels[k])] += mixture.weights[static_cast<Eigen::Index>(k)];
  }
  for (double m : mass)
    if (!(m > 0)) throw std::invalid_argument("labelled mixture: every class needs a component of positive weight");
}

GaussianMixture LabelledMixture::class_mixture(int c) const {
  GaussianMixture g;
  std::vector<Eigen::Index> keep;
  for (std::size_t k = 0; k < labels.size(); ++k)
    if (labels[k] == c) keep.push_back(static_cast<Eigen::Index>(k));
  g.weights.resize(static_cast<Eigen::Index>(keep.size()));
  g.means.resize(static_cast<Eigen::Index>(keep.size()), mixture.dim());
  for (std::size_t i = 0; i < keep.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    g.weights[r] = mixture.weights[keep[i]];
    g.means.row(r) = mixture.means.row(keep[i]);
    g.covariances.push_back(mixture.covariances[static_cast<std::size_t>(keep[i])]);
  }
  g.weights /= g.weights.sum();
  return g;
}

LabelledMixture label_by_component(GaussianMixture mixture) {
  LabelledMixture m;
  m.mixture = std::move(mixture);
  for (int k = 0; k < m.mixture.components(); ++k) {
    m.labels.push_back(k);
    m.names.push_back(std::to_string(k));
  }
  return m;
}

LabelledPoints sample_labelled(const LabelledMixture& m, Eigen::Index n, Stream& stream) {
  const int k = m.mixture.components(), d = m.mixture.dim();
  std::vector<Eigen::MatrixXd> chol;
  for (const auto& c : m.mixture.covariances) chol.push_back(Eigen::LLT<Eigen::MatrixXd>(c).matrixL());
  LabelledPoints out{Points(n, d), Labels(n, 1)};
  Eigen::VectorXd z(d);
  for (Eigen::Index i = 0; i < n; ++i) {
    // The same draws, in the same order, as sample_mixture.
    double u = stream.uniform();
    int c = 0;
    while (c < k - 1 && u >= m.mixture.weights[c]) u -= m.mixture.weights[c++];
    for (int j = 0; j < d; ++j) z[j] = stream.normal();
    out.x.row(i) = m.mixture.means.row(c) + (chol[static_cast<std::size_t>(c)] * z).transpose();
    out.labels(i, 0) = m.labels[static_cast<std::size_t>(c)];
  }
  return out;
}

ConditionalMixtureScore::ConditionalMixtureScore(LabelledMixture mixture)
    : labelled_((mixture.validate(), std::move(mixture))),
      attributes_{{"component", labelled_.names}},
      unconditional_(labelled_.mixture) {
  for (int c = 0; c < labelled_.classes(); ++c) per_class_.emplace_back(labelled_.class_mixture(c));
}

const GaussianMixtureScore& ConditionalMixtureScore::model(const Condition& condition) const {
  if (condition.values.size() != 1) throw std::invalid_argument("mixture condition: one attribute (component)");
  const int c = condition.values[0];
  if (c == kAnyValue) return unconditional_;
  if (c < 0 || c >= labelled_.classes()) throw std::invalid_argument("mixture condition: class out of range");
  return per_class_[static_cast<std::size_t>(c)];
}

void ConditionalMixtureScore::score(const Points& x, const NoiseLevel& level, const Condition& condition,
                                    Points& out) const {
  model(condition).score(x, level, out);
}

void ConditionalMixtureScore::log_density(const Points& x, const NoiseLevel& level, const Condition& condition,
                                          Eigen::VectorXd& out) const {
  out = model(condition).log_density(x, level);
}

Eigen::MatrixXd ConditionalMixtureScore::class_posterior(const Points& x, const NoiseLevel& level) const {
  const Eigen::MatrixXd r = unconditional_.responsibilities(x, level);
  Eigen::MatrixXd p = Eigen::MatrixXd::Zero(x.rows(), labelled_.classes());
  for (std::size_t k = 0; k < labelled_.labels.size(); ++k)
    p.col(labelled_.labels[k]) += r.col(static_cast<Eigen::Index>(k));
  return p;
}

}  // namespace spindiff::diffusion
