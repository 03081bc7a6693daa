// langevin.boltzmann with potential = "learned_score": a score network file drives the particles (force = T s).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "cli/cli.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "spindiff/langevin/observables.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace dd = spindiff::diffusion;

namespace {

// A 1-D network whose score is exactly -x / v at noise level sigma. SiLU(z) - SiLU(-z) = z, so two hidden units
// with weights +-w and output weights +-lambda / w give eps_hat = lambda c_in x, and score = -eps_hat / sigma.
// With c_in = 1 / sqrt(s_data^2 + sigma^2), lambda = sigma / (c_in v).
dd::MlpWeights linear_score_network(double sigma, double v) {
  dd::MlpArchitecture arch;
  arch.dim = 1;
  arch.width = 2;
  arch.depth = 1;
  arch.n_frequencies = 0;
  arch.data_std = 1.0;
  const double w = 0.5, c_in = 1.0 / std::sqrt(1.0 + sigma * sigma), lambda = sigma / (c_in * v);
  dd::MlpWeights weights = dd::Mlp(arch).weights();
  for (dd::NamedArray& a : weights.arrays) {
    std::fill(a.values.begin(), a.values.end(), 0.0);
    if (a.name == "hidden_0.weight") a.values[0] = w, a.values[3] = -w;  // (2, 3): features [c_in x, u, a]
    if (a.name == "output.weight") a.values = {lambda / w, -lambda / w};
  }
  return weights;
}

int run_config(const fs::path& dir, const std::string& text, const fs::path& out) {
  const fs::path cfg = dir / "cfg.toml";
  std::ofstream(cfg) << text;
  return spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()});
}

struct Run {
  std::vector<double> density;
  double tv, kl, mean_energy, exact_mean_energy;
};

Run read_run(const fs::path& file) {
  auto f = spindiff::io::File::open_read(file);
  auto summary = f.root().open_group("summary");
  auto tasks = f.root().open_group("tasks");
  return {tasks.open_group(tasks.children().front()).read_doubles("histogram/density"),
          summary.read_doubles("tv_distance")[0], summary.read_doubles("kl")[0], summary.read_doubles("mean_energy")[0],
          summary.read_doubles("exact_mean_energy")[0]};
}

}  // namespace

