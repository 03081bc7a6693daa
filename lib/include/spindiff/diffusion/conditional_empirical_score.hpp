#pragma once
// The exact score of labelled training points given a condition: the empirical score of the points that satisfy
// it, i.e. a modern-Hopfield (softmax) memory per class,
//   grad log p_t(x | c) = (a sum_{mu in c} w_mu xi_mu - x) / sigma^2,  w = softmax_{mu in c}(...)
//   (empirical_score.hpp).
// log p_t(x | c) is exact as well; -sigma^2 log p_t is the modern-Hopfield energy of the class's memory.
#include <map>
#include <memory>

#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/empirical_score.hpp"

namespace spindiff::diffusion {

class ConditionalEmpiricalScore final : public ConditionalScoreModel {
 public:
  // labels(i, a): point i's value of attributes[a]. Throws std::invalid_argument on shape or range errors.
  ConditionalEmpiricalScore(Points training, Labels labels, std::vector<Attribute> attributes,
                            RetrievalBlocks blocks = {});
  void score(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const override;
  int dim() const override { return static_cast<int>(training_.cols()); }
  const std::vector<Attribute>& attributes() const override { return attributes_; }
  bool has_log_density() const override { return true; }
  // Exact, normalised log p_t(x | c) = log (1/P_c) sum_{mu in c} N(x; a xi_mu, sigma^2 I).
  void log_density(const Points& x, const NoiseLevel& level, const Condition& condition,
                   Eigen::VectorXd& out) const override;

  // The training points that satisfy the condition (throws if there are none).
  Points members(const Condition& condition) const;
  const Points& training() const { return training_; }
  const Labels& labels() const { return labels_; }

 private:
  // The memory of a condition: cached for the unconditional and every single-attribute condition.
  std::shared_ptr<const EmpiricalScore> memory(const Condition& condition) const;
  Points training_;
  Labels labels_;
  std::vector<Attribute> attributes_;
  RetrievalBlocks blocks_;
  std::map<std::vector<int>, std::shared_ptr<const EmpiricalScore>> cache_;
};

}  // namespace spindiff::diffusion
