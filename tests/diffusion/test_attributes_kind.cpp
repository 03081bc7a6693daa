// diffusion.attributes with the exact conditional score of a labelled Gaussian mixture: the accuracy it reports
// against the exact probability that its classifier accepts a point of the requested class.
#include <fmt/format.h>

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

int run_config(const fs::path& dir, const std::string& text, const fs::path& out) {
  const fs::path cfg = dir / "cfg.toml";
  std::ofstream(cfg) << text;
  return spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()});
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// A 1-D classifier of the attribute "component" (classes "0", "1") that says "1" exactly when x > threshold at the
// noise level sigma. SiLU(z) - SiLU(-z) = z, so two hidden units with weights +-w on the feature c_in x and output
// weights +-1 / w give the logit difference c_in x + bias, with c_in = 1 / sqrt(s_data^2 + sigma^2) (s_data = 1).
dd::MlpWeights threshold_classifier(double threshold, double sigma) {
  dd::MlpArchitecture arch;
  arch.dim = 1;
  arch.width = 2;
  arch.depth = 1;
  arch.n_frequencies = 0;
  arch.data_std = 1.0;
  arch.target = {"component", {"0", "1"}};
  const double w = 0.5, c_in = 1.0 / std::sqrt(1.0 + sigma * sigma);
  dd::MlpWeights weights = dd::Mlp(arch).weights();
  for (dd::NamedArray& a : weights.arrays) {
    std::fill(a.values.begin(), a.values.end(), 0.0);
    if (a.name == "hidden_0.weight") a.values[0] = w, a.values[3] = -w;       // (2, 3): features [c_in x, u, a]
    if (a.name == "output.weight") a.values = {0.0, 0.0, 1.0 / w, -1.0 / w};  // (2 classes, 2 units)
    if (a.name == "output.bias") a.values = {0.0, -c_in * threshold};
  }
  return weights;
}

}  // namespace

TEST_CASE(
    "diffusion.attributes: with the exact score, the accuracy is the probability that the classifier accepts "
    "the class's law",
    "[diffusion][kind][physics]") {
  // Classes N(-1, 1) and N(+1, 1). With the exact conditional score the reverse SDE started at x_T ~ N(0, T^2)
  // (T = sigma_max) ends at the posterior of x_0 given x_T, so a sample of class mu is Gaussian with mean
  // mu (1 - k) and variance k^2 T^2 + T^2 / (1 + T^2), k = 1 / (1 + T^2) (the prior's mismatch, 0.25 % of mu at
  // T = 20). The classifier accepts class 1 when x > 0.5 and class 0 when x < 0.5, so the accuracy is
  // Phi((mu (1 - k) - 0.5) / s) for class 1 (0.6906) and Phi((0.5 - mu (1 - k)) / s) for class 0 (0.9329).
  // Euler-Maruyama's own bias falls like 1 / steps: measured with 64 repeats of 20 000 samples, class 0 comes out
  // 0.00189 +- 0.00023 low at 200 steps and 0.000005 +- 0.00025 off at 2000 (class 1: 0.00101 +- 0.00040, 0.000001
  // +- 0.00039), so at 1000 steps it is about 0.0004, a quarter of this test's standard error or less.
  const fs::path dir = spindiff::test::scratch_dir("attributes_exact");
  const double threshold = 0.5, sigma = 0.002, T = 20.0;
  spindiff::runner::diffusion_kinds::write_mlp_weights(dir / "classifier.h5", threshold_classifier(threshold, sigma),
                                                       "tasks/0000/weights");
  const double k = 1.0 / (1.0 + T * T), s = std::sqrt(k * k * T * T + T * T / (1.0 + T * T));
  const int n = 2000, repeats = 16;
  for (const auto& [condition, mu] : {std::pair{"1", 1.0}, std::pair{"0", -1.0}}) {
    INFO("condition " << condition);
    const double shifted = mu * (1.0 - k);
    const double p =
        condition == std::string("1") ? normal_cdf((shifted - threshold) / s) : normal_cdf((threshold - shifted) / s);
    const std::string config = fmt::format(
        "kind = 'diffusion.attributes'\nscore = 'exact'\ndata = 'mixture'\nmixture.dim = 1\n"
        "mixture.weights = [0.5, 0.5]\nmixture.means = [-1.0, 1.0]\nmixture.stds = [1.0, 1.0]\n"
        "classifiers = 'classifier.h5'\ncondition = '{}'\nsteps = 1000\nsigma_max = {}\nmeasure_sigma = {}\n"
        "n_samples = {}\nrepeats = {}\n",
        condition, T, sigma, n, repeats);
    const fs::path out = dir / fmt::format("class{}.h5", condition);
    REQUIRE(run_config(dir, config, out) == 0);
    auto f = spindiff::io::File::open_read(out);
    const auto summary = f.root().open_group("summary");
    const double accuracy = summary.read_doubles("component_accuracy").at(0);
    const double err = summary.read_doubles("component_accuracy_err").at(0);
    // Each repeat's accuracy is a binomial fraction of n samples: the error of the mean over the repeats is about
    // sqrt(p (1 - p) / (n R)) = 0.0026 (class 1), 0.0014 (class 0). The estimated error must not be much larger (twice
    // is beyond the chi distribution of 15 degrees of freedom), so a useless error bar fails.
    const double binomial = std::sqrt(p * (1.0 - p) / (double(n) * repeats));
    CHECK(err > 0.0);
    CHECK(err < 2.0 * binomial);
    CHECK(std::abs(accuracy - p) < 4.0 * err);
    // One classifier: every sample it accepts is accepted by all of them.
    CHECK(summary.read_doubles("joint_accuracy").at(0) == accuracy);
    CHECK(f.root().open_group("tasks/0000/repeats").read_doubles("component_accuracy").size() == repeats);
  }
}

TEST_CASE("diffusion.attributes refuses an exact score without the mixture data set or with a weights file",
          "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("attributes_exact_refused");
  spindiff::runner::diffusion_kinds::write_mlp_weights(dir / "classifier.h5", threshold_classifier(0.0, 0.002),
                                                       "tasks/0000/weights");
  const std::string base = "kind = 'diffusion.attributes'\nclassifiers = 'classifier.h5'\ncondition = '1'\n";
  CHECK(run_config(dir, base + "score = 'exact'\ndata = 'two_moons'\n", dir / "out.h5") == 2);
  CHECK(run_config(dir, base + "score = 'exact'\nweights = 'classifier.h5'\n", dir / "out.h5") == 2);
  CHECK(run_config(dir, base, dir / "out.h5") == 2);  // the learned score needs its weights
  CHECK_FALSE(fs::exists(dir / "out.h5"));
}
