#include <catch2/catch.hpp>
#include <fstream>

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
