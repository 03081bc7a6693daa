// diffusion.train through the runner: outputs, determinism, and weights that load back from the results file.
#include <catch2/catch.hpp>

#include "../../lib/src/kinds/diffusion/train_kind.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "spindiff/runner/results_file.hpp"
#include "spindiff/runner/runner.hpp"
#include "test_support.hpp"

using namespace spindiff;

namespace {

void ensure_registered() {
  if (runner::find_kind("diffusion.train")) return;
  std::vector<runner::Kind> kinds;
  runner::register_diffusion_train_kind(kinds);
  for (auto& k : kinds) runner::register_kind(std::move(k));
}

const std::vector<double>& doubles(const runner::TaskOutput& out, const std::string& name) {
  for (const auto& [n, a] : out.arrays())
    if (n == name) return std::get<std::vector<double>>(a.data);
  throw std::runtime_error("no array " + name);
}

const char* config_text = R"(
kind = "diffusion.train"
seed = 5
data = "two_moons"
n_train = 2000
width = 16
depth = 2
batch = 64
steps = 300
lr = 3e-3
n_samples = 300
sample_steps = 10
)";

}  // namespace

TEST_CASE("diffusion.train writes weights that reproduce its score from the results file", "[mlp][kind]") {
  ensure_registered();
  const auto dir = test::scratch_dir("diffusion_train_kind");
  const config::RunConfig cfg = config::parse_run_config(config_text, "test.toml", dir, {}, runner::all_kinds());
  REQUIRE(cfg.tasks.size() == 1);
  const runner::TaskOutput out = runner::run_task(cfg, 0);
  const runner::TaskOutput again = runner::run_task(cfg, 0);

  CHECK(doubles(out, "loss").size() == 300);
  CHECK(doubles(out, "samples").size() == 600);
  CHECK(doubles(out, "data").size() == 600);
  CHECK(doubles(out, "loss") == doubles(again, "loss"));
  CHECK(doubles(out, "samples") == doubles(again, "samples"));
  bool has_mmd = false, has_loss = false;
  for (const auto& [name, value] : out.columns()) {
    has_mmd = has_mmd || name == "mmd";
    has_loss = has_loss || name == "final_loss";
  }
  CHECK(has_mmd);
  CHECK(has_loss);

  // Through the runner's results file, then the weight reader.
  std::vector<runner::TaskResult> results(1);
  results[0].done = true;
  results[0].output = out;
  const auto path = dir / "run.h5";
  runner::write_results(path, cfg, results, runner::Provenance{"test", 1}, true);
  const diffusion::MlpWeights w = runner::diffusion_kinds::read_mlp_weights(path, "tasks/0000/weights");
  CHECK(w.architecture.width == 16);
  CHECK(w.architecture.depth == 2);
  CHECK(w.architecture.dim == 2);
  CHECK(w.precision == diffusion::Precision::float64);
  CHECK(runner::diffusion_kinds::read_mlp_weights(path).arrays.size() ==
        w.arrays.size());  // the first task's weights by default
  for (const auto& arr : w.arrays) CHECK(arr.values == doubles(out, "weights/" + arr.name));

  // The loaded network gives the same samples through the same sampler: compare its score with a network
  // rebuilt from the in-memory arrays (bitwise).
  diffusion::MlpWeights in_memory = w;
  for (auto& arr : in_memory.arrays) arr.values = doubles(out, "weights/" + arr.name);
  const auto a = diffusion::make_learned_score(w);
  const auto b = diffusion::make_learned_score(in_memory);
  diffusion::Points x(50, 2);
  Stream s(1, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = s.normal();
  diffusion::Points sa, sb;
  a->score(x, {0.3, 1.0, 0.3}, sa);
  b->score(x, {0.3, 1.0, 0.3}, sb);
  CHECK((sa.array() == sb.array()).all());
}

TEST_CASE("diffusion.train rejects inconsistent parameters", "[mlp][kind]") {
  ensure_registered();
  const auto dir = test::scratch_dir("diffusion_train_kind_bad");
  // Accepted as given, rejected with the cross-parameter checks of the kind.
  CHECK_NOTHROW(config::parse_run_config(config_text, "t.toml", dir, {}, runner::all_kinds()));
  CHECK_THROWS_WITH(config::parse_run_config(config_text, "t.toml", dir, {"sigma_min=30.0"}, runner::all_kinds()),
                    Catch::Contains("sigma_max"));
  CHECK_THROWS_WITH(config::parse_run_config(config_text, "t.toml", dir, {"data=mixture", "mixture.means=[1.0]"},
                                             runner::all_kinds()),
                    Catch::Contains("mixture.means"));
  CHECK_NOTHROW(config::parse_run_config(config_text, "t.toml", dir, {"data=mixture"}, runner::all_kinds()));
}
