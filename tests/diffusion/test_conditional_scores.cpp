#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "spindiff/diffusion/conditional_empirical_score.hpp"
#include "spindiff/diffusion/conditional_mixture.hpp"
#include "spindiff/diffusion/forward_process.hpp"
#include "spindiff/diffusion/guidance.hpp"

using namespace spindiff::diffusion;
using spindiff::Purpose;
using spindiff::Stream;

namespace {

Points random_points(Eigen::Index n, Eigen::Index d, Stream& s, double sd = 1.0) {
  Points x(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = sd * s.normal();
  return x;
}

// Four full-covariance components in three classes (class 1 has two components of unequal weight).
LabelledMixture labelled_mixture(Stream& s) {
  const int d = 3, k = 4;
  LabelledMixture m;
  m.mixture.weights = Eigen::Vector4d(0.4, 0.1, 0.3, 0.2);
  m.mixture.means = random_points(k, d, s, 3.0);
  for (int c = 0; c < k; ++c) {
    const Eigen::MatrixXd b = random_points(d, d, s);
    m.mixture.covariances.push_back(b * b.transpose() + 0.2 * Eigen::MatrixXd::Identity(d, d));
  }
  m.labels = {0, 1, 2, 1};
  m.names = {"red", "green", "blue"};
  return m;
}

template <class F>
Points gradient_fd(F log_p, const Points& x, double h) {
  Points g(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    auto shifted = [&](double k) {
      Points y = x;
      y.col(j).array() += k * h;
      return log_p(y);
    };
    g.col(j) = (-shifted(2) + 8 * shifted(1) - 8 * shifted(-1) + shifted(-2)) / (12 * h);
  }
  return g;
}

}  // namespace

TEST_CASE("conditions parse from value names and print back", "[diffusion][conditional]") {
  const std::vector<Attribute> attrs = {{"letter", {"A", "B"}}, {"style", {"upright", "italic"}}};
  CHECK(parse_condition(attrs, "A:italic").values == std::vector<int>{0, 1});
  CHECK(parse_condition(attrs, "italic").values == std::vector<int>{kAnyValue, 1});
  CHECK(parse_condition(attrs, "style=upright").values == std::vector<int>{kAnyValue, 0});
  CHECK(parse_condition(attrs, "").is_unconditional());
  CHECK(format_condition(attrs, parse_condition(attrs, "B:upright")) == "B:upright");
  CHECK_THROWS_WITH(parse_condition(attrs, "C"), Catch::Contains("unknown value 'C'"));
  CHECK_THROWS_WITH(parse_condition(attrs, "A:B"), Catch::Contains("given twice"));
  const std::vector<Attribute> clash = {{"a", {"x"}}, {"b", {"x"}}};
  CHECK_THROWS_WITH(parse_condition(clash, "x"), Catch::Contains("several attributes"));
}

TEST_CASE("exact conditional mixture score equals finite differences of log p_t(x | c) (1e-6)",
          "[diffusion][conditional]") {
  Stream s(21, 0, 0, Purpose::patterns);
  const ConditionalMixtureScore model(labelled_mixture(s));
  const auto vp = make_process("vp");
  const auto ou = make_process("ou");
  for (const NoiseLevel lv : {vp->level(1e-3), vp->level(0.3), vp->level(1.0), ou->level(0.1), ou->level(2.0)})
    for (int c = kAnyValue; c < 3; ++c) {
      Stream ps(21, 0, 0, Purpose::evaluation);
      const Points x = random_points(30, 3, ps, 3.0);
      const Condition cond{{c}};
      Points sc;
      model.score(x, lv, cond, sc);
      const Points fd = gradient_fd(
          [&](const Points& y) {
            Eigen::VectorXd l;
            model.log_density(y, lv, cond, l);
            return l;
          },
          x, 1e-3);
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        INFO("t = " << lv.t << " class " << c << " point " << i);
        CHECK((fd.row(i) - sc.row(i)).norm() <= 1e-6 * sc.row(i).norm() + 1e-9);
      }
    }
}

TEST_CASE("conditional mixture densities obey Bayes' rule: p(x) = sum_c P(c) p(x | c)", "[diffusion][conditional]") {
  Stream s(22, 0, 0, Purpose::patterns);
  const LabelledMixture lm = labelled_mixture(s);
  const ConditionalMixtureScore model(lm);
  const NoiseLevel lv = make_process("vp")->level(0.2);
  Stream ps(22, 0, 0, Purpose::evaluation);
  const Points x = random_points(20, 3, ps, 3.0);
  const Eigen::Vector3d prior(0.4, 0.3, 0.3);  // class masses of labelled_mixture
  Eigen::VectorXd all, lc, mix = Eigen::VectorXd::Zero(x.rows());
  model.log_density(x, lv, Condition{{kAnyValue}}, all);
  for (int c = 0; c < 3; ++c) {
    model.log_density(x, lv, Condition{{c}}, lc);
    mix.array() += prior[c] * lc.array().exp();
  }
  for (Eigen::Index i = 0; i < x.rows(); ++i) CHECK(std::log(mix[i]) == Approx(all[i]).epsilon(1e-12));
  // The posterior sums to one and its Bayes-rule form matches.
  const Eigen::MatrixXd post = model.class_posterior(x, lv);
  for (Eigen::Index i = 0; i < x.rows(); ++i) CHECK(post.row(i).sum() == Approx(1.0).epsilon(1e-13));
}

