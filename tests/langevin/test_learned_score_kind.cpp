// langevin.boltzmann with potential = "learned_score": a score network file drives the particles (force = T s).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "cli/cli.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
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
  const double sigma = 0.3, v = 0.8, T = 0.5;
  spindiff::runner::diffusion_kinds::write_mlp_weights(dir / "net.h5", linear_score_network(sigma, v));
  const std::string common =
      "kind = 'langevin.boltzmann'\nseed = 9\nintegrator = 'euler'\ndim = 1\nT = 0.5\ndt = 0.02\nparticles = 2000\n"
      "steps = 1000\nthermalize = 200\nrecord_every = 10\nbins = 40\nrange = [-4.0, 4.0]\n";
  REQUIRE(run_config(
              dir,
              common + "potential = 'learned_score'\nweights = 'net.h5'\nscore_sigma = " + std::to_string(sigma) + "\n",
              dir / "learned.h5") == 0);
  REQUIRE(run_config(dir, common + "potential = 'harmonic'\nk = " + std::to_string(T / v) + "\n",
                     dir / "harmonic.h5") == 0);
  const Run learned = read_run(dir / "learned.h5"), harmonic = read_run(dir / "harmonic.h5");
  // The two runs are different parameter points, so they draw different random numbers: the learned run must
  // sample the harmonic law exp(-x^2 / 2v) as closely as the harmonic run samples it (same tolerance).
  REQUIRE(learned.density.size() == harmonic.density.size());
  double tv = 0.0;
  const double bin = 8.0 / 40, scale = std::sqrt(2.0 * v);
  for (std::size_t i = 0; i < learned.density.size(); ++i) {
    const double lo = -4.0 + bin * static_cast<double>(i), hi = lo + bin;
    const double exact = 0.5 * (std::erf(hi / scale) - std::erf(lo / scale));
    tv += 0.5 * std::abs(learned.density[i] * bin - exact);
  }
  CHECK(tv < 0.05);
  CHECK(harmonic.tv < 0.05);  // the harmonic run itself samples its Boltzmann law
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
