#include "thermo_replicas.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "spindiff/mc/multispin_ising2d_replicas.hpp"
#include "thermo_chain.hpp"

namespace spindiff::runner::spins_kinds {

void run_thermo_replicas(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const int L = static_cast<int>(p.integer("L"));
  const std::size_t N = static_cast<std::size_t>(L) * static_cast<std::size_t>(L);
  const double T = p.real("T");
  const mc::Rule rule = mc::parse_rule(p.string("algorithm"));
  const auto repeats = static_cast<std::uint32_t>(std::max<std::int64_t>(1, ctx.repeats));
  const std::int64_t thermalize = p.integer("thermalize"), sweeps = p.integer("sweeps"), total = thermalize + sweeps;
  const std::int64_t warm_from = warm_range_from<mc::MultiSpinSweep>(thermalize);
  Measurements meas = make_measurements(N, p, ctx);
  std::string isa;
  for (std::uint32_t first = 0; first < repeats; first += mc::MultiSpinIsing2DReplicas::kMaxReplicas) {
    const int R =
        static_cast<int>(std::min<std::uint32_t>(mc::MultiSpinIsing2DReplicas::kMaxReplicas, repeats - first));
    // The word set draws from the stream of its first repeat; each replica starts from its repeat's own.
    Stream rng = ctx.stream(first, Purpose::dynamics);
    mc::MultiSpinIsing2DReplicas sim(L, p.real("J"), std::vector<double>(static_cast<std::size_t>(R), T), rule, rng);
    isa = sim.implementation();
    for (int b = 0; b < R; ++b)
      sim.set_spins(b, initial_state(p.string("init"), N, std::nullopt,
                                     ctx.stream(first + static_cast<std::uint32_t>(b), Purpose::init)));
    std::vector<std::vector<double>> E(static_cast<std::size_t>(R)), M(static_cast<std::size_t>(R));
    for (int b = 0; b < R; ++b) {
      E[static_cast<std::size_t>(b)].reserve(static_cast<std::size_t>(sweeps));
      M[static_cast<std::size_t>(b)].reserve(static_cast<std::size_t>(sweeps));
    }
    for (std::int64_t t = 0; t < total; ++t) {
      const std::uint64_t flips = sim.sweep();
      if (t >= thermalize) {
        meas.accepted += flips;
        meas.attempts += static_cast<std::uint64_t>(N) * static_cast<std::uint64_t>(R);
        const std::vector<double> e = sim.energies();
        const std::vector<std::int64_t> m = sim.magnetizations();
        for (int b = 0; b < R; ++b) {
          E[static_cast<std::size_t>(b)].push_back(e[static_cast<std::size_t>(b)]);
          M[static_cast<std::size_t>(b)].push_back(static_cast<double>(m[static_cast<std::size_t>(b)]));
        }
      } else if (first == 0 && t >= warm_from) {
        meas.warm(sim.energies()[0]);  // repeat 0 fixes the histogram range, as in a chain per repeat
      }
      if (t % 256 == 0)
        ctx.report((static_cast<double>(first) * static_cast<double>(total) + static_cast<double>(R) * t) /
                   (static_cast<double>(repeats) * static_cast<double>(total)));
    }
    for (int b = 0; b < R; ++b) {
      meas.start_repeat();
      const auto& e = E[static_cast<std::size_t>(b)];
      const auto& m = M[static_cast<std::size_t>(b)];
      for (std::size_t t = 0; t < e.size(); ++t) meas.measure(e[t], m[t], NAN);
      report_autocorrelation_times(p, meas, out);
    }
  }
  out.attribute("kernel_isa", isa);
  out.attribute("kernel", std::string(kReplicaKernel));
  write_thermo_summary(meas, N, true, false, out);
}

}  // namespace spindiff::runner::spins_kinds
