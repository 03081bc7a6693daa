#pragma once
// The thermo kinds with kernel = "multispin_replicas": a task's repeats run together as independent replicas,
// one per bit of the multi-spin words (mc::MultiSpinIsing2DReplicas), 64 at a time.
#include "common.hpp"

namespace spindiff::runner::spins_kinds {

inline constexpr const char* kReplicaKernel = "multispin_replicas";

inline bool replica_kernel(const Params& p) { return p.has("kernel") && p.string("kernel") == kReplicaKernel; }

// Bytes of the per-replica series the kernel keeps until the repeats are measured in order (at most 64 at once).
inline double replica_series_bytes(const Params& p) { return 16.0 * 64.0 * static_cast<double>(p.integer("sweeps")); }

// The 2-D Ising model (L, J, T; h = 0) over all repeats into the summary, as run_thermo does for one chain per
// repeat: each repeat's series is measured in repeat order, so the summary and per-repeat columns are what those
// chains would give.
void run_thermo_replicas(const Params& p, const TaskContext& ctx, TaskOutput& out);

}  // namespace spindiff::runner::spins_kinds
