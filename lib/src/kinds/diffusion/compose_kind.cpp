#include "compose_kind.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "data_source.hpp"
#include "guided_sampling.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/corrector.hpp"
#include "spindiff/diffusion/metrics.hpp"
#include "spindiff/diffusion/mixture_product.hpp"

namespace spindiff::runner {

namespace dd = spindiff::diffusion;
using diffusion_kinds::flatten;

namespace {

std::vector<ParamSpec> compose_params() {
  return {
      real_list_param("a.weights", {0.5, 0.5}, 0.0, std::nullopt, "component weights of the first mixture p_A"),
      real_list_param("a.means", {-2.0, 0.0, 2.0, 0.0}, std::nullopt, std::nullopt,
                      "component means of p_A, K x 2 values row by row"),
      real_list_param("a.stds", {1.0, 1.0}, 1e-6, std::nullopt,
                      "isotropic standard deviation of each component of p_A"),
      real_list_param("b.weights", {0.3, 0.7}, 0.0, std::nullopt, "component weights of the second mixture p_B"),
      real_list_param("b.means", {0.0, -2.0, 0.0, 2.0}, std::nullopt, std::nullopt,
                      "component means of p_B, K x 2 values row by row"),
      real_list_param("b.stds", {1.0, 1.0}, 1e-6, std::nullopt,
                      "isotropic standard deviation of each component of p_B"),
      summary(choice_param("corrector", "none", {"none", "ula", "mala"},
                           "MCMC corrector after every predictor step: none, unadjusted (ula) or "
                           "Metropolis-adjusted (mala, with the exact log-densities) Langevin")),
      integer_param("corrector_steps", 10, 0, 1e5, "corrector steps per noise level"),
      real_param("corrector_step", 0.5, 1e-12, std::nullopt, "corrector step size eps / sigma(t)^2"),
      choice_param("process", "ou", {"ou", "vp", "ve", "ddpm"}, "forward process"),
      choice_param("sampler", "euler_maruyama", diffusion_kinds::grid_samplers(),
                   "sampler on the process's time grid; the corrector runs at each of its levels"),
      integer_param("steps", 100, 1, 1e7, "time steps of the sampler"),
      diffusion_kinds::final_denoise_param(),
      integer_param("n_samples", 2000, 2, 1e8, "points generated per repeat"),
      integer_param("n_eval", 2000, 2, 1e7, "exact samples of the product for the MMD"),
      real_param("mmd_bandwidth", 0.0, 0.0, std::nullopt,
                 "Gaussian kernel width of the MMD (0: median distance of exact product samples)"),
  };
}

// p_A and p_B are 2-D isotropic mixtures.
dd::GaussianMixture build(const Params& p, const std::string& name) {
  return diffusion_kinds::isotropic_mixture_param(p, name, 2);
}

void validate(const Params& p) {
  build(p, "a");
  build(p, "b");
  if (dd::find_sampler(p.string("sampler")).needs_variance_preserving &&
      !dd::make_process(p.string("process"))->variance_preserving())
    throw ConfigError("", "process", "the sampler needs a variance-preserving process: vp, ddpm or ou");
}

void run(const Params& p, const TaskContext& ctx, TaskOutput& out) {
  const dd::ConditionalMixtureScore a(dd::label_by_component(build(p, "a")));
  const dd::ConditionalMixtureScore b(dd::label_by_component(build(p, "b")));
  const dd::GaussianMixture product = dd::mixture_product(a.labelled().mixture, b.labelled().mixture);
  const auto process = dd::make_process(p.string("process"));
  const dd::CorrectorOptions corrector{dd::corrector_from_name(p.string("corrector")),
                                       static_cast<int>(p.integer("corrector_steps")), p.real("corrector_step")};
  const Eigen::Index n = p.integer("n_samples"), n_eval = p.integer("n_eval");
  std::vector<double> acceptance;
  long nfe = 0;
  for (std::int64_t r = 0; r < ctx.repeats; ++r) {
    const auto rep = static_cast<std::uint32_t>(r);
    // The summed scores s_A + s_B: the product of experts p_A p_B (no unconditional term to subtract).
    const dd::ScoreSum score({{&a, dd::Condition{{dd::kAnyValue}}, 1.0}, {&b, dd::Condition{{dd::kAnyValue}}, 1.0}});
    dd::Points x(n, 2);
    process->sample_prior(x, ctx.stream(rep, Purpose::init));
    dd::CorrectorStats stats;
    dd::SamplerOptions options;
    options.corrector = dd::mcmc_corrector(score, corrector, &stats);
    options.final_denoise = p.flag("final_denoise");
    diffusion_kinds::run_grid_sampler(p.string("sampler"), score, *process, static_cast<int>(p.integer("steps")), x,
                                      ctx.stream(rep, Purpose::dynamics), options);
    nfe = score.evaluations();  // inner score calls: two per evaluation of the sum
    if (!x.allFinite()) throw std::runtime_error("diffusion.compose: the sampler produced non-finite points");
    acceptance.push_back(stats.acceptance());
    Stream eval = ctx.stream(rep, Purpose::evaluation);
    const dd::Points reference = dd::sample_mixture(product, n_eval, eval);
    const dd::Points exact = dd::sample_mixture(product, n, eval);
    const double h = p.real("mmd_bandwidth") > 0 ? p.real("mmd_bandwidth") : dd::median_distance(reference, exact);
    out.sample("product_mmd", dd::mmd2_unbiased(x, reference, h));
    out.sample("product_mmd_null", dd::mmd2_unbiased(exact, reference, h));
    if (r == 0) {
      out.array("samples", flatten(x), {static_cast<std::size_t>(n), 2}).doc("repeat 0's samples");
      out.array("product_samples", flatten(exact), {static_cast<std::size_t>(n), 2})
          .doc("exact samples of the normalised product p_A p_B");
    }
    ctx.report(double(r + 1) / double(ctx.repeats));
  }
  out.scalar("nfe", static_cast<double>(nfe));  // the same in every repeat
  out.array("acceptance", acceptance).doc("corrector acceptance rate per repeat (1 for ula and none)");
  out.array("product_weights",
            std::vector<double>(product.weights.data(), product.weights.data() + product.weights.size()))
      .doc("component weights of the product mixture");
}

}  // namespace

Kind diffusion_compose_kind() {
  Kind k;
  k.name = "diffusion.compose";
  k.summary =
      "compose two Gaussian mixtures by summing their exact scores, with a none/ula/mala corrector per level: MMD "
      "against exact samples of the product";
  k.params = compose_params();
  k.validate = validate;
  k.run = run;
  k.cost = [](const Params& p) {
    return 2.0 * double(p.integer("n_samples")) * double(p.integer("steps")) *
           (1.0 + (p.string("corrector") == "none" ? 0.0 : double(p.integer("corrector_steps"))));
  };
  k.results = {
      result("product_mmd", "unbiased MMD^2 between the samples and exact samples of the product p_A p_B"),
      result("product_mmd_null", "the same for exact samples of the product (the MMD's floor at this n)"),
      exact_result("nfe", "score evaluations per sample (network function evaluations)"),
  };
  return k;
}

}  // namespace spindiff::runner
