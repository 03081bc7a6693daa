// bridge.recall: the same cue recalled by a classical Hopfield network, a modern Hopfield network and reverse
// diffusion with the empirical (or a learned) score; capacity curves against alpha = P/N or ln P / N.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "bridge_kinds.hpp"
#include "recall_learned.hpp"
#include "spindiff/bridge/modern_hopfield.hpp"
#include "spindiff/bridge/recall.hpp"
#include "spindiff/core/bytes.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/hopfield/letters.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/runner/repeat_checkpoint.hpp"

namespace spindiff::runner::bridge_kinds {

namespace {

std::size_t pattern_count(const Params& p) {
  const double N = static_cast<double>(p.integer("N")), alpha = p.real("alpha");
  const double P = p.string("load") == "linear" ? alpha * N : std::exp(alpha * N);
  return static_cast<std::size_t>(std::max(1.0, std::round(P)));
}

hopfield::Patterns make_patterns(const Params& p, Stream& rng) {
  const auto N = static_cast<std::size_t>(p.integer("N"));
  const std::size_t P = pattern_count(p);
  if (p.string("patterns") == "random") return hopfield::random_patterns(N, P, 0.0, rng);
  const int R = static_cast<int>(std::lround(std::sqrt(static_cast<double>(N))));
  std::vector<std::vector<std::int8_t>> letters;
  for (std::size_t k = 0; k < P; ++k) letters.push_back(hopfield::letters::render(static_cast<char>('A' + k), R));
  return hopfield::patterns_from(letters);
}

// Final states (one row per cue) of the chosen memory. `checkpoints`: those of the learned score's training.
diffusion::Points recall(const Params& p, bridge::RecallMethod method, const hopfield::Patterns& patterns,
                         const std::vector<std::vector<std::int8_t>>& cues, const Stream& dynamics,
                         const diffusion::TrainingCheckpoints* checkpoints) {
  const auto n = static_cast<Eigen::Index>(cues.size()), N = static_cast<Eigen::Index>(patterns.N);
  diffusion::Points x(n, N);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < N; ++j) x(i, j) = cues[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  switch (method) {
    case bridge::RecallMethod::hebb: {
      const hopfield::Network net(patterns, hopfield::Rule::hebb);
      hopfield::DynamicsOptions options;
      options.max_sweeps = static_cast<std::size_t>(p.integer("max_sweeps"));
      options.record_overlaps = false;
      for (Eigen::Index i = 0; i < n; ++i) {
        Stream order = dynamics.substream(static_cast<std::uint64_t>(i));
        const auto r = net.recall(cues[static_cast<std::size_t>(i)], options, order);
        for (Eigen::Index j = 0; j < N; ++j) x(i, j) = r.state[static_cast<std::size_t>(j)];
      }
      return x;
    }
    case bridge::RecallMethod::modern: {
      const bridge::ModernHopfield net(bridge::pattern_points(patterns), p.real("beta"));
      return net.recall(x, static_cast<int>(p.integer("max_iterations"))).state;
    }
    case bridge::RecallMethod::diffusion: {
      const diffusion::EmpiricalScore score(bridge::pattern_points(patterns));
      bridge::diffusion_recall(score, x, p.real("noise"), static_cast<int>(p.integer("steps")), p.real("t_min"),
                               dynamics);
      return x;
    }
    case bridge::RecallMethod::learned: {
      const auto score =
          learned_recall_score(p, bridge::pattern_points(patterns), dynamics.substream(1ULL << 40), checkpoints);
      bridge::diffusion_recall(*score, x, p.real("noise"), static_cast<int>(p.integer("steps")), p.real("t_min"),
                               dynamics);
      return x;
    }
  }
  throw std::logic_error("unreachable");
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const auto method = bridge::parse_recall_method(p.string("method"));
  const auto trials = static_cast<std::size_t>(p.integer("trials"));
  const double threshold = p.real("threshold");
  std::vector<double> overlaps;
  std::size_t P = 0;
  // A checkpoint, inside the training of the learned score: the repeat, the overlaps of the repeats before it,
  // then the training state (network, optimiser, losses, stream). The other memories train nothing.
  constexpr std::uint32_t tag = 0x42524C31;  // "BRL1"
  Bytes training_state;
  const std::int64_t first_repeat =
      runner::restore_repeat_checkpoint(ctx, tag, "bridge.recall", overlaps, training_state);
  for (std::int64_t r = first_repeat; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    Stream pattern_rng = ctx.stream(rep, Purpose::patterns), cue_rng = ctx.stream(rep, Purpose::cue);
    const hopfield::Patterns patterns = make_patterns(p, pattern_rng);
    P = patterns.P;
    std::vector<std::vector<std::int8_t>> cues;
    std::vector<std::size_t> targets;
    for (std::size_t k = 0; k < trials; ++k) {
      targets.push_back(k % patterns.P);
      cues.push_back(bridge::noisy_cue(patterns.pattern(targets.back()), p.real("noise"), cue_rng));
    }
    diffusion::TrainingCheckpoints checkpoints;
    checkpoints.due = [&] { return ctx.checkpoint_due(); };
    checkpoints.save = [&](Bytes&& state) { runner::save_repeat_checkpoint(ctx, tag, r, overlaps, state); };
    if (r == first_repeat && !training_state.empty()) checkpoints.restored = &training_state;
    const diffusion::Points final_states =
        recall(p, method, patterns, cues, ctx.stream(rep, Purpose::dynamics), &checkpoints);
    for (std::size_t k = 0; k < trials; ++k)
      overlaps.push_back(
          bridge::sign_overlap(patterns.pattern(targets[k]), final_states.row(static_cast<Eigen::Index>(k))));
    ctx.report(static_cast<double>(r + 1) / static_cast<double>(ctx.repeats));
  }
  const double n = static_cast<double>(overlaps.size());
  double sum = 0, sq = 0, retrieved = 0;
  for (double m : overlaps) {
    sum += m;
    sq += m * m;
    retrieved += m >= threshold;
  }
  const double mean = sum / n;
  out.scalar("overlap", mean, n > 1 ? std::sqrt(std::max(0.0, sq / n - mean * mean) / (n - 1)) : 0.0);
  out.scalar("retrieved_fraction", retrieved / n);
  out.scalar("P", static_cast<double>(P));
  out.array("overlaps", overlaps);
}
}  // namespace

Kind recall_kind() {
  Kind k;
  k.name = "bridge.recall";
  k.summary = "recall a stored pattern from a noisy cue: Hebb, modern Hopfield, empirical-score or learned diffusion";
  k.params = {
      summary(
          choice_param("method", "diffusion", {"hebb", "modern", "diffusion", "learned"},
                       "hebb: classical Hopfield at T = 0; modern: softmax updates; diffusion: reverse OU "
                       "diffusion with the empirical score; learned: with a score network trained on the patterns")),
      summary(integer_param("N", 200, 4, 1e5, "pattern length (letters: a square R^2 with R >= 16)")),
      summary(real_param("alpha", 0.1, 0.0, 1e4, "load: P / N (load = linear) or ln P / N (load = exponential)")),
      summary(real_param("noise", 0.1, 0.0, 0.49, "fraction of cue entries flipped")),
      choice_param("load", "linear", {"linear", "exponential"}, "how alpha sets the number of patterns P"),
      choice_param("patterns", "random", {"random", "letters"}, "random +-1 patterns or letter bitmaps A, B, ..."),
      real_param("beta", 1.0, 1e-6, 1e6, "modern: inverse temperature on the raw overlap x_mu . xi (Ramsauer)"),
      integer_param("trials", 100, 1, 1e7, "cues per repeat (targets cycle through the patterns)"),
      real_param("threshold", 0.95, -1.0, 1.0, "a cue counts as retrieved when the final overlap reaches this"),
      integer_param("max_sweeps", 100, 1, 1e6, "hebb: asynchronous sweeps at most"),
      integer_param("max_iterations", 20, 1, 1e6, "modern: updates at most"),
      integer_param("steps", 100, 1, 1e6, "diffusion, learned: reverse-SDE steps from the cue's time to t_min"),
      real_param("t_min", 1e-3, 1e-6, 1.0, "diffusion, learned: end time of the reverse process"),
  };
  for (auto& spec : learned_recall_params()) k.params.push_back(spec);
  k.validate = [](const Params& p) {
    if (p.string("patterns") == "letters") {
      const auto N = p.integer("N");
      const auto R = std::lround(std::sqrt(static_cast<double>(N)));
      if (R * R != N || R < 16) throw ConfigError("", "N", "letters need N = R^2 with R >= 16 (256, 289, ...)");
      if (pattern_count(p) > 26) throw ConfigError("", "alpha", "letters: at most 26 patterns (alpha N <= 26)");
    }
    if (pattern_count(p) > 50000000) throw ConfigError("", "alpha", "more than 5e7 patterns");
  };
  k.run = run;
  k.cost = [](const Params& p) {
    return double(p.integer("trials")) * double(p.integer("N")) * double(pattern_count(p)) *
           (p.string("method") == "hebb" ? 1.0 : double(p.integer("steps")));
  };
  k.results = {
      result("overlap", "mean overlap of the recalled state with the cued pattern over the trials"),
      exact_result("retrieved_fraction", "fraction of trials ending with overlap >= `threshold`"),
      exact_result("P", "number of stored patterns", "patterns"),
  };
  return k;
}

}  // namespace spindiff::runner::bridge_kinds
