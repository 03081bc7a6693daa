#pragma once
// Learning rules that produce a dense coupling model W = scale · J (symmetric, zero diagonal).
#include <Eigen/Dense>
#include <string>
#include <string_view>

#include "spindiff/hopfield/patterns.hpp"

namespace spindiff::hopfield {

// W = scale · J. Hebb keeps J = Σ_μ ξ^μ ξ^μᵀ as exact integers (scale = 1/N), so the dense and the
// pattern-form paths compute the same integer N·h and give identical trajectories.
struct DenseModel {
  Eigen::MatrixXd J;
  double scale = 1.0;
  Eigen::VectorXd external;  // external field h; empty = none

  std::size_t size() const { return static_cast<std::size_t>(J.rows()); }
  double coupling(std::size_t i, std::size_t j) const {
    return scale * J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  }
};

enum class Rule { hebb, pseudo_inverse, storkey };

Rule parse_rule(std::string_view name);  // "hebb", "pseudo-inverse", "storkey"
std::string_view rule_name(Rule rule);

// W = (1/N) Σ_μ ξ^μ ξ^μᵀ, zero diagonal.
DenseModel hebb_rule(const Patterns& patterns);
// Projection W = Ξ (ΞᵀΞ)⁻¹ Ξᵀ, zero diagonal: every linearly independent pattern is a fixed point.
DenseModel pseudo_inverse_rule(const Patterns& patterns);
// Storkey (1997): incremental, local, W^ν = W^{ν−1} + (1/N)(ξξᵀ − ξ hᵀ − h ξᵀ) with
// h_ij = Σ_{k≠i,j} W_ik ξ_k, zero diagonal.
DenseModel storkey_rule(const Patterns& patterns);
DenseModel learn(Rule rule, const Patterns& patterns);

}  // namespace spindiff::hopfield
