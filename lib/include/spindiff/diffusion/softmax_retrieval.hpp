#pragma once
// The softmax retrieval shared by the empirical diffusion score and modern Hopfield networks (Ramsauer et al.
// 2020): for each query q (a row), out = sum_mu w_mu xi_mu with w = softmax_mu(beta q.xi_mu + bias_mu).
// The empirical score of a noised training set is this update with beta = a / sigma^2 and
// bias_mu = -a^2 |xi_mu|^2 / (2 sigma^2); Ramsauer's update is beta = 1/T with zero bias.
//
// Computed as two matrix products per (query block, pattern block), with a streaming log-sum-exp (the running
// maximum is carried across pattern blocks), so memory stays O(block^2) for any number of patterns.
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

struct RetrievalBlocks {
  Eigen::Index queries = 256;   // rows of the query block
  Eigen::Index patterns = 512;  // patterns per block
};

// queries: n x d, patterns: P x d, bias: P values or empty (= 0). out: n x d (resized).
// log_partition (optional): log sum_mu exp(beta q.xi_mu + bias_mu) per query, i.e. minus beta times the
// modern-Hopfield energy's log-sum-exp term.
void softmax_retrieval(const Points& queries, const Points& patterns, double beta, const Eigen::VectorXd& bias,
                       Points& out, Eigen::VectorXd* log_partition = nullptr, RetrievalBlocks blocks = {});

}  // namespace spindiff::diffusion
