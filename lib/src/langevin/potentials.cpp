#include "spindiff/langevin/potentials.hpp"

#include <algorithm>
#include <numbers>
#include <stdexcept>

namespace spindiff::langevin {

void MullerBrown::evaluate(const Coords& x, Values* u, Coords* g, Workspace& ws) const {
  const Eigen::Index n = x.rows();
  if (u) u->setZero(n);
  if (g) g->setZero(n, 2);
  for (int k = 0; k < 4; ++k) {
    ws.a = x.col(0) - x0[k];  // dx
    ws.b = x.col(1) - y0[k];  // dy
    ws.table.resize(n, 1);
    ws.table.col(0) = (scale * A[k]) * (a[k] * ws.a.square() + b[k] * ws.a * ws.b + c[k] * ws.b.square()).exp();
    if (u) *u += ws.table.col(0);
    if (g) {
      g->col(0) += ws.table.col(0) * (2.0 * a[k] * ws.a + b[k] * ws.b);
      g->col(1) += ws.table.col(0) * (b[k] * ws.a + 2.0 * c[k] * ws.b);
    }
  }
}

double MullerBrown::energy_at(std::span<const double> p) const {
  double s = 0.0;
  for (int k = 0; k < 4; ++k) {
    const double dx = p[0] - x0[k], dy = p[1] - y0[k];
    s += A[k] * std::exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy);
  }
  return scale * s;
}

void MixturePotential::evaluate(const Coords& x, Values* u, Coords* g, Workspace& ws) const {
  const Eigen::Index n = x.rows();
  const int K = components();
  const double log_norm = 0.5 * dim * std::log(2.0 * std::numbers::pi);
  // table(:, k) = log w_k + log N(x; mu_k, sigma_k^2 I)
  ws.table.resize(n, K);
  for (int k = 0; k < K; ++k) {
    ws.a = (x.col(0) - mixture.means(k, 0)).square();
    for (int c = 1; c < dim; ++c) ws.a += (x.col(c) - mixture.means(k, c)).square();
    ws.table.col(k) =
        std::log(mixture.weights[k]) - dim * std::log(sigmas[k]) - log_norm - ws.a / (2.0 * sigmas[k] * sigmas[k]);
  }
  ws.b = ws.table.rowwise().maxCoeff();  // log-sum-exp shift
  for (int k = 0; k < K; ++k) ws.table.col(k) = (ws.table.col(k) - ws.b).exp();
  ws.a = ws.table.rowwise().sum();
  if (u) *u = -T * (ws.b + ws.a.log());
  if (g) {
    // grad U = T sum_k r_k (x - mu_k) / sigma_k^2 with responsibilities r_k = table_k / sum.
    g->setZero(n, dim);
    for (int k = 0; k < K; ++k) {
      const double inv_var = 1.0 / (sigmas[k] * sigmas[k]);
      for (int c = 0; c < dim; ++c) g->col(c) += ws.table.col(k) * (x.col(c) - mixture.means(k, c)) * inv_var;
    }
    for (int c = 0; c < dim; ++c) g->col(c) *= T / ws.a;
  }
}

double MixturePotential::energy_at(std::span<const double> p) const {
  const double log_norm = 0.5 * dim * std::log(2.0 * std::numbers::pi);
  std::vector<double> logs(mixture.weights.size());
  for (Eigen::Index k = 0; k < mixture.weights.size(); ++k) {
    double r2 = 0.0;
    // One rounding per term (fused multiply-add), in coordinate order: the same bits whether or not the
    // compiler vectorises the sum over the (row-major) means.
    for (int c = 0; c < dim; ++c) {
      const double d = p[c] - mixture.means(k, c);
      r2 = std::fma(d, d, r2);
    }
    logs[k] = std::log(mixture.weights[k]) - dim * std::log(sigmas[k]) - log_norm - r2 / (2.0 * sigmas[k] * sigmas[k]);
  }
  const double m = *std::max_element(logs.begin(), logs.end());
  double s = 0.0;
  for (double l : logs) s += std::exp(l - m);
  return -T * (m + std::log(s));
}

