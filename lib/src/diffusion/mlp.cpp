#include "spindiff/diffusion/mlp.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "spindiff/diffusion/preconditioned_score.hpp"

namespace spindiff::diffusion {
namespace {

// C += op(A) B through Eigen's GEMM kernel with caller-owned packing buffers, so that a training step
// allocates nothing (Eigen's own product allocates its packing buffers on every call above 128 KiB) and
// the forward pass can start from the broadcast bias instead of zeroing the destination.
// Uses Eigen 3.4 internals (general_matrix_matrix_product, level3_blocking).
template <class Scalar>
class ScratchBlocking : public Eigen::internal::level3_blocking<Scalar, Scalar> {
 public:
  ScratchBlocking(Eigen::Index m, Eigen::Index n, Eigen::Index k) {
    this->m_mc = m;
    this->m_nc = n;
    this->m_kc = k;
    Eigen::internal::computeProductBlockingSizes<Scalar, Scalar, 1>(this->m_kc, this->m_mc, this->m_nc,
                                                                    Eigen::Index(1));
  }
  [[nodiscard]] std::size_t size() const {
    return static_cast<std::size_t>(this->m_kc * this->m_mc) + padding +
           static_cast<std::size_t>(this->m_kc * this->m_nc);
  }
  void attach(Scalar* scratch) {
    this->m_blockA = scratch;
    this->m_blockB = scratch + align_up(static_cast<std::size_t>(this->m_kc * this->m_mc));
  }

 private:
  static constexpr std::size_t padding = 64 / sizeof(Scalar);
  static std::size_t align_up(std::size_t k) { return (k + padding - 1) / padding * padding; }
};

// C (m × n, column-major, leading dimension ldc) += A (m × k) B (k × n); A and B in the given storage orders.
template <class Scalar, int LhsOrder, int RhsOrder>
void gemm_add(Eigen::Index m, Eigen::Index n, Eigen::Index k, const Scalar* a, Eigen::Index lda, const Scalar* b,
              Eigen::Index ldb, Scalar* c, Eigen::Index ldc, AlignedVector<Scalar>& scratch) {
  ScratchBlocking<Scalar> blocking(m, n, k);
  if (blocking.size() > scratch.size()) scratch.resize(blocking.size());  // only while sizing the workspace
  blocking.attach(scratch.data());
  Eigen::internal::general_matrix_matrix_product<Eigen::Index, Scalar, LhsOrder, false, Scalar, RhsOrder, false,
                                                 Eigen::ColMajor, 1>::run(m, n, k, a, lda, b, ldb, c, 1, ldc, Scalar(1),
                                                                          blocking, nullptr);
}

template <class Scalar>
std::size_t scratch_size(Eigen::Index m, Eigen::Index n, Eigen::Index k) {
  return ScratchBlocking<Scalar>(m, n, k).size();
}

}  // namespace

void MlpArchitecture::validate() const {
  if (dim < 1) throw std::invalid_argument("mlp: dim must be >= 1");
  if (width < 1) throw std::invalid_argument("mlp: width must be >= 1");
  if (depth < 1) throw std::invalid_argument("mlp: depth must be >= 1");
  if (n_frequencies < 0) throw std::invalid_argument("mlp: n_frequencies must be >= 0");
  if (!(data_std > 0.0)) throw std::invalid_argument("mlp: data_std must be > 0");
  for (const Attribute& a : attributes)
    if (a.values.empty()) throw std::invalid_argument("mlp: label attribute '" + a.name + "' has no values");
}

int MlpArchitecture::label_size() const {
  int size = 0;
  for (const Attribute& a : attributes) size += static_cast<int>(a.values.size()) + 1;
  return size;
}

const char* precision_name(Precision p) { return p == Precision::float32 ? "float32" : "float64"; }

Precision parse_precision(const std::string& name) {
  if (name == "float64" || name == "double") return Precision::float64;
  if (name == "float32" || name == "float") return Precision::float32;
  throw std::invalid_argument("unknown precision '" + name + "' (float64 or float32)");
}

const char* parameterisation_name(Parameterisation p) { return p == Parameterisation::edm ? "edm" : "epsilon"; }

Parameterisation parse_parameterisation(const std::string& name) {
  if (name == "epsilon") return Parameterisation::epsilon;
  if (name == "edm") return Parameterisation::edm;
  throw std::invalid_argument("unknown parameterisation '" + name + "' (epsilon or edm)");
}

namespace {
// c_in = 1/sqrt(a² s_data² + σ²): the input scaling of both parameterisations.
double input_scale(double scale, double sigma, double data_std) {
  return 1.0 / std::sqrt(scale * scale * data_std * data_std + sigma * sigma);
}
}  // namespace

EdmCoefficients edm_coefficients(double scale, double sigma, double data_std) {
  const double c_in = input_scale(scale, sigma, data_std);
  return {c_in, scale * data_std * data_std * c_in * c_in, sigma * data_std * c_in};
}

std::string mlp_layer_name(const MlpArchitecture& arch, int layer) {
  return layer < arch.depth ? "hidden_" + std::to_string(layer) : std::string("output");
}

template <class Scalar>
MlpT<Scalar>::MlpT(const MlpArchitecture& architecture) : arch_(architecture) {
  arch_.validate();
  std::ptrdiff_t offset = 0;
  int in = arch_.input_size();
  for (int l = 0; l <= arch_.depth; ++l) {
    const int out = l < arch_.depth ? arch_.width : arch_.output_size();
    Layer layer{offset, offset + static_cast<std::ptrdiff_t>(out) * in, in, out};
    layers_.push_back(layer);
    offset = layer.bias_offset + out;
    in = out;
  }
  params_.assign(static_cast<std::size_t>(offset), Scalar(0));
}

template <class Scalar>
void MlpT<Scalar>::initialize(Stream& stream) {
  for (const Layer& layer : layers_) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer.in));
    const std::ptrdiff_t end = layer.bias_offset + layer.out;
    for (std::ptrdiff_t k = layer.weight_offset; k < end; ++k)
      params_[static_cast<std::size_t>(k)] = static_cast<Scalar>(stream.uniform(-bound, bound));
  }
}

