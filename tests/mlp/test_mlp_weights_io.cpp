// Weights written to HDF5 and read back give bitwise identical scores.
#include <hdf5.h>

#include <catch2/catch.hpp>

#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/training.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"
#include "test_support.hpp"

using namespace spindiff;
using namespace spindiff::diffusion;

namespace {

template <class Scalar>
MlpWeights trained_weights(const MlpArchitecture& arch) {
  Points data(300, arch.dim);
  Stream ds(7, 0, 0, Purpose::patterns);
  for (Eigen::Index k = 0; k < data.size(); ++k) data.data()[k] = ds.normal();
  MlpT<Scalar> net(arch);
  Stream init(7, 0, 0, Purpose::init);
  net.initialize(init);
  TrainingConfig cfg;
  cfg.batch = 32;
  DsmTrainer<Scalar> trainer(net, cfg);
  Stream stream(7, 0, 0, Purpose::training);
  trainer.train(data, stream, 20);
  return net.weights();
}

void check_round_trip(const MlpWeights& original, const std::string& file_name) {
  const auto path = test::scratch_dir("mlp_weights_io") / file_name;
  runner::diffusion_kinds::write_mlp_weights(path, original, "runs/0/mlp");
  const MlpWeights loaded = runner::diffusion_kinds::read_mlp_weights(path, "runs/0/mlp");
  CHECK(loaded.precision == original.precision);
  CHECK(loaded.architecture.width == original.architecture.width);
  CHECK(loaded.architecture.depth == original.architecture.depth);
  CHECK(loaded.architecture.data_std == original.architecture.data_std);
  CHECK(loaded.architecture.parameterisation == original.architecture.parameterisation);
  REQUIRE(loaded.arrays.size() == original.arrays.size());
  for (std::size_t k = 0; k < loaded.arrays.size(); ++k) {
    CHECK(loaded.arrays[k].name == original.arrays[k].name);
    CHECK(loaded.arrays[k].shape == original.arrays[k].shape);
    CHECK(loaded.arrays[k].values == original.arrays[k].values);
  }

  const auto before = make_learned_score(original);
  const auto after = make_learned_score(loaded);
  const int d = original.architecture.dim;
  Points x(300, d);
  Stream s(8, 0, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = 2.0 * s.normal();
  for (const NoiseLevel level : {NoiseLevel{0, 1.0, 0.01}, NoiseLevel{0, 0.6, 0.8}, NoiseLevel{0, 1.0, 30.0}}) {
    Points a, b;
    before->score(x, level, a);
    after->score(x, level, b);
    CHECK((a.array() == b.array()).all());
  }
}

}  // namespace

TEST_CASE("MLP weights survive an HDF5 round trip bit for bit", "[mlp][io]") {
  const MlpArchitecture arch{.dim = 3, .width = 24, .depth = 2, .n_frequencies = 3, .data_std = 0.7};
  SECTION("float64") { check_round_trip(trained_weights<double>(arch), "weights64.h5"); }
  SECTION("float32") {
    const MlpWeights w = trained_weights<float>(arch);
    CHECK(w.precision == Precision::float32);
    check_round_trip(w, "weights32.h5");
  }
}

TEST_CASE("EDM weights survive an HDF5 round trip; a file without the attribute reads as epsilon", "[mlp][io]") {
  const MlpArchitecture arch{
      .dim = 3, .width = 16, .depth = 2, .data_std = 0.8, .parameterisation = Parameterisation::edm};
  SECTION("float64") { check_round_trip(trained_weights<double>(arch), "edm64.h5"); }
  SECTION("float32") { check_round_trip(trained_weights<float>(arch), "edm32.h5"); }
  SECTION("legacy file") {
    MlpWeights w = trained_weights<double>(arch);
    w.architecture.parameterisation = Parameterisation::epsilon;
    const auto path = test::scratch_dir("mlp_weights_legacy") / "legacy.h5";
    runner::diffusion_kinds::write_mlp_weights(path, w, "mlp");
    {  // Files written before the edm option had no other value; remove the attribute altogether.
      const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      REQUIRE(file >= 0);
      REQUIRE(H5Adelete_by_name(file, "mlp", "parameterisation", H5P_DEFAULT) >= 0);
      H5Fclose(file);
    }
    const MlpWeights loaded = runner::diffusion_kinds::read_mlp_weights(path, "mlp");
    CHECK(loaded.architecture.parameterisation == Parameterisation::epsilon);
    const auto before = make_learned_score(w);
    const auto after = make_learned_score(loaded);
    MlpWeights as_edm = w;
    as_edm.architecture.parameterisation = Parameterisation::edm;
    const auto edm = make_learned_score(as_edm);
    Points x(20, arch.dim), a, b, c;
    Stream s(9, 0, 0, Purpose::evaluation);
    for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = s.normal();
    before->score(x, NoiseLevel{0, 1.0, 0.3}, a);
    after->score(x, NoiseLevel{0, 1.0, 0.3}, b);
    edm->score(x, NoiseLevel{0, 1.0, 0.3}, c);
    CHECK((a.array() == b.array()).all());
    CHECK((a - c).cwiseAbs().maxCoeff() > 1e-3);  // the same weights read as edm are another score
  }
}

TEST_CASE("Rewriting the weights group replaces it; other groups stay", "[mlp][io]") {
  MlpArchitecture arch;
  arch.width = 8;
  arch.depth = 1;
  const auto path = test::scratch_dir("mlp_weights_rewrite") / "w.h5";
  const MlpWeights first = trained_weights<double>(arch);
  runner::diffusion_kinds::write_mlp_weights(path, first, "a");
  MlpArchitecture wider = arch;
  wider.width = 12;
  const MlpWeights second = trained_weights<double>(wider);
  runner::diffusion_kinds::write_mlp_weights(path, second, "b");
  runner::diffusion_kinds::write_mlp_weights(path, second, "a");
  CHECK(runner::diffusion_kinds::read_mlp_weights(path, "a").architecture.width == 12);
  CHECK(runner::diffusion_kinds::read_mlp_weights(path, "b").architecture.width == 12);
  CHECK_THROWS(runner::diffusion_kinds::read_mlp_weights(path, "missing"));
  CHECK_THROWS(runner::diffusion_kinds::read_mlp_weights(path));  // neither "mlp" nor a results file's first task
  runner::diffusion_kinds::write_mlp_weights(path, first);        // the default group "mlp"
  CHECK(runner::diffusion_kinds::read_mlp_weights(path).architecture.width == 8);
}