TEST_CASE("langevin.boltzmann: a learned score -x/v moves the particles as the harmonic potential k = T/v",
          "[langevin][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("langevin_learned_score");
  const double sigma = 0.3, v = 0.8, T = 0.5, dt = 0.01;
  const int particles = 20000, bins = 40;
  spindiff::runner::diffusion_kinds::write_mlp_weights(dir / "net.h5", linear_score_network(sigma, v));
  // One record per particle after 1600 steps (time 16, 20 relaxation times of the variance from the uniform start
  // in [-4, 4]): the histogram holds `particles` independent positions, so its total-variation distance from the
  // exact law is distributed as that of as many exact draws. (The learned run's random streams are keyed by the
  // weights file's digest, and the file rewritten here carries HDF5 object times: its draw differs between runs of
  // this test, which the statistical tolerance allows for.)
  const std::string common =
      "kind = 'langevin.boltzmann'\nseed = 9\nintegrator = 'euler'\ndim = 1\nT = 0.5\ndt = 0.01\nparticles = 20000\n"
      "thermalize = 1599\nsteps = 1\nrecord_every = 1\nbins = 40\nrange = [-4.0, 4.0]\n";
  REQUIRE(run_config(
              dir,
              common + "potential = 'learned_score'\nweights = 'net.h5'\nscore_sigma = " + std::to_string(sigma) + "\n",
              dir / "learned.h5") == 0);
  REQUIRE(run_config(dir, common + "potential = 'harmonic'\nk = " + std::to_string(T / v) + "\n",
                     dir / "harmonic.h5") == 0);
  const Run learned = read_run(dir / "learned.h5"), harmonic = read_run(dir / "harmonic.h5");
  REQUIRE(learned.density.size() == static_cast<std::size_t>(bins));
  REQUIRE(harmonic.density.size() == learned.density.size());

  // The exact law exp(-x^2 / 2v) on the bins, and the outside mass.
  const double bin = 8.0 / bins, scale = std::sqrt(2.0 * v);
  std::vector<double> exact(bins);
  double inside = 0;
  for (int i = 0; i < bins; ++i) {
    const double lo = -4.0 + bin * i, hi = lo + bin;
    exact[static_cast<std::size_t>(i)] = 0.5 * (std::erf(hi / scale) - std::erf(lo / scale));
    inside += exact[static_cast<std::size_t>(i)];
  }
  const auto tv_of = [&](const std::vector<double>& p_hat) {
    double in = 0;
    for (double q : p_hat) in += q;
    return spindiff::langevin::total_variation(p_hat, exact, std::max(0.0, 1.0 - in), 1.0 - inside);
  };
  // The null: the distance of `particles` exact draws, over 400 independent sets (mean and spread).
  const int sets = 400;
  double null_mean = 0, null_sq = 0;
  for (int r = 0; r < sets; ++r) {
    spindiff::Stream rng(77, static_cast<std::uint64_t>(r), 0, spindiff::Purpose::evaluation);
    std::vector<double> p_hat(bins, 0.0);
    for (int k = 0; k < particles; ++k) {
      const double x = std::sqrt(v) * rng.normal();
      if (x >= -4.0 && x < 4.0) p_hat[static_cast<std::size_t>((x + 4.0) / bin)] += 1.0 / particles;
    }
    const double tv = tv_of(p_hat);
    null_mean += tv / sets, null_sq += tv * tv / sets;
  }
  const double null_sd = std::sqrt((null_sq - null_mean * null_mean) * sets / (sets - 1));
  // Euler-Maruyama's own stationary law is N(0, v / (1 - k dt / 2)): its distance from the exact law is a bias
  // the comparison ignores, so it must be small against the null's spread.
  double euler_bias = 0;
  {
    const double k = T / v, euler_scale = std::sqrt(2.0 * v / (1.0 - 0.5 * k * dt));
    for (int i = 0; i < bins; ++i) {
      const double lo = -4.0 + bin * i, hi = lo + bin;
      euler_bias += 0.5 * std::abs(0.5 * (std::erf(hi / euler_scale) - std::erf(lo / euler_scale)) -
                                   exact[static_cast<std::size_t>(i)]);
    }
  }
  std::vector<double> p_learned(bins), p_harmonic(bins);
  for (std::size_t i = 0; i < p_learned.size(); ++i)
    p_learned[i] = learned.density[i] * bin, p_harmonic[i] = harmonic.density[i] * bin;
  const double tv_learned = tv_of(p_learned);
  INFO("TV learned " << tv_learned << ", harmonic " << harmonic.tv << " (kind), " << tv_of(p_harmonic)
                     << " (here); exact draws " << null_mean << " +- " << null_sd << "; Euler bias " << euler_bias);
  // The spread of the null is bounded so that the test would see a sampled law off by a TV of 0.01.
  REQUIRE(4 * null_sd < 0.01);
  REQUIRE(euler_bias < 0.5 * null_sd);
  CHECK(harmonic.tv == Approx(tv_of(p_harmonic)).margin(1e-8));  // the kind's distance is this one
  CHECK(std::abs(tv_learned - null_mean) < 4 * null_sd);
  CHECK(std::abs(harmonic.tv - null_mean) < 4 * null_sd);  // the harmonic run itself samples its Boltzmann law
  // No energy and no exact law for a learned score: NaN, not a made-up number.
  CHECK(std::isnan(learned.tv));
  CHECK(std::isnan(learned.kl));
  CHECK(std::isnan(learned.mean_energy));
  CHECK(std::isnan(learned.exact_mean_energy));
}

TEST_CASE("langevin kinds refuse impossible learned_score configurations with exit code 2", "[langevin][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("langevin_learned_score_bad");
  spindiff::runner::diffusion_kinds::write_mlp_weights(dir / "net.h5", linear_score_network(0.3, 1.0));
  const std::string base = "kind = 'langevin.boltzmann'\npotential = 'learned_score'\nsteps = 10\nparticles = 10\n";
  const fs::path out = dir / "out.h5";
  CHECK(run_config(dir, base + "range = [-3.0, 3.0]\n", out) == 2);  // no weights
  CHECK(run_config(dir, base + "weights = 'net.h5'\n", out) == 2);   // automatic box: no density to size it
  CHECK(run_config(dir, base + "weights = 'net.h5'\nrange = [-3.0, 3.0]\nintegrator = 'mala'\n", out) == 2);
  CHECK(run_config(dir, base + "weights = 'net.h5'\nrange = [-3.0, 3.0]\ndim = 2\n", out) == 2);
  CHECK(run_config(dir, "kind = 'langevin.escape'\npotential = 'learned_score'\nweights = 'net.h5'\n", out) == 2);
  CHECK_FALSE(fs::exists(out));
  CHECK(run_config(dir, base + "weights = 'net.h5'\nrange = [-3.0, 3.0]\n", out) == 0);
}