template <class Scalar>
typename MlpT<Scalar>::ConstWeightMap MlpT<Scalar>::weight(int layer) const {
  const Layer& L = layers_[static_cast<std::size_t>(layer)];
  return ConstWeightMap(params_.data() + L.weight_offset, L.out, L.in);
}

template <class Scalar>
typename MlpT<Scalar>::ConstBiasMap MlpT<Scalar>::bias(int layer) const {
  const Layer& L = layers_[static_cast<std::size_t>(layer)];
  return ConstBiasMap(params_.data() + L.bias_offset, L.out);
}

template <class Scalar>
void MlpT<Scalar>::write_features(const double* xt, double scale, double sigma, Scalar* column) const {
  const double c_in = input_scale(scale, sigma, arch_.data_std);
  for (int i = 0; i < arch_.dim; ++i) column[i] = static_cast<Scalar>(c_in * xt[i]);
  write_embedding(scale, sigma, column + arch_.dim);
  write_labels(nullptr, column);
}

template <class Scalar>
void MlpT<Scalar>::write_labels(const int* values, Scalar* column) const {
  Scalar* slot = column + arch_.dim + arch_.embedding_size();
  for (std::size_t a = 0; a < arch_.attributes.size(); ++a) {
    const int size = static_cast<int>(arch_.attributes[a].values.size());
    for (int v = 0; v <= size; ++v) slot[v] = Scalar(0);
    const int value = values ? values[a] : kAnyValue;
    slot[value >= 0 && value < size ? value : size] = Scalar(1);  // the last slot: dropped
    slot += size + 1;
  }
}

template <class Scalar>
void MlpT<Scalar>::write_embedding(double scale, double sigma, Scalar* emb) const {
  const double u = 0.25 * std::log(sigma);
  emb[0] = static_cast<Scalar>(u);
  double freq = 1.0;
  for (int k = 0; k < arch_.n_frequencies; ++k, freq *= 2.0) {
    emb[1 + k] = static_cast<Scalar>(std::sin(freq * u));
    emb[1 + arch_.n_frequencies + k] = static_cast<Scalar>(std::cos(freq * u));
  }
  emb[1 + 2 * arch_.n_frequencies] = static_cast<Scalar>(scale);
}

