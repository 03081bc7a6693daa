// hopfield.letters: store capital-letter bitmaps, present each one distorted like handwriting, recall
// with T = 0 dynamics, classify by the largest overlap.
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "../letter_distortion.hpp"
#include "hopfield_kinds.hpp"
#include "spindiff/hopfield/letters.hpp"
#include "spindiff/hopfield/network.hpp"
#include "spindiff/stats/mean_error.hpp"

namespace spindiff::runner::hopfield_kinds {

namespace {

using namespace spindiff::hopfield;

std::string stored_letters(const Params& p) {
  return p.string("alphabet").substr(0, static_cast<std::size_t>(p.integer("letters")));
}

void validate(const Params& p) {
  const std::string& alphabet = p.string("alphabet");
  for (char c : alphabet)
    if (c < 'A' || c > 'Z') throw ConfigError("", "alphabet", "only capital letters A-Z are drawn");
  if (static_cast<std::size_t>(p.integer("letters")) > alphabet.size())
    throw ConfigError("", "letters",
                      "stores the first `letters` characters of alphabet (\"" + alphabet + "\", " +
                          std::to_string(alphabet.size()) + " letters): at most " + std::to_string(alphabet.size()));
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const std::string chars = stored_letters(p);
  const int R = static_cast<int>(p.integer("resolution"));
  const auto N = static_cast<std::size_t>(R) * R;
  const std::size_t K = chars.size();
  const auto trials = static_cast<std::size_t>(p.integer("trials"));
  const auto repeats = static_cast<std::size_t>(ctx.repeats);

  const letters::Distortion d = read_distortion(p, "");

  std::vector<std::vector<std::int8_t>> bitmaps;
  std::vector<std::int8_t> stored;
  for (char c : chars) {
    bitmaps.push_back(letters::render(c, R, d.stroke_width));
    stored.insert(stored.end(), bitmaps.back().begin(), bitmaps.back().end());
  }
  const Network net(patterns_from(bitmaps), parse_rule(p.string("rule")));
  DynamicsOptions options;
  options.update = p.string("dynamics") == "sync" ? Update::sync : Update::async;
  options.max_sweeps = static_cast<std::size_t>(p.integer("max_sweeps"));
  options.record_overlaps = false;

  const std::size_t cues = repeats * K * trials;
  std::vector<std::int8_t> cue_bits, recalled_bits;
  cue_bits.reserve(cues * N);
  recalled_bits.reserve(cues * N);
  std::vector<std::int64_t> target, recalled, sweeps, converged, two_cycle;
  std::vector<double> overlap, cue_overlap;
  std::vector<std::vector<double>> energies;
  for (std::size_t r = 0; r < repeats; ++r) {
    std::size_t correct = 0;
    const std::size_t first = overlap.size();
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t t = 0; t < trials; ++t) {
        const std::uint64_t sub = k * trials + t;
        Stream cue_rng = ctx.stream(static_cast<std::uint32_t>(r), Purpose::cue, sub);
        Stream dyn_rng = ctx.stream(static_cast<std::uint32_t>(r), Purpose::dynamics, sub);
        const std::vector<std::int8_t> cue = letters::render(chars[k], R, d, cue_rng);
        const Recall rec = net.recall(cue, options, dyn_rng);
        const std::vector<double> m = overlaps(net.patterns(), rec.state);
        const std::size_t best = best_match(m);
        correct += best == k;
        target.push_back(static_cast<std::int64_t>(k));
        recalled.push_back(static_cast<std::int64_t>(best));
        overlap.push_back(m[k]);
        cue_overlap.push_back(overlaps(net.patterns(), cue)[k]);
        sweeps.push_back(static_cast<std::int64_t>(rec.trajectory.sweeps));
        converged.push_back(rec.trajectory.converged);
        two_cycle.push_back(rec.trajectory.two_cycle);
        energies.push_back(rec.trajectory.energies);
        cue_bits.insert(cue_bits.end(), cue.begin(), cue.end());
        recalled_bits.insert(recalled_bits.end(), rec.state.begin(), rec.state.end());
        ctx.report(static_cast<double>(target.size()) / static_cast<double>(cues));
      }
    // Each repeat's values pool its K x trials cues, with the error of that pool: the error bar of a single
    // repeat (binomial for the fractions); over several repeats the error is the spread of the repeats.
    const auto from = static_cast<std::ptrdiff_t>(first);
    const double n = static_cast<double>(K * trials);
    const double accuracy = static_cast<double>(correct) / n;
    out.sample("accuracy", accuracy, std::sqrt(accuracy * (1 - accuracy) / n));
    // Synchronous recall only: the cues whose dynamics ended alternating between two states.
    const double cycled = static_cast<double>(std::count(two_cycle.begin() + from, two_cycle.end(), 1)) / n;
    out.sample("two_cycle_fraction", cycled, std::sqrt(cycled * (1 - cycled) / n));
    const auto this_repeat = [&](const std::vector<double>& v) {
      return stats::mean_error(std::span<const double>(v).subspan(first));
    };
    const stats::MeanError m = this_repeat(overlap);
    out.sample("overlap", m.mean, m.error);
    const stats::MeanError mc = this_repeat(cue_overlap);
    out.sample("cue_overlap", mc.mean, mc.error);
  }

