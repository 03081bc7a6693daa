#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

std::vector<ParamSpec> runner_params() {
  return {
      integer_param("seed", 1, 0.0, 9.007199254740992e15,
                    "master seed; every random stream is derived from (seed, parameter point, repeat, purpose)"),
      integer_param("repeats", 1, 1.0, 1e9, "independent repetitions per task"),
  };
}

}  // namespace spindiff::runner
