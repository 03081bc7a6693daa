// hopfield.digits: store memories of real handwritten digits (class means or training exemplars) with a
// learning rule or the softmax (modern) memory, present each held-out digit as the cue, descend the energy
// to a fixed point and read the label of the memory the state lands on. Baselines classify the same cues
// without dynamics (nearest class mean, nearest training digit).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "../digits_source.hpp"
#include "hopfield_kinds.hpp"
#include "spindiff/bridge/modern_hopfield.hpp"
#include "spindiff/hopfield/network.hpp"

namespace spindiff::runner::hopfield_kinds {

namespace {

using io::Digits;
using Image = std::vector<std::int8_t>;

// Index of the largest dot product with `s` (first on ties).
template <class Vec>
std::size_t nearest(const std::vector<Image>& stored, const Vec& s) {
  std::size_t best = 0;
  double best_dot = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < stored.size(); ++k) {
    double dot = 0;
    for (std::size_t i = 0; i < Digits::pixels; ++i) dot += stored[k][i] * static_cast<double>(s[i]);
    if (dot > best_dot) {
      best_dot = dot;
      best = k;
    }
  }
  return best;
}

// The binarised mean image of each class of `rows` (the class means are binarised with the same threshold
// as the digits).
std::vector<Image> class_means(const Digits& d, const std::vector<std::size_t>& rows, double threshold) {
  std::vector<Image> means;
  for (int c = 0; c < Digits::classes; ++c) {
    std::vector<double> sum(Digits::pixels, 0.0);
    double count = 0;
    for (std::size_t r : rows)
      if (d.labels[r] == c) {
        const auto img = d.image(r);
        for (std::size_t i = 0; i < Digits::pixels; ++i) sum[i] += img[i];
        count += 1;
      }
    Image m(Digits::pixels);
    for (std::size_t i = 0; i < Digits::pixels; ++i) m[i] = count > 0 && sum[i] / count >= threshold ? 1 : -1;
    means.push_back(std::move(m));
  }
  return means;
}

bool is_stored(const std::vector<Image>& stored, std::span<const std::int8_t> s) {
  return std::any_of(stored.begin(), stored.end(),
                     [&](const Image& m) { return std::equal(m.begin(), m.end(), s.begin()); });
}

struct Recalled {
  std::vector<double> state;     // final state (±1, or continuous for the modern memory)
  std::vector<double> energies;  // [0] = cue
  std::int64_t steps = 0;        // sweeps or updates
};

// The modern memory, all cues at once: xi <- X softmax(beta X^T xi) until nothing moves.
std::vector<Recalled> modern_recall(const std::vector<Image>& stored, const std::vector<Image>& cues, double beta,
                                    int max_updates) {
  const auto P = static_cast<Eigen::Index>(stored.size()), n = static_cast<Eigen::Index>(cues.size());
  const auto N = static_cast<Eigen::Index>(Digits::pixels);
  bridge::Points X(P, N), state(n, N), next;
  for (Eigen::Index k = 0; k < P; ++k)
    for (Eigen::Index i = 0; i < N; ++i) X(k, i) = stored[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)];
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index i = 0; i < N; ++i) state(k, i) = cues[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)];
  const bridge::ModernHopfield net(std::move(X), beta);
  std::vector<Recalled> out(static_cast<std::size_t>(n));
  auto record = [&] {
    const Eigen::VectorXd e = net.energy(state);
    for (Eigen::Index k = 0; k < n; ++k) out[static_cast<std::size_t>(k)].energies.push_back(e(k));
  };
  record();
  std::vector<bool> moving(static_cast<std::size_t>(n), true);
  for (int t = 0; t < max_updates; ++t) {
    net.update(state, next);
    bool any = false;
    for (Eigen::Index k = 0; k < n; ++k) {
      const bool moved = (next.row(k) - state.row(k)).cwiseAbs().maxCoeff() > 1e-10;
      if (moving[static_cast<std::size_t>(k)]) out[static_cast<std::size_t>(k)].steps = t + 1;
      moving[static_cast<std::size_t>(k)] = moving[static_cast<std::size_t>(k)] && moved;
      any = any || moved;
    }
    state.swap(next);
    record();
    if (!any) break;
  }
  for (Eigen::Index k = 0; k < n; ++k)
    out[static_cast<std::size_t>(k)].state.assign(state.row(k).begin(), state.row(k).end());
  return out;
}

