// The multi-spin update of one sublattice, written once over a vector type V of eight 64-bit words and included
// by multispin_ising2d.cpp once per implementation (each inside its own namespace and target options), so the
// implementations cannot differ in what they compute. No include guard, on purpose.
//
// V provides: load, store, zero, ones, splat, &, |, ^, andnot(a, b) = ~a & b, rotl1 / rotr1 (by one bit within the
// low B bits), byte_mask (bit j: byte j nonzero, bytes numbered word by word, little-endian), expand (the next
// random bytes into the bytes of a mask, in order), count_into (add the set bits per word), total.

// Refills the random bytes when fewer than 64 are left (one expansion takes at most 64).
inline void need_bytes(MultiSpinIsing2D::RandomBytes& rb, Stream& rng, std::uint64_t& drawn) {
  if (rb.end - rb.pos >= 64) return;
  refill_bytes(rb, rng, drawn);
}

// One group of eight words: the spins s and their neighbours; `active` masks the sites that exist.
// NL lazy classes (masks cls[j], thresholds P[j]); acc starts as the always-accepted sites.
template <int NL>
V update_group(V s, V up, V dn, V mid, V side, V active, const GroupRules& rules, MultiSpinIsing2D::RandomBytes& rb,
               Stream& rng, std::uint64_t& drawn) {
  // a = number of anti-aligned neighbours, bit-sliced: a = b0 + 2 b1 + 4 b2.
  const V a1 = s ^ up, a2 = s ^ dn, a3 = s ^ mid, a4 = s ^ side;
  const V x1 = a1 ^ a2, c1 = a1 & a2, x2 = a3 ^ a4, c2 = a3 & a4;
  const V b0 = x1 ^ x2, cc = x1 & x2;
  const V b1 = c1 ^ c2 ^ cc, b2 = c1 & c2;
  V cls[5];
  cls[0] = V::andnot(b0 | b1 | b2, active);
  cls[1] = active & V::andnot(b1, b0);
  cls[2] = active & V::andnot(b0, b1);
  cls[3] = active & b0 & b1;
  cls[4] = active & b2;
  V acc = V::zero();
  for (int c = 0; c < 5; ++c)
    if (rules.always[c]) acc = acc | cls[c];
  if constexpr (NL == 0) {
    return s ^ acc;
  } else {
    V lazy[NL];
    V und = V::zero();
    for (int j = 0; j < NL; ++j) {
      lazy[j] = cls[rules.lazy_class[j]];
      und = und | lazy[j];
    }
    for (int level = 0; level < 64; ++level) {
      // A class whose P has no set bit below the last level compared: U >= P for every site still equal.
      for (int j = 0; j < NL; ++j)
        if (level == rules.last_level[j] + 1) und = V::andnot(lazy[j], und);
      const std::uint64_t bytes = und.byte_mask();
      if (bytes == 0) break;
      need_bytes(rb, rng, drawn);
      const V r = V::expand(bytes, reinterpret_cast<const std::uint8_t*>(rb.words.data()) + rb.pos);
      rb.pos += static_cast<std::size_t>(std::popcount(bytes));
      const int bit = 63 - level;
      V t = V::zero();
      for (int j = 0; j < NL; ++j)
        if ((rules.P[j] >> bit) & 1U) t = t | lazy[j];
      acc = acc | (und & V::andnot(r, t));  // random bit 0 where P's is 1: U < P
      und = V::andnot(r ^ t, und);          // equal so far: undecided
    }
    return s ^ acc;
  }
}

// Sublattice c: rows of `self` are updated from `other`. Returns the flips.
template <int NL>
std::uint64_t half_sweep_impl(const SweepArgs& a, const GroupRules& rules, MultiSpinIsing2D::RandomBytes& rb,
                              Stream& rng, std::uint64_t& drawn) {
  const V lane_mask = V::splat(a.B == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << a.B) - 1);
  V flips = V::zero();
  for (int r = 0; r < a.Ry; ++r) {
    std::uint64_t* s = a.self + static_cast<std::size_t>(r) * a.S + a.lead;
    const std::uint64_t* mid = a.other + static_cast<std::size_t>(r) * a.S + a.lead;
    const std::uint64_t* up = a.other + static_cast<std::size_t>(r == 0 ? a.Ry - 1 : r - 1) * a.S + a.lead;
    const std::uint64_t* dn = a.other + static_cast<std::size_t>(r == a.Ry - 1 ? 0 : r + 1) * a.S + a.lead;
    // Row parity (Ry is even, so it is r's): x = 2k + off, off = (r + c) & 1; the fourth neighbour is k - 1
    // (off = 0) or k + 1 (off = 1); the ghost words at both ends of the row wrap it.
    const std::uint64_t* side = mid + (((r + a.c) & 1) ? 1 : -1);
    for (int k = 0; k < a.n; k += 8) {
      V active = lane_mask;
      if (a.n - k < 8) active = active & V::first_words(a.n - k);
      V u = V::load(up + k), d = V::load(dn + k);
      // Across a strip edge the neighbour row is the next strip's: bit b takes bit b -+ 1.
      if (r == 0) u = u.rotl1(a.B);
      if (r == a.Ry - 1) d = d.rotr1(a.B);
      const V sv = V::load(s + k);
      const V next = update_group<NL>(sv, u, d, V::load(mid + k), V::load(side + k), active, rules, rb, rng, drawn);
      flips = V::count_into(flips, next ^ sv);
      next.store(s + k);
    }
  }
  return flips.total();
}

std::uint64_t half_sweep(const SweepArgs& a, const GroupRules& rules, MultiSpinIsing2D::RandomBytes& rb, Stream& rng,
                         std::uint64_t& drawn) {
  switch (rules.n_lazy) {
    case 0:
      return half_sweep_impl<0>(a, rules, rb, rng, drawn);
    case 1:
      return half_sweep_impl<1>(a, rules, rb, rng, drawn);
    case 2:
      return half_sweep_impl<2>(a, rules, rb, rng, drawn);
    case 3:
      return half_sweep_impl<3>(a, rules, rb, rng, drawn);
    case 4:
      return half_sweep_impl<4>(a, rules, rb, rng, drawn);
    default:
      return half_sweep_impl<5>(a, rules, rb, rng, drawn);
  }
}