TEST_CASE("langevin.boltzmann: trajectories that diverge at too large a dt are flagged, never a silent NaN",
          "[langevin][kind]") {
  // Euler-Maruyama in the harmonic well is stable only for k dt < 2: at k = 1, dt = 3 every step multiplies x by
  // -2, and the positions overflow. The run finishes (the divergence is the result), flags both repeats in
  // `diverged`, counts every one of the 10 trajectories of each repeat in `diverged_fraction` and keeps a warning
  // on the task; below the limit nothing is flagged or counted.
  const fs::path dir = spindiff::test::scratch_dir("langevin_diverged");
  const std::string config =
      "kind = 'langevin.boltzmann'\npotential = 'harmonic'\nk = 1.0\ndt = 3.0\nsteps = 2000\n"
      "thermalize = 0\nparticles = 10\nrepeats = 2\n";
  REQUIRE(run_config(dir, config, dir / "out.h5") == 0);
  {
    auto f = spindiff::io::File::open_read(dir / "out.h5");
    CHECK(f.root().open_group("summary").read_doubles("diverged") == std::vector<double>{1.0});
    CHECK(f.root().open_group("summary").read_doubles("diverged_fraction") == std::vector<double>{1.0});
    CHECK(f.root().open_group("tasks/0000/repeats").read_doubles("diverged_fraction") == std::vector<double>{1.0, 1.0});
    const std::string warnings = f.root().open_group("tasks/0000").attr_text("warnings");
    CHECK(warnings.find("repeat 0: 10 of 10 trajectories diverged") != std::string::npos);
    CHECK(warnings.find("repeat 1: 10 of 10 trajectories diverged") != std::string::npos);
  }
  std::string stable = config;
  stable.replace(stable.find("dt = 3.0"), 8, "dt = 0.5");
  REQUIRE(run_config(dir, stable, dir / "stable.h5") == 0);
  auto f = spindiff::io::File::open_read(dir / "stable.h5");
  CHECK(f.root().open_group("summary").read_doubles("diverged") == std::vector<double>{0.0});
  CHECK(f.root().open_group("tasks/0000/repeats").read_doubles("diverged_fraction") == std::vector<double>{0.0, 0.0});
  CHECK(std::isfinite(f.root().open_group("summary").read_doubles("mean_energy").at(0)));
}

TEST_CASE("langevin.boltzmann: diverged_fraction counts the trajectories started outside Euler's basin of stability",
          "[langevin][kind]") {
  // Double well U = x^4/4 - x^2/2 (force x - x^3) at T = 1e-6, where the noise (sqrt(2 T dt) = 4.5e-4 per step)
  // hardly matters: the Euler map f(x) = x + dt (x - x^3) has the 2-cycle f(x*) = -x* at x*^2 = (2 + dt) / dt.
  // Started with |x| > x*, |f(x)| > |x| and the particle runs away to overflow; with |x| < x* (dt = 0.1: f is
  // increasing on [-1, 1] with f(1) = 1, and 1 < |x| < x* gives |f(x)| < |x|) it stays bounded. Particles start
  // uniform in the box [-L, L], so a trajectory diverges with probability 1 - x*/L: the count is binomial, and the
  // noise blurs the edge over about 1e-3, which moves the expected fraction by less than 1e-4.
  const fs::path dir = spindiff::test::scratch_dir("langevin_diverged_fraction");
  const double dt = 0.1, L = 8.0, n = 20000;
  const std::string config =
      "kind = 'langevin.boltzmann'\npotential = 'double_well'\nT = 1e-6\ndt = 0.1\n"
      "integrator = 'euler'\nrange = [-8.0, 8.0]\nsteps = 200\nthermalize = 0\n"
      "particles = 20000\nrepeats = 2\ntrajectory_particles = 0\n";
  REQUIRE(run_config(dir, config, dir / "out.h5") == 0);
  auto f = spindiff::io::File::open_read(dir / "out.h5");
  const std::vector<double> fractions = f.root().open_group("tasks/0000/repeats").read_doubles("diverged_fraction");
  REQUIRE(fractions.size() == 2);
  const double p = 1.0 - std::sqrt((2.0 + dt) / dt) / L;  // 0.42718
  const double se = std::sqrt(p * (1.0 - p) / n);         // exact binomial standard error: 0.0035
  for (double fraction : fractions) {
    CHECK(fraction * n == std::round(fraction * n));  // a count of trajectories
    CHECK(std::abs(fraction - p) < 4.0 * se);
  }
  CHECK(f.root().open_group("summary").read_doubles("diverged") == std::vector<double>{1.0});
}
