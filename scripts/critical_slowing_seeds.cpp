// Offline seed scan for tests/spins/test_critical_slowing.cpp: the fitted Metropolis z (plain slope, and with the
// L^-2 correction the test checks) for several seeds, with the test's own estimator (tests/spins/dynamic_exponent.hpp).
// Build and run with scripts/critical_slowing_seeds.sh [seeds, default 12] [first seed index, default 1] [tau units
// per replica, default the test's] [sizes L..., default the test's]; seed = 1000 + index.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "spins/dynamic_exponent.hpp"

int main(int argc, char** argv) {
  using namespace spindiff;
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 12, first = argc > 2 ? std::atoi(argv[2]) : 1;
  const double units = argc > 3 ? std::atof(argv[3]) : test::kUnits;
  std::vector<int> sizes;
  for (int a = 4; a < argc; ++a) sizes.push_back(std::atoi(argv[a]));
  if (sizes.empty()) sizes = test::kSizes;
  double sum = 0, sum2 = 0, corr = 0, corr2 = 0;
  for (int i = first; i < first + seeds; ++i) {
    const std::uint64_t seed = 1000 + static_cast<std::uint64_t>(i);
    const test::DynamicExponent fit = test::metropolis_exponent(seed, units, sizes);
    std::printf("seed %llu: z = %.4f +- %.4f, with L^-2 term %.4f +- %.4f; tau:", static_cast<unsigned long long>(seed),
                fit.z, fit.z_err, fit.z_corr, fit.z_corr_err);
    for (std::size_t k = 0; k < fit.tau.size(); ++k) std::printf(" %.1f +- %.1f", fit.tau[k], fit.tau_err[k]);
    std::printf("%s\n", std::abs(fit.z_corr - 2.17) < 4 * fit.z_corr_err && fit.z_corr_err <= 0.042
                            ? ""
                            : "  (the test would fail)");
    std::fflush(stdout);
    sum += fit.z, sum2 += fit.z * fit.z, corr += fit.z_corr, corr2 += fit.z_corr * fit.z_corr;
  }
  if (seeds > 1) {
    const double n = seeds;
    std::printf("z over %d seeds: mean %.4f, sd %.4f; with L^-2 term: mean %.4f, sd %.4f\n", seeds, sum / n,
                std::sqrt((sum2 - sum * sum / n) / (n - 1)), corr / n, std::sqrt((corr2 - corr * corr / n) / (n - 1)));
  }
}
