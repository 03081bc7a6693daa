#pragma once
// Guidance and composition as wrapper scores: each is a ScoreModel built from conditional scores, so every sampler
// runs them unchanged. A wrapper counts its inner evaluations (evaluations()): classifier-free guidance costs two
// inner scores per call inside its interval, a composition of n conditions n + 1.
//
//   classifier-free guidance (Ho & Salimans 2022):  s = (1 + w) s(x, t | c) - w s(x, t)
//   classifier guidance (Dhariwal & Nichol 2021):   s = s(x, t) + gamma grad log p_t(c | x)
//   composition (product of experts, Du et al. 2023): s = sum_i s(x, t | c_i) - (n - 1) s(x, t)
// Guidance acts only for sigma(t) inside [sigma_low, sigma_high] (Kynkaanniemi et al. 2024); outside, the wrapper
// returns the plain conditional score.
#include <atomic>
#include <limits>
#include <vector>

#include "spindiff/diffusion/conditional_score.hpp"

namespace spindiff::diffusion {

// A score built from inner evaluations, with an optional energy: log_density is the log of the (unnormalised)
// density whose gradient the wrapper returns, as the MALA corrector needs.
class WrappedScore : public ScoreModel {
 public:
  long evaluations() const { return evaluations_.load(); }
  virtual bool has_log_density() const { return false; }
  // Throws std::logic_error unless has_log_density().
  virtual void log_density(const Points& x, const NoiseLevel& level, Eigen::VectorXd& out) const;

 protected:
  void count(long n) const { evaluations_ += n; }

 private:
  mutable std::atomic<long> evaluations_{0};
};

struct GuidanceInterval {
  double sigma_low = 0.0;
  double sigma_high = std::numeric_limits<double>::infinity();
  bool contains(double sigma) const { return sigma >= sigma_low && sigma <= sigma_high; }
};

// One term of a weighted sum of conditional scores.
struct ScoreTerm {
  const ConditionalScoreModel* model;
  Condition condition;
  double weight;
};

// sum_i weight_i s_i(x, t | c_i); log_density sum_i weight_i log p_i (when every model has one).
class ScoreSum final : public WrappedScore {
 public:
  explicit ScoreSum(std::vector<ScoreTerm> terms);
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return terms_.front().model->dim(); }
  bool has_log_density() const override;
  void log_density(const Points& x, const NoiseLevel& level, Eigen::VectorXd& out) const override;
  const std::vector<ScoreTerm>& terms() const { return terms_; }

 private:
  std::vector<ScoreTerm> terms_;
};

// s(x, t | c) alone.
ScoreSum conditioned(const ConditionalScoreModel& model, Condition condition);
// The product of experts p(x | c_1) ... p(x | c_n) / p(x)^{n-1}: sum_i s(x|c_i) - (n - 1) s(x). Throws
// std::invalid_argument for an empty list.
ScoreSum compose(const ConditionalScoreModel& model, const std::vector<Condition>& conditions);

// Classifier-free guidance with weight w inside the interval, the conditional score outside. Its energy is the
// tilted law's, (1 + w) log p_t(x | c) - w log p_t(x) (inside the interval).
class ClassifierFreeGuidance final : public WrappedScore {
 public:
  ClassifierFreeGuidance(const ConditionalScoreModel& model, Condition condition, double w,
                         GuidanceInterval interval = {});
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return model_.dim(); }
  bool has_log_density() const override { return model_.has_log_density(); }
  void log_density(const Points& x, const NoiseLevel& level, Eigen::VectorXd& out) const override;

 private:
  const ConditionalScoreModel& model_;
  Condition condition_, unconditional_;
  double w_;
  GuidanceInterval interval_;
};

// A noise-conditional classifier p_t(c | x): the measuring instrument of guidance and its classifier-guidance force.
class NoisyClassifier {
 public:
  virtual ~NoisyClassifier() = default;
  virtual int classes() const = 0;
  virtual int dim() const = 0;
  // log p_t(c | x) for every class (n x classes).
  virtual void log_probabilities(const Points& x, const NoiseLevel& level, Eigen::MatrixXd& out) const = 0;
  // grad_x log p_t(c | x) (n x d).
  virtual void log_probability_gradient(const Points& x, const NoiseLevel& level, int c, Points& out) const = 0;
};

// The exact classifier of a conditional model with densities over one attribute: log p_t(c | x) from Bayes' rule
// with the given class priors, its gradient s(x | c) - s(x).
class BayesClassifier final : public NoisyClassifier {
 public:
  BayesClassifier(const ConditionalScoreModel& model, std::size_t attribute, Eigen::VectorXd priors);
  int classes() const override { return static_cast<int>(log_priors_.size()); }
  int dim() const override { return model_.dim(); }
  void log_probabilities(const Points& x, const NoiseLevel& level, Eigen::MatrixXd& out) const override;
  void log_probability_gradient(const Points& x, const NoiseLevel& level, int c, Points& out) const override;

 private:
  Condition condition_of(int c) const;
  const ConditionalScoreModel& model_;
  std::size_t attribute_;
  Eigen::VectorXd log_priors_;
};

// s(x, t | base condition) + scale grad log p_t(c | x) inside the interval (the base condition is usually the
// unconditional one). Counts one evaluation for the score and one for the classifier.
class ClassifierGuidance final : public WrappedScore {
 public:
  ClassifierGuidance(const ConditionalScoreModel& model, Condition base, const NoisyClassifier& classifier, int c,
                     double scale, GuidanceInterval interval = {});
  void score(const Points& x, const NoiseLevel& level, Points& out) const override;
  int dim() const override { return model_.dim(); }

 private:
  const ConditionalScoreModel& model_;
  Condition base_;
  const NoisyClassifier& classifier_;
  int class_;
  double scale_;
  GuidanceInterval interval_;
};

}  // namespace spindiff::diffusion
