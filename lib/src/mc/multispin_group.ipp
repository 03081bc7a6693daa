// The multi-spin update of one sublattice, written once over a vector type V of eight 64-bit words and included
// by multispin_ising2d.cpp once per implementation (each inside its own namespace and target options), so the
// implementations cannot differ in what they compute. No include guard, on purpose.
//
// V provides: load, store, zero, ones, splat, &, |, ^, andnot(a, b) = ~a & b, rotl1 / rotr1 (by one bit within the
// low B bits), byte_mask (bit j: byte j nonzero, bytes numbered word by word, little-endian), expand (the next
// random bytes into the bytes of a mask, in order), count_into (add the set bits per word), total.

// Refills the random bytes when fewer than `n` are left.
inline void need_bytes(MultiSpinIsing2D::RandomBytes& rb, std::size_t n, Stream& rng, std::uint64_t& drawn) {
  if (rb.end - rb.pos >= n) return;
  refill_bytes(rb, rng, drawn);
}

// Sublattice c: rows of `self` are updated from `other`. Returns the flips. G groups of eight words are decided
// together, level by level, so that their dependency chains (mask, expansion, comparison) overlap; the groups take
// their random bytes in order within a level. Strips: a block is G groups of one row (rows padded to whole blocks).
// Replicas: every lane is its own periodic lattice (no strip edges) with its own thresholds (the rules' lane
// masks), and the groups of all rows are taken G at a time, so rows shorter than a block (small L) still fill it.
template <int NL, int G, bool Replicas>
std::uint64_t half_sweep_impl(const SweepArgs& a, const GroupRules& rules, MultiSpinIsing2D::RandomBytes& rb,
                              Stream& rng, std::uint64_t& drawn) {
  const V lane_mask = V::splat(a.B == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << a.B) - 1);
  const auto* bytes_base = reinterpret_cast<const std::uint8_t*>(rb.words.data());
  V flips = V::zero();
  V sv[G], acc[G], und[G], lazy[G][NL > 0 ? NL : 1];
  std::uint64_t* dst[G];

  // Group g: the eight words of row r from word k (k < n; words past the row are padding, stored back unchanged).
  auto classify = [&](int g, int r, int k) {
    std::uint64_t* s = a.self + static_cast<std::size_t>(r) * a.S + a.lead;
    const std::uint64_t* mid = a.other + static_cast<std::size_t>(r) * a.S + a.lead;
    const std::uint64_t* up = a.other + static_cast<std::size_t>(r == 0 ? a.Ry - 1 : r - 1) * a.S + a.lead;
    const std::uint64_t* dn = a.other + static_cast<std::size_t>(r == a.Ry - 1 ? 0 : r + 1) * a.S + a.lead;
    // Row parity (Ry is even for strips, so it is r's): x = 2k + off, off = (r + c) & 1; the fourth neighbour is
    // k - 1 (off = 0) or k + 1 (off = 1); the ghost words at both ends of the row wrap it.
    const std::uint64_t* side = mid + (((r + a.c) & 1) ? 1 : -1);
    // Sites that exist: the low B bits of words k < n.
    const V active = k >= a.n ? V::zero() : a.n - k < 8 ? lane_mask & V::first_words(a.n - k) : lane_mask;
    V u = V::load(up + k), d = V::load(dn + k);
    // Across a strip edge the neighbour row is the next strip's: bit b takes bit b -+ 1.
    if (!Replicas && r == 0) u = u.rotl1(a.B);
    if (!Replicas && r == a.Ry - 1) d = d.rotr1(a.B);
    dst[g] = s + k;
    sv[g] = V::load(s + k);
    // a = number of anti-aligned neighbours, bit-sliced: a = b0 + 2 b1 + 4 b2.
    const V a1 = sv[g] ^ u, a2 = sv[g] ^ d, a3 = sv[g] ^ V::load(mid + k), a4 = sv[g] ^ V::load(side + k);
    const V x1 = a1 ^ a2, c1 = a1 & a2, x2 = a3 ^ a4, c2 = a3 & a4;
    const V b0 = x1 ^ x2, cc = x1 & x2;
    const V b1 = c1 ^ c2 ^ cc, b2 = c1 & c2;
    V cls[5];
    cls[0] = V::andnot(b0 | b1 | b2, active);
    cls[1] = active & V::andnot(b1, b0);
    cls[2] = active & V::andnot(b0, b1);
    cls[3] = active & b0 & b1;
    cls[4] = active & b2;
    acc[g] = V::zero();
    for (int c = 0; c < 5; ++c)
      if (rules.always[c]) acc[g] = acc[g] | (Replicas ? cls[c] & V::splat(rules.always_lanes[c]) : cls[c]);
    und[g] = V::zero();
    for (int j = 0; j < NL; ++j) {
      lazy[g][j] = cls[rules.lazy_class[j]];
      if (Replicas) lazy[g][j] = lazy[g][j] & V::splat(rules.lazy_lanes[j]);
      und[g] = und[g] | lazy[g][j];
    }
  };

  // The lazy comparison of the block's undecided sites, level by level; then the flips are stored.
  auto decide = [&] {
    for (int level = 0; NL > 0 && level < 64; ++level) {
      // A class whose P has no set bit below the last level compared: U >= P for every site still equal.
      if (Replicas) {
        if (rules.stops[level])
          for (int j = 0; j < NL; ++j) {
            const V stop = V::splat(rules.stop[level][j]);
            for (int g = 0; g < G; ++g) und[g] = V::andnot(lazy[g][j] & stop, und[g]);
          }
      } else if (rules.finite) {
        for (int j = 0; j < NL; ++j)
          if (level == rules.last_level[j] + 1)
            for (int g = 0; g < G; ++g) und[g] = V::andnot(lazy[g][j], und[g]);
      }
      std::uint64_t bytes[G], any = 0;
      for (int g = 0; g < G; ++g) any |= bytes[g] = und[g].byte_mask();
      if (any == 0) break;
      need_bytes(rb, 64 * G, rng, drawn);
      std::size_t pos = rb.pos;
      V pbit[NL > 0 ? NL : 1];
      for (int j = 0; j < NL; ++j) pbit[j] = V::splat(rules.bit[level][j]);
      for (int g = 0; g < G; ++g) {
        const V rnd = V::expand(bytes[g], bytes_base + pos);
        pos += static_cast<std::size_t>(std::popcount(bytes[g]));
        V t = lazy[g][0] & pbit[0];
        for (int j = 1; j < NL; ++j) t = t | (lazy[g][j] & pbit[j]);
        acc[g] = acc[g] | (und[g] & V::andnot(rnd, t));  // random bit 0 where P's is 1: U < P
        und[g] = V::andnot(rnd ^ t, und[g]);            // equal so far: undecided
      }
      rb.pos = pos;
    }
    for (int g = 0; g < G; ++g)
      if (dst[g]) {
        flips = V::count_into(flips, acc[g]);
        (sv[g] ^ acc[g]).store(dst[g]);
      }
  };

  if constexpr (Replicas) {
    const int per_row = (a.n + 7) / 8;
    const int total = a.Ry * per_row;
    for (int i0 = 0; i0 < total; i0 += G) {
      for (int g = 0; g < G; ++g) {
        const int i = i0 + g;
        if (i < total) {
          classify(g, i / per_row, 8 * (i % per_row));
        } else {  // past the last row: nothing to decide
          dst[g] = nullptr;
          sv[g] = acc[g] = und[g] = V::zero();
          for (int j = 0; j < NL; ++j) lazy[g][j] = V::zero();
        }
      }
      decide();
    }
  } else {
    for (int r = 0; r < a.Ry; ++r)
      for (int k0 = 0; k0 < a.n; k0 += 8 * G) {
        for (int g = 0; g < G; ++g) classify(g, r, k0 + 8 * g);
        decide();
      }
  }
  return flips.total();
}

