#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include "cli/cli.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/corrector.hpp"
#include "spindiff/diffusion/guidance.hpp"
#include "spindiff/diffusion/mixture_product.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/tilted_law.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/stats/mean_error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {
int run_config(const fs::path& dir, const std::string& text, const fs::path& out) {
  const fs::path cfg = dir / "cfg.toml";
  std::ofstream(cfg) << text;
  return spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()});
}

struct Column {
  std::vector<double> value, err;
};
Column column(const spindiff::io::Group& summary, const std::string& name) {
  return {summary.read_doubles(name), summary.read_doubles(name + "_err")};
}

// Two 1-D unit-variance classes at -1 and +1, equal weights.
LabelledMixture two_classes() {
  Points m(2, 1);
  m << -1.0, 1.0;
  return label_by_component(isotropic_mixture({0.5, 0.5}, m, {1.0, 1.0}));
}
}  // namespace

TEST_CASE("mixture product: log p_AB - log p_A - log p_B is constant in x", "[diffusion][compose]") {
  Points ma(2, 2), mb(3, 2);
  ma << -2, 0, 2, 1;
  mb << 0, -2, 1, 2, 3, 3;
  GaussianMixture a = isotropic_mixture({0.4, 0.6}, ma, {1.0, 0.7});
  a.covariances[1](0, 1) = a.covariances[1](1, 0) = 0.2;
  const GaussianMixture b = isotropic_mixture({0.2, 0.5, 0.3}, mb, {1.5, 0.8, 1.0});
  const GaussianMixture p = mixture_product(a, b);
  REQUIRE(p.components() == 6);
  Stream s(41, 0, 0, Purpose::evaluation);
  Points x(20, 2);
  for (Eigen::Index i = 0; i < x.rows(); ++i) x.row(i) << 3 * s.normal(), 3 * s.normal();
  const NoiseLevel clean{0, 1, 0};
  const Eigen::VectorXd diff = GaussianMixtureScore(p).log_density(x, clean) -
                               GaussianMixtureScore(a).log_density(x, clean) -
                               GaussianMixtureScore(b).log_density(x, clean);
  for (Eigen::Index i = 1; i < diff.size(); ++i) CHECK(diff[i] == Approx(diff[0]).epsilon(1e-12));
}

TEST_CASE("tabulated law: quantile inverts the CDF; its exact draws have its mean", "[diffusion][guidance]") {
  const LabelledMixture lm = two_classes();
  const TabulatedLaw law = tilted_law(lm.mixture, lm.labels, 1, 0.0);
  CHECK(law.mean() == Approx(1.0).margin(1e-9));  // w = 0: the class N(1, 1) itself
  for (double u : {1e-6, 0.01, 0.3, 0.5, 0.9, 0.999}) CHECK(law.cdf(law.quantile(u)) == Approx(u).margin(1e-12));
  Stream s(42, 0, 0, Purpose::evaluation);
  const Eigen::VectorXd x = law.sample(20000, s);
  const double se = std::sqrt(1.0 / 20000.0);
  CHECK(std::abs(x.mean() - 1.0) < 4 * se);
  // Tilting by w pushes the law away from the other class.
  CHECK(tilted_law(lm.mixture, lm.labels, 1, 4.0).mean() > tilted_law(lm.mixture, lm.labels, 1, 1.0).mean() + 0.2);
}

TEST_CASE("MALA corrector counts its evaluations; no corrector leaves the sampler unchanged", "[diffusion][compose]") {
  const ConditionalMixtureScore model(two_classes());
  const ScoreSum score = conditioned(model, Condition{{1}});
  const auto ou = make_process("ou");
  const auto times = ou->default_times(10);
  Points x(50, 1);
  ou->sample_prior(x, Stream(43, 0, 0, Purpose::init));
  CorrectorStats stats;
  SamplerOptions options;
  options.corrector = mcmc_corrector(score, {CorrectorKind::mala, 3, 0.5}, &stats);
  const long nfe = reverse_sde_euler_maruyama(score, *ou, times, x, Stream(43, 0, 0, Purpose::dynamics), options);
  CHECK(nfe == 10 + 10 * (1 + 3));
  CHECK(score.evaluations() == nfe);
  CHECK(stats.proposals == 10 * 3 * 50);
  CHECK(stats.acceptance() > 0.5);
  CHECK(stats.acceptance() < 1.0);
  CHECK_FALSE(mcmc_corrector(score, {CorrectorKind::none, 3, 0.5}));
  CHECK_THROWS_WITH(corrector_from_name("hmc"), Catch::Contains("none, ula, mala"));
  // A corrector bound to one score refuses to run under another.
  const ScoreSum other = conditioned(model, Condition{{0}});
  options.corrector = mcmc_corrector(other, {CorrectorKind::ula, 1, 0.5});
  CHECK_THROWS_AS(reverse_sde_euler_maruyama(score, *ou, times, x, Stream(43, 0, 0, Purpose::dynamics), options),
                  std::logic_error);
}

