// The Monte Carlo kinds against exact answers at their own finite size: ising.thermo on an 8 x 8 torus
// against the exact finite-torus solution (ising.exact), spins.thermo on a 4 x 4 torus against enumeration.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>

#include "bridge/kind_runner.hpp"

using spindiff::test::run_kind;

namespace {
// |measured - exact| within 4 standard errors, with the error bar itself bounded so a useless one cannot pass.
void check_close(const spindiff::test::KindRun& mc, const std::string& name, double exact, double max_err) {
  const double v = mc.scalar(name), err = mc.scalar(name + "_err");
  INFO(name << " = " << v << " +- " << err << ", exact " << exact);
  CHECK(err < max_err);
  CHECK(std::abs(v - exact) < 4 * err);
}
}  // namespace

TEST_CASE("ising.thermo: 8 x 8 torus energy and specific heat against the exact finite lattice", "[spins][kind]") {
  for (double T : {2.0, 2.269185314213022, 3.0}) {
    INFO("T = " << T);
    const auto exact = run_kind("ising.exact", {{"L", std::int64_t{8}}, {"T", T}});
    const auto mc = run_kind(
        "ising.thermo",
        {{"L", std::int64_t{8}}, {"T", T}, {"sweeps", std::int64_t{40000}}, {"thermalize", std::int64_t{2000}}});
    check_close(mc, "energy", exact.scalar("energy"), 0.01);
    check_close(mc, "specific_heat", exact.scalar("specific_heat"), 0.06);
  }
}

TEST_CASE("spins.thermo: 4 x 4 Ising against the spins.exact enumeration", "[spins][kind]") {
  const double T = 2.5;
  const auto exact = run_kind("spins.exact", {{"L", std::int64_t{4}}, {"T", T}});
  const auto mc =
      run_kind("spins.thermo",
               {{"L", std::int64_t{4}}, {"T", T}, {"sweeps", std::int64_t{40000}}, {"thermalize", std::int64_t{2000}}});
  check_close(mc, "energy", exact.scalar("energy"), 0.01);
  check_close(mc, "abs_magnetization", exact.scalar("abs_magnetization"), 0.01);
  check_close(mc, "binder", exact.scalar("binder"), 0.02);
}

TEST_CASE("hopfield.thermo: one pattern is the Curie-Weiss magnet, m = tanh(m / T)", "[spins][kind]") {
  // alpha = 0 stores P = 1 pattern; m(T = 0.8) = 0.710412 solves m = tanh(m / T) (finite-N shift O(1/N)).
  const auto mc = run_kind("hopfield.thermo", {{"N", std::int64_t{4000}},
                                               {"alpha", 0.0},
                                               {"T", 0.8},
                                               {"sweeps", std::int64_t{4000}},
                                               {"thermalize", std::int64_t{500}}});
  check_close(mc, "overlap", 0.710412, 0.002);
}

TEST_CASE("ising.thermo: the checkerboard kernel is chosen where it applies and named in the attributes",
          "[spins][kind]") {
  auto kernel_of = [](const spindiff::test::KindRun& run) {
    for (const auto& [key, value] : run.output.attributes())
      if (key == "kernel") return std::get<std::string>(value);
    return std::string("none");
  };
  const std::map<std::string, spindiff::runner::Value> small = {
      {"L", std::int64_t{8}}, {"sweeps", std::int64_t{20}}, {"thermalize", std::int64_t{10}}};
  auto with = [&](std::map<std::string, spindiff::runner::Value> extra) {
    auto v = small;
    for (auto& [k, x] : extra) v[k] = x;
    return v;
  };
  CHECK(kernel_of(run_kind("ising.thermo", small)) == "multispin");
  CHECK(kernel_of(run_kind("ising.thermo", with({{"kernel", std::string("bytes")}}))) == "bytes");
  CHECK(kernel_of(run_kind("ising.thermo", with({{"kernel", std::string("generic")}}))) == "generic");
  CHECK(kernel_of(run_kind("ising.thermo", with({{"h", 0.1}}))) == "bytes");
  CHECK(kernel_of(run_kind("ising.thermo", with({{"order", std::string("random")}}))) == "generic");
  CHECK_THROWS_WITH(run_kind("ising.thermo", with({{"h", 0.1}, {"kernel", std::string("multispin")}})),
                    Catch::Contains("multispin"));
}

