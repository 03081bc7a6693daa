// A score whose denoiser is kept inside the data's value range: unchanged where the denoiser already lies inside
// (the exact posterior mean of data in a box always does), and the cure of the runaway that a denoiser extrapolating
// outward causes at small noise levels (the long-trained letters network; docs/theory/learned-score.md).
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "cli/cli.hpp"
#include "spindiff/diffusion/block_noise.hpp"
#include "spindiff/diffusion/denoiser_range.hpp"
#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/io/hdf5.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

// A score whose denoiser is D(x) = g x (a = 1): for g > 1 it moves every point further out, as the long-trained
// network's estimate does for points off its training region.
class OutwardDenoiser final : public ScoreModel {
 public:
  OutwardDenoiser(int dim, double gain) : dim_(dim), gain_(gain) {}
  void score(const Points& x, const NoiseLevel& level, Points& out) const override {
    out = ((gain_ - 1.0) / (level.sigma * level.sigma)) * x;
  }
  int dim() const override { return dim_; }

 private:
  int dim_;
  double gain_;
};

// ±1 points (the letters' pixel values).
Points sign_points(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  Points p(n, d);
  BlockNoise(Stream(seed, 0, 0, Purpose::init)).fill(p);
  return p.unaryExpr([](double v) { return v < 0 ? -1.0 : 1.0; });
}

}  // namespace

TEST_CASE("clipping leaves a denoiser inside the range alone and moves one outside onto the nearest bound",
          "[diffusion]") {
  // The empirical score's denoiser is a convex combination of the training points: inside [-1, 1]^d at every level.
  const Points training = sign_points(40, 6, 3);
  auto empirical = std::make_shared<EmpiricalScore>(training);
  const RangeClippedScore clipped(empirical, {-1.0, 1.0});
  Points x(25, 6);
  BlockNoise(Stream(4, 0, 0, Purpose::init)).fill(x);
  x *= 2.0;
  for (double a : {1.0, 0.6}) {
    for (double sigma : {0.05, 0.3, 2.0}) {
      const NoiseLevel level{sigma, a, sigma};
      Points raw(x.rows(), x.cols()), got(x.rows(), x.cols());
      empirical->score(x, level, raw);
      clipped.score(x, level, got);
      // Rounding may put a denoised ±1 a few ulps outside: the score then moves by ulps / sigma^2.
      CHECK((got - raw).cwiseAbs().maxCoeff() <= 1e-12 * (1.0 + raw.cwiseAbs().maxCoeff()));
    }
  }
  // D = 3 x: where it leaves [-1, 1] the score becomes (a clip(D) - x) / sigma^2, elsewhere it is untouched.
  auto outward = std::make_shared<OutwardDenoiser>(6, 3.0);
  const RangeClippedScore bounded(outward, {-1.0, 1.0});
  const NoiseLevel level{0.1, 1.0, 0.1};
  Points raw(x.rows(), x.cols()), got(x.rows(), x.cols());
  outward->score(x, level, raw);
  bounded.score(x, level, got);
  long inside = 0, outside = 0;
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
      const double d = 3.0 * x(r, i);
      if (std::abs(d) <= 1.0) {
        ++inside;
        CHECK(got(r, i) == raw(r, i));
      } else {
        ++outside;
        CHECK(got(r, i) == Approx((std::copysign(1.0, d) - x(r, i)) / 0.01).epsilon(1e-14));
      }
    }
  CHECK(inside > 0);
  CHECK(outside > 0);
  CHECK_THROWS_AS(RangeClippedScore(outward, {1.0, -1.0}), std::invalid_argument);
}

