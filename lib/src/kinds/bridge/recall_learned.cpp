#include "recall_learned.hpp"

#include "spindiff/bridge/learned.hpp"

namespace spindiff::runner::bridge_kinds {

std::vector<ParamSpec> learned_recall_params() {
  return {
      integer_param("width", 128, 4, 1e5, "learned: hidden units per layer of the score MLP"),
      integer_param("depth", 3, 1, 100, "learned: hidden layers"),
      integer_param("train_steps", 2000, 1, 1e9, "learned: Adam steps of denoising score matching on the patterns"),
      integer_param("batch", 128, 1, 1e6, "learned: minibatch size"),
      real_param("learning_rate", 2e-3, 1e-7, 1.0, "learned: peak Adam learning rate (cosine schedule)"),
      real_param("t_max", 3.0, 0.01, 100.0, "learned: largest OU training time"),
  };
}

bridge::LearnedScoreOptions learned_score_options(const Params& p, double t_max) {
  bridge::LearnedScoreOptions o;
  o.width = static_cast<int>(p.integer("width"));
  o.depth = static_cast<int>(p.integer("depth"));
  o.steps = p.integer("train_steps");
  o.batch = static_cast<int>(p.integer("batch"));
  o.learning_rate = p.real("learning_rate");
  o.t_min = p.real("t_min");
  o.t_max = t_max;
  return o;
}

std::unique_ptr<diffusion::ScoreModel> learned_recall_score(const Params& p, const diffusion::Points& patterns,
                                                            const Stream& stream,
                                                            const diffusion::TrainingCheckpoints* checkpoints) {
  const bridge::LearnedScoreOptions o = learned_score_options(p, p.real("t_max"));
  Stream s = stream;
  return std::move(bridge::train_ou_score(patterns, o, s, {}, checkpoints).net);
}

}  // namespace spindiff::runner::bridge_kinds
