#pragma once
// model = sk: the Sherrington-Kirkpatrick spin glass, J_ij ~ N(0, J^2/N), uniform field h.
#include <fmt/format.h>

#include "../size_limits.hpp"
#include "model_table.hpp"

namespace spindiff::runner::spins_kinds {

struct SkModel {
  using Model = spins::DenseCouplings;
  static constexpr const char* name = "sk";
  static constexpr const char* size_param = "N";

  static std::vector<ParamSpec> params() {
    return {
        real_param("J", 1.0, std::nullopt, std::nullopt, "coupling: lattice J, or SK scale J (J_ij ~ N(0, J^2/N))"),
        real_param("h", 0.0, std::nullopt, std::nullopt, "uniform field (ising, sk)"),
        integer_param("N", 12, 1, 1e8, "number of spins (sk, hopfield)"),
        integer_param("instance", 0, 0, 1e9, "which disorder realisation (SK couplings, patterns) to draw"),
    };
  }
  static mc::ModelFacts facts(const Params& p) {
    mc::ModelFacts f;
    f.bonds = true;
    f.field = p.real("h") != 0.0;
    return f;
  }
  static std::optional<double> spin_count(const Params& p) { return static_cast<double>(p.integer("N")); }
  static void check_size(const Params& p) {
    const double n = *spin_count(p);
    check_memory("N", fmt::format("dense couplings for N = {:.0f}", n), 16.0 * n * n);
  }
  static Built<Model> build(const Params& p, const TaskContext& ctx, std::uint32_t repeat, TaskOutput* out) {
    // Named by (seed, instance): the same couplings for every task and repeat of a run.
    Stream rng(ctx.seed, static_cast<std::uint32_t>(p.integer("instance")), 0, Purpose::couplings);
    spins::DenseCouplings sk =
        spins::sk_couplings(static_cast<std::size_t>(p.integer("N")), p.real("J"), p.real("h"), rng);
    if (out && repeat == 0) {
      const auto n = static_cast<std::size_t>(sk.size());
      std::vector<double> J(sk.couplings().data(), sk.couplings().data() + n * n);
      out->array("couplings", std::move(J), {n, n});
    }
    return {std::move(sk), std::nullopt};
  }
};

}  // namespace spindiff::runner::spins_kinds
