// The conditional MLP: label embeddings (one per attribute value plus "dropped"), the unconditional model as the
// same network with every label dropped, weights and vocabularies through HDF5, the input gradient, and
// diffusion.train with labels, a held-out combination and weights saved along the way.
#include <catch2/catch.hpp>
#include <cmath>

#include "../../lib/src/kinds/diffusion/train_kind.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/diffusion/learned_conditional_score.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/training.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "spindiff/runner/results_file.hpp"
#include "spindiff/runner/runner.hpp"
#include "test_support.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

MlpArchitecture conditional_architecture() {
  MlpArchitecture arch;
  arch.dim = 3;
  arch.width = 8;
  arch.depth = 2;
  arch.n_frequencies = 2;
  arch.attributes = {{"letter", {"A", "B", "C"}}, {"style", {"upright", "italic"}}};
  return arch;
}

Points normal_points(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  Points x(n, d);
  Stream s(seed, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = s.normal();
  return x;
}

}  // namespace

TEST_CASE("A conditional MLP reads one embedding per label value; all labels dropped is its unconditional output",
          "[mlp]") {
  const MlpArchitecture arch = conditional_architecture();
  CHECK(arch.label_size() == (3 + 1) + (2 + 1));
  CHECK(arch.input_size() == 3 + arch.embedding_size() + 7);
  Mlp net(arch);
  Stream init(3, 0, 0, Purpose::init);
  net.initialize(init);
  const Points x = normal_points(20, 3, 1);
  const NoiseLevel level{0.7, 1.0, 0.7};
  Points unconditional, dropped, a_italic, a_only;
  net.output(x, level, unconditional);
  net.output(x, level, Condition{{kAnyValue, kAnyValue}}, dropped);
  net.output(x, level, Condition{{0, 1}}, a_italic);
  net.output(x, level, Condition{{0, kAnyValue}}, a_only);
  CHECK((unconditional.array() == dropped.array()).all());
  CHECK((a_italic.array() != a_only.array()).any());

  // The label enters only through the first layer's columns on its one-hot slot: moving the "A" column onto the
  // "dropped" column of the letter attribute makes A and dropped the same input.
  MlpWeights w = net.weights();
  const int dropped_column = 3 + arch.embedding_size() + 3, a_column = 3 + arch.embedding_size() + 0;
  auto& first = w.arrays[0];
  for (int row = 0; row < arch.width; ++row)
    first.values[static_cast<std::size_t>(row * arch.input_size() + a_column)] =
        first.values[static_cast<std::size_t>(row * arch.input_size() + dropped_column)];
  Mlp moved(arch);
  moved.set_weights(w);
  Points moved_a;
  moved.output(x, level, Condition{{0, kAnyValue}}, moved_a);
  CHECK((moved_a.array() == unconditional.array()).all());

  // A condition over the wrong number of attributes is refused.
  CHECK_THROWS_AS(net.output(x, level, Condition{{0}}, a_only), std::invalid_argument);
}

TEST_CASE("Conditional weights and vocabularies survive an HDF5 round trip", "[mlp][io]") {
  const MlpArchitecture arch = conditional_architecture();
  Mlp net(arch);
  Stream init(4, 0, 0, Purpose::init);
  net.initialize(init);
  const auto dir = test::scratch_dir("conditional_mlp_io");
  runner::diffusion_kinds::write_mlp_weights(dir / "w.h5", net.weights());
  const MlpWeights back = runner::diffusion_kinds::read_mlp_weights(dir / "w.h5");
  REQUIRE(back.architecture.attributes.size() == 2);
  CHECK(back.architecture.attributes[0].name == "letter");
  CHECK(back.architecture.attributes[0].values == std::vector<std::string>{"A", "B", "C"});
  CHECK(back.architecture.attributes[1].values == std::vector<std::string>{"upright", "italic"});
  const auto score = make_learned_conditional_score(back);
  const Points x = normal_points(10, 3, 2);
  Points direct, loaded;
  score->score(x, {0.4, 1.0, 0.4}, Condition{{2, 0}}, loaded);
  net.output(x, {0.4, 1.0, 0.4}, Condition{{2, 0}}, direct);
  direct *= -1.0 / 0.4;  // epsilon parameterisation: score = -F / sigma
  CHECK((loaded - direct).cwiseAbs().maxCoeff() < 1e-15);

  // A network of another vocabulary size does not take these weights.
  MlpArchitecture other = arch;
  other.attributes[0].values.push_back("D");
  Mlp wrong(other);
  CHECK_THROWS_AS(wrong.set_weights(back), std::invalid_argument);
}