template <class Scalar>
void MlpT<Scalar>::write_target(const double* x0, const double* xt, const double* noise, double scale, double sigma,
                                Scalar* column) const {
  const int d = arch_.dim;
  if (arch_.parameterisation == Parameterisation::epsilon) {
    for (int i = 0; i < d; ++i) column[i] = static_cast<Scalar>(noise[i]);
    return;
  }
  const EdmCoefficients c = edm_coefficients(scale, sigma, arch_.data_std);
  const double inv_c_out = 1.0 / c.c_out;
  for (int i = 0; i < d; ++i) column[i] = static_cast<Scalar>((x0[i] - c.c_skip * xt[i]) * inv_c_out);
}

template <class Scalar>
typename MlpT<Scalar>::Workspace MlpT<Scalar>::make_workspace(int capacity) const {
  Workspace ws;
  ws.capacity = capacity;
  const int depth = arch_.depth;
  ws.act.resize(static_cast<std::size_t>(depth) + 1);
  ws.pre.resize(static_cast<std::size_t>(depth) + 1);
  ws.sig.resize(static_cast<std::size_t>(depth) + 1);
  ws.act[0].resize(arch_.input_size(), capacity);
  for (int l = 1; l <= depth; ++l) {
    ws.act[l].resize(arch_.width, capacity);
    ws.pre[l].resize(arch_.width, capacity);
    ws.sig[l].resize(arch_.width, capacity);
  }
  ws.output.resize(arch_.output_size(), capacity);
  ws.grad_output.resize(arch_.output_size(), capacity);
  ws.grad_hidden[0].resize(arch_.width, capacity);
  ws.grad_hidden[1].resize(arch_.width, capacity);
  std::size_t scratch = 0;
  for (const Layer& L : layers_) {
    scratch = std::max(scratch, scratch_size<Scalar>(L.out, capacity, L.in));  // forward
    scratch = std::max(scratch, scratch_size<Scalar>(L.in, capacity, L.out));  // ∂L/∂H
    scratch = std::max(scratch, scratch_size<Scalar>(L.in, L.out, capacity));  // ∂L/∂W (transposed)
  }
  ws.gemm_scratch.resize(scratch);
  return ws;
}

template <class Scalar>
void MlpT<Scalar>::forward(Workspace& ws, int n) const {
  const int depth = arch_.depth;
  for (int l = 1; l <= depth; ++l) {
    auto z = ws.pre[l].leftCols(n);
    auto s = ws.sig[l].leftCols(n);
    auto h = ws.act[l].leftCols(n);
    linear(l - 1, ws.act[l - 1], n, ws.pre[l], ws.gemm_scratch);
    // Sigmoid and SiLU over the contiguous block, in chunks that stay in L1.
    const Eigen::Index total = static_cast<Eigen::Index>(n) * arch_.width;
    constexpr Eigen::Index chunk = 512;
    for (Eigen::Index start = 0; start < total; start += chunk) {
      const Eigen::Index len = std::min(chunk, total - start);
      Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>> zc(z.data() + start, len);
      Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>> sc(s.data() + start, len), hc(h.data() + start, len);
      sc = Scalar(1) / (Scalar(1) + (-zc).exp());
      hc = zc * sc;
    }
  }
  linear(depth, ws.act[depth], n, ws.output, ws.gemm_scratch);
}

template <class Scalar>
void MlpT<Scalar>::linear(int layer, const Matrix& in, int n, Matrix& out, GemmScratch& scratch) const {
  const Layer& L = layers_[static_cast<std::size_t>(layer)];
  out.leftCols(n).colwise() = bias(layer);
  // out (L.out × n) += W (row-major L.out × L.in) · in (L.in × n)
  gemm_add<Scalar, Eigen::RowMajor, Eigen::ColMajor>(L.out, n, L.in, params_.data() + L.weight_offset, L.in, in.data(),
                                                     in.rows(), out.data(), out.rows(), scratch);
}

