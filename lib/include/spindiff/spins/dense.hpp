#pragma once
// Arbitrary symmetric couplings as a dense matrix (zero diagonal) plus fields. The cache holds the local
// fields, so a proposal costs O(1) and an accepted flip O(N).
#include <Eigen/Dense>
#include <span>
#include <vector>

#include "spindiff/spins/model.hpp"

namespace spindiff::spins {

class DenseCouplings {
 public:
  using Cache = std::vector<double>;  // local fields f_i = sum_j J_ij s_j + h_i

  DenseCouplings() = default;
  // J must be symmetric; its diagonal is ignored (set to zero). Empty h = no field.
  explicit DenseCouplings(Eigen::MatrixXd J, Eigen::VectorXd h = {});

  std::size_t size() const { return static_cast<std::size_t>(J_.rows()); }
  const Eigen::MatrixXd& couplings() const { return J_; }
  const Eigen::VectorXd& fields() const { return h_; }
  bool ferromagnetic() const { return (J_.array() >= 0.0).all(); }
  bool has_field() const { return (h_.array() != 0.0).any(); }

  double energy(std::span<const Spin> s) const;
  Cache make_cache(std::span<const Spin> s) const;
  double local_field(std::span<const Spin>, const Cache& f, std::size_t i) const { return f[i]; }
  double delta_energy(std::span<const Spin> s, const Cache& f, std::size_t i) const { return 2.0 * s[i] * f[i]; }
  void flip(std::span<Spin> s, Cache& f, std::size_t i) const {
    s[i] = static_cast<Spin>(-s[i]);
    const double twice_new = 2.0 * s[i];
    const double* col = J_.col(static_cast<Eigen::Index>(i)).data();  // symmetric: column i = row i
    const std::size_t n = size();
    for (std::size_t j = 0; j < n; ++j) f[j] += twice_new * col[j];
  }
  template <class F>
  void for_each_neighbor(std::size_t i, F&& f) const {
    const double* col = J_.col(static_cast<Eigen::Index>(i)).data();
    for (std::size_t j = 0; j < size(); ++j)
      if (j != i && col[j] != 0.0) f(j, col[j]);
  }

 private:
  Eigen::MatrixXd J_;
  Eigen::VectorXd h_;
};

}  // namespace spindiff::spins