TEST_CASE("diffusion.guidance and diffusion.compose write their columns; bad input exits 2", "[diffusion][kind]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_guidance");
  const fs::path out = dir / "out.h5";
  const std::string g = "kind = 'diffusion.guidance'\nseed = 5\nrepeats = 2\nn_samples = 300\nsteps = 50\n";
  REQUIRE(run_config(dir, g + "[sweep]\nguidance = [0.0, 2.0]\n", out) == 0);
  {
    auto f = spindiff::io::File::open_read(out);
    auto summary = f.root().open_group("summary");
    for (const char* col : {"guidance", "class_accuracy", "tilted_tv", "tilted_tv_null"}) CHECK(summary.exists(col));
    CHECK(summary.read_doubles("guidance") == std::vector<double>{0.0, 2.0});
  }
  const std::string c =
      "kind = 'diffusion.compose'\nseed = 5\nrepeats = 2\nn_samples = 200\nn_eval = 200\nsteps = 20\n";
  fs::remove(out);  // the CLI refuses to overwrite an existing output
  REQUIRE(run_config(dir, c + "corrector_steps = 3\n[sweep]\ncorrector = ['none', 'ula', 'mala']\n", out) == 0);
  {
    auto f = spindiff::io::File::open_read(out);
    auto summary = f.root().open_group("summary");
    for (const char* col : {"corrector", "nfe", "product_mmd", "product_mmd_null"}) CHECK(summary.exists(col));
    // Two scores per evaluation; ula adds 3 per level, mala 3 + 1.
    CHECK(summary.read_doubles("nfe") == std::vector<double>{40, 40 + 2 * 20 * 3, 40 + 2 * 20 * 4});
  }
  fs::remove(out);
  CHECK(run_config(dir, g + "guidance = 1.0\nclassifier_scale = 2.0\n", out) == 2);
  CHECK(run_config(dir, g + "target = 2\n", out) == 2);
  CHECK(run_config(dir, g + "mixture.dim = 2\nmixture.means = [0, 0, 1, 1]\nmixture.weights = [1, 1, 1]\n", out) == 2);
  CHECK(run_config(dir,
                   g + "mixture.dim = 2\nmixture.weights = [1, 1, 1]\nmixture.stds = [1, 1, 1]\n"
                       "mixture.means = [0, 0, 1, 1, 2, 0]\n",
                   out) == 2);
  CHECK(run_config(dir, g + "guidance_interval = [2.0, 1.0]\n", out) == 2);
  CHECK(run_config(dir, c + "corrector = 'hmc'\n", out) == 2);
  CHECK(run_config(dir, c + "a.means = [1.0]\n", out) == 2);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("guidance with exact scores: w = 0 samples p(x|c), accuracy grows with w, w = 4 misses the tilted law",
          "[diffusion][guidance][physics]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_guidance_physics");
  const fs::path out = dir / "out.h5";
  REQUIRE(run_config(dir,
                     "kind = 'diffusion.guidance'\nseed = 17\nrepeats = 8\nn_samples = 4000\nsteps = 2000\n"
                     "[sweep]\nguidance = [0.0, 1.0, 2.0, 4.0]\n",
                     out) == 0);
  auto f = spindiff::io::File::open_read(out);
  auto summary = f.root().open_group("summary");
  const Column acc = column(summary, "class_accuracy"), tv = column(summary, "tilted_tv"),
               null = column(summary, "tilted_tv_null");
  for (std::size_t i = 0; i < 4; ++i) {
    INFO("w index " << i);
    // Error bars small enough that the comparisons below can fail.
    CHECK(tv.err[i] < 0.005);
    CHECK(null.err[i] < 0.005);
  }
  CHECK(std::abs(tv.value[0] - null.value[0]) < 4 * std::hypot(tv.err[0], null.err[0]));
  // The Bayes accuracy of exact class samples is Phi(1) = 0.8413. (Starting from N(0, 1) instead of the true
  // marginal at t = 5 shifts it by about phi(1) e^-5 = 0.0016, well inside 4 s.e. ~ 0.012.)
  CHECK(acc.err[0] < 0.005);
  CHECK(std::abs(acc.value[0] - 0.841345) < 4 * acc.err[0]);
  for (std::size_t i = 0; i + 1 < 4; ++i) {
    INFO("step " << i);
    CHECK(acc.value[i + 1] - acc.value[i] > std::hypot(acc.err[i], acc.err[i + 1]));
  }
  CHECK(tv.value[3] - null.value[3] > 4 * std::hypot(tv.err[3], null.err[3]));
}