TEST_CASE("The input gradient of the MLP matches central finite differences", "[mlp]") {
  MlpArchitecture arch = conditional_architecture();
  arch.target = {"colour", {"red", "green", "blue", "grey"}};  // a classifier's four logits
  Mlp net(arch);
  Stream init(5, 0, 0, Purpose::init);
  net.initialize(init);
  const int n = 3;
  auto ws = net.make_workspace(n);
  Stream s(6, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < ws.act[0].size(); ++k) ws.act[0].data()[k] = s.normal();
  Mlp::Matrix weights(4, n);  // L = Σ weights ∘ output
  for (Eigen::Index k = 0; k < weights.size(); ++k) weights.data()[k] = s.normal();
  net.forward(ws, n);
  ws.grad_output.leftCols(n) = weights;
  Mlp::Matrix grad;
  net.input_gradient(ws, n, grad);
  const Mlp::Matrix input = ws.act[0].leftCols(n);
  auto loss = [&](const Mlp::Matrix& in) {
    ws.act[0].leftCols(n) = in;
    net.forward(ws, n);
    return (ws.output.leftCols(n).array() * weights.array()).sum();
  };
  const double h = 1e-5;
  double worst = 0;
  for (Eigen::Index k = 0; k < input.size(); ++k) {
    Mlp::Matrix up = input, down = input;
    up.data()[k] += h;
    down.data()[k] -= h;
    worst = std::max(worst, std::abs((loss(up) - loss(down)) / (2 * h) - grad.data()[k]));
  }
  CHECK(worst < 1e-7);
}

namespace {

void ensure_registered() {
  if (runner::find_kind("diffusion.train")) return;
  std::vector<runner::Kind> kinds;
  runner::register_diffusion_train_kind(kinds);
  for (auto& k : kinds) runner::register_kind(std::move(k));
}

const char* letters_config = R"(
kind = "diffusion.train"
seed = 7
data = "letters"
letters.alphabet = "AB"
n_train = 64
labels = ["letter", "style"]
holdout = "A:italic"
width = 8
depth = 1
batch = 16
steps = 30
save_steps = [10, 20]
n_samples = 0
)";

}  // namespace

TEST_CASE("diffusion.train conditions on named attributes, holds out a combination and saves weights on the way",
          "[mlp][kind]") {
  ensure_registered();
  const auto dir = test::scratch_dir("conditional_train_kind");
  const config::RunConfig cfg = config::parse_run_config(letters_config, "t.toml", dir, {}, runner::all_kinds());
  const runner::TaskOutput out = runner::run_task(cfg, 0);
  std::vector<runner::TaskResult> results(1);
  results[0].done = true;
  results[0].output = out;
  const auto path = dir / "run.h5";
  runner::write_results(path, cfg, results, runner::Provenance{"test", 1}, true);
  const MlpWeights w = runner::diffusion_kinds::read_mlp_weights(path);
  REQUIRE(w.architecture.attributes.size() == 2);
  CHECK(w.architecture.attributes[0].values == std::vector<std::string>{"A", "B"});
  CHECK(w.architecture.attributes[1].values == std::vector<std::string>{"upright", "italic"});
  for (const char* step : {"00000010", "00000020"})
    CHECK(runner::diffusion_kinds::read_mlp_weights(path, std::string("tasks/0000/weights_at/") + step).arrays.size() ==
          w.arrays.size());

  // Unknown values and attributes are configuration errors naming the key.
  CHECK_THROWS_WITH(
      config::parse_run_config(letters_config, "t.toml", dir, {"holdout=\"Z:italic\""}, runner::all_kinds()),
      Catch::Contains("holdout") && Catch::Contains("Z"));
  CHECK_THROWS_WITH(
      config::parse_run_config(letters_config, "t.toml", dir, {"labels=[\"colour\"]"}, runner::all_kinds()),
      Catch::Contains("labels") && Catch::Contains("colour"));
  CHECK_THROWS_WITH(
      config::parse_run_config(letters_config, "t.toml", dir, {"data=\"two_moons\""}, runner::all_kinds()),
      Catch::Contains("labels"));
}
