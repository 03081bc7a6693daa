#pragma once
// The learned score's network: a multilayer perceptron F of x_t = a x_0 + σ ε (docs/theory/learned-score.md).
// Its raw output becomes a score through a preconditioning wrapper (preconditioned_score.hpp), in one of two
// parameterisations:
//   epsilon: F predicts the noise, ε̂ = F, and the score is −ε̂/σ;
//   edm:     Karras et al. (2022) preconditioning, the denoiser D = c_skip x + c_out F estimates x_0 and the
//            score is (a D − x)/σ² = −c_in² x + (a s_data c_in/σ) F; with F = 0 it is the exact score of
//            Gaussian data N(0, s_data² I).
//
// Network: features f = [c_in x, u, sin(2^k u), cos(2^k u) (k < n_frequencies), a, labels] with u = ln(σ)/4 and
// c_in = 1/sqrt(a² s_data² + σ²); then `depth` hidden layers Linear + SiLU of `width` units and a linear
// output of size d (or one logit per value of a classifier's `target` attribute).
//
// Conditioning: a network with label attributes reads, for each attribute, a one-hot block of its values plus one
// "dropped" slot (the attribute left free). The first layer's columns on that block are the attribute's learned
// embedding vectors, added to the first hidden pre-activation: one embedding per attribute value, one for "dropped".
// With every attribute dropped the same network is the unconditional model (classifier-free guidance). Activations are
// stored feature × batch (column-major), so every layer is one GEMM Z = W H with W row-major (out × in), the PyTorch
// nn.Linear layout.
#include <Eigen/StdVector>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "spindiff/core/aligned_allocator.hpp"
#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

enum class Parameterisation {
  epsilon,  // F = ε̂, score −F/σ
  edm       // D = c_skip x + c_out F, score (a D − x)/σ² (Karras et al. 2022)
};
const char* parameterisation_name(Parameterisation p);
Parameterisation parse_parameterisation(const std::string& name);  // "epsilon" / "edm"

// The EDM preconditioning at noise level (a, σ) for data of RMS s_data, generalised to a scaled process
// x_t = a x_0 + σ ε: c_in = 1/sqrt(a² s² + σ²), c_skip = a s² c_in² (the optimal linear denoiser),
// c_out = σ s c_in (the RMS of the residual x_0 − c_skip x_t). At a = 1 these are Karras et al.'s Table 1.
struct EdmCoefficients {
  double c_in, c_skip, c_out;
};
EdmCoefficients edm_coefficients(double scale, double sigma, double data_std);

struct MlpArchitecture {
  int dim = 2;            // data dimension d
  int width = 128;        // units per hidden layer
  int depth = 3;          // number of hidden layers (Linear + SiLU)
  int n_frequencies = 4;  // Fourier features of the noise embedding
  double data_std = 1.0;  // s_data in the input scaling c_in = 1/sqrt(a² s_data² + σ²); σ_data of edm
  Parameterisation parameterisation = Parameterisation::epsilon;
  std::vector<Attribute> attributes = {};  // label attributes the network is conditioned on (none: unconditional)
  Attribute target = {};                   // a classifier's attribute: one logit per value; none for a score

  [[nodiscard]] int embedding_size() const { return 2 + 2 * n_frequencies; }
  // One slot per attribute value plus one "dropped" slot per attribute.
  [[nodiscard]] int label_size() const;
  [[nodiscard]] int input_size() const { return dim + embedding_size() + label_size(); }
  [[nodiscard]] bool is_classifier() const { return !target.values.empty(); }
  [[nodiscard]] int output_size() const { return is_classifier() ? static_cast<int>(target.values.size()) : dim; }
  void validate() const;  // throws std::invalid_argument
};

// One parameter tensor, row-major (C order), named like PyTorch's state_dict: "hidden_0.weight",
// "hidden_0.bias", ..., "output.weight", "output.bias". Weights are (out, in).
struct NamedArray {
  std::string name;
  std::vector<std::size_t> shape;
  std::vector<double> values;
};

enum class Precision { float64, float32 };
const char* precision_name(Precision p);
Precision parse_precision(const std::string& name);  // "float64" / "double", "float32" / "float"

// Everything needed to rebuild a network: what the HDF5 weight file stores.
struct MlpWeights {
  MlpArchitecture architecture;
  Precision precision = Precision::float64;
  std::vector<NamedArray> arrays;
};

// A network whose raw output F(x, level) a preconditioning turns into a score. Like ScoreModel::score, output() may
// be called from many threads at once.
class ScoreNetwork {
 public:
  virtual ~ScoreNetwork() = default;
  // out(i, :) = F at x(i, :) with every label dropped (out is resized to n × output size).
  virtual void output(const Points& x, const NoiseLevel& level, Points& out) const = 0;
  // The same under a condition on the network's attributes (kAnyValue: that label dropped).
  virtual void output(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const = 0;
  virtual const MlpArchitecture& architecture() const = 0;
  int dim() const { return architecture().dim; }
};

template <class Scalar>
class MlpT final : public ScoreNetwork {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;  // feature × batch
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using WeightMap = Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
  using ConstWeightMap = Eigen::Map<const Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
  using BiasMap = Eigen::Map<Vector>;
  using ConstBiasMap = Eigen::Map<const Vector>;

