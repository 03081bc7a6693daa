#pragma once
// Sample-quality metrics against fresh data, and the memorisation detector.
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

// Points read in place: an owning Points, a block of rows of one, or a view of memory held elsewhere (a NumPy
// array), without a copy.
using PointsRef = Eigen::Ref<const Points>;

// Unbiased estimate of MMD^2 with the Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 h^2)) (Gretton et al. 2012,
// eq. 3): off-diagonal means within X and within Y minus twice the cross mean. Can be slightly negative.
double mmd2_unbiased(const PointsRef& x, const PointsRef& y, double bandwidth);
// The median pairwise distance of the pooled sample (at most `max_points` of each, the first rows): a standard
// bandwidth choice.
double median_distance(const PointsRef& x, const PointsRef& y, Eigen::Index max_points = 1000);

// Sliced 2-Wasserstein distance: sqrt of the mean over random unit directions of the 1-D W2^2 between the
// projected samples (quantile coupling; sizes may differ).
double sliced_wasserstein(const PointsRef& x, const PointsRef& y, int projections, Stream& stream);

// Fraction of samples whose nearest mode (Euclidean) is each row of `modes`.
Eigen::VectorXd mode_fractions(const PointsRef& samples, const PointsRef& modes);

// For each sample its distance to the nearest and second-nearest training point (n x 2). A sample far closer
// to its nearest than to its second-nearest point is a copy of a training point.
Eigen::MatrixXd nearest_two_distances(const PointsRef& samples, const PointsRef& training);

// Pairwise squared distances |x_i - y_j|^2 (n x m), via one matrix product.
Eigen::MatrixXd squared_distances(const PointsRef& x, const PointsRef& y);

}  // namespace spindiff::diffusion
