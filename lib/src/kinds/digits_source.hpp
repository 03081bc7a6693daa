#pragma once
// The digits data-source parameters shared by every kind that reads the handwritten digits (digits_path,
// threshold, test_fraction), and the split views they need.
#include <Eigen/Dense>
#include <vector>

#include "spindiff/io/digits.hpp"
#include "spindiff/runner/kind.hpp"

namespace spindiff::runner {

// digits_path (default: the Debian location), threshold (only for the ±1 view), test_fraction; `prefix` is
// prepended to the names.
std::vector<ParamSpec> digits_params(const std::string& prefix = "", bool spins = true);
// Exit-2 checks: the file exists (else the message names the path and the package that ships it).
void validate_digits(const Params& p, const std::string& prefix = "");
io::Digits load_digits(const Params& p, const std::string& prefix = "");
// The split of repeat `repeat`: keyed by the run seed and the repeat only, so every kind agrees.
io::Split digits_split(const Params& p, const io::Digits& d, const TaskContext& ctx, std::uint32_t repeat,
                       const std::string& prefix = "");

// Grey-level digits in [-1, 1]^64 (one row each) with their labels (the `digit` attribute).
struct LabelledDigits {
  Eigen::MatrixXd x;
  std::vector<std::int64_t> digit;
};
// Digits of the split named by the stream's seed and repeat (the split hopfield.digits uses for that repeat):
// n of its training part in an order drawn from the stream, or, when the stream's purpose is `evaluation`,
// min(n, its size) of the held-out part. Throws std::invalid_argument when n exceeds the training part.
LabelledDigits digit_points(const Params& p, std::size_t n, Stream& stream, const std::string& prefix = "");
// Rows in the training part of every split (the split sizes depend on the class counts only).
std::size_t digits_training_size(const Params& p, const std::string& prefix = "");

}  // namespace spindiff::runner
