// The sampler table: a sampler defined here (one function plus one row) runs through diffusion.sample by name,
// and the per-level corrector option reaches every sampler.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <vector>

#include "cli/cli.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"
#include "spindiff/io/hdf5.hpp"
#include "test_support.hpp"

namespace dd = spindiff::diffusion;
namespace fs = std::filesystem;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

// The example sampler: the probability-flow ODE with the explicit midpoint rule (second order, two evaluations per
// step), written against the common signature.
long ode_midpoint(const dd::ScoreModel& score, const dd::ForwardProcess& process, std::span<const double> times,
                  dd::Points& x, const Stream& stream, const dd::SamplerOptions& options, dd::Trajectory* trajectory) {
  dd::BlockNoise noise(stream);  // for the options' corrector only
  dd::Points s(x.rows(), x.cols()), v(x.rows(), x.cols()), half(x.rows(), x.cols());
  auto velocity = [&](const dd::Points& y, double t) {
    const double f = process.drift_rate(t), g = process.diffusion(t);
    score.score(y, process.level(t), s);
    v = f * y - (0.5 * g * g) * s;
  };
  return dd::step_over_grid(score, process, times, x, noise, options, trajectory, [&](long, double t, double t_next) {
    const double dt = t - t_next;
    velocity(x, t);
    half = x - (0.5 * dt) * v;
    velocity(half, t - 0.5 * dt);
    x -= dt * v;
    return 2L;
  });
}

// Its row, registered before any kind is built (static initialisation precedes main).
const bool registered = [] {
  dd::register_sampler({"ode_midpoint", ode_midpoint, dd::SamplerGrid::process_times, false, false, "vp",
                        [](const dd::SamplerOptions&) { return 2; }, "probability-flow ODE, explicit midpoint"});
  return true;
}();

constexpr double kMu = 1.5, kS = 0.5;

dd::GaussianMixtureScore gaussian_score(int d) {
  return dd::GaussianMixtureScore(dd::isotropic_mixture({1.0}, dd::Points::Constant(1, d, kMu), {kS}));
}

// The probability-flow map of Gaussian data is affine, x -> A x + b: two points give it exactly, hence the relative
// variance error of the output for input from the exact marginal at times[0].
double variance_error(const dd::ForwardProcess& p, const std::vector<double>& times) {
  const auto score = gaussian_score(1);
  dd::Points x(2, 1);
  x << 0.0, 1.0;
  ode_midpoint(score, p, times, x, Stream(1, 0, 0, Purpose::dynamics), {}, nullptr);
  const double a = x(1, 0) - x(0, 0);
  const double v0 = std::pow(p.scale(times.front()) * kS, 2) + std::pow(p.sigma(times.front()), 2);
  const double v1 = std::pow(p.scale(times.back()) * kS, 2) + std::pow(p.sigma(times.back()), 2);
  return std::abs(a * a * v0 / v1 - 1);
}

}  // namespace

TEST_CASE("an example sampler (one function, one row) converges at order 2 and runs in diffusion.sample",
          "[diffusion][sampler]") {
  REQUIRE(registered);
  const dd::VariancePreserving vp;
  const double e64 = variance_error(vp, vp.default_times(64)), e128 = variance_error(vp, vp.default_times(128));
  CHECK(std::log2(e64 / e128) == Approx(2.0).margin(0.1));

  const fs::path dir = spindiff::test::scratch_dir("sampler_table");
  const fs::path cfg = dir / "cfg.toml", out = dir / "out.h5";
  std::ofstream(cfg) << "kind = 'diffusion.sample'\nseed = 3\nn_samples = 200\nn_eval = 200\nprojections = 20\n"
                        "steps = 20\nsampler = 'ode_midpoint'\n";
  REQUIRE(spindiff::cli::main({"spindiff", "run", "--quiet", cfg.string(), "--output", out.string()}) == 0);
  const auto summary = spindiff::io::File::open_read(out).root().open_group("summary");
  CHECK(summary.read_doubles("nfe") == std::vector<double>{40});
  // 20 midpoint steps of the exact score: the mode weights (0.2, 0.8) within 4 binomial standard errors of 200.
  CHECK(summary.read_doubles("weight_error")[0] < 4 * std::sqrt(0.2 * 0.8 / 200));
}

TEST_CASE("the corrector option runs once per noise level in every sampler and counts its evaluations",
          "[diffusion][sampler]") {
  const auto score = gaussian_score(2);
  for (const dd::SamplerInfo& row : dd::sampler_table()) {
    INFO(row.name);
    const dd::Edm edm;
    const dd::DiscreteDdpm ddpm;
    const dd::ForwardProcess& process = row.needs_variance_preserving ? static_cast<const dd::ForwardProcess&>(ddpm)
                                                                      : static_cast<const dd::ForwardProcess&>(edm);
    const std::vector<double> grid = row.grid == dd::SamplerGrid::process_times  ? process.default_times(5)
                                     : row.grid == dd::SamplerGrid::noise_levels ? dd::geometric(2.0, 0.5, 5)
                                                                                 : std::vector<double>{0.5};
    const long levels = row.grid == dd::SamplerGrid::process_times ? 5 : static_cast<long>(grid.size());
    const Stream st(4, 0, 0, Purpose::dynamics);
    dd::SamplerOptions plain;
    dd::Points x = dd::Points::Zero(10, 2), y = x;
    const long nfe = row.run(score, process, grid, x, st, plain, nullptr);

    std::vector<double> seen_sigmas;
    dd::SamplerOptions corrected = plain;
    corrected.corrector = [&](const dd::ScoreModel&, const dd::NoiseLevel& level, dd::Points&, dd::BlockNoise&) {
      seen_sigmas.push_back(level.sigma);
      return 3L;  // as if it evaluated the score three times
    };
    const long nfe_corrected = row.run(score, process, grid, y, st, corrected, nullptr);
    REQUIRE(static_cast<long>(seen_sigmas.size()) == levels);
    CHECK(seen_sigmas.front() == process.sigma(grid.front()));
    CHECK(nfe_corrected == nfe + 3 * levels);
    CHECK(x == y);  // a corrector that moves nothing changes nothing
  }
}
