#pragma once
// The checkpoint of a kind that loops over its repeats: a tag naming the layout, the repeat it was taken in,
// what the kind carries from one repeat to the next, and last the inner state (a sampler's, a training's).
// One writer and one reader, so every such kind saves and checks its checkpoint the same way.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "spindiff/core/bytes.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

template <class... Carried>
void save_repeat_checkpoint(const TaskContext& ctx, std::uint32_t tag, std::int64_t repeat, const Carried&... carried) {
  ByteWriter w;
  w.tag(tag);
  w(repeat, carried...);
  ctx.save_checkpoint(std::move(w).bytes());
}

// Fills `carried` from the restored checkpoint and returns its repeat; 0, and nothing filled, when the task
// starts afresh. A checkpoint of another layout, with bytes left over or a repeat out of range is refused.
template <class... Carried>
std::int64_t restore_repeat_checkpoint(const TaskContext& ctx, std::uint32_t tag, const std::string& kind,
                                       Carried&... carried) {
  const Bytes* saved = ctx.restored_checkpoint();
  if (!saved) return 0;
  ByteReader in(*saved);
  in.tag(tag);
  std::int64_t repeat = -1;
  in(repeat, carried...);
  if (!in.done() || repeat < 0 || repeat >= ctx.repeats) throw std::runtime_error(kind + " checkpoint does not fit");
  return repeat;
}

}  // namespace spindiff::runner
