#pragma once
// model = hopfield: the Hebb couplings of P random patterns of N spins, redrawn for every repeat.
#include <fmt/format.h>

#include "../size_limits.hpp"
#include "model_table.hpp"

namespace spindiff::runner::spins_kinds {

struct HopfieldModel {
  using Model = spins::PatternCouplings;
  static constexpr const char* name = "hopfield";
  static constexpr const char* size_param = "N";

  static std::vector<ParamSpec> params() {
    return {
        integer_param("N", 12, 1, 1e8, "number of spins (sk, hopfield)"),
        integer_param("P", 2, 1, 1e6, "number of stored random patterns (model = hopfield)"),
        integer_param("instance", 0, 0, 1e9, "which disorder realisation (SK couplings, patterns) to draw"),
    };
  }
  static mc::ModelFacts facts(const Params&) { return {}; }
  static std::optional<double> spin_count(const Params& p) { return static_cast<double>(p.integer("N")); }
  static void check_size(const Params& p) {
    const double n = *spin_count(p), P = static_cast<double>(p.integer("P"));
    check_memory("P", fmt::format("N x P = {:.4g} pattern entries", n * P), 2.0 * n * P);
  }
  static Built<Model> build(const Params& p, const TaskContext& ctx, std::uint32_t repeat, TaskOutput* out) {
    Stream rng(ctx.seed, static_cast<std::uint32_t>(p.integer("instance")), repeat, Purpose::patterns);
    spins::Patterns pat =
        draw_patterns(static_cast<std::size_t>(p.integer("N")), static_cast<std::size_t>(p.integer("P")), rng);
    if (out && repeat == 0) {
      std::vector<std::int8_t> rows;  // pattern-major, one row per pattern
      for (std::size_t mu = 0; mu < pat.P; ++mu) {
        const std::vector<std::int8_t> x = pat.pattern(mu);
        rows.insert(rows.end(), x.begin(), x.end());
      }
      out->array("patterns", std::move(rows), {pat.P, pat.N});
    }
    spins::PatternCouplings model(pat);
    return {std::move(model), std::move(pat)};
  }
};

}  // namespace spindiff::runner::spins_kinds
