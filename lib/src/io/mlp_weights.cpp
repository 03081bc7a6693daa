#include "spindiff/io/mlp_weights.hpp"

#include <hdf5.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace spindiff::io {
namespace {

// Minimal RAII for HDF5 identifiers; to be folded into the general io/hdf5.hpp wrapper.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle(hid_t id, Closer close, const std::string& what, bool required = true) : id_(id), close_(close) {
    if (required && id_ < 0) throw std::runtime_error("HDF5: cannot " + what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  [[nodiscard]] hid_t get() const { return id_; }

 private:
  hid_t id_;
  Closer close_;
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

bool link_exists(hid_t loc, const std::string& path) {
  // H5Lexists needs every intermediate link to exist: test them one by one.
  std::size_t pos = 0;
  while (true) {
    const std::size_t slash = path.find('/', pos);
    const std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    pos = slash + 1;
  }
}

void write_attribute(hid_t obj, const std::string& name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attr(H5Acreate2(obj, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  check(H5Awrite(attr.get(), type, value), "write attribute " + name);
}

void write_attribute(hid_t obj, const std::string& name, long long value) {
  write_attribute(obj, name, H5T_NATIVE_LLONG, &value);
}
void write_attribute(hid_t obj, const std::string& name, double value) {
  write_attribute(obj, name, H5T_NATIVE_DOUBLE, &value);
}
void write_attribute(hid_t obj, const std::string& name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  check(H5Tset_size(type.get(), value.empty() ? 1 : value.size()), "size a string type");
  write_attribute(obj, name, type.get(), value.c_str());
}

Handle open_attribute(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) throw std::runtime_error("MLP weights: missing attribute " + name);
  return Handle(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
}

long long read_int_attribute(hid_t obj, const std::string& name) {
  Handle attr = open_attribute(obj, name);
  long long value = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_LLONG, &value), "read attribute " + name);
  return value;
}

double read_double_attribute(hid_t obj, const std::string& name) {
  Handle attr = open_attribute(obj, name);
  double value = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), "read attribute " + name);
  return value;
}

std::string read_string_attribute(hid_t obj, const std::string& name) {
  Handle attr = open_attribute(obj, name);
  Handle type(H5Aget_type(attr.get()), H5Tclose, "get the type of " + name);
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw std::runtime_error("MLP weights: attribute " + name + " is not a string");
  if (H5Tis_variable_str(type.get()) > 0) {  // as the runner's results file writes them
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
    check(H5Tset_size(mem.get(), H5T_VARIABLE), "size a string type");
    check(H5Tset_cset(mem.get(), H5Tget_cset(type.get())), "set a string charset");
    char* text = nullptr;
    check(H5Aread(attr.get(), mem.get(), &text), "read attribute " + name);
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  std::string value(H5Tget_size(type.get()), '\0');
  check(H5Aread(attr.get(), type.get(), value.data()), "read attribute " + name);
  while (!value.empty() && value.back() == '\0') value.pop_back();
  return value;
}

}  // namespace

void write_mlp_weights(const std::filesystem::path& file, const diffusion::MlpWeights& weights,
                       const std::string& group) {
  const bool existed = std::filesystem::exists(file);
  Handle f(existed ? H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)
                   : H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
           H5Fclose, "open " + file.string() + " for writing");
  if (link_exists(f.get(), group)) check(H5Ldelete(f.get(), group.c_str(), H5P_DEFAULT), "replace group " + group);
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "create a link property list");
  check(H5Pset_create_intermediate_group(lcpl.get(), 1), "set intermediate group creation");
  Handle g(H5Gcreate2(f.get(), group.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create group " + group);

  const diffusion::MlpArchitecture& a = weights.architecture;
  write_attribute(g.get(), "format", std::string("spindiff.mlp"));
  write_attribute(g.get(), "version", 1LL);
  write_attribute(g.get(), "dim", static_cast<long long>(a.dim));
  write_attribute(g.get(), "width", static_cast<long long>(a.width));
  write_attribute(g.get(), "depth", static_cast<long long>(a.depth));
  write_attribute(g.get(), "n_frequencies", static_cast<long long>(a.n_frequencies));
  write_attribute(g.get(), "data_std", a.data_std);
  write_attribute(g.get(), "precision", std::string(diffusion::precision_name(weights.precision)));
  write_attribute(g.get(), "activation", std::string("silu"));
  write_attribute(g.get(), "parameterisation", std::string("epsilon"));

  // Stored in the network's own precision; the double values of a float network convert exactly.
  const hid_t file_type = weights.precision == diffusion::Precision::float32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE;
  for (const diffusion::NamedArray& arr : weights.arrays) {
    std::vector<hsize_t> dims(arr.shape.begin(), arr.shape.end());
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                 "create the dataspace of " + arr.name);
    Handle ds(H5Dcreate2(g.get(), arr.name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
              H5Dclose, "create dataset " + arr.name);
    check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, arr.values.data()),
          "write dataset " + arr.name);
  }
}

