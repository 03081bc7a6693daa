// The learned noise-conditional classifier p_t(c | x): its gradient of log p_t(c | x) against finite differences of
// its own log-probabilities (at unit scale and at a scaled level), and cross-entropy training that reaches the Bayes
// classifier of two Gaussian classes.
#include <catch2/catch.hpp>
#include <cmath>

#include "bridge/kind_runner.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/learned_classifier.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

MlpArchitecture classifier_architecture() {
  MlpArchitecture arch;
  arch.dim = 2;
  arch.width = 32;
  arch.depth = 2;
  arch.target = {"component", {"0", "1"}};
  return arch;
}

}  // namespace

TEST_CASE("The learned classifier's gradient is the derivative of its log-probability", "[mlp]") {
  Mlp net(classifier_architecture());
  Stream init(21, 0, 0, Purpose::init);
  net.initialize(init);
  const LearnedClassifier classifier(net.weights());
  Points x(6, 2);
  Stream s(22, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = s.normal();
  for (const NoiseLevel level : {NoiseLevel{0.5, 1.0, 0.5}, NoiseLevel{0.3, 0.8, 0.6}}) {
    for (int c = 0; c < 2; ++c) {
      Points grad;
      classifier.log_probability_gradient(x, level, c, grad);
      const double h = 1e-6;
      double worst = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        for (Eigen::Index j = 0; j < 2; ++j) {
          Points up = x, down = x;
          up(i, j) += h;
          down(i, j) -= h;
          Eigen::MatrixXd lu, ld;
          classifier.log_probabilities(up, level, lu);
          classifier.log_probabilities(down, level, ld);
          worst = std::max(worst, std::abs((lu(i, c) - ld(i, c)) / (2 * h) - grad(i, j)));
        }
      CHECK(worst < 1e-7);
    }
  }
}

TEST_CASE("Cross-entropy training reaches the Bayes classifier of two Gaussian classes", "[mlp]") {
  Points means(2, 2);
  means << -1.0, 0.0, 1.0, 0.0;
  const ConditionalMixtureScore exact(label_by_component(isotropic_mixture({0.5, 0.5}, means, {0.5, 0.5})));
  Stream data_stream(23, 0, 0, Purpose::patterns);
  const LabelledPoints train = sample_labelled(exact.labelled(), 4000, data_stream);
  std::vector<int> labels(static_cast<std::size_t>(train.labels.rows()));
  for (Eigen::Index i = 0; i < train.labels.rows(); ++i) labels[static_cast<std::size_t>(i)] = train.labels(i, 0);

  Mlp net(classifier_architecture());
  Stream init(23, 0, 0, Purpose::init);
  net.initialize(init);
  const LearnedClassifier untrained(net.weights());
  TrainingConfig cfg;
  cfg.batch = 128;
  cfg.adam.learning_rate = 3e-3;
  cfg.schedule = LearningRateSchedule::cosine;
  cfg.schedule_steps = 1500;
  cfg.noise = NoiseDistribution::log_uniform(0.01, 3.0);
  ClassifierTrainer trainer(net, cfg);
  Stream train_stream(23, 0, 0, Purpose::training);
  trainer.train(train.x, labels, train_stream, 1500);
  const LearnedClassifier learned(net.weights());

  // At each noise level, on the same fresh noised points: the learned classifier's accuracy against the exact
  // Bayes classifier's, as a paired difference d_i = [learned right] - [Bayes right]. The Bayes rule is optimal, so
  // E d <= 0; a classifier that reached it has E d = 0, i.e. mean d within 4 standard errors of 0.
  Stream eval(23, 0, 0, Purpose::evaluation);
  for (double sigma : {0.05, 0.5, 1.5}) {
    const NoiseLevel level{sigma, 1.0, sigma};
    LabelledPoints fresh = sample_labelled(exact.labelled(), 4000, eval);
    for (Eigen::Index k = 0; k < fresh.x.size(); ++k) fresh.x.data()[k] += sigma * eval.normal();
    const Eigen::MatrixXd posterior = exact.class_posterior(fresh.x, level);
    const std::vector<int> mine = learned.predict(fresh.x, level), random = untrained.predict(fresh.x, level);
    double sum = 0, sum2 = 0, bayes_right = 0, untrained_right = 0;
    const auto n = static_cast<double>(fresh.x.rows());
    for (Eigen::Index i = 0; i < fresh.x.rows(); ++i) {
      const int truth = fresh.labels(i, 0);
      Eigen::Index bayes = 0;
      posterior.row(i).maxCoeff(&bayes);
      const double d = double(mine[static_cast<std::size_t>(i)] == truth) - double(bayes == truth);
      sum += d;
      sum2 += d * d;
      bayes_right += bayes == truth;
      untrained_right += random[static_cast<std::size_t>(i)] == truth;
    }
    const double mean = sum / n, se = std::sqrt(std::max(sum2 / n - mean * mean, 1.0 / n) / n);
    INFO("sigma " << sigma << ": learned - Bayes accuracy " << mean << " +- " << se << ", Bayes " << bayes_right / n);
    CHECK(std::abs(mean) <= 4 * se);
    // The check has power: an untrained network is far from Bayes at low noise.
    if (sigma < 0.1) CHECK(bayes_right / n - untrained_right / n > 4 * std::sqrt(0.25 / n));
  }
}

TEST_CASE("diffusion.classifier: the accuracy on fresh points is the Bayes accuracy of the mixture", "[mlp][kind]") {
  // Two isotropic Gaussian classes of weights w0 = 0.2, w1 = 0.8, means -+(1, 1), unit variance: along
  // u = (mu1 - mu0) / Delta, Delta = 2 sqrt 2, the Bayes rule picks class 1 above s* = ln(w0 / w1) / Delta (from the
  // midpoint), so its accuracy is w0 Phi(Delta/2 + s*) + w1 Phi(Delta/2 - s*) = 0.942. A trained classifier of
  // clean data reaches it; its accuracy on n_eval fresh points is compared with it within 4 binomial errors.
  const std::int64_t n_eval = 4000;
  const auto run = spindiff::test::run_kind("diffusion.classifier",
                                            {{"mixture.means", std::vector<double>{-1, -1, 1, 1}},
                                             {"attribute", std::string("component")},
                                             {"n_train", std::int64_t{4000}},
                                             {"n_eval", n_eval},
                                             {"width", std::int64_t{32}},
                                             {"depth", std::int64_t{2}},
                                             {"steps", std::int64_t{1500}},
                                             {"lr", 3e-3},
                                             {"sigma_max", 0.002}},
                                            29);
  const auto Phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  const double delta = 2 * std::sqrt(2.0), s_star = std::log(0.2 / 0.8) / delta;
  const double bayes = 0.2 * Phi(delta / 2 + s_star) + 0.8 * Phi(delta / 2 - s_star);
  const double se = std::sqrt(bayes * (1 - bayes) / static_cast<double>(n_eval));
  const double accuracy = run.scalar("accuracy");
  INFO("accuracy " << accuracy << ", Bayes " << bayes << " +- " << se);
  REQUIRE(se < 0.01);
  CHECK(std::abs(accuracy - bayes) < 4 * se);
  // The check has power: always answering the majority class scores 0.8.
  CHECK(bayes - 0.8 > 4 * se);
}
