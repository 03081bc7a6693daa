#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "spindiff/io/hdf5.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {
int run_config(const fs::path& dir, const std::string& text, const fs::path& out) {
  const fs::path cfg = dir / "cfg.toml";
  std::ofstream(cfg) << text;
  return spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()});
}

const char* base = "kind = 'diffusion.sample'\nseed = 3\nn_samples = 200\nn_eval = 200\nprojections = 20\n";
}  // namespace

TEST_CASE("diffusion.sample writes its summary columns and datasets", "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_sample");
  const fs::path out = dir / "out.h5";
  const std::string cfg = std::string(base) +
                          "steps = 20\ntrajectories = 3\ntrajectory_every = 5\n"
                          "[sweep]\nsampler = ['euler_maruyama', 'predictor_corrector', 'ode_heun', 'ddpm']\n";
  REQUIRE(run_config(dir, cfg, out) == 0);
  auto f = spindiff::io::File::open_read(out);
  auto summary = f.root().open_group("summary");
  for (const char* col : {"sampler", "nfe", "mmd", "sliced_w2", "weight_error"}) CHECK(summary.exists(col));
  // NFE: 20 steps; PC with one corrector doubles it; Heun on the EDM grid (19 sigmas + 0) costs 2 x 20 - 1.
  CHECK(summary.read_doubles("nfe") == std::vector<double>{20, 40, 39, 20});
  auto task = f.root().open_group("tasks").open_group(f.root().open_group("tasks").children().front());
  for (const char* ds : {"samples", "mode_fractions", "weights", "trajectories", "trajectory_times", "data"})
    CHECK(task.exists(ds));
  CHECK(task.read_doubles("samples").size() == 400);
}

TEST_CASE("diffusion.sample with the empirical score records nearest training distances", "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_sample_empirical");
  const fs::path out = dir / "out.h5";
  const std::string cfg = std::string(base) + "data = 'two_moons'\nscore = 'empirical'\nn_train = 50\nsteps = 30\n";
  REQUIRE(run_config(dir, cfg, out) == 0);
  auto f = spindiff::io::File::open_read(out);
  auto tasks = f.root().open_group("tasks");
  auto task = tasks.open_group(tasks.children().front());
  REQUIRE(task.exists("nearest_training_distances"));
  CHECK_FALSE(f.root().open_group("summary").exists("weight_error"));  // no modes for two moons
}

TEST_CASE("diffusion.sample rejects impossible combinations with exit code 2", "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_sample_bad");
  const fs::path out = dir / "out.h5";
  CHECK(run_config(dir, std::string(base) + "data = 'swiss_roll'\nscore = 'exact'\n", out) == 2);
  CHECK(run_config(dir, std::string(base) + "data = 'letters'\nscore = 'exact'\n", out) == 2);
  CHECK(run_config(dir, std::string(base) + "score = 'learned'\nweights = 'w.h5'\n", out) == 2);
  CHECK(run_config(dir, std::string(base) + "sampler = 'ddpm'\nprocess = 've'\n", out) == 2);
  CHECK(run_config(dir, std::string(base) + "mixture.means = [1.0, 2.0, 3.0]\n", out) == 2);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("diffusion.sample conditions, guides and composes; bad conditions exit 2", "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_sample_conditional");
  const fs::path out = dir / "out.h5";
  // The default mixture: component 0 at (-5, -5), 1 at (5, 5). Conditioned on "0" every sample sits near (-5, -5).
  const std::string cfg = std::string(base) +
                          "steps = 50\ncondition = '0'\ncorrector = 'mala'\ncorrector_steps = 2\n"
                          "[sweep]\nguidance = [0.0, 1.0]\n";
  REQUIRE(run_config(dir, cfg, out) == 0);
  auto f = spindiff::io::File::open_read(out);
  // Inner score calls: one per step and corrector step (w = 0), two with guidance; MALA adds one per level.
  CHECK(f.root().open_group("summary").read_doubles("nfe") == std::vector<double>{50 * 4, 2 * 50 * 4});
  auto tasks = f.root().open_group("tasks");
  for (const auto& name : tasks.children()) {
    const std::vector<double> x = tasks.open_group(name).read_doubles("samples");
    const double worst = *std::max_element(x.begin(), x.end());
    CHECK(worst < 0.0);  // 200 points of N((-5, -5), I): none reaches 0 (probability 200 x 2 x 3e-7)
  }
  const fs::path composed = dir / "compose.h5";
  CHECK(run_config(dir, std::string(base) + "steps = 20\ncompose = ['0', '1']\n", composed) == 0);
  const fs::path bad = dir / "bad.h5";
  CHECK(run_config(dir, std::string(base) + "condition = '7'\n", bad) == 2);  // unknown value
  CHECK(run_config(dir, std::string(base) + "guidance = 1.0\n", bad) == 2);   // guidance without condition
  CHECK(run_config(dir, std::string(base) + "compose = ['0']\ncondition = '1'\n", bad) == 2);
  CHECK(run_config(dir, std::string(base) + "data = 'two_moons'\nscore = 'empirical'\ncondition = '0'\n", bad) == 2);
  CHECK_FALSE(fs::exists(bad));
}