TEST_CASE("conditional empirical score equals the per-class softmax update (1e-12)", "[diffusion][conditional]") {
  Stream s(23, 0, 0, Purpose::patterns);
  const Eigen::Index p = 41, d = 5;
  const Points train = random_points(p, d, s, 1.5);
  Labels labels(p, 2);
  for (Eigen::Index i = 0; i < p; ++i) labels(i, 0) = int(i % 3), labels(i, 1) = int((i / 3) % 2);
  const std::vector<Attribute> attrs = {{"letter", {"A", "B", "C"}}, {"style", {"upright", "italic"}}};
  const ConditionalEmpiricalScore model(train, labels, attrs, RetrievalBlocks{4, 5});
  const auto ou = make_process("ou");
  for (const std::string text : {"", "B", "italic", "C:upright"})
    for (const NoiseLevel lv : {ou->level(0.05), ou->level(0.7), ou->level(3.0)}) {
      const Condition c = parse_condition(attrs, text);
      Stream ps(23, 0, 0, Purpose::evaluation);
      const Points x = lv.scale * train.topRows(8) + random_points(8, d, ps, lv.sigma);
      Points sc;
      model.score(x, lv, c, sc);
      Eigen::VectorXd logp;
      model.log_density(x, lv, c, logp);
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        // The class's softmax update written out: logits (a xi.x - a^2 |xi|^2 / 2) / sigma^2 over members.
        const double iv = 1.0 / (lv.sigma * lv.sigma);
        std::vector<double> logit;
        std::vector<Eigen::Index> mem;
        for (Eigen::Index mu = 0; mu < p; ++mu)
          if (satisfies(labels, mu, c)) {
            mem.push_back(mu);
            logit.push_back(iv * (lv.scale * train.row(mu).dot(x.row(i)) -
                                  0.5 * lv.scale * lv.scale * train.row(mu).squaredNorm()));
          }
        const double m = *std::max_element(logit.begin(), logit.end());
        double z = 0;
        Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(d);
        for (std::size_t k = 0; k < mem.size(); ++k) {
          const double w = std::exp(logit[k] - m);
          z += w;
          mean += w * train.row(mem[k]);
        }
        mean /= z;
        const Eigen::RowVectorXd expected = iv * (lv.scale * mean - x.row(i));
        INFO("condition '" << text << "' sigma " << lv.sigma << " point " << i);
        CHECK((sc.row(i) - expected).norm() <= 1e-12 * (expected.norm() + iv * x.row(i).norm()));
        // log p_t(x | c) from the same logits: -|x|^2/2s^2 + lse - log P_c - (d/2) log 2 pi s^2.
        const double lp = -0.5 * iv * x.row(i).squaredNorm() + m + std::log(z) - std::log(double(mem.size())) -
                          0.5 * double(d) * std::log(2 * std::numbers::pi * lv.sigma * lv.sigma);
        CHECK(logp[i] == Approx(lp).epsilon(1e-12));
      }
    }
  CHECK_THROWS_WITH(model.members(Condition{{kAnyValue, 5}}), Catch::Contains("no training point"));
}

TEST_CASE("guided score = (1 + w) s_c - w s at every t; composition and classifier guidance", "[diffusion][guidance]") {
  Stream s(24, 0, 0, Purpose::patterns);
  const ConditionalMixtureScore model(labelled_mixture(s));
  const auto vp = make_process("vp");
  const double w = 2.5;
  const ClassifierFreeGuidance cfg(model, Condition{{1}}, w);
  const ClassifierFreeGuidance windowed(model, Condition{{1}}, w, GuidanceInterval{0.3, 0.8});
  const BayesClassifier bayes(model, 0, Eigen::Vector3d(0.4, 0.3, 0.3));
  const ClassifierGuidance cg(model, Condition{{kAnyValue}}, bayes, 1, 1.0 + w);
  const ScoreSum product = compose(model, {Condition{{0}}, Condition{{2}}});
  long calls = 0;
  for (double t : {1e-3, 0.1, 0.3, 0.6, 1.0}) {
    const NoiseLevel lv = vp->level(t);
    Stream ps(24, 0, 0, Purpose::evaluation);
    const Points x = random_points(16, 3, ps, 3.0);
    Points sc, su, s0, s2, g, gw, gc, pr;
    model.score(x, lv, Condition{{1}}, sc);
    model.score(x, lv, Condition{{kAnyValue}}, su);
    model.score(x, lv, Condition{{0}}, s0);
    model.score(x, lv, Condition{{2}}, s2);
    cfg.score(x, lv, g);
    windowed.score(x, lv, gw);
    cg.score(x, lv, gc);
    product.score(x, lv, pr);
    const Points expected = (1 + w) * sc - w * su;
    INFO("t = " << t << " sigma " << lv.sigma);
    CHECK((g - expected).norm() <= 1e-12 * expected.norm());
    CHECK((gw - (GuidanceInterval{0.3, 0.8}.contains(lv.sigma) ? expected : sc)).norm() <= 1e-12 * expected.norm());
    // With the exact Bayes classifier, classifier guidance of scale 1 + w is classifier-free guidance of weight w.
    CHECK((gc - expected).norm() <= 1e-11 * expected.norm());
    CHECK((pr - (s0 + s2 - su)).norm() <= 1e-12 * pr.norm());
    calls += 2;
  }
  CHECK(cfg.evaluations() == calls);
  CHECK(product.evaluations() == 3 * 5);
  CHECK(cg.evaluations() == 2 * 5);
}