  // Where one linear layer lives inside the flat parameter vector: weight (out × in, row-major) then bias.
  struct Layer {
    std::ptrdiff_t weight_offset = 0;
    std::ptrdiff_t bias_offset = 0;
    int in = 0;
    int out = 0;
  };

  // Forward/backward buffers for batches of up to `capacity` points; allocated once.
  struct Workspace {
    int capacity = 0;
    std::vector<Matrix> act;             // act[0] = input features, act[l] = output of hidden layer l (1..depth)
    std::vector<Matrix> pre;             // pre[l] = pre-activation Z of hidden layer l (bias included)
    std::vector<Matrix> sig;             // sig[l] = sigmoid(Z)
    Matrix output;                       // ε̂ (d × batch)
    Matrix grad_output;                  // ∂L/∂ε̂, set by the caller before backward()
    Matrix grad_hidden[2];               // ping-pong ∂L/∂H
    AlignedVector<Scalar> gemm_scratch;  // GEMM packing buffers
  };

  explicit MlpT(const MlpArchitecture& architecture);

  [[nodiscard]] const MlpArchitecture& architecture() const override { return arch_; }
  [[nodiscard]] const std::vector<Layer>& layers() const { return layers_; }
  [[nodiscard]] std::size_t parameter_count() const { return params_.size(); }
  [[nodiscard]] std::span<Scalar> parameters() { return params_; }
  [[nodiscard]] std::span<const Scalar> parameters() const { return params_; }

  // PyTorch's nn.Linear default: weights and biases uniform in ±1/sqrt(fan_in).
  void initialize(Stream& stream);

  // out(i, :) = F at x(i, :): the network on the features of x(i, :) at the level (labels dropped).
  void output(const Points& x, const NoiseLevel& level, Points& out) const override;
  void output(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const override;

  // The network's input column for the point x_t (d values) at noise level (a, σ), labels dropped.
  void write_features(const double* xt, double scale, double sigma, Scalar* column) const;
  // The label block of an input column: value index per attribute, kAnyValue (or any negative) for dropped.
  void write_labels(const int* values, Scalar* column) const;
  // The regression target of F for x_t = a x_0 + σ ε (d values each): ε (epsilon) or (x_0 − c_skip x_t)/c_out
  // (edm, the loss weight λ(σ) = 1/c_out² of Karras et al. folded in).
  void write_target(const double* x0, const double* xt, const double* noise, double scale, double sigma,
                    Scalar* column) const;

  [[nodiscard]] Workspace make_workspace(int capacity) const;
  // ws.output.leftCols(n) = network(ws.act[0].leftCols(n)).
  void forward(Workspace& ws, int n) const;
  // grad = ∂L/∂θ given ws.grad_output.leftCols(n) = ∂L/∂ε̂ (after forward on the same batch). Overwrites grad.
  void backward(Workspace& ws, int n, std::span<Scalar> grad) const;
  // ∂L/∂(input features) (input size × n) given ws.grad_output (after forward on the same batch); no parameter
  // gradient. Uses ws.grad_hidden as scratch.
  void input_gradient(Workspace& ws, int n, Matrix& grad_input) const;

  [[nodiscard]] MlpWeights weights() const;
  void set_weights(const MlpWeights& weights);  // architecture must match; throws std::invalid_argument

  [[nodiscard]] ConstWeightMap weight(int layer) const;
  [[nodiscard]] ConstBiasMap bias(int layer) const;

 private:
  // Parameter-sized buffers are cache-line aligned (spindiff::AlignedVector): a plain std::vector is aligned to
  // 16 bytes only, and a varying alignment would move the scalar prologue of Eigen's vectorised loops over a Map
  // (and its rounding, e.g. contracted multiply-adds) from run to run, breaking bitwise determinism.
  using GemmScratch = AlignedVector<Scalar>;
  // out.leftCols(n) = W_layer in.leftCols(n) + b_layer
  void linear(int layer, const Matrix& in, int n, Matrix& out, GemmScratch& scratch) const;
  // The noise-level part of the features, [u, sin(2^k u), cos(2^k u), a] (embedding_size() values).
  void write_embedding(double scale, double sigma, Scalar* emb) const;

  MlpArchitecture arch_;
  std::vector<Layer> layers_;     // depth hidden layers, then the output layer
  AlignedVector<Scalar> params_;  // all weights and biases, one buffer (one Adam loop)
};

using Mlp = MlpT<double>;
using MlpFloat = MlpT<float>;

// Layer names in the flat order: hidden_0 ... hidden_{depth-1}, output.
std::string mlp_layer_name(const MlpArchitecture& arch, int layer);

// A network of the stored precision with the stored weights.
std::unique_ptr<ScoreNetwork> make_network(const MlpWeights& weights);
// That network behind its preconditioning: the learned score.
std::unique_ptr<ScoreModel> make_learned_score(const MlpWeights& weights);

extern template class MlpT<double>;
extern template class MlpT<float>;

}  // namespace spindiff::diffusion
