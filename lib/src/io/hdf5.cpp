#include "spindiff/io/hdf5.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>

namespace spindiff::io {

namespace {

// HDF5 prints its own error stack unless told not to; we turn failures into exceptions instead. The
// setting is per thread (the library is built thread-safe), so every entry point below repeats it.
// H5dont_atexit: after a failed write (full disk) the library's exit handler would flush the broken file
// again and crash; every file is closed by its Handle before exit anyway.
struct SilenceHdf5 {
  SilenceHdf5() {
    static const bool once = [] { return H5dont_atexit() >= 0; }();
    (void)once;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
};
const SilenceHdf5 silence;
void silence_this_thread() { thread_local const SilenceHdf5 per_thread; }

// The operating system's reason for a failed write or open ("No space left on device"), from the error
// stack HDF5 keeps until the next call.
std::string system_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
        const std::string desc = e->desc ? e->desc : "";
        const std::string tag = "error message = '";
        const auto at = desc.find(tag);
        if (at != std::string::npos) {
          const auto end = desc.find('\'', at + tag.size());
          *static_cast<std::string*>(data) = desc.substr(at + tag.size(), end - at - tag.size());
        }
        return 0;
      },
      &reason);
  return reason;
}

void check(herr_t status, const std::string& what) {
  if (status < 0) {
    const std::string reason = system_reason();
    throw Hdf5Error("HDF5: " + what + (reason.empty() ? "" : ": " + reason));
  }
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set string charset");
  return t;
}

// Link-creation properties that create missing parent groups ("a/b/c" in one call).
Handle link_properties() {
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "link properties");
  check(H5Pset_create_intermediate_group(lcpl.get(), 1), "intermediate groups");
  return lcpl;
}

// Links and attributes listed in the order they were written (h5py, h5dump and `info` follow it).
void track_creation_order(hid_t group_or_file_plist) {
  check(H5Pset_link_creation_order(group_or_file_plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "creation order");
  check(H5Pset_attr_creation_order(group_or_file_plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute order");
}

Handle simple_space(const std::vector<std::size_t>& shape) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, "dataspace");
}

std::vector<std::size_t> resolve_shape(std::vector<std::size_t> shape, std::size_t n, const std::string& name) {
  if (shape.empty()) shape = {n};
  const std::size_t total = std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
  if (total != n) throw Hdf5Error(fmt::format("dataset '{}': shape does not match {} elements", name, n));
  return shape;
}

// Chunked + deflate for datasets over 64 KiB; contiguous otherwise (small ones read faster).
Handle dataset_properties(const std::vector<std::size_t>& shape, std::size_t element_size) {
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  const std::size_t total = std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
  if (total * element_size > 65536 && total > 0) {
    std::vector<hsize_t> chunk(shape.begin(), shape.end());
    // Shrink leading dimensions until a chunk is about 256 KiB.
    std::size_t bytes = total * element_size;
    for (auto& c : chunk) {
      while (bytes > 262144 && c > 1) {
        bytes /= c;
        c = (c + 1) / 2;
        bytes *= c;
      }
    }
    check(H5Pset_chunk(plist.get(), static_cast<int>(chunk.size()), chunk.data()), "set chunk");
    check(H5Pset_shuffle(plist.get()), "set shuffle");
    check(H5Pset_deflate(plist.get(), 4), "set deflate");
  }
  return plist;
}

template <class T>
void write_numeric(hid_t loc, const std::string& name, std::span<const T> data, std::vector<std::size_t> shape,
                   hid_t file_type, hid_t mem_type) {
  shape = resolve_shape(std::move(shape), data.size(), name);
  Handle space = simple_space(shape);
  Handle props = dataset_properties(shape, sizeof(T));
  Handle lcpl = link_properties();
  Handle ds(H5Dcreate2(loc, name.c_str(), file_type, space.get(), lcpl.get(), props.get(), H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (!data.empty()) check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
}

std::vector<const char*> c_strings(const std::vector<std::string>& v) {
  std::vector<const char*> p;
  p.reserve(v.size());
  for (const auto& s : v) p.push_back(s.c_str());
  return p;
}

ElementType classify(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      return H5Tget_size(type) == 4 ? ElementType::float32 : ElementType::float64;
    case H5T_INTEGER:
      return H5Tget_size(type) == 1 ? ElementType::int8 : ElementType::int64;
    case H5T_STRING:
      return ElementType::string;
    default:
      return ElementType::other;
  }
}

std::vector<std::string> read_string_values(hid_t obj, hid_t type, hid_t space, bool is_attr) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<std::string> out;
  if (H5Tis_variable_str(type) > 0) {
    std::vector<char*> buf(static_cast<std::size_t>(n), nullptr);
    Handle mem = string_type();
    check(is_attr ? H5Aread(obj, mem.get(), buf.data())
                  : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
          "read strings");
    for (char* s : buf) out.emplace_back(s ? s : "");
    check(H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, buf.data()), "reclaim strings");
  } else {
    const std::size_t size = H5Tget_size(type);
    std::vector<char> buf(static_cast<std::size_t>(n) * size);
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    check(H5Tset_size(mem.get(), size), "string size");
    check(is_attr ? H5Aread(obj, mem.get(), buf.data())
                  : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
          "read strings");
    for (hssize_t i = 0; i < n; ++i) {
      const char* p = buf.data() + static_cast<std::size_t>(i) * size;
      out.emplace_back(p, strnlen(p, size));
    }
  }
  return out;
}