  // Energy trajectories differ in length: pad with NaN to a rectangle.
  std::size_t longest = 0;
  for (const auto& e : energies) longest = std::max(longest, e.size());
  std::vector<double> energy_grid(cues * longest, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < cues; ++c)
    std::copy(energies[c].begin(), energies[c].end(), energy_grid.begin() + c * longest);

  const auto sR = static_cast<std::size_t>(R);
  std::vector<std::string> names;
  for (char c : chars) names.emplace_back(1, c);
  out.array("letters", names);
  out.array("stored", std::move(stored), {K, sR, sR});
  out.array("cues", std::move(cue_bits), {cues, sR, sR});
  out.array("recalled", std::move(recalled_bits), {cues, sR, sR});
  out.array("cue_letter", std::move(target));
  out.array("recalled_letter", std::move(recalled));
  out.array("final_overlap", std::move(overlap));
  out.array("sweeps", std::move(sweeps));
  out.array("converged", std::move(converged));
  out.array("two_cycle", std::move(two_cycle))
      .doc("1 when synchronous dynamics stopped in a two-cycle (the last sweep undid the one before)");
  out.array("energies", std::move(energy_grid), {cues, longest})
      .doc("energy after each sweep (column 0 = cue), NaN after the fixed point");
}

}  // namespace

Kind letters_kind() {
  Kind k;
  k.name = "hopfield.letters";
  k.summary = "store letter bitmaps, recall them from handwriting-like distorted cues (accuracy, overlap)";
  k.params = {
      summary(real_param("noise", 0.1, 0.0, 1.0, "fraction of cue pixels flipped after drawing")),
      summary(integer_param("letters", 5, 1.0, 26.0, "number of stored letters: the first ones of `alphabet`")),
      summary(choice_param("rule", "pseudo-inverse", {"hebb", "pseudo-inverse", "storkey"}, "learning rule")),
      string_param("alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "letters to store, in order (capitals A-Z)"),
      integer_param("resolution", 16, 16.0, 128.0, "bitmap size R (R x R pixels)"),
      real_param("stroke_width", 0.12, 0.02, 0.5, "stroke width of the stored letters, fraction of R"),
  };
  for (ParamSpec& spec : distortion_params("", {0.5, 0.2, 3.0, 0.05, 0.03}, "cue distortion"))
    k.params.push_back(std::move(spec));
  const std::vector<ParamSpec> dynamics = {
      choice_param("dynamics", "async", {"async", "sync"}, "T = 0 update: asynchronous (random order) or synchronous"),
      integer_param("max_sweeps", 100, 1.0, 100000.0, "stop after this many sweeps if no fixed point is reached"),
      integer_param("trials", 10, 1.0, 100000.0, "distorted cues per stored letter and repeat"),
  };
  k.params.insert(k.params.end(), dynamics.begin(), dynamics.end());
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    const double n = static_cast<double>(p.integer("resolution"));
    return static_cast<double>(p.integer("letters") * p.integer("trials")) * n * n;
  };
  k.results = {
      result("accuracy", "fraction of distorted cues recalled to the letter they were drawn from (binomial error)"),
      result("two_cycle_fraction",
             "fraction of cues whose synchronous recall ended in a two-cycle (0 for asynchronous dynamics)"),
      result("overlap", "mean overlap of the recalled state with the cue's own stored letter"),
      result("cue_overlap", "mean overlap of the distorted cue with its stored letter (before recall)"),
  };
  return k;
}

}  // namespace spindiff::runner::hopfield_kinds