std::vector<Recalled> classical_recall(const std::vector<Image>& stored, const std::vector<Image>& cues,
                                       hopfield::Rule rule, std::size_t max_sweeps, const TaskContext& ctx,
                                       std::uint32_t repeat) {
  const hopfield::Network net(hopfield::patterns_from(stored), rule);
  hopfield::DynamicsOptions options;
  options.max_sweeps = max_sweeps;
  options.record_overlaps = false;
  std::vector<Recalled> out;
  for (std::size_t k = 0; k < cues.size(); ++k) {
    Stream order = ctx.stream(repeat, Purpose::dynamics, k);
    hopfield::Recall r = net.recall(cues[k], options, order);
    out.push_back({std::vector<double>(r.state.begin(), r.state.end()), std::move(r.trajectory.energies),
                   static_cast<std::int64_t>(r.trajectory.sweeps)});
  }
  return out;
}

hopfield::Rule classical_rule(const std::string& name) {
  if (name == "hebb") return hopfield::Rule::hebb;
  if (name == "storkey") return hopfield::Rule::storkey;
  return hopfield::Rule::pseudo_inverse;
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const Digits d = load_digits(p);
  const double threshold = p.real("threshold");
  const std::string& rule = p.string("rule");
  const bool exemplars = p.string("memories") == "exemplars";
  const auto per_class = static_cast<std::size_t>(p.integer("exemplars_per_class"));

  std::vector<std::int8_t> cue_bits, memory_bits;
  std::vector<double> final_states;
  std::vector<std::int64_t> cue_digit, test_index, recalled_memory, recalled_digit, landed, steps, memory_digit,
      mean_digit, nn_digit;
  std::vector<std::vector<double>> energies;
  std::size_t memories_per_repeat = 0;
  for (std::int64_t rep = 0; rep < ctx.repeats; ++rep) {
    const auto r = static_cast<std::uint32_t>(rep);
    const io::Split split = digits_split(p, d, ctx, r);
    std::vector<Image> train, cues, stored;
    std::vector<std::int64_t> label;
    for (std::size_t row : split.train) train.push_back(io::binarize(d.image(row), threshold));
    for (std::size_t row : split.test) cues.push_back(io::binarize(d.image(row), threshold));
    const std::vector<Image> means = class_means(d, split.train, threshold);

    if (!exemplars) {
      stored = means;
      for (int c = 0; c < Digits::classes; ++c) label.push_back(c);
    } else {
      for (int c = 0; c < Digits::classes; ++c) {
        std::vector<std::size_t> members;
        for (std::size_t k = 0; k < split.train.size(); ++k)
          if (d.labels[split.train[k]] == c) members.push_back(k);
        Stream pick = ctx.stream(r, Purpose::patterns, static_cast<std::uint64_t>(c));
        pick.shuffle(std::span<std::size_t>(members));
        const std::size_t keep = per_class == 0 ? members.size() : std::min(per_class, members.size());
        for (std::size_t j = 0; j < keep; ++j) {
          stored.push_back(train[members[j]]);
          label.push_back(c);
        }
      }
    }
    if (stored.empty()) throw std::runtime_error("no memories: the training part is empty (test_fraction = 1?)");
    memories_per_repeat = stored.size();
    for (const Image& m : stored) memory_bits.insert(memory_bits.end(), m.begin(), m.end());
    memory_digit.insert(memory_digit.end(), label.begin(), label.end());

    const std::vector<Recalled> recalled =
        rule == "modern" ? modern_recall(stored, cues, p.real("beta"), static_cast<int>(p.integer("max_sweeps")))
                         : classical_recall(stored, cues, classical_rule(rule),
                                            static_cast<std::size_t>(p.integer("max_sweeps")), ctx, r);

    std::size_t correct = 0, on_memory = 0, mean_correct = 0, nn_correct = 0;
    for (std::size_t k = 0; k < cues.size(); ++k) {
      const std::int64_t truth = d.labels[split.test[k]];
      const Recalled& rec = recalled[k];
      const std::size_t best = nearest(stored, rec.state);
      Image sign(Digits::pixels);
      for (std::size_t i = 0; i < Digits::pixels; ++i) sign[i] = rec.state[i] < 0 ? -1 : 1;
      const bool on = is_stored(stored, sign);
      correct += label[best] == truth;
      on_memory += on;
      const std::size_t m = nearest(means, cues[k]);
      const std::size_t nn = nearest(train, cues[k]);
      mean_correct += static_cast<std::int64_t>(m) == truth;
      nn_correct += d.labels[split.train[nn]] == truth;

      cue_bits.insert(cue_bits.end(), cues[k].begin(), cues[k].end());
      final_states.insert(final_states.end(), rec.state.begin(), rec.state.end());
      cue_digit.push_back(truth);
      test_index.push_back(static_cast<std::int64_t>(split.test[k]));
      recalled_memory.push_back(static_cast<std::int64_t>(best));
      recalled_digit.push_back(label[best]);
      landed.push_back(on);
      steps.push_back(rec.steps);
      mean_digit.push_back(static_cast<std::int64_t>(m));
      nn_digit.push_back(d.labels[split.train[nn]]);
      energies.push_back(rec.energies);
    }
    // Each split's fractions, with their binomial error over its cues (the error bar of a single repeat).
    if (cues.empty()) throw std::runtime_error("no test digits: test_fraction is too small to hold out any digit");
    auto fraction = [&](const std::string& name, std::size_t hits) {
      const double n = static_cast<double>(cues.size()), a = static_cast<double>(hits) / n;
      out.sample(name, a, std::sqrt(a * (1 - a) / n));
    };
    fraction("accuracy", correct);
    fraction("landed_on_memory", on_memory);
    fraction("baseline_nearest_mean", mean_correct);
    fraction("baseline_1nn", nn_correct);
    ctx.report(static_cast<double>(rep + 1) / static_cast<double>(ctx.repeats));
  }

  const std::size_t n = cue_digit.size();

  std::size_t longest = 0;
  for (const auto& e : energies) longest = std::max(longest, e.size());
  std::vector<double> energy_grid(n * longest, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < n; ++c)
    std::copy(energies[c].begin(), energies[c].end(), energy_grid.begin() + c * longest);

  const std::size_t S = Digits::side, R = static_cast<std::size_t>(ctx.repeats);
  out.attribute("memories_stored", static_cast<std::int64_t>(memories_per_repeat));
  out.array("memories", std::move(memory_bits), {R, memories_per_repeat, S, S})
      .doc("stored ±1 memories of each repeat (its own split), ink = +1");
  out.array("memory_digit", std::move(memory_digit), {R, memories_per_repeat}).doc("digit of each stored memory");
  out.array("cues", std::move(cue_bits), {n, S, S}).doc("binarised held-out digits, repeat after repeat");
  out.array("cue_digit", std::move(cue_digit)).doc("true digit of each cue");
  out.array("test_index", std::move(test_index)).doc("row of each cue in the digits file (0-based)");
  out.array("recalled", std::move(final_states), {n, S, S}).doc("final state of the dynamics from each cue");
  out.array("recalled_memory", std::move(recalled_memory)).doc("index of the memory of largest overlap");
  out.array("recalled_digit", std::move(recalled_digit)).doc("digit read: the label of that memory");
  out.array("landed", std::move(landed)).doc("1 when the final state (its sign, for modern) is a stored memory");
  out.array("steps", std::move(steps)).doc("sweeps (classical) or updates (modern) until the fixed point");
  out.array("nearest_mean_digit", std::move(mean_digit)).doc("baseline: digit of the nearest binarised class mean");
  out.array("nearest_train_digit", std::move(nn_digit)).doc("baseline: digit of the nearest binarised training digit");
  out.array("energies", std::move(energy_grid), {n, longest})
      .doc("energy after each sweep or update (column 0 = cue), NaN after the fixed point");
}

}  // namespace

