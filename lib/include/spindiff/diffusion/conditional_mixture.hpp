#pragma once
// A labelled Gaussian mixture: each component carries a class label (attribute "component"; several components
// may share a class). Conditioning on a class keeps its components with their weights renormalised, so the exact
// conditional score at every noise level is the score of that sub-mixture, and log p_t(x | c) is exact too.
#include <memory>
#include <vector>

#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"

namespace spindiff::diffusion {

struct LabelledMixture {
  GaussianMixture mixture;
  std::vector<int> labels;         // class of each component, 0 .. classes - 1
  std::vector<std::string> names;  // class names (the attribute's vocabulary)

  int classes() const { return static_cast<int>(names.size()); }
  // The mixture restricted to one class, weights renormalised.
  GaussianMixture class_mixture(int c) const;
  // Every class present, labels in range; throws std::invalid_argument otherwise.
  void validate() const;
};

// Each component its own class, named "0", "1", ...
LabelledMixture label_by_component(GaussianMixture mixture);

// n labelled samples: points and each point's class.
LabelledPoints sample_labelled(const LabelledMixture& m, Eigen::Index n, Stream& stream);

class ConditionalMixtureScore final : public ConditionalScoreModel {
 public:
  explicit ConditionalMixtureScore(LabelledMixture mixture);
  void score(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const override;
  int dim() const override { return labelled_.mixture.dim(); }
  const std::vector<Attribute>& attributes() const override { return attributes_; }
  bool has_log_density() const override { return true; }
  // Exact, normalised log p_t(x | c).
  void log_density(const Points& x, const NoiseLevel& level, const Condition& condition,
                   Eigen::VectorXd& out) const override;

  // The exact posterior p_t(c | x) (n x classes): the Bayes classifier at noise level t.
  Eigen::MatrixXd class_posterior(const Points& x, const NoiseLevel& level) const;
  const LabelledMixture& labelled() const { return labelled_; }
  const GaussianMixtureScore& model(const Condition& condition) const;

 private:
  LabelledMixture labelled_;
  std::vector<Attribute> attributes_;
  GaussianMixtureScore unconditional_;
  std::vector<GaussianMixtureScore> per_class_;
};

}  // namespace spindiff::diffusion