// The names of a group's links or attributes (iterate = H5Literate or H5Aiterate2): in creation order where
// the file tracks it, else by name.
template <class Info, class Iterate>
std::vector<std::string> names_in_order(hid_t id, Iterate iterate, const std::string& what) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const Info*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t idx = 0;
  if (iterate(id, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect, &names) < 0) {
    names.clear();
    idx = 0;
    check(iterate(id, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names), what);
  }
  return names;
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
  if (id_ < 0) {
    const std::string reason = system_reason();
    throw Hdf5Error("HDF5: cannot " + what + (reason.empty() ? "" : ": " + reason));
  }
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = std::exchange(o.id_, -1);
    closer_ = o.closer_;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && closer_) closer_(id_);
}

File File::create(const std::filesystem::path& path) {
  silence_this_thread();
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file properties");
  track_creation_order(fcpl.get());
  return File(
      Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose, "create " + path.string()));
}

File File::open_read(const std::filesystem::path& path) {
  silence_this_thread();
  return File(Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path.string()));
}

File File::open_rw(const std::filesystem::path& path) {
  silence_this_thread();
  return File(Handle(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open " + path.string()));
}

Group File::root() const {
  silence_this_thread();
  return Group(Handle(H5Gopen2(h_.get(), "/", H5P_DEFAULT), H5Gclose, "open /"));
}

void File::flush() const {
  silence_this_thread();
  check(H5Fflush(h_.get(), H5F_SCOPE_GLOBAL), "flush");
}

void File::sync() const {
  flush();
  // The default (sec2) driver hands out its POSIX descriptor; any other driver's file is synced by name.
  Handle fapl(H5Fget_access_plist(h_.get()), H5Pclose, "file access properties");
  void* handle = nullptr;
  int fd = -1;
  bool own = false;
  if (H5Pget_driver(fapl.get()) == H5FD_SEC2 && H5Fget_vfd_handle(h_.get(), fapl.get(), &handle) >= 0 && handle) {
    fd = *static_cast<int*>(handle);
  } else {
    const ssize_t size = H5Fget_name(h_.get(), nullptr, 0);
    std::string name(static_cast<std::size_t>(std::max<ssize_t>(size, 0)), '\0');
    if (size > 0) H5Fget_name(h_.get(), name.data(), name.size() + 1);
    fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    own = true;
    if (fd < 0) throw Hdf5Error(fmt::format("cannot open {} to sync it: {}", name, std::strerror(errno)));
  }
  const int rc = ::fsync(fd);
  const int error = errno;
  if (own) ::close(fd);
  if (rc != 0) throw Hdf5Error(fmt::format("cannot sync the file to disk: {}", std::strerror(error)));
}

void sync_directory(const std::filesystem::path& dir) {
  const std::filesystem::path d = dir.empty() ? std::filesystem::path(".") : dir;
  const int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw Hdf5Error(fmt::format("cannot open the folder {} to sync it: {}", d.string(), std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw Hdf5Error(fmt::format("cannot sync the folder {}: {}", d.string(), std::strerror(error)));
}

Group Group::create_group(const std::string& name) const {
  Handle lcpl = link_properties();
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "group properties");
  track_creation_order(gcpl.get());
  return Group(
      Handle(H5Gcreate2(id(), name.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT), H5Gclose, "create group " + name));
}

Group Group::open_group(const std::string& name) const {
  return Group(Handle(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name));
}

Group Group::object(const std::string& path) const {
  return Group(Handle(H5Oopen(id(), path.c_str(), H5P_DEFAULT), H5Oclose, "open object " + path));
}

bool Group::exists(const std::string& path) const {
  // Check each prefix: H5Lexists fails on a missing intermediate link.
  std::size_t pos = 0;
  while (true) {
    pos = path.find('/', pos + 1);
    const std::string prefix = path.substr(0, pos);
    if (H5Lexists(id(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (pos == std::string::npos) return true;
  }
}

bool Group::is_group(const std::string& name) const {
  H5O_info_t info;
  if (H5Oget_info_by_name(id(), name.c_str(), &info, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

void Group::remove(const std::string& name) const {
  check(H5Ldelete(id(), name.c_str(), H5P_DEFAULT), "remove " + name);
}

void Group::rename(const std::string& from, const std::string& to) const {
  check(H5Lmove(id(), from.c_str(), id(), to.c_str(), H5P_DEFAULT, H5P_DEFAULT), "rename " + from + " to " + to);
}

std::vector<std::string> Group::children() const { return names_in_order<H5L_info_t>(id(), H5Literate, "list group"); }

void Group::write(const std::string& name, std::span<const double> data, std::vector<std::size_t> shape) const {
  write_numeric(id(), name, data, std::move(shape), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}
void Group::write(const std::string& name, std::span<const float> data, std::vector<std::size_t> shape) const {
  write_numeric(id(), name, data, std::move(shape), H5T_IEEE_F32LE, H5T_NATIVE_FLOAT);
}
void Group::write(const std::string& name, std::span<const std::int64_t> data, std::vector<std::size_t> shape) const {
  write_numeric(id(), name, data, std::move(shape), H5T_STD_I64LE, H5T_NATIVE_INT64);
}
void Group::write(const std::string& name, std::span<const std::int8_t> data, std::vector<std::size_t> shape) const {
  write_numeric(id(), name, data, std::move(shape), H5T_STD_I8LE, H5T_NATIVE_INT8);
}

void Group::write(const std::string& name, const std::vector<std::string>& data) const {
  Handle type = string_type();
  Handle space = simple_space({data.size()});
  Handle lcpl = link_properties();
  Handle ds(H5Dcreate2(id(), name.c_str(), type.get(), space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  auto ptrs = c_strings(data);
  if (!data.empty()) check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write " + name);
}

void Group::write_text(const std::string& name, const std::string& text) const {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle ds(H5Dcreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  const char* p = text.c_str();
  check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "write " + name);
}

std::vector<std::size_t> Group::shape(const std::string& name) const {
  Handle ds(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle space(H5Dget_space(ds.get()), H5Sclose, "dataspace");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

ElementType Group::element_type(const std::string& name) const {
  Handle ds(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle type(H5Dget_type(ds.get()), H5Tclose, "dataset type");
  return classify(type.get());
}

namespace {
// The whole dataset, converted by HDF5 to the memory type.
template <class T>
std::vector<T> read_numeric(hid_t loc, const std::string& name, hid_t mem_type) {
  Handle ds(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle space(H5Dget_space(ds.get()), H5Sclose, "dataspace");
  std::vector<T> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!out.empty()) check(H5Dread(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}
}  // namespace

std::vector<double> Group::read_doubles(const std::string& name) const {
  return read_numeric<double>(id(), name, H5T_NATIVE_DOUBLE);
}
std::vector<float> Group::read_floats(const std::string& name) const {
  return read_numeric<float>(id(), name, H5T_NATIVE_FLOAT);
}
std::vector<std::int64_t> Group::read_int64(const std::string& name) const {
  return read_numeric<std::int64_t>(id(), name, H5T_NATIVE_INT64);
}

std::vector<std::string> Group::read_strings(const std::string& name) const {
  Handle ds(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle type(H5Dget_type(ds.get()), H5Tclose, "dataset type");
  Handle space(H5Dget_space(ds.get()), H5Sclose, "dataspace");
  if (H5Tget_class(type.get()) != H5T_STRING) throw Hdf5Error("dataset " + name + " is not text");
  return read_string_values(ds.get(), type.get(), space.get(), false);
}

std::string Group::read_text(const std::string& name) const {
  auto v = read_strings(name);
  return v.empty() ? std::string() : v.front();
}

namespace {
void write_attr(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type, const void* data, std::size_t n,
                bool scalar) {
  if (H5Aexists(loc, name.c_str()) > 0) check(H5Adelete(loc, name.c_str()), "replace attribute " + name);
  Handle space = scalar ? Handle(H5Screate(H5S_SCALAR), H5Sclose, "scalar space") : simple_space({n});
  Handle a(H5Acreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
           "create attribute " + name);
  // HDF5 rejects a null buffer even for zero elements (an empty list parameter).
  static const double empty_buffer = 0;
  check(H5Awrite(a.get(), mem_type, n == 0 && !scalar ? &empty_buffer : data), "write attribute " + name);
}
}  // namespace

void Group::attr(const std::string& name, double v) const {
  write_attr(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v, 1, true);
}
void Group::attr(const std::string& name, std::int64_t v) const {
  write_attr(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v, 1, true);
}
void Group::attr(const std::string& name, const std::string& v) const {
  Handle type = string_type();
  const char* p = v.c_str();
  write_attr(id(), name, type.get(), type.get(), &p, 1, true);
}
void Group::attr(const std::string& name, std::span<const double> v) const {
  write_attr(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size(), false);
}
void Group::attr(const std::string& name, const std::vector<std::string>& v) const {
  Handle type = string_type();
  auto ptrs = c_strings(v);
  write_attr(id(), name, type.get(), type.get(), ptrs.data(), v.size(), false);
}

std::vector<std::string> Group::attribute_names() const {
  return names_in_order<H5A_info_t>(id(), H5Aiterate2, "list attributes");
}

bool Group::has_attr(const std::string& name) const { return H5Aexists(id(), name.c_str()) > 0; }

ElementType Group::attr_type(const std::string& name) const {
  Handle a(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle type(H5Aget_type(a.get()), H5Tclose, "attribute type");
  return classify(type.get());
}

std::vector<std::string> Group::attr_strings(const std::string& name) const {
  Handle a(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle type(H5Aget_type(a.get()), H5Tclose, "attribute type");
  Handle space(H5Aget_space(a.get()), H5Sclose, "attribute space");
  if (H5Tget_class(type.get()) != H5T_STRING) throw Hdf5Error("attribute " + name + " is not text");
  return read_string_values(a.get(), type.get(), space.get(), true);
}

std::string Group::attr_string(const std::string& name) const {
  auto v = attr_strings(name);
  return v.empty() ? std::string() : v.front();
}

std::vector<double> Group::attr_doubles(const std::string& name) const {
  Handle a(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle space(H5Aget_space(a.get()), H5Sclose, "attribute space");
  std::vector<double> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!out.empty()) check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, out.data()), "read attribute " + name);
  return out;
}

double Group::attr_double(const std::string& name) const {
  auto v = attr_doubles(name);
  if (v.empty()) throw Hdf5Error("attribute " + name + " is empty");
  return v.front();
}

std::int64_t Group::attr_int64(const std::string& name) const {
  Handle a(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  std::int64_t v = 0;
  check(H5Aread(a.get(), H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

std::string Group::attr_text(const std::string& name) const {
  switch (attr_type(name)) {
    case ElementType::string: {
      auto v = attr_strings(name);
      return v.size() == 1 ? v.front() : fmt::format("[{}]", fmt::join(v, ", "));
    }
    case ElementType::int8:
    case ElementType::int64: {
      auto v = attr_doubles(name);
      if (v.size() == 1) return fmt::format("{}", static_cast<std::int64_t>(v.front()));
      return fmt::format("[{}]", fmt::join(v, ", "));
    }
    case ElementType::float32:
    case ElementType::float64: {
      auto v = attr_doubles(name);
      return v.size() == 1 ? fmt::format("{}", v.front()) : fmt::format("[{}]", fmt::join(v, ", "));
    }
    default:
      return "(unsupported type)";
  }
}

std::string hdf5_version() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  return fmt::format("{}.{}.{}", maj, min, rel);
}

}  // namespace spindiff::io
