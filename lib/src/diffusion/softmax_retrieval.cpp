#include "spindiff/diffusion/softmax_retrieval.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace spindiff::diffusion {

namespace {
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}

void softmax_retrieval(const Points& queries, const Points& patterns, double beta, const Eigen::VectorXd& bias,
                       Points& out, Eigen::VectorXd* log_partition, RetrievalBlocks blocks) {
  const Eigen::Index n = queries.rows(), d = queries.cols(), p = patterns.rows();
  if (patterns.cols() != d) throw std::invalid_argument("softmax_retrieval: queries and patterns differ in dimension");
  if (bias.size() != 0 && bias.size() != p)
    throw std::invalid_argument("softmax_retrieval: bias needs one per pattern");
  if (p == 0) throw std::invalid_argument("softmax_retrieval: no patterns");
  out.resize(n, d);
  if (log_partition) log_partition->resize(n);

  const Eigen::Index qb = std::max<Eigen::Index>(1, blocks.queries), pb = std::max<Eigen::Index>(1, blocks.patterns);
  RowMatrix scaled(std::min(qb, n), d), logits(std::min(qb, n), std::min(pb, p)), acc(std::min(qb, n), d);
  Eigen::VectorXd run_max(std::min(qb, n)), run_sum(std::min(qb, n)), block_max(std::min(qb, n));

  for (Eigen::Index i0 = 0; i0 < n; i0 += qb) {
    const Eigen::Index ni = std::min(qb, n - i0);
    auto q = scaled.topRows(ni);
    q.noalias() = beta * queries.middleRows(i0, ni);
    auto m = run_max.head(ni), l = run_sum.head(ni), bm = block_max.head(ni);
    auto a = acc.topRows(ni);
    m.setConstant(-std::numeric_limits<double>::infinity());
    l.setZero();
    a.setZero();
    for (Eigen::Index p0 = 0; p0 < p; p0 += pb) {
      const Eigen::Index np = std::min(pb, p - p0);
      auto s = logits.topLeftCorner(ni, np);
      const auto xb = patterns.middleRows(p0, np);
      s.noalias() = q * xb.transpose();
      if (bias.size()) s.rowwise() += bias.segment(p0, np).transpose();
      bm = s.rowwise().maxCoeff();
      for (Eigen::Index r = 0; r < ni; ++r) {
        const double new_max = std::max(m[r], bm[r]);
        const double rescale = std::exp(m[r] - new_max);  // 0 on the first block (m = -inf)
        s.row(r) = (s.row(r).array() - new_max).exp();
        l[r] = l[r] * rescale + s.row(r).sum();
        a.row(r) *= rescale;
        m[r] = new_max;
      }
      a.noalias() += s * xb;
    }
    out.middleRows(i0, ni) = l.cwiseInverse().asDiagonal() * a;
    if (log_partition) log_partition->segment(i0, ni) = m.array() + l.array().log();
  }
}

}  // namespace spindiff::diffusion