template <class Scalar>
void MlpT<Scalar>::backward(Workspace& ws, int n, std::span<Scalar> grad) const {
  const int depth = arch_.depth;
  auto grad_weight = [&](int l) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    return WeightMap(grad.data() + L.weight_offset, L.out, L.in);
  };
  auto grad_bias = [&](int l) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    return BiasMap(grad.data() + L.bias_offset, L.out);
  };

  // ∂L/∂W = δ Hᵀ, computed as its transpose H δᵀ (column-major in × out = row-major W layout).
  auto weight_gradient = [&](int l, const Matrix& delta, const Matrix& h) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    grad_weight(l).setZero();
    gemm_add<Scalar, Eigen::ColMajor, Eigen::RowMajor>(L.in, L.out, n, h.data(), h.rows(), delta.data(), delta.rows(),
                                                       grad.data() + L.weight_offset, L.in, ws.gemm_scratch);
  };
  // ∂L/∂H = Wᵀ δ; the row-major W read as column-major is Wᵀ.
  auto input_gradient = [&](int l, const Matrix& delta, Matrix& dh) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    dh.leftCols(n).setZero();
    gemm_add<Scalar, Eigen::ColMajor, Eigen::ColMajor>(L.in, n, L.out, params_.data() + L.weight_offset, L.in,
                                                       delta.data(), delta.rows(), dh.data(), dh.rows(),
                                                       ws.gemm_scratch);
  };

  weight_gradient(depth, ws.grad_output, ws.act[depth]);
  grad_bias(depth).noalias() = ws.grad_output.leftCols(n).rowwise().sum();
  int cur = 0;
  input_gradient(depth, ws.grad_output, ws.grad_hidden[cur]);

  for (int l = depth; l >= 1; --l) {
    auto dz = ws.grad_hidden[cur].leftCols(n);  // ∂L/∂H on entry, ∂L/∂Z after the loop below
    const auto z = ws.pre[l].leftCols(n);
    const auto s = ws.sig[l].leftCols(n);
    BiasMap db = grad_bias(l - 1);
    db.setZero();
    // SiLU'(z) = s (1 + z (1 − s)); the bias gradient is accumulated in the same pass.
    for (int j = 0; j < n; ++j) {
      dz.col(j) =
          (dz.col(j).array() * s.col(j).array() * (Scalar(1) + z.col(j).array() * (Scalar(1) - s.col(j).array())))
              .matrix();
      db += dz.col(j);
    }
    weight_gradient(l - 1, ws.grad_hidden[cur], ws.act[l - 1]);
    if (l > 1) {
      input_gradient(l - 1, ws.grad_hidden[cur], ws.grad_hidden[1 - cur]);
      cur = 1 - cur;
    }
  }
}

template <class Scalar>
void MlpT<Scalar>::input_gradient(Workspace& ws, int n, Matrix& grad_input) const {
  const int depth = arch_.depth;
  // dh = Wᵀ δ; the row-major W read as column-major is Wᵀ.
  auto back = [&](int l, const Matrix& delta, Matrix& dh) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    dh.leftCols(n).setZero();
    gemm_add<Scalar, Eigen::ColMajor, Eigen::ColMajor>(L.in, n, L.out, params_.data() + L.weight_offset, L.in,
                                                       delta.data(), delta.rows(), dh.data(), dh.rows(),
                                                       ws.gemm_scratch);
  };
  grad_input.resize(arch_.input_size(), n);
  int cur = 0;
  back(depth, ws.grad_output, ws.grad_hidden[cur]);
  for (int l = depth; l >= 1; --l) {
    auto dz = ws.grad_hidden[cur].leftCols(n);
    const auto z = ws.pre[l].leftCols(n);
    const auto s = ws.sig[l].leftCols(n);
    dz = (dz.array() * s.array() * (Scalar(1) + z.array() * (Scalar(1) - s.array()))).matrix();
    if (l > 1) {
      back(l - 1, ws.grad_hidden[cur], ws.grad_hidden[1 - cur]);
      cur = 1 - cur;
    } else {
      back(0, ws.grad_hidden[cur], grad_input);
    }
  }
}

template <class Scalar>
void MlpT<Scalar>::output(const Points& x, const NoiseLevel& level, Points& out) const {
  output(x, level, Condition::unconditional(arch_.attributes.size()), out);
}