TEST_CASE("ising.thermo: kernel = multispin_replicas runs the repeats as replicas of one word set", "[spins][kind]") {
  // 70 repeats: a word set of 64 replicas and one of 6. The summary over all repeats against the exact 8 x 8
  // torus (4 standard errors, bounded error bars); the same seed gives the same numbers; a field is refused.
  auto attribute = [](const spindiff::test::KindRun& run, const std::string& name) {
    for (const auto& [key, value] : run.output.attributes())
      if (key == name) return std::get<std::string>(value);
    return std::string("none");
  };
  for (double T : {2.269185314213022, 3.0}) {
    INFO("T = " << T);
    const std::map<std::string, spindiff::runner::Value> values = {{"L", std::int64_t{8}},
                                                                   {"T", T},
                                                                   {"sweeps", std::int64_t{2000}},
                                                                   {"thermalize", std::int64_t{500}},
                                                                   {"kernel", std::string("multispin_replicas")}};
    const auto exact = run_kind("ising.exact", {{"L", std::int64_t{8}}, {"T", T}});
    const auto mc = run_kind("ising.thermo", values, 1, 70);
    CHECK(attribute(mc, "kernel") == "multispin_replicas");
    check_close(mc, "energy", exact.scalar("energy"), 0.01);
    check_close(mc, "specific_heat", exact.scalar("specific_heat"), 0.06);
    const auto again = run_kind("ising.thermo", values, 1, 70);
    CHECK(again.scalar("energy") == mc.scalar("energy"));
    CHECK(again.scalar("specific_heat") == mc.scalar("specific_heat"));
  }
  CHECK_THROWS_WITH(
      run_kind("ising.thermo", {{"L", std::int64_t{8}}, {"h", 0.1}, {"kernel", std::string("multispin_replicas")}}),
      Catch::Contains("multispin"));
}

TEST_CASE("ising.thermo: the multi-spin replicas run the byte kernel's dynamics (autocorrelation times at T_c)",
          "[spins][kind][physics]") {
  // Checkerboard Metropolis either way: the integrated autocorrelation times of the energy and of the
  // magnetisation at T_c, mean over 64 repeats, agree within 4 combined standard errors at L = 8 and 16, and so do
  // the dynamic exponents z = log2(tau(16) / tau(8)) they imply; the error bars themselves are bounded (a useless
  // one cannot pass).
  const double Tc = 2.269185314213022;
  std::map<std::string, double> tau, err;
  for (const std::string kernel : {"multispin_replicas", "bytes"})
    for (std::int64_t L : {8, 16}) {
      const auto mc = run_kind("ising.thermo",
                               {{"L", L},
                                {"T", Tc},
                                {"sweeps", std::int64_t{20000}},
                                {"thermalize", std::int64_t{2000}},
                                {"kernel", kernel}},
                               3, 64);
      for (const std::string name : {"tau_energy", "tau_magnetization"}) {
        const std::string key = kernel + "/" + std::to_string(L) + "/" + name;
        tau[key] = mc.scalar(name);
        err[key] = mc.scalar(name + "_err");
        INFO(key << " = " << tau[key] << " +- " << err[key]);
        // Bounded by twice the Madras-Sokal error of a mean over 64 repeats of n = 20000 sweeps, window 6 tau:
        // tau sqrt(2 (12 tau + 1) / n) / 8.
        CHECK(err[key] < 2 * tau[key] * std::sqrt(2 * (12 * tau[key] + 1) / 20000.0) / 8);
      }
    }
  for (const std::string name : {"tau_energy", "tau_magnetization"}) {
    double z[2], z_err[2];
    int i = 0;
    for (const std::string kernel : {"multispin_replicas", "bytes"}) {
      const std::string k8 = kernel + "/8/" + name, k16 = kernel + "/16/" + name;
      z[i] = std::log2(tau[k16] / tau[k8]);
      z_err[i] = std::hypot(err[k16] / tau[k16], err[k8] / tau[k8]) / std::log(2.0);
      ++i;
    }
    for (std::int64_t L : {8, 16}) {
      const std::string a = "multispin_replicas/" + std::to_string(L) + "/" + name,
                        b = "bytes/" + std::to_string(L) + "/" + name;
      INFO(name << ", L = " << L << ": " << tau[a] << " +- " << err[a] << " against " << tau[b] << " +- " << err[b]);
      CHECK(std::abs(tau[a] - tau[b]) <= 4 * std::hypot(err[a], err[b]));
    }
    INFO(name << ": z = " << z[0] << " +- " << z_err[0] << " against " << z[1] << " +- " << z_err[1]);
    CHECK(std::abs(z[0] - z[1]) <= 4 * std::hypot(z_err[0], z_err[1]));
    CHECK(z_err[0] < 0.15);
  }
}
