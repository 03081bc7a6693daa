// diffusion.sample with training_set = "weights": the empirical score is built on the very points the
// diffusion.train run of `weights` trained on (read from its results file), and a sampling configuration whose
// data parameters disagree with that run's is refused before any work.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "spindiff/config/run_config.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/all_kinds.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

int run_config(const fs::path& dir, const std::string& name, const std::string& text, const fs::path& out) {
  const fs::path cfg = dir / name;
  std::ofstream(cfg) << text;
  return spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()});
}

// The validation error of a configuration in `dir` (relative files resolve there), or "(no error)".
std::string error_of(const fs::path& dir, const std::string& text) {
  try {
    spindiff::config::parse_run_config(text, "sample.toml", dir, {}, spindiff::runner::all_kinds());
  } catch (const spindiff::runner::ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string letters =
    "seed = 1\ndata = 'letters'\nletters.alphabet = 'AEH'\nletters.resolution = 16\nn_train = 30\n";
const std::string train_rest = "width = 16\ndepth = 2\nbatch = 16\nsteps = 20\nsample_steps = 4\n";
const std::string sample_rest =
    "sampler = 'predictor_corrector'\nprocess = 'edm'\nsteps = 20\nn_samples = 24\nn_eval = 24\ntrajectories = 0\n";

struct Matrix {
  std::vector<double> values;
  std::size_t rows = 0, cols = 0;
  const double* row(std::size_t i) const { return values.data() + i * cols; }
};

Matrix read_matrix(const fs::path& file, const std::string& name) {
  const auto f = spindiff::io::File::open_read(file);
  const auto shape = f.root().shape(name);
  return {f.root().read_doubles(name), shape.at(0), shape.at(1)};
}

// Each sample's distances to its nearest and second-nearest training point, computed here.
std::vector<double> nearest_two(const Matrix& samples, const Matrix& training) {
  std::vector<double> out;
  for (std::size_t i = 0; i < samples.rows; ++i) {
    std::vector<double> d;
    for (std::size_t j = 0; j < training.rows; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < samples.cols; ++k) s += std::pow(samples.row(i)[k] - training.row(j)[k], 2);
      d.push_back(std::sqrt(s));
    }
    std::partial_sort(d.begin(), d.begin() + 2, d.end());
    out.push_back(d[0]);
    out.push_back(d[1]);
  }
  return out;
}

}  // namespace

TEST_CASE("diffusion.sample: the empirical score of training_set = weights is the training run's own set",
          "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("stored_training_set");
  const fs::path train = dir / "train.h5";
  REQUIRE(run_config(dir, "train.toml", "kind = 'diffusion.train'\n" + letters + train_rest + "n_samples = 30\n",
                     train) == 0);
  const Matrix training = read_matrix(train, "tasks/0000/data");
  REQUIRE(training.rows == 30);

  // The sampling run's parameter point differs from the training run's, so its own stream would draw other letters.
  const std::string sample = "kind = 'diffusion.sample'\nweights = 'train.h5'\n" + letters + sample_rest;
  const fs::path stored = dir / "stored.h5", drawn = dir / "drawn.h5";
  REQUIRE(run_config(dir, "stored.toml",
                     sample + "training_set = 'weights'\n[sweep]\nscore = ['empirical', 'learned']\n", stored) == 0);
  REQUIRE(run_config(dir, "drawn.toml", sample + "score = 'empirical'\n", drawn) == 0);

  for (const char* task : {"tasks/0000", "tasks/0001"}) {  // empirical, learned: both measured against the set
    const Matrix samples = read_matrix(stored, std::string(task) + "/samples");
    const std::vector<double> expected = nearest_two(samples, training);
    const std::vector<double> recorded = read_matrix(stored, std::string(task) + "/nearest_training_distances").values;
    REQUIRE(recorded.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(recorded[i] == Approx(expected[i]).margin(1e-9));
  }
  // The exact score of the stored set returns its points: every sample lies on a training letter (residual noise of
  // the last levels, well under a pixel's flip, which moves a point by 2), none between two of them.
  const std::vector<double> copies = nearest_two(read_matrix(stored, "tasks/0000/samples"), training);
  for (std::size_t i = 0; i < copies.size(); i += 2) {
    CHECK(copies[i] < 1.0);
    CHECK(copies[i + 1] > 3.0);
  }
  // Drawn from the sampling run's own stream, the empirical score's letters are others: its samples are copies of
  // points that are not in the training run's set.
  const std::vector<double> elsewhere = nearest_two(read_matrix(drawn, "tasks/0000/samples"), training);
  std::size_t far = 0;
  for (std::size_t i = 0; i < elsewhere.size(); i += 2) far += elsewhere[i] > 1.0 ? 1 : 0;
  CHECK(far == elsewhere.size() / 2);
}

TEST_CASE("diffusion.sample: a conditional empirical score of training_set = weights uses the labelled set",
          "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("stored_training_set_labelled");
  const fs::path train = dir / "train.h5";
  REQUIRE(run_config(dir, "train.toml",
                     "kind = 'diffusion.train'\n" + letters + train_rest + "labels = ['letter']\nn_samples = 0\n",
                     train) == 0);
  const Matrix training = read_matrix(train, "tasks/0000/training_data");
  const std::vector<double> labels = read_matrix(train, "tasks/0000/training_labels").values;
  const fs::path out = dir / "out.h5";
  REQUIRE(run_config(dir, "sample.toml",
                     "kind = 'diffusion.sample'\nweights = 'train.h5'\nscore = 'empirical'\ntraining_set = "
                     "'weights'\ncondition = 'H'\n" +
                         letters + sample_rest,
                     out) == 0);
  // Every sample is a copy of a training letter H (label index 2 of "AEH").
  const Matrix samples = read_matrix(out, "tasks/0000/samples");
  for (std::size_t i = 0; i < samples.rows; ++i) {
    double best = 1e300;
    std::size_t nearest = 0;
    for (std::size_t j = 0; j < training.rows; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < samples.cols; ++k) s += std::pow(samples.row(i)[k] - training.row(j)[k], 2);
      if (s < best) best = s, nearest = j;
    }
    CHECK(std::sqrt(best) < 1.0);
    CHECK(labels[nearest] == 2);
  }
}

