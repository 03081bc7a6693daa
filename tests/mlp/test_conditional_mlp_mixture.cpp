// A conditional MLP trained with label dropout on a labelled 2-D Gaussian mixture samples each class as well as the
// exact conditional score does (within twice its MMD), and with the label dropped it samples the whole mixture
// within the same bound: one network, the conditional and the unconditional model.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/learned_conditional_score.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/training.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

Points generate(const ScoreModel& score, const Edm& process, int n, int steps, std::uint32_t substream) {
  Points x(n, 2);
  process.sample_prior(x, Stream(11, 0, 0, Purpose::init, substream));
  probability_flow_heun(score, process, process.default_times(steps), x,
                        Stream(11, 0, 0, Purpose::dynamics, substream));
  return x;
}

struct Verdict {
  double exact, learned, untrained, null_sd, bound;
};

// MMD_learned ≤ 2 MMD_exact ⇔ MMD²_learned ≤ 4 MMD²_exact, up to 4 standard deviations of the estimator, whose
// spread is measured on pairs of exact draws of the target law.
Verdict judge(const GaussianMixture& target, const Points& exact, const Points& learned, const Points& untrained,
              Stream& eval) {
  const Eigen::Index n = exact.rows();
  const double h = 0.5;
  Verdict v{};
  v.exact = mmd2_unbiased(exact, sample_mixture(target, n, eval), h);
  v.learned = mmd2_unbiased(learned, sample_mixture(target, n, eval), h);
  v.untrained = mmd2_unbiased(untrained, sample_mixture(target, n, eval), h);
  const int repeats = 8;
  double sum = 0, sum2 = 0;
  for (int r = 0; r < repeats; ++r) {
    const double m = mmd2_unbiased(sample_mixture(target, n, eval), sample_mixture(target, n, eval), h);
    sum += m;
    sum2 += m * m;
  }
  v.null_sd = std::sqrt((sum2 - sum * sum / repeats) / (repeats - 1));
  v.bound = 4 * std::max(v.exact, 0.0) + 4 * v.null_sd;
  return v;
}

}  // namespace

TEST_CASE("A conditional MLP with label dropout samples each class and the whole mixture within twice the exact MMD",
          "[mlp][physics]") {
  Points means(3, 2);
  means << -2.0, -1.0, 2.0, -1.0, 0.0, 2.0;
  const LabelledMixture labelled = label_by_component(isotropic_mixture({0.3, 0.5, 0.2}, means, {0.5, 0.5, 0.5}));
  const ConditionalMixtureScore exact(labelled);
  Stream data_stream(2024, 0, 0, Purpose::patterns);
  const LabelledPoints train = sample_labelled(labelled, 20000, data_stream);

  MlpArchitecture arch;
  arch.width = 64;
  arch.depth = 3;
  arch.data_std = 1.7;
  arch.attributes = exact.attributes();
  auto net = std::make_shared<Mlp>(arch);
  Stream init(2024, 0, 0, Purpose::init);
  net->initialize(init);
  const auto untrained = std::make_shared<const Mlp>(*net);
  TrainingConfig cfg;
  cfg.batch = 256;
  cfg.adam.learning_rate = 2e-3;
  const long steps = 12000;
  cfg.schedule = LearningRateSchedule::cosine;
  cfg.schedule_steps = steps;
  cfg.noise = NoiseDistribution::log_uniform(0.002, 20.0);
  cfg.label_dropout = 0.3;  // the unconditional model is trained on 30% of the batches
  DsmTrainer<double> trainer(*net, cfg);
  Stream train_stream(2024, 0, 0, Purpose::training);
  trainer.train(train.x, &train.labels, train_stream, steps);

  const LearnedConditionalScore learned(net), fresh(untrained);
  const Edm process(0.002, 20.0);
  const int n = 1500, sampler_steps = 40;
  Stream eval(2024, 0, 0, Purpose::evaluation);
  for (int c = 0; c <= 3; ++c) {  // the three classes, then the label dropped (c = 3)
    const Condition condition = c < 3 ? Condition{{c}} : Condition{{kAnyValue}};
    const GaussianMixture target = c < 3 ? labelled.class_mixture(c) : labelled.mixture;
    const auto u = static_cast<std::uint32_t>(c);
    const Verdict v = judge(target, generate(conditioned(exact, condition), process, n, sampler_steps, u),
                            generate(conditioned(learned, condition), process, n, sampler_steps, u),
                            generate(conditioned(fresh, condition), process, n, sampler_steps, u), eval);
    INFO("condition " << format_condition(exact.attributes(), condition));
    CHECK(v.learned <= v.bound);
    CHECK(v.untrained > v.bound);  // the criterion has power
    WARN("condition '" << format_condition(exact.attributes(), condition) << "': MMD² exact " << v.exact << ", learned "
                       << v.learned << ", untrained " << v.untrained << ", null sd " << v.null_sd);
  }
}