TEST_CASE("diffusion.sample with the exact mixture score on a fine grid reproduces the mixture",
          "[diffusion][physics]") {
  // Weights 0.2 and 0.8 at (-8, -8) and (2, 2), unit isotropic components. The modes are 14 standard deviations
  // apart, so assigning a point to its nearest mean misplaces a fraction ~1e-12: the mode fractions are binomial
  // with the mixture's weights, and each mode's points are N(mean, I). The mixture's mean is zero, like the
  // samplers' prior N(0, sigma_max^2 I): the probability-flow ODE carries any mismatch of the prior to the end
  // (with the default means (-5, -5), (5, 5), mean (3, 3), ode_heun gives the 0.2 mode a weight of 0.220 +- 0.003,
  // as a shift of the prior by 3 / 80 per coordinate predicts, 0.214).
  const fs::path dir = spindiff::test::scratch_dir("diffusion_sample_exact");
  const fs::path out = dir / "out.h5";
  const int n = 20000;
  const std::string cfg = "kind = 'diffusion.sample'\nseed = 11\nn_samples = " + std::to_string(n) +
                          "\nn_eval = 200\nprojections = 10\ntrajectories = 0\nsteps = 500\n"
                          "mixture.means = [-8.0, -8.0, 2.0, 2.0]\n"
                          "[sweep]\nsampler = ['euler_maruyama', 'predictor_corrector', 'ode_heun', 'ddpm']\n";
  REQUIRE(run_config(dir, cfg, out) == 0);
  auto f = spindiff::io::File::open_read(out);
  auto tasks = f.root().open_group("tasks");
  const std::vector<double> weights{0.2, 0.8}, centre{-8.0, 2.0};
  for (const std::string& name : tasks.children()) {
    auto task = tasks.open_group(name);
    const std::vector<double> x = task.read_doubles("samples");  // n x 2, row-major
    REQUIRE(x.size() == 2u * n);
    std::vector<double> count(2), sum(4), sum2(4);
    for (int i = 0; i < n; ++i) {
      const double a = x[2 * i], b = x[2 * i + 1];
      const int k = (a + b) > -6 ? 1 : 0;  // nearest of (-8, -8) and (2, 2)
      count[k] += 1;
      sum[2 * k] += a, sum[2 * k + 1] += b;
      sum2[2 * k] += a * a, sum2[2 * k + 1] += b * b;
    }
    const std::vector<double> fractions = task.read_doubles("mode_fractions");
    for (int k = 0; k < 2; ++k) {
      const double fraction = count[k] / n, se = std::sqrt(weights[k] * (1 - weights[k]) / n);
      INFO("task " << name << ", mode " << k << ": fraction " << fraction << " (weight " << weights[k] << " +- " << se
                   << ")");
      CHECK(fractions[k] == Approx(fraction).margin(1e-12));  // the kind's own count agrees
      CHECK(std::abs(fraction - weights[k]) < 4 * se);
      for (int j = 0; j < 2; ++j) {
        const double mean = sum[2 * k + j] / count[k];
        const double var = (sum2[2 * k + j] - count[k] * mean * mean) / (count[k] - 1);
        const double mean_se = 1 / std::sqrt(count[k]), var_se = std::sqrt(2 / (count[k] - 1));
        INFO("coordinate " << j << ": mean " << mean << " +- " << mean_se << ", variance " << var << " +- " << var_se);
        CHECK(std::abs(mean - centre[k]) < 4 * mean_se);
        CHECK(std::abs(var - 1) < 4 * var_se);
      }
    }
  }
}