template <class Scalar>
void MlpT<Scalar>::output(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const {
  if (x.cols() != arch_.dim) throw std::invalid_argument("mlp output: x has the wrong dimension");
  if (condition.values.size() != arch_.attributes.size())
    throw std::invalid_argument("mlp output: the condition has " + std::to_string(condition.values.size()) +
                                " attributes, the network " + std::to_string(arch_.attributes.size()));
  const auto n = static_cast<int>(x.rows());
  out.resize(x.rows(), arch_.output_size());
  if (n == 0) return;
  constexpr int chunk = 256;  // keeps every activation block in L2
  Workspace ws = make_workspace(std::min(n, chunk));
  // The features of write_features(): the noise embedding and the labels are the same for every point, so they are
  // written into every column once and only c_in x changes between chunks.
  Matrix& features = ws.act[0];
  const int d = arch_.dim;
  const int shared = arch_.embedding_size() + arch_.label_size();
  write_embedding(level.scale, level.sigma, &features(d, 0));
  write_labels(condition.values.data(), &features(0, 0));
  for (Eigen::Index j = 1; j < features.cols(); ++j) features.col(j).tail(shared) = features.col(0).tail(shared);
  const double c_in = input_scale(level.scale, level.sigma, arch_.data_std);
  for (int start = 0; start < n; start += chunk) {
    const int m = std::min(chunk, n - start);
    for (int j = 0; j < m; ++j)
      for (int i = 0; i < d; ++i) features(i, j) = static_cast<Scalar>(c_in * x(start + j, i));
    forward(ws, m);
    for (int j = 0; j < m; ++j)
      for (int i = 0; i < arch_.output_size(); ++i) out(start + j, i) = static_cast<double>(ws.output(i, j));
  }
}

template <class Scalar>
MlpWeights MlpT<Scalar>::weights() const {
  MlpWeights w;
  w.architecture = arch_;
  w.precision = std::is_same_v<Scalar, float> ? Precision::float32 : Precision::float64;
  for (int l = 0; l <= arch_.depth; ++l) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    const std::string name = mlp_layer_name(arch_, l);
    const auto begin = params_.begin();
    w.arrays.push_back({name + ".weight",
                        {static_cast<std::size_t>(L.out), static_cast<std::size_t>(L.in)},
                        std::vector<double>(begin + L.weight_offset, begin + L.bias_offset)});
    w.arrays.push_back({name + ".bias",
                        {static_cast<std::size_t>(L.out)},
                        std::vector<double>(begin + L.bias_offset, begin + L.bias_offset + L.out)});
  }
  return w;
}

template <class Scalar>
void MlpT<Scalar>::set_weights(const MlpWeights& w) {
  const MlpArchitecture& a = w.architecture;
  if (a.dim != arch_.dim || a.width != arch_.width || a.depth != arch_.depth ||
      a.n_frequencies != arch_.n_frequencies || a.output_size() != arch_.output_size() ||
      a.attributes.size() != arch_.attributes.size() ||
      !std::equal(a.attributes.begin(), a.attributes.end(), arch_.attributes.begin(),
                  [](const Attribute& p, const Attribute& q) { return p.values.size() == q.values.size(); }))
    throw std::invalid_argument("mlp weights: architecture does not match the network");
  arch_.attributes = a.attributes;
  arch_.target = a.target;
  arch_.data_std = a.data_std;
  arch_.parameterisation = a.parameterisation;
  for (int l = 0; l <= arch_.depth; ++l) {
    const Layer& L = layers_[static_cast<std::size_t>(l)];
    const std::string name = mlp_layer_name(arch_, l);
    auto copy = [&](const std::string& full, std::vector<std::size_t> shape, std::ptrdiff_t offset) {
      const auto it =
          std::find_if(w.arrays.begin(), w.arrays.end(), [&](const NamedArray& n) { return n.name == full; });
      if (it == w.arrays.end()) throw std::invalid_argument("mlp weights: missing array " + full);
      if (it->shape != shape) throw std::invalid_argument("mlp weights: wrong shape of " + full);
      std::transform(it->values.begin(), it->values.end(), params_.begin() + offset,
                     [](double v) { return static_cast<Scalar>(v); });
    };
    copy(name + ".weight", {static_cast<std::size_t>(L.out), static_cast<std::size_t>(L.in)}, L.weight_offset);
    copy(name + ".bias", {static_cast<std::size_t>(L.out)}, L.bias_offset);
  }
}

std::unique_ptr<ScoreNetwork> make_network(const MlpWeights& weights) {
  if (weights.precision == Precision::float32) {
    auto net = std::make_unique<MlpFloat>(weights.architecture);
    net->set_weights(weights);
    return net;
  }
  auto net = std::make_unique<Mlp>(weights.architecture);
  net->set_weights(weights);
  return net;
}

std::unique_ptr<ScoreModel> make_learned_score(const MlpWeights& weights) {
  return std::make_unique<PreconditionedScore>(make_network(weights));
}

template class MlpT<double>;
template class MlpT<float>;

}  // namespace spindiff::diffusion
