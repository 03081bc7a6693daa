#pragma once
// The energy landscape of a noised training set, E_t(x) = -Delta_t log p_t(x) with
// p_t(x) = (1/P) sum_mu N(x; a_t xi_mu, Delta_t I): the modern-Hopfield energy at beta = a_t / Delta_t up to a
// constant (for equal norms). Its log-sum-exp comes from the softmax retrieval's log-partition.
#include <vector>

#include "spindiff/diffusion/score.hpp"

namespace spindiff::bridge {

// log p_t(x) for every row of x; `level` gives (a_t, sqrt(Delta_t)).
Eigen::VectorXd log_density(const diffusion::Points& x, const diffusion::Points& training,
                            const diffusion::NoiseLevel& level);

// E = -Delta log p_t(x) for every row of x.
Eigen::VectorXd landscape_energy(const diffusion::Points& x, const diffusion::Points& training,
                                 const diffusion::NoiseLevel& level);

// Strict local minima of values on a 1-D grid (interior points) or a 2-D grid (rows x cols, row-major; interior
// points lower than their 8 neighbours).
int count_minima_1d(const Eigen::VectorXd& values);
int count_minima_2d(const Eigen::VectorXd& values, int rows, int cols);

// Curvature of -log p_t along the unit vector u at x (central second difference with step h).
double energy_curvature(const diffusion::Points& training, const Eigen::VectorXd& x, const Eigen::VectorXd& u, double t,
                        double h = 1e-3);

// The OU time at which the point `centre` turns from a minimum of -log p_t (large t) into a saddle or maximum along
// u (small t): bisection on [t_lo, t_hi] of the sign of energy_curvature. NaN when the sign does not change there.
// For two points at +-1 in 1-D this is the symmetry-breaking time t* = (1/2) ln 2 (Raya and Ambrogioni 2023).
double centre_instability_time(const diffusion::Points& training, const Eigen::VectorXd& centre,
                               const Eigen::VectorXd& u, double t_lo, double t_hi, double tolerance = 1e-9);

// The same two measured on any score (a learned network included), which gives the landscape's slope but not its
// height: the curvature is minus the central first difference of the score along u,
// -(u.s(x + h u) - u.s(x - h u)) / 2h, at the OU level of t (one score call per curvature).
double energy_curvature(const diffusion::ScoreModel& score, const Eigen::VectorXd& x, const Eigen::VectorXd& u,
                        double t, double h = 1e-4);
double centre_instability_time(const diffusion::ScoreModel& score, const Eigen::VectorXd& centre,
                               const Eigen::VectorXd& u, double t_lo, double t_hi, double tolerance = 1e-9,
                               double h = 1e-4);

// Linear-stability estimate of the first symmetry breaking, t = (1/2) ln(1 + lambda_max) with lambda_max the largest
// eigenvalue of the training set's covariance: exact for a set symmetric about its mean, an estimate otherwise.
double symmetry_breaking_estimate(const diffusion::Points& training);

}  // namespace spindiff::bridge
