#include "spindiff/spins/sparse.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>
#include <string>

namespace spindiff::spins {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) ++pos;
    std::size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
    if (end > pos) words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

[[noreturn]] void fail(std::size_t line_no, const std::string& what) {
  throw std::invalid_argument("edge list line " + std::to_string(line_no) + ": " + what);
}

std::uint32_t parse_index(std::string_view w, std::size_t line_no) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
  if (ec != std::errc{} || p != w.data() + w.size() || v >= 0xFFFFFFFFull)
    fail(line_no, "bad spin index '" + std::string(w) + "'");
  return static_cast<std::uint32_t>(v);
}

double parse_real(std::string_view w, std::size_t line_no) {
  try {
    std::size_t used = 0;
    const std::string s(w);
    const double v = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument("");
    return v;
  } catch (const std::exception&) {
    fail(line_no, "bad number '" + std::string(w) + "'");
  }
}

}  // namespace

EdgeList parse_edge_list(std::string_view text) {
  EdgeList list;
  std::map<std::uint32_t, double> fields;
  std::size_t declared = 0, line_no = 0, max_index_plus1 = 0;
  bool has_declared = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto w = split_words(line);
    if (w.empty()) continue;
    if (w[0] == "spins") {
      if (w.size() != 2) fail(line_no, "expected 'spins N'");
      declared = parse_index(w[1], line_no);
      has_declared = true;
    } else if (w[0] == "field") {
      if (w.size() != 3) fail(line_no, "expected 'field i h_i'");
      const std::uint32_t i = parse_index(w[1], line_no);
      fields[i] += parse_real(w[2], line_no);
      max_index_plus1 = std::max<std::size_t>(max_index_plus1, i + 1);
    } else {
      if (w.size() != 3) fail(line_no, "expected 'i j J_ij'");
      const std::uint32_t i = parse_index(w[0], line_no), j = parse_index(w[1], line_no);
      if (i == j) fail(line_no, "self-coupling i == j is a constant energy and not allowed");
      list.edges.push_back({i, j, parse_real(w[2], line_no)});
      max_index_plus1 = std::max<std::size_t>(max_index_plus1, std::max(i, j) + 1);
    }
    if (end == text.size()) break;
  }
  if (has_declared && declared < max_index_plus1)
    throw std::invalid_argument("edge list: 'spins " + std::to_string(declared) + "' but index " +
                                std::to_string(max_index_plus1 - 1) + " is used");
  list.n = has_declared ? declared : max_index_plus1;
  if (list.n == 0) throw std::invalid_argument("edge list: no spins");
  list.fields.assign(list.n, 0.0);
  for (const auto& [i, h] : fields) list.fields[i] = h;
  return list;
}

SparseCouplings::SparseCouplings(const EdgeList& list) : n_(list.n), list_(list), h_(list.fields) {
  if (h_.size() != n_) h_.assign(n_, 0.0);
  // Merge repeated bonds, then store both directions.
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> merged;
  for (const Edge& e : list.edges) {
    if (e.i >= n_ || e.j >= n_ || e.i == e.j) throw std::invalid_argument("SparseCouplings: bad edge");
    merged[{std::min(e.i, e.j), std::max(e.i, e.j)}] += e.J;
  }
  std::vector<std::uint32_t> degree(n_, 0);
  for (const auto& [ij, J] : merged) {
    ++degree[ij.first];
    ++degree[ij.second];
  }
  start_.assign(n_ + 1, 0);
  for (std::size_t i = 0; i < n_; ++i) start_[i + 1] = start_[i] + degree[i];
  target_.resize(start_[n_]);
  coupling_.resize(start_[n_]);
  std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
  for (const auto& [ij, J] : merged) {
    target_[fill[ij.first]] = ij.second;
    coupling_[fill[ij.first]++] = J;
    target_[fill[ij.second]] = ij.first;
    coupling_[fill[ij.second]++] = J;
  }
}

bool SparseCouplings::ferromagnetic() const {
  return std::all_of(coupling_.begin(), coupling_.end(), [](double J) { return J >= 0.0; });
}

bool SparseCouplings::has_field() const {
  return std::any_of(h_.begin(), h_.end(), [](double h) { return h != 0.0; });
}

double SparseCouplings::energy(std::span<const Spin> s) const {
  double e = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    e -= h_[i] * s[i];
    for (std::uint32_t k = start_[i]; k < start_[i + 1]; ++k)
      if (target_[k] > i) e -= coupling_[k] * s[i] * s[target_[k]];
  }
  return e;
}

}  // namespace spindiff::spins
