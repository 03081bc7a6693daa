#include <catch2/catch.hpp>
#include <cstring>

#include "spindiff/io/hdf5.hpp"
#include "test_support.hpp"

using spindiff::io::File;

TEST_CASE("HDF5 round trip of every stored type, including empty arrays", "[io]") {
  auto path = spindiff::test::scratch_dir("hdf5_roundtrip") / "t.h5";
  {
    auto f = File::create(path);
    auto root = f.root();
    auto g = root.create_group("a/b");
    std::vector<double> d = {1.5, -2.0, 1e-300, 3.0, 4.0, 5.0};
    std::vector<std::int64_t> i = {-(std::int64_t(1) << 60), 0, 7};
    std::vector<std::int8_t> s = {-1, 1, 1, -1};
    g.write("doubles", std::span<const double>(d), {2, 3});
    g.write("ints", std::span<const std::int64_t>(i));
    g.write("spins", std::span<const std::int8_t>(s));
    g.write("empty", std::span<const double>());
    g.write("names", std::vector<std::string>{"hebb", "", "pseudo-inverse"});
    g.write_text("text", "line one\nline two");
    std::vector<double> big(100000);
    for (std::size_t k = 0; k < big.size(); ++k) big[k] = static_cast<double>(k) * 0.5;
    g.write("big", std::span<const double>(big), {1000, 100});  // chunked + compressed
    g.attr("x", 0.25);
    g.attr("n", std::int64_t{42});
    g.attr("s", "text");
    g.attr("list", std::span<const double>(d));
    g.attr("empty_list", std::span<const double>());
    g.attr("strings", std::vector<std::string>{"a", "bc"});
  }
  auto f = File::open_read(path);
  auto g = f.root().open_group("a/b");
  CHECK(g.read_doubles("doubles") == std::vector<double>{1.5, -2.0, 1e-300, 3.0, 4.0, 5.0});
  CHECK(g.shape("doubles") == std::vector<std::size_t>{2, 3});
  CHECK(g.read_int64("ints") == std::vector<std::int64_t>{-(std::int64_t(1) << 60), 0, 7});
  CHECK(g.read_doubles("spins") == std::vector<double>{-1, 1, 1, -1});
  CHECK(g.element_type("spins") == spindiff::io::ElementType::int8);
  CHECK(g.read_doubles("empty").empty());
  CHECK(g.read_strings("names") == std::vector<std::string>{"hebb", "", "pseudo-inverse"});
  CHECK(g.read_text("text") == "line one\nline two");
  auto big = g.read_doubles("big");
  REQUIRE(big.size() == 100000);
  CHECK(big[99999] == 49999.5);
  CHECK(g.attr_double("x") == 0.25);
  CHECK(g.attr_int64("n") == 42);
  CHECK(g.attr_string("s") == "text");
  CHECK(g.attr_doubles("list").size() == 6);
  CHECK(g.attr_doubles("empty_list").empty());
  CHECK(g.attr_strings("strings") == std::vector<std::string>{"a", "bc"});
  CHECK(g.children() == std::vector<std::string>{"doubles", "ints", "spins", "empty", "names", "text", "big"});
  CHECK(g.attribute_names() == std::vector<std::string>{"x", "n", "s", "list", "empty_list", "strings"});
  CHECK(f.root().exists("a/b/doubles"));
  CHECK_FALSE(f.root().exists("a/c/doubles"));
  CHECK_THROWS_AS(File::open_read(path.parent_path() / "missing.h5"), spindiff::io::Hdf5Error);
}

TEST_CASE("HDF5 float32 datasets round trip exactly; remove unlinks", "[io]") {
  auto path = spindiff::test::scratch_dir("hdf5_float32") / "t.h5";
  // Values that need all 24 bits of a float's significand, and extremes of its range.
  const std::vector<float> v = {1.0f + 0x1p-23f, -3.1415927f, 0x1p-126f, 3.4028235e38f, 0.0f, -0.0f};
  {
    auto f = File::create(path);
    auto g = f.root().create_group("w");
    g.write("f", std::span<const float>(v), {2, 3});
    g.write("gone", std::span<const float>(v));
    g.remove("gone");
  }
  auto g = File::open_read(path).root().open_group("w");
  CHECK(g.element_type("f") == spindiff::io::ElementType::float32);
  CHECK(g.shape("f") == std::vector<std::size_t>{2, 3});
  const auto back = g.read_floats("f");
  REQUIRE(back.size() == v.size());
  for (std::size_t k = 0; k < v.size(); ++k) CHECK(std::memcmp(&back[k], &v[k], sizeof(float)) == 0);
  const auto wide = g.read_doubles("f");  // float -> double is exact
  for (std::size_t k = 0; k < v.size(); ++k) CHECK(wide[k] == static_cast<double>(v[k]));
  CHECK_FALSE(g.exists("gone"));
  CHECK(g.children() == std::vector<std::string>{"f"});
}
