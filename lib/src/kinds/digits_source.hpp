#pragma once
// The digits data-source parameters shared by every kind that reads the handwritten digits (digits_path,
// threshold, test_fraction), and the split views they need.
#include <vector>

#include "spindiff/io/digits.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

// digits_path (default: the Debian location), threshold, test_fraction; `prefix` is prepended to the names.
std::vector<ParamSpec> digits_params(const std::string& prefix = "");
// Exit-2 checks: the file exists (else the message names the path and the package that ships it).
void validate_digits(const Params& p, const std::string& prefix = "");
io::Digits load_digits(const Params& p, const std::string& prefix = "");
// The split of repeat `repeat`: keyed by the run seed and the repeat only, so every kind agrees.
io::Split digits_split(const Params& p, const io::Digits& d, const TaskContext& ctx, std::uint32_t repeat,
                       const std::string& prefix = "");

}  // namespace spindiff::runner
