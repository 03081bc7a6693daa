#pragma once
// Noise schedules as plain arrays, independent of any integrator.
#include <vector>

namespace spindiff::diffusion {

// n values from first to last, equally spaced in log (NCSN sigma levels: geometric(20, 1, 10)).
std::vector<double> geometric(double first, double last, int n);
// n values from first to last, equally spaced.
std::vector<double> linspace(double first, double last, int n);
// EDM (Karras et al. 2022, eq. 5): sigma_i = (smax^(1/rho) + i/(n-1) (smin^(1/rho) - smax^(1/rho)))^rho,
// i = 0..n-1, followed by a final 0 when append_zero.
std::vector<double> edm_sigmas(int n, double sigma_min = 0.002, double sigma_max = 80.0, double rho = 7.0,
                               bool append_zero = true);
// DDPM betas beta_1..beta_T, linear from beta_first to beta_last.
std::vector<double> ddpm_betas(int steps = 1000, double beta_first = 1e-4, double beta_last = 0.02);
// alpha_bar_i = prod_{j <= i} (1 - beta_j), i = 1..T.
std::vector<double> alpha_bars(const std::vector<double>& betas);

}  // namespace spindiff::diffusion
