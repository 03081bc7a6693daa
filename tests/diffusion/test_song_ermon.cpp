// Song & Ermon (2019), Fig. 3: plain Langevin cannot fix the mode weights, annealed Langevin can.
#include <catch2/catch.hpp>
#include <cmath>

#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/samplers.hpp"
#include "spindiff/diffusion/schedule.hpp"

using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {
struct Setup {
  Points modes = (Points(2, 2) << -5, -5, 5, 5).finished();
  GaussianMixtureScore score{isotropic_mixture({0.2, 0.8}, modes, {1.0, 1.0})};
  Points start = Points(1280, 2);
  Setup() {
    Stream s(2019, 0, 0, Purpose::init);
    for (Eigen::Index i = 0; i < start.rows(); ++i) start.row(i) << s.uniform(-8, 8), s.uniform(-8, 8);
  }
};
}  // namespace

TEST_CASE("Song & Ermon: plain Langevin keeps the uniform start's 1/2 : 1/2 split", "[diffusion][physics]") {
  Setup s;
  Points x = s.start;
  SamplerOptions fixed;
  fixed.steps_per_level = 1000;
  const std::vector<double> data_level = {0.0};  // sigma = 0: the data score itself
  langevin(s.score, Edm(), data_level, x, Stream(2019, 0, 0, Purpose::dynamics), fixed);
  const double small_mode = mode_fractions(x, s.modes)[0];
  // The barrier between the modes (log-density drop ~ 25) is never crossed in total time 50; each sample ends in
  // the basin it started in. The separatrix sits at u = (x + y)/sqrt 2 ~ -ln 4 / (2 |mu|) = -0.098, so the basin
  // of the small mode holds ~0.491 of the square; binomial standard error sqrt(0.25/1280) = 0.014.
  const double se = std::sqrt(0.25 / 1280);
  CHECK(std::abs(small_mode - 0.491) < 4 * se);
  CHECK(std::abs(small_mode - 0.2) > 0.2);  // far from the true weight
}

TEST_CASE("Song & Ermon: annealed Langevin recovers the 0.2 / 0.8 weights within 0.04", "[diffusion][physics]") {
  Setup s;
  Points x = s.start;
  const auto sigmas = geometric(20.0, 1.0, 10);
  SamplerOptions annealed;
  annealed.steps_per_level = 100;
  CHECK(annealed_langevin(s.score, Edm(), sigmas, x, Stream(2019, 0, 0, Purpose::dynamics), annealed) == 1000);
  const Eigen::VectorXd f = mode_fractions(x, s.modes);
  // docs/references.md: within 0.04, the accuracy Song & Ermon quote. With 100 steps per level the sampler is
  // biased: the small mode comes out ~ 0.215-0.223 (mass freezes before the levels equilibrate; the excess falls
  // like 1 / (step_size x steps per level): experiments/song_ermon_langevin/README.md). So the margin is
  // 0.04 - 0.02 ~ 2 binomial standard errors (sqrt(0.16/1280) = 0.011), not more: this checks that annealing
  // recovers the weights to the paper's accuracy, not that it is unbiased.
  CHECK(std::abs(f[0] - 0.2) < 0.04);
  CHECK(std::abs(f[1] - 0.8) < 0.04);
}
