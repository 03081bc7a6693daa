#include "spindiff/io/content_digest.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "spindiff/io/hdf5.hpp"
#include "spindiff/io/sha256.hpp"

namespace spindiff::io {

namespace {

bool has_hdf5_signature(const std::filesystem::path& path) {
  static constexpr char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  if (!in.read(head, sizeof head)) return false;
  return std::equal(head, head + 8, kSignature);
}

// Dataset paths below `group`, depth first.
void collect_datasets(const Group& group, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& name : group.children()) {
    const std::string path = prefix + "/" + name;
    if (group.is_group(name))
      collect_datasets(group.open_group(name), path, out);
    else
      out.push_back(path);
  }
}

template <class T>
void update_values(Sha256& h, const std::vector<T>& values) {
  h.update(std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
}

std::string hdf5_datasets_digest(const std::filesystem::path& path) {
  const File file = File::open_read(path);
  const Group root = file.root();
  std::vector<std::string> datasets;
  collect_datasets(root, "", datasets);
  std::sort(datasets.begin(), datasets.end());
  Sha256 h;
  for (const auto& name : datasets) {
    h.update(name);
    h.update(std::string_view("\0", 1));
    for (std::size_t extent : root.shape(name)) h.update(std::to_string(extent) + ",");
    const ElementType type = root.element_type(name);
    h.update(std::to_string(static_cast<int>(type)) + ":");
    switch (type) {
      case ElementType::float64:
        update_values(h, root.read_doubles(name));
        break;
      case ElementType::float32:
        update_values(h, root.read_floats(name));
        break;
      case ElementType::int64:
      case ElementType::int8:
        update_values(h, root.read_int64(name));
        break;
      case ElementType::string:
        for (const auto& s : root.read_strings(name)) {
          h.update(s);
          h.update(std::string_view("\0", 1));
        }
        break;
      case ElementType::other:
        throw std::runtime_error("cannot digest dataset " + name + " of " + path.string());
    }
  }
  return to_hex(h.digest());
}

}  // namespace

std::string input_content_digest(const std::filesystem::path& path) {
  if (!has_hdf5_signature(path)) return sha256_file(path);
  try {
    return hdf5_datasets_digest(path);
  } catch (const Hdf5Error& e) {
    throw std::runtime_error("cannot read " + path.string() + ": " + e.what());
  }
}

}  // namespace spindiff::io
