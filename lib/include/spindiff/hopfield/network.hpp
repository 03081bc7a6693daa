#pragma once
// A stored memory: patterns + learning rule + evaluation path, ready to recall from a cue.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "spindiff/hopfield/dynamics.hpp"
#include "spindiff/hopfield/packed_rows.hpp"
#include "spindiff/hopfield/patterns.hpp"
#include "spindiff/hopfield/rules.hpp"

namespace spindiff::hopfield {

struct ThermalOptions;  // hopfield/thermal_dynamics.hpp

// pattern_form is only available for the Hebb rule; automatic picks it for Hebb (never builds W).
enum class Evaluation { automatic, dense, pattern_form };

struct Recall {
  std::vector<std::int8_t> state;  // final configuration
  Trajectory trajectory;
};

class Network {
 public:
  Network(Patterns patterns, Rule rule, Evaluation evaluation = Evaluation::automatic);

  Recall recall(std::span<const std::int8_t> cue, const DynamicsOptions& options, Stream& rng) const;
  // Recall at temperature options.T > 0 (Glauber dynamics, a fixed number of sweeps).
  Recall recall_at_temperature(std::span<const std::int8_t> cue, const ThermalOptions& options, Stream& rng) const;

  const Patterns& patterns() const { return patterns_; }
  Rule rule() const { return rule_; }
  bool pattern_form() const { return rows_.has_value(); }
  const DenseModel& model() const { return *model_; }  // only when !pattern_form()

 private:
  Patterns patterns_;
  Rule rule_;
  std::optional<DenseModel> model_;  // the dense path
  std::optional<PackedRows> rows_;   // the pattern form
};

// Index of the largest overlap (the classification of a recalled state).
std::size_t best_match(std::span<const double> overlaps);

}  // namespace spindiff::hopfield