// The instance for the lazy classes in play (groups halved from three on, to stay in registers).
template <int G, bool Replicas>
std::uint64_t half_sweep_for(const SweepArgs& a, const GroupRules& rules, MultiSpinIsing2D::RandomBytes& rb,
                             Stream& rng, std::uint64_t& drawn) {
  constexpr int H = G > 1 ? G / 2 : 1;
  switch (rules.n_lazy) {
    case 0:
      return half_sweep_impl<0, G, Replicas>(a, rules, rb, rng, drawn);
    case 1:
      return half_sweep_impl<1, G, Replicas>(a, rules, rb, rng, drawn);
    case 2:
      return half_sweep_impl<2, G, Replicas>(a, rules, rb, rng, drawn);
    case 3:
      return half_sweep_impl<3, H, Replicas>(a, rules, rb, rng, drawn);
    case 4:
      return half_sweep_impl<4, H, Replicas>(a, rules, rb, rng, drawn);
    default:
      return half_sweep_impl<5, H, Replicas>(a, rules, rb, rng, drawn);
  }
}

std::uint64_t half_sweep(const SweepArgs& a, const GroupRules& rules, MultiSpinIsing2D::RandomBytes& rb, Stream& rng,
                         std::uint64_t& drawn) {
  return a.replicas ? half_sweep_for<kGroups, true>(a, rules, rb, rng, drawn)
                    : half_sweep_for<kGroups, false>(a, rules, rb, rng, drawn);
}
