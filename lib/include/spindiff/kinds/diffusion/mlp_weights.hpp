#pragma once
// The file format of learned score weights (the diffusion kinds' model files), in HDF5; layout in
// docs/theory/learned-score.md:
//   <group>/                 attributes format = "spindiff.mlp", version, dim, width, depth, n_frequencies,
//                            data_std, precision ("float64"/"float32"), activation = "silu",
//                            parameterisation = "epsilon" (score = -F / sigma) or "edm" (Karras et al.
//                            2022 preconditioning with sigma_data = data_std; see diffusion/mlp.hpp); a file
//                            without it is read as "epsilon";
//                            a conditional network also: labels = "letter,style" (its attribute names, in input
//                            order) and label_values.<name> = "A,B,C" (each vocabulary, in label-index order);
//                            a classifier also: target (the attribute it classifies) and target_values (its
//                            classes, in output order)
//   <group>/hidden_0.weight  (width, dim + 2 + 2 n_frequencies + Σ_a (|values_a| + 1)), in the network's precision
//   <group>/hidden_0.bias    (width)
//   ...                      hidden_1 ... hidden_{depth-1}
//   <group>/output.weight    (dim, or a classifier's classes, width)
//   <group>/output.bias      (dim or classes)
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "spindiff/diffusion/mlp.hpp"

namespace spindiff::runner::diffusion_kinds {

// The group's attributes above (format, version, architecture, precision, activation, parameterisation), in the
// order they are written: the one description shared by write_mlp_weights and the diffusion.train kind.
using MlpAttribute = std::pair<std::string, std::variant<std::int64_t, double, std::string>>;
std::vector<MlpAttribute> mlp_weight_attributes(const spindiff::diffusion::MlpWeights& weights);

// Writes the weights into `group` of `file` (the file is created if absent; an existing group of that
// name is replaced). Throws std::runtime_error on HDF5 errors.
void write_mlp_weights(const std::filesystem::path& file, const spindiff::diffusion::MlpWeights& weights,
                       const std::string& group = "mlp");

// Reads weights written by write_mlp_weights, or by the diffusion.train kind into a results file
// (/tasks/NNNN/weights). An empty `group` means "mlp" if the file has it, else "tasks/0000/weights" (the first
// task of a diffusion.train run). Throws std::runtime_error if the group is not an MLP.
diffusion::MlpWeights read_mlp_weights(const std::filesystem::path& file, const std::string& group = "");

}  // namespace spindiff::runner::diffusion_kinds