diffusion::MlpWeights read_mlp_weights(const std::filesystem::path& file, const std::string& group) {
  if (!std::filesystem::exists(file)) throw std::runtime_error("MLP weights: no file " + file.string());
  Handle f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + file.string());
  if (!link_exists(f.get(), group)) throw std::runtime_error("MLP weights: no group " + group + " in " + file.string());
  Handle g(H5Gopen2(f.get(), group.c_str(), H5P_DEFAULT), H5Gclose, "open group " + group);
  // The architecture lives on the group (write_mlp_weights) or, in a spindiff results file where a kind
  // cannot set group attributes, on the dataset output.bias.
  const bool on_group = H5Aexists(g.get(), "format") > 0;
  if (!on_group && H5Lexists(g.get(), "output.bias", H5P_DEFAULT) <= 0)
    throw std::runtime_error("MLP weights: " + group + " is not a spindiff.mlp group");
  Handle meta_dataset(on_group ? H5I_INVALID_HID : H5Dopen2(g.get(), "output.bias", H5P_DEFAULT), H5Dclose,
                      on_group ? "" : "open output.bias", !on_group);
  const hid_t meta = on_group ? g.get() : meta_dataset.get();
  if (H5Aexists(meta, "format") <= 0 || read_string_attribute(meta, "format") != "spindiff.mlp")
    throw std::runtime_error("MLP weights: " + group + " is not a spindiff.mlp group");
  if (read_int_attribute(meta, "version") != 1) throw std::runtime_error("MLP weights: unsupported version");
  if (read_string_attribute(meta, "parameterisation") != "epsilon" ||
      read_string_attribute(meta, "activation") != "silu")
    throw std::runtime_error("MLP weights: unsupported parameterisation or activation");

  diffusion::MlpWeights w;
  w.architecture.dim = static_cast<int>(read_int_attribute(meta, "dim"));
  w.architecture.width = static_cast<int>(read_int_attribute(meta, "width"));
  w.architecture.depth = static_cast<int>(read_int_attribute(meta, "depth"));
  w.architecture.n_frequencies = static_cast<int>(read_int_attribute(meta, "n_frequencies"));
  w.architecture.data_std = read_double_attribute(meta, "data_std");
  w.architecture.validate();
  w.precision = diffusion::parse_precision(read_string_attribute(meta, "precision"));

  // The expected arrays, in order; shapes come from the file and are checked by set_weights().
  for (int l = 0; l <= w.architecture.depth; ++l) {
    for (const char* part : {".weight", ".bias"}) {
      const std::string name = diffusion::mlp_layer_name(w.architecture, l) + part;
      if (H5Lexists(g.get(), name.c_str(), H5P_DEFAULT) <= 0)
        throw std::runtime_error("MLP weights: missing dataset " + name);
      Handle ds(H5Dopen2(g.get(), name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
      Handle space(H5Dget_space(ds.get()), H5Sclose, "get the dataspace of " + name);
      const int rank = H5Sget_simple_extent_ndims(space.get());
      if (rank < 1 || rank > 2)
        throw std::runtime_error("MLP weights: dataset " + name + " has rank " + std::to_string(rank));
      hsize_t dims[2] = {0, 0};
      H5Sget_simple_extent_dims(space.get(), dims, nullptr);
      diffusion::NamedArray arr;
      arr.name = name;
      std::size_t count = 1;
      for (int k = 0; k < rank; ++k) {
        arr.shape.push_back(static_cast<std::size_t>(dims[k]));
        count *= static_cast<std::size_t>(dims[k]);
      }
      arr.values.resize(count);
      check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, arr.values.data()),
            "read dataset " + name);
      w.arrays.push_back(std::move(arr));
    }
  }
  return w;
}

}  // namespace spindiff::io
