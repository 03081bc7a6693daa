#pragma once
// MLP score weights in HDF5 (layout in docs/theory/learned-score.md):
//   <group>/                 attributes format = "spindiff.mlp", version, dim, width, depth, n_frequencies,
//                            data_std, precision ("float64"/"float32"), activation = "silu",
//                            parameterisation = "epsilon" (score = -eps_hat / sigma)
//   <group>/hidden_0.weight  (width, dim + 2 + 2 n_frequencies), stored in the network's precision
//   <group>/hidden_0.bias    (width)
//   ...                      hidden_1 ... hidden_{depth-1}
//   <group>/output.weight    (dim, width)
//   <group>/output.bias      (dim)
#include <filesystem>
#include <string>

#include "spindiff/diffusion/mlp.hpp"

namespace spindiff::io {

// Writes the weights into `group` of `file` (the file is created if absent; an existing group of that
// name is replaced). Throws std::runtime_error on HDF5 errors.
void write_mlp_weights(const std::filesystem::path& file, const diffusion::MlpWeights& weights,
                       const std::string& group = "mlp");

// Reads weights written by write_mlp_weights. Throws std::runtime_error if the group is not an MLP.
diffusion::MlpWeights read_mlp_weights(const std::filesystem::path& file, const std::string& group = "mlp");

}  // namespace spindiff::io
