#pragma once
// Small RAII types over the HDF5 C API: files, groups, datasets and attributes of the few types
// spindiff stores (float64, float32, int64, int8, variable-length UTF-8 strings).
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace spindiff::io {

class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

enum class ElementType { float64, float32, int64, int8, string, other };

class Group {
 public:
  explicit Group(Handle h) : h_(std::move(h)) {}
  hid_t id() const { return h_.get(); }

  Group create_group(const std::string& name) const;  // tracks creation order; '/' makes parents
  Group open_group(const std::string& name) const;
  // Any object (dataset or group) by path, for its attributes.
  Group object(const std::string& path) const;
  bool exists(const std::string& path) const;
  std::vector<std::string> children() const;  // in creation order where tracked, else by name
  bool is_group(const std::string& name) const;
  // Unlinks a dataset or group (its space is not reclaimed in the file).
  void remove(const std::string& name) const;
  // Renames a link within this group (`to` must not exist): one metadata change, no data copied.
  void rename(const std::string& from, const std::string& to) const;

  // Datasets. shape empty = 1-D of data.size(); row-major. Large ones are chunked and compressed.
  void write(const std::string& name, std::span<const double> data, std::vector<std::size_t> shape = {}) const;
  void write(const std::string& name, std::span<const float> data, std::vector<std::size_t> shape = {}) const;
  void write(const std::string& name, std::span<const std::int64_t> data, std::vector<std::size_t> shape = {}) const;
  void write(const std::string& name, std::span<const std::int8_t> data, std::vector<std::size_t> shape = {}) const;
  void write(const std::string& name, const std::vector<std::string>& data) const;
  void write_text(const std::string& name, const std::string& text) const;  // scalar string

  std::vector<std::size_t> shape(const std::string& name) const;
  ElementType element_type(const std::string& name) const;
  std::vector<double> read_doubles(const std::string& name) const;  // any numeric type, converted
  std::vector<float> read_floats(const std::string& name) const;    // any numeric type, converted
  std::vector<std::int64_t> read_int64(const std::string& name) const;
  std::vector<std::string> read_strings(const std::string& name) const;  // 1-D or scalar
  std::string read_text(const std::string& name) const;

  // Attributes.
  void attr(const std::string& name, double v) const;
  void attr(const std::string& name, std::int64_t v) const;
  void attr(const std::string& name, const std::string& v) const;
  void attr(const std::string& name, const char* v) const { attr(name, std::string(v)); }
  void attr(const std::string& name, std::span<const double> v) const;
  void attr(const std::string& name, const std::vector<std::string>& v) const;
  std::vector<std::string> attribute_names() const;
  bool has_attr(const std::string& name) const;
  ElementType attr_type(const std::string& name) const;
  std::string attr_string(const std::string& name) const;
  std::vector<std::string> attr_strings(const std::string& name) const;
  double attr_double(const std::string& name) const;
  std::int64_t attr_int64(const std::string& name) const;
  std::vector<double> attr_doubles(const std::string& name) const;
  // Any attribute as display text (numbers, strings, arrays).
  std::string attr_text(const std::string& name) const;

 private:
  Handle h_;
};

class File {
 public:
  static File create(const std::filesystem::path& path);  // truncates
  static File open_read(const std::filesystem::path& path);
  static File open_rw(const std::filesystem::path& path);
  Group root() const;
  void flush() const;
  // flush(), then wait until the file's bytes are on the storage device (fsync), so that a power cut
  // after it returns loses nothing written so far.
  void sync() const;
  void close() { h_ = Handle(); }

 private:
  explicit File(Handle h) : h_(std::move(h)) {}
  Handle h_;
};

// Makes a file's creation, removal or renaming inside `dir` durable (fsync of the folder).
void sync_directory(const std::filesystem::path& dir);

// Library version string ("1.10.8").
std::string hdf5_version();

}  // namespace spindiff::io
