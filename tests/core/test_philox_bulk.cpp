#include <Random123/philox.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "spindiff/core/philox_bulk.hpp"
#include "spindiff/core/rng.hpp"

using spindiff::Purpose;
using spindiff::Stream;
using spindiff::StreamId;

TEST_CASE("bulk Philox equals Random123 Philox4x32-10 block by block in every implementation", "[rng]") {
  const std::array<std::uint32_t, 2> key = {0x12345678u, 0x9abcdef0u};
  const std::uint32_t w2 = 77u, w3 = 0x5D1FFu;
  r123::Philox4x32 philox;
  int ran = 0;
  for (const char* impl : {"scalar", "avx2", "avx512"})
    // The first counter makes the low word wrap inside the run; the lengths cover partial chunks.
    for (std::uint64_t counter : {std::uint64_t{0}, std::uint64_t{0xFFFFFFF0ull}, std::uint64_t{0x123456789abull}})
      for (std::size_t blocks : {1, 3, 16, 31, 32, 33, 100, 257}) {
        std::vector<std::uint32_t> out(4 * blocks + 1, 0xDEADBEEFu);
        if (!spindiff::philox4x32_bulk_with(impl, key, counter, w2, w3, blocks, out.data())) continue;
        ++ran;
        INFO(impl << " counter " << counter << " blocks " << blocks);
        for (std::size_t j = 0; j < blocks; ++j) {
          const std::uint64_t c = counter + j;
          const auto ref = philox({{static_cast<std::uint32_t>(c), static_cast<std::uint32_t>(c >> 32), w2, w3}},
                                  {{key[0], key[1]}});
          for (std::size_t w = 0; w < 4; ++w) REQUIRE(out[4 * j + w] == ref[w]);
        }
        REQUIRE(out[4 * blocks] == 0xDEADBEEFu);  // nothing written past the end
      }
  CHECK(ran >= 24);  // at least the scalar implementation ran for every case
}

TEST_CASE("Stream::fill_u32 and fill_u64 give exactly the scalar words", "[rng]") {
  const std::vector<StreamId> names = {{0, 0, 0, 0, 0},
                                       {12345, 6, 2, 3, 7},
                                       {~0ull, 1, 2, 3, (1ull << 40) + 3},
                                       Stream(9, 1, 0, Purpose::init).substream(5).id()};
  for (const StreamId& id : names)
    for (std::size_t n : {0, 1, 2, 3, 4, 5, 127, 128, 129, 1000, 4099}) {
      Stream scalar(id), bulk(id);
      std::vector<std::uint32_t> w(n);
      bulk.fill_u32(w);
      for (std::uint32_t x : w) REQUIRE(x == scalar());
      REQUIRE(bulk() == scalar());  // both streams continue at the same place
      std::vector<std::uint64_t> d(n);
      bulk.fill_u64(d);
      for (std::uint64_t x : d) REQUIRE(x == scalar.next_u64());
      REQUIRE(bulk.uniform() == scalar.uniform());
    }
}

TEST_CASE("mixed scalar and bulk draws follow one sequence", "[rng]") {
  for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
    const StreamId id{seed, 4, 0, static_cast<std::uint32_t>(Purpose::dynamics), 0};
    Stream reference(id), mixed(id);
    Stream choice(seed, 99, 0, Purpose::user);  // decides the pattern of calls
    std::vector<std::uint32_t> w;
    std::vector<std::uint64_t> d;
    for (int step = 0; step < 2000; ++step) {
      const std::size_t n = choice.below(70);
      switch (choice.below(5)) {
        case 0:
          REQUIRE(mixed() == reference());
          break;
        case 1:
          REQUIRE(mixed.next_u64() == reference.next_u64());
          break;
        case 2:
          w.resize(n);
          mixed.fill_u32(w);
          for (std::uint32_t x : w) REQUIRE(x == reference());
          break;
        case 3:
          d.resize(n);
          mixed.fill_u64(d);
          for (std::uint64_t x : d) REQUIRE(x == reference.next_u64());
          break;
        default:
          REQUIRE(mixed.below(1000) == reference.below(1000));
      }
    }
    REQUIRE(mixed() == reference());
  }
}

TEST_CASE("split() gives a stream unlike its parent and advances the parent", "[rng]") {
  Stream a(5, 0, 0, Purpose::dynamics), b(5, 0, 0, Purpose::dynamics);
  Stream child = a.split();
  b.next_u64();
  int same = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    REQUIRE(x == b());
    same += (x == child());
  }
  CHECK(same <= 1);  // a 32-bit coincidence has probability 2^-32 per draw
}