Kind digits_kind() {
  Kind k;
  k.name = "hopfield.digits";
  k.summary =
      "recognise real handwritten digits (UCI) by energy descent to stored memories; nearest-mean and 1-NN baselines";
  k.params = {
      summary(choice_param("rule", "pseudo_inverse", {"hebb", "storkey", "pseudo_inverse", "modern"},
                           "learning rule, or modern: the softmax memory xi <- X softmax(beta X^T xi)")),
      summary(choice_param("memories", "class_means", {"class_means", "exemplars"},
                           "store the binarised mean of each digit class, or training digits themselves")),
      integer_param("exemplars_per_class", 0, 0, 10000,
                    "memories = exemplars: training digits stored per class, drawn at random (0: all)"),
      real_param("beta", 1.0, 1e-6, 1e6, "rule = modern: inverse temperature of the softmax"),
      integer_param("max_sweeps", 100, 1, 100000,
                    "stop after this many sweeps (modern: updates) without a fixed point"),
  };
  for (ParamSpec& spec : digits_params()) k.params.push_back(std::move(spec));
  k.validate = [](const Params& p) { validate_digits(p); };
  k.run = run;
  k.cost = [](const Params& p) { return p.string("memories") == "exemplars" ? 100.0 : 1.0; };
  k.results = {
      result("accuracy", "fraction of held-out digits whose recall lands nearest a memory of the right digit"),
      result("landed_on_memory", "fraction of recalls ending on a stored memory (overlap above `threshold`)"),
      result("baseline_nearest_mean", "accuracy of the nearest class-mean classifier on the same split"),
      result("baseline_1nn", "accuracy of the 1-nearest-neighbour classifier on the same split"),
  };
  return k;
}

}  // namespace spindiff::runner::hopfield_kinds
