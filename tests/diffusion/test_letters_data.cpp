// The letters data set: Hopfield letter bitmaps as points in [-1, 1]^(R^2), through the library and the kinds.
#include <catch2/catch.hpp>
#include <fstream>

#include "cli/cli.hpp"
#include "spindiff/diffusion/datasets.hpp"
#include "spindiff/io/hdf5.hpp"
#include "test_support.hpp"

namespace dd = spindiff::diffusion;
namespace hl = spindiff::hopfield::letters;
namespace fs = std::filesystem;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

hl::Distortion handwriting() {
  hl::Distortion d;
  d.shift = 1.0;
  d.thickness = 0.3;
  d.rotation = 0.14;
  d.shear = 0.15;
  d.scale = 0.08;
  return d;
}

int run_config(const fs::path& dir, const std::string& text, const fs::path& out) {
  const fs::path cfg = dir / "cfg.toml";
  std::ofstream(cfg) << text;
  return spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()});
}

std::vector<double> first_task_doubles(const fs::path& file, const std::string& name) {
  auto f = spindiff::io::File::open_read(file);
  auto tasks = f.root().open_group("tasks");
  return tasks.open_group(tasks.children().front()).read_doubles(name);
}

}  // namespace

TEST_CASE("letters data: n x R^2 points with pixels +-1, letters in turn", "[diffusion][data]") {
  for (int R : {16, 20}) {
    Stream s(1, 0, 0, Purpose::patterns);
    const dd::Points x = dd::letters(7, "ABC", R, handwriting(), s);
    REQUIRE(x.rows() == 7);
    REQUIRE(x.cols() == R * R);
    CHECK((x.array().abs() == 1.0).all());  // in [-1, 1], and binary
    // Every image has ink and background.
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      CHECK(x.row(i).maxCoeff() == 1.0);
      CHECK(x.row(i).minCoeff() == -1.0);
    }
  }
  // Without distortion, row i is the stored pattern of letter i mod K.
  Stream s(1, 0, 0, Purpose::patterns);
  const std::string alphabet = "QAZ";
  const dd::Points x = dd::letters(5, alphabet, 16, hl::Distortion{}, s);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const auto pattern = hl::render(alphabet[static_cast<std::size_t>(i % 3)], 16);
    for (Eigen::Index j = 0; j < x.cols(); ++j) REQUIRE(x(i, j) == pattern[static_cast<std::size_t>(j)]);
  }
}

TEST_CASE("letters data: reproducible from the stream, different for another stream", "[diffusion][data]") {
  Stream a(4, 0, 0, Purpose::patterns), b(4, 0, 0, Purpose::patterns), c(5, 0, 0, Purpose::patterns);
  const dd::Points xa = dd::letters(20, "AB", 16, handwriting(), a);
  const dd::Points xb = dd::letters(20, "AB", 16, handwriting(), b);
  const dd::Points xc = dd::letters(20, "AB", 16, handwriting(), c);
  CHECK(xa == xb);
  CHECK(xa != xc);
  // Distortions make the renderings of one letter differ from each other.
  CHECK(xa.row(0) != xa.row(2));
}

TEST_CASE("letters data: bad alphabets are refused", "[diffusion][data]") {
  Stream s(1, 0, 0, Purpose::patterns);
  CHECK_THROWS_AS(dd::letters(3, "", 16, hl::Distortion{}, s), std::invalid_argument);
  CHECK_THROWS_AS(dd::letters(3, "Ab", 16, hl::Distortion{}, s), std::invalid_argument);
  CHECK_THROWS_AS(dd::letters(3, "AB", 8, hl::Distortion{}, s), std::invalid_argument);  // R < 16
}

TEST_CASE("diffusion.sample and diffusion.train take data = letters (d = R^2)", "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("letters_kinds");
  const std::string letters = "data = 'letters'\nletters.alphabet = 'AB'\n";
  // The empirical score of a few letter images: samples are 256-dimensional, with the memorisation detector.
  const fs::path sample_out = dir / "sample.h5";
  REQUIRE(run_config(dir,
                     "kind = 'diffusion.sample'\nseed = 2\n" + letters +
                         "score = 'empirical'\nn_train = 10\nn_samples = 6\nn_eval = 20\nsteps = 20\nprojections = 5\n"
                         "trajectories = 0\n",
                     sample_out) == 0);
  CHECK(first_task_doubles(sample_out, "samples").size() == 6 * 256);
  CHECK(first_task_doubles(sample_out, "nearest_training_distances").size() == 6 * 2);
  // A tiny network trained on letters: weights with dim 256, samples and data of 256 pixels.
  const fs::path train_out = dir / "train.h5";
  REQUIRE(run_config(dir,
                     "kind = 'diffusion.train'\nseed = 2\n" + letters +
                         "n_train = 10\nwidth = 8\ndepth = 1\nbatch = 8\nsteps = 5\nn_samples = 4\nsample_steps = 3\n",
                     train_out) == 0);
  const auto data = first_task_doubles(train_out, "data");
  CHECK(data.size() == 4 * 256);
  for (double v : data) REQUIRE(std::abs(v) == 1.0);
  CHECK(first_task_doubles(train_out, "samples").size() == 4 * 256);
  CHECK(first_task_doubles(train_out, "weights/output.bias").size() == 256);
  // Lower-case letters are not drawn: a configuration error (exit code 2).
  CHECK(run_config(dir, "kind = 'diffusion.sample'\ndata = 'letters'\nscore = 'empirical'\nletters.alphabet = 'ab'\n",
                   dir / "bad.h5") == 2);
}