TEST_CASE(
    "a denoiser that extrapolates outward makes the reverse SDE run away as the linear recursion predicts; "
    "clipped to the data range its samples stay in it",
    "[diffusion][sampler]") {
  // EDM grid as in the letters runs (sigma 5 -> 0.05, 100 steps, final denoising). With D = g x the Euler-Maruyama
  // step is x' = m x + n z, m = 1 + 2 (g - 1) (sigma - sigma') / sigma, n^2 = 2 sigma (sigma - sigma'), and the final
  // step gives g x: per coordinate E x^2 = g^2 V with V' = m^2 V + n^2 from V = sigma_max^2.
  const double gain = 1.5;
  const Edm edm(0.05, 5.0);
  const std::vector<double> times = edm.default_times(100);
  double variance = 25.0;
  for (std::size_t k = 0; k + 2 < times.size(); ++k) {
    const double t = times[k], step = times[k] - times[k + 1];
    const double m = 1.0 + 2.0 * (gain - 1.0) * step / t;
    variance = m * m * variance + 2.0 * t * step;
  }
  const double expected = gain * gain * variance;
  REQUIRE(expected > 1e4);  // the runaway: samples of data in [-1, 1] end hundreds of units out

  SamplerOptions options;
  options.final_denoise = true;
  const int n = 400, d = 5;
  auto outward = std::make_shared<OutwardDenoiser>(d, gain);
  Points x(n, d);
  edm.sample_prior(x, Stream(5, 0, 0, Purpose::init));
  Points start = x;
  reverse_sde_euler_maruyama(*outward, edm, times, x, Stream(5, 0, 0, Purpose::dynamics), options);
  // Sample variance of n d normal coordinates: standard error expected sqrt(2 / (n d - 1)).
  const double measured = x.array().square().mean();
  const double error = expected * std::sqrt(2.0 / (n * d - 1.0));
  CHECK(std::abs(measured - expected) < 4.0 * error);

  const RangeClippedScore clipped(outward, {-1.0, 1.0});
  reverse_sde_euler_maruyama(clipped, edm, times, start, Stream(5, 0, 0, Purpose::dynamics), options);
  // The last step is the clipped posterior mean: every coordinate in [-1, 1], every one finite.
  CHECK(start.allFinite());
  CHECK(start.cwiseAbs().maxCoeff() <= 1.0);
}

TEST_CASE(
    "diffusion.attributes with clip_denoised keeps joint samples in the training images' range and reports "
    "the median nearest distance and the runaway fraction",
    "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("denoiser_range_attributes");
  const auto run = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / (name + ".toml")) << text;
    const fs::path out = dir / (name + ".h5");
    return spindiff::cli::main(
               {"spindiff", "run", "--quiet", (dir / (name + ".toml")).string(), "--output", out.string()}) == 0
               ? out.string()
               : std::string();
  };
  const std::string weights = run("train",
                                  "kind = 'diffusion.train'\nseed = 1\ndata = 'letters'\nletters.alphabet = 'AB'\n"
                                  "letters.resolution = 16\nn_train = 64\nlabels = ['letter']\nlabel_dropout = 0.2\n"
                                  "width = 16\ndepth = 1\nbatch = 16\nsteps = 30\nn_samples = 0\n");
  const std::string classifiers =
      run("classifiers",
          "kind = 'diffusion.classifier'\nseed = 2\ndata = 'letters'\nletters.alphabet = 'AB'\n"
          "letters.resolution = 16\nattribute = 'letter'\nn_train = 64\nn_eval = 20\nwidth = 8\ndepth = 1\n"
          "batch = 16\nsteps = 10\n");
  REQUIRE_FALSE(weights.empty());
  REQUIRE_FALSE(classifiers.empty());
  const std::string common =
      "kind = 'diffusion.attributes'\nseed = 3\ndata = 'letters'\nletters.alphabet = 'AB'\n"
      "letters.resolution = 16\nweights = '" +
      weights + "'\nclassifiers = '" + classifiers +
      "'\ncondition = 'A'\nsteps = 20\nsigma_min = 0.05\nsigma_max = 5.0\nfinal_denoise = true\n"
      "n_samples = 16\nn_fresh = 8\n";
  const std::string clipped = run("clipped", common + "clip_denoised = true\n");
  REQUIRE_FALSE(clipped.empty());
  const auto f = spindiff::io::File::open_read(clipped);
  const std::vector<double> samples = f.root().read_doubles("tasks/0000/samples");
  const std::vector<double> train =
      spindiff::io::File::open_read(weights).root().read_doubles("tasks/0000/training_data");
  const auto [lo, hi] = std::minmax_element(train.begin(), train.end());
  for (double v : samples) {
    CHECK(v >= *lo);
    CHECK(v <= *hi);
  }
  const std::vector<double> median = f.root().read_doubles("summary/median_nearest_train_distance");
  const std::vector<double> runaway = f.root().read_doubles("summary/runaway_fraction");
  REQUIRE(median.size() == 1);
  CHECK(median[0] > 0.0);
  CHECK(median[0] <= std::sqrt(256.0) * (*hi - *lo));
  CHECK(runaway[0] == 0.0);
  // The same barely trained network without clipping: its estimate extrapolates outward and the samples run away
  // (the failure the parameter cures, here as in the long-trained letters network).
  const std::string raw = run("raw", common);
  REQUIRE_FALSE(raw.empty());
  const auto g = spindiff::io::File::open_read(raw);
  CHECK(g.root().read_doubles("summary/runaway_fraction")[0] > 0.0);
  CHECK(g.root().read_doubles("summary/nearest_train_distance")[0] > std::sqrt(256.0) * (*hi - *lo));
}