TEST_CASE("guided samples sit beyond the tilted law: w = 4, ODE mean ~ 2.6, SDE ~ 2.1, tilted 1.6",
          "[diffusion][guidance][physics]") {
  // Chidambaram et al. 2024 / the reference numbers: 1-D classes N(+-1, 1), OU process, exact scores.
  const ConditionalMixtureScore model(two_classes());
  const ClassifierFreeGuidance guided(model, Condition{{1}}, 4.0);
  const auto ou = make_process("ou");
  const auto times = ou->default_times(2000);
  const double tilted = tilted_law(model.labelled().mixture, model.labelled().labels, 1, 4.0).mean();
  CHECK(tilted == Approx(1.6148).margin(1e-3));
  std::vector<double> ode, sde;
  for (std::uint32_t r = 0; r < 6; ++r) {
    Points x(4000, 1), y(4000, 1);
    ou->sample_prior(x, Stream(44, 0, r, Purpose::init));
    y = x;
    probability_flow_heun(guided, *ou, times, x, Stream(44, 0, r, Purpose::dynamics));
    reverse_sde_euler_maruyama(guided, *ou, times, y, Stream(44, 0, r, Purpose::dynamics));
    ode.push_back(x.mean());
    sde.push_back(y.mean());
  }
  const auto mo = spindiff::stats::mean_error(ode), ms = spindiff::stats::mean_error(sde);
  REQUIRE(mo.error < 0.01);
  REQUIRE(ms.error < 0.01);
  // Published to two digits: allow the rounding (0.05) plus 4 standard errors.
  CHECK(std::abs(mo.mean - 2.6) < 0.05 + 4 * mo.error);
  CHECK(std::abs(ms.mean - 2.1) < 0.05 + 4 * ms.error);
  CHECK(ms.mean - tilted > 4 * ms.error);
  CHECK(mo.mean - ms.mean > 4 * std::hypot(mo.error, ms.error));
}

TEST_CASE("composition: summed scores are biased, a MALA corrector samples the product",
          "[diffusion][compose][physics]") {
  const fs::path dir = spindiff::test::scratch_dir("diffusion_compose_physics");
  const fs::path out = dir / "out.h5";
  REQUIRE(run_config(dir,
                     "kind = 'diffusion.compose'\nseed = 23\nrepeats = 8\ncorrector_steps = 20\n"
                     "[sweep]\ncorrector = ['none', 'mala']\n",
                     out) == 0);
  auto f = spindiff::io::File::open_read(out);
  auto summary = f.root().open_group("summary");
  const Column mmd = column(summary, "product_mmd"), null = column(summary, "product_mmd_null");
  // Error bars small against the bias of the summed scores (~4e-3), so both comparisons can fail.
  CHECK(mmd.err[0] < 1e-3);
  CHECK(mmd.err[1] < 3e-4);
  CHECK(null.err[0] < 3e-4);
  CHECK(null.err[1] < 3e-4);
  CHECK(mmd.value[0] - null.value[0] > 4 * std::hypot(mmd.err[0], null.err[0]));
  CHECK(std::abs(mmd.value[1] - null.value[1]) < 4 * std::hypot(mmd.err[1], null.err[1]));
}