TEST_CASE("diffusion.sample: training_set = weights refuses a training run that does not fit, naming file and key",
          "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("stored_training_set_bad");
  const std::string train = "kind = 'diffusion.train'\n" + letters + train_rest;
  REQUIRE(run_config(dir, "train.toml", train + "n_samples = 30\n", dir / "train.h5") == 0);
  REQUIRE(run_config(dir, "part.toml", train + "n_samples = 10\n", dir / "part.h5") == 0);
  REQUIRE(run_config(dir, "plain.toml", train + "n_samples = 0\n", dir / "plain.h5") == 0);
  const std::string sample = "kind = 'diffusion.sample'\nscore = 'empirical'\ntraining_set = 'weights'\n" + sample_rest;
  const std::string good = sample + "weights = 'train.h5'\n" + letters;
  CHECK(error_of(dir, good) == "(no error)");

  const std::string path = (dir / "train.h5").string();
  CHECK_THAT(error_of(dir, good + "letters.shear = 0.3\n"),
             Catch::Contains("key 'letters.shear'") && Catch::Contains(path) && Catch::Contains("0.3 here"));
  CHECK_THAT(error_of(dir, good + "[sweep]\nn_train = [30, 31]\n"),
             Catch::Contains("key 'n_train'") && Catch::Contains(path) && Catch::Contains("31 here"));
  CHECK_THAT(error_of(dir, sample + "weights = 'train.h5'\nseed = 1\ndata = 'swiss_roll'\nn_train = 30\n"),
             Catch::Contains("key 'data'") && Catch::Contains(path));
  // Only the first 10 of 30 points stored; no training set at all; not a training run; no file.
  CHECK_THAT(error_of(dir, sample + "weights = 'part.h5'\n" + letters),
             Catch::Contains("key 'weights'") && Catch::Contains("part.h5") && Catch::Contains("n_samples >= n_train"));
  CHECK_THAT(error_of(dir, sample + "weights = 'plain.h5'\n" + letters),
             Catch::Contains("key 'weights'") && Catch::Contains("0 of its n_train = 30"));
  CHECK_THAT(error_of(dir, "kind = 'diffusion.sample'\nweights = 'train.h5'\n" + letters + sample_rest +
                               "score = 'empirical'\n[sweep]\ntraining_set = ['drawn', 'weights']\n"),
             Catch::Contains("(no error)"));
  REQUIRE(run_config(dir, "other.toml", "kind = 'diffusion.sample'\nsteps = 5\nn_samples = 10\nn_eval = 10\n",
                     dir / "other.h5") == 0);
  CHECK_THAT(error_of(dir, sample + "weights = 'other.h5'\n" + letters),
             Catch::Contains("key 'weights'") && Catch::Contains("not the results of a diffusion.train run"));
  CHECK_THAT(error_of(dir, sample + "weights = 'missing.h5'\n" + letters),
             Catch::Contains("key 'weights'") && Catch::Contains("missing.h5"));
  CHECK_THAT(error_of(dir, sample + letters), Catch::Contains("key 'weights'"));
  CHECK_THAT(error_of(dir, "kind = 'diffusion.sample'\nscore = 'exact'\ntraining_set = 'weights'\n"),
             Catch::Contains("key 'training_set'"));
  // A conditional empirical score needs labels, which an unlabelled training run does not store.
  CHECK_THAT(error_of(dir, good + "condition = 'A'\n"),
             Catch::Contains("key 'training_set'") && Catch::Contains("unconditional"));

  // Through the program: exit 2, nothing written.
  const fs::path out = dir / "out.h5";
  CHECK(run_config(dir, "bad.toml", good + "letters.rotation = 3.0\n", out) == 2);
  CHECK_FALSE(fs::exists(out));
}
