// ScoreModel's thread-safety rule: one score object called from several threads at once gives, in every thread,
// exactly what a single-threaded call gives.
#include <catch2/catch.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "spindiff/diffusion/empirical_score.hpp"
#include "spindiff/diffusion/gaussian_mixture.hpp"
#include "spindiff/diffusion/mlp.hpp"
#include "spindiff/diffusion/preconditioned_score.hpp"
#include "spindiff/diffusion/unit_scale_score.hpp"

namespace dd = spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

dd::Points random_points(Eigen::Index n, int d, std::uint32_t task) {
  dd::Points x(n, d);
  Stream s(11, task, 0, Purpose::evaluation);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = 2.0 * s.normal();
  return x;
}

template <class Net>
std::shared_ptr<const dd::ScoreNetwork> network(dd::Parameterisation parameterisation) {
  dd::MlpArchitecture arch;
  arch.dim = 3;
  arch.width = 32;
  arch.depth = 2;
  arch.parameterisation = parameterisation;
  auto net = std::make_shared<Net>(arch);
  Stream init(11, 0, 0, Purpose::init);
  net->initialize(init);
  return net;
}

// Every thread evaluates every level several times on its own points while the others do the same; each result
// must equal the single-threaded one bit for bit.
void check_concurrent_calls(const dd::ScoreModel& score) {
  constexpr int threads = 4, rounds = 5;
  const std::vector<dd::NoiseLevel> levels = {{0.1, 1.0, 0.1}, {0.5, 0.6, 0.8}, {0.9, 0.2, 0.98}};
  std::vector<dd::Points> inputs;
  for (int t = 0; t < threads; ++t) inputs.push_back(random_points(300, score.dim(), static_cast<std::uint32_t>(t)));
  std::vector<std::vector<dd::Points>> expected(threads);
  for (int t = 0; t < threads; ++t)
    for (const dd::NoiseLevel& level : levels) {
      dd::Points out(inputs[t].rows(), inputs[t].cols());
      score.score(inputs[t], level, out);
      expected[t].push_back(out);
    }
  std::vector<int> mismatches(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      dd::Points out(inputs[t].rows(), inputs[t].cols());
      for (int r = 0; r < rounds; ++r)
        for (std::size_t l = 0; l < levels.size(); ++l) {
          score.score(inputs[t], levels[l], out);
          if (out != expected[t][l]) ++mismatches[t];
        }
    });
  for (auto& th : pool) th.join();
  for (int t = 0; t < threads; ++t) CHECK(mismatches[t] == 0);
}

}  // namespace

TEST_CASE("score models may be called from several threads at once", "[diffusion][score][threads]") {
  SECTION("exact mixture score") {
    dd::Points means(2, 3);
    means << -2, 0, 1, 2, 1, -1;
    check_concurrent_calls(dd::GaussianMixtureScore(dd::isotropic_mixture({0.3, 0.7}, means, {0.5, 1.0})));
  }
  SECTION("empirical score") { check_concurrent_calls(dd::EmpiricalScore(random_points(40, 3, 99))); }
  SECTION("learned score (epsilon, double) behind the unit-scale wrapper") {
    check_concurrent_calls(
        dd::UnitScaleScore(std::make_unique<dd::PreconditionedScore>(network<dd::Mlp>(dd::Parameterisation::epsilon))));
  }
  SECTION("learned score (edm, float)") {
    check_concurrent_calls(dd::PreconditionedScore(network<dd::MlpFloat>(dd::Parameterisation::edm)));
  }
}