double MixturePotential::marginal_energy(double x) const {
  // Coordinate 0 of an isotropic mixture is the 1-D mixture of the first mean components.
  const double log_norm = 0.5 * std::log(2.0 * std::numbers::pi);
  double m = -std::numeric_limits<double>::infinity();
  std::vector<double> logs(mixture.weights.size());
  for (Eigen::Index k = 0; k < mixture.weights.size(); ++k) {
    const double d = x - mixture.means(k, 0);
    logs[k] = std::log(mixture.weights[k]) - std::log(sigmas[k]) - log_norm - d * d / (2.0 * sigmas[k] * sigmas[k]);
    m = std::max(m, logs[k]);
  }
  double s = 0.0;
  for (double l : logs) s += std::exp(l - m);
  return -T * (m + std::log(s));
}

void ScorePotential::evaluate(const Coords& x, Values* u, Coords* g, Workspace& ws) const {
  if (u) u->setConstant(x.rows(), std::numeric_limits<double>::quiet_NaN());
  if (!g) return;
  ws.points = x.matrix();  // row-major copy: the score interface wants one point per contiguous row
  ws.score.resize(ws.points.rows(), ws.points.cols());
  model->score(ws.points, level, ws.score);
  *g = -T * ws.score.array();
}

MixturePotential make_mixture(int dim, double T, std::vector<double> weights, const std::vector<double>& means,
                              std::vector<double> sigmas) {
  const std::size_t K = weights.size();
  if (K == 0) throw std::invalid_argument("mixture: at least one weight is needed");
  if (means.size() != K * static_cast<std::size_t>(dim))
    throw std::invalid_argument("mixture: means must hold components x dim numbers (row by row)");
  if (sigmas.size() == 1) sigmas.assign(K, sigmas[0]);
  if (sigmas.size() != K) throw std::invalid_argument("mixture: give one sigma or one per component");
  double total = 0.0;
  for (double w : weights) {
    if (!(w > 0.0)) throw std::invalid_argument("mixture: weights must be positive");
    total += w;
  }
  for (double& w : weights) w /= total;
  for (double s : sigmas)
    if (!(s > 0.0)) throw std::invalid_argument("mixture: sigmas must be positive");
  MixturePotential m;
  m.dim = dim;
  m.T = T;
  const auto k_rows = static_cast<Eigen::Index>(K);
  m.mixture.weights = Eigen::Map<const Eigen::VectorXd>(weights.data(), k_rows);
  m.mixture.means.resize(k_rows, dim);
  for (std::size_t k = 0; k < K; ++k) {
    for (int c = 0; c < dim; ++c) m.mixture.means(static_cast<Eigen::Index>(k), c) = means[k * dim + c];
    m.mixture.covariances.push_back(sigmas[k] * sigmas[k] * Eigen::MatrixXd::Identity(dim, dim));
  }
  m.mixture.validate();
  m.sigmas = std::move(sigmas);
  return m;
}

Potential make_potential(const PotentialSpec& spec) {
  if (spec.dim < 1) throw std::invalid_argument("potential: dim must be at least 1");
  if (spec.name == "harmonic") {
    if (!(spec.k > 0.0)) throw std::invalid_argument("harmonic: k must be positive");
    return Harmonic{spec.dim, spec.k};
  }
  if (spec.name == "double_well") {
    if (!(spec.a > 0.0) || !(spec.b > 0.0)) throw std::invalid_argument("double_well: a and b must be positive");
    return DoubleWell{spec.dim, spec.a, spec.b};
  }
  if (spec.name == "muller_brown") {
    if (spec.dim != 2) throw std::invalid_argument("muller_brown: dim must be 2");
    return MullerBrown{spec.mb_scale};
  }
  if (spec.name == "mixture") return make_mixture(spec.dim, spec.T, spec.weights, spec.means, spec.sigmas);
  throw std::invalid_argument("unknown potential '" + spec.name + "' (harmonic, double_well, muller_brown, mixture)");
}

int potential_dim(const Potential& p) {
  return std::visit([](const auto& q) { return static_cast<int>(q.dim); }, p);
}
bool potential_has_energy(const Potential& p) {
  return std::visit([](const auto& q) { return q.has_energy; }, p);
}
bool potential_has_marginal(const Potential& p) {
  return std::visit([](const auto& q) { return q.has_marginal; }, p);
}
double potential_energy_at(const Potential& p, std::span<const double> point) {
  return std::visit([&](const auto& q) { return q.energy_at(point); }, p);
}
double potential_marginal_energy(const Potential& p, double x) {
  return std::visit([&](const auto& q) { return q.marginal_energy(x); }, p);
}

}  // namespace spindiff::langevin
