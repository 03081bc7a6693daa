#include "spindiff/kinds/diffusion/mlp_weights.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include "spindiff/io/hdf5.hpp"

namespace spindiff::runner::diffusion_kinds {

using io::File;
using io::Group;

namespace {

std::string required_string(const Group& meta, const std::string& name) {
  if (!meta.has_attr(name)) throw std::runtime_error("MLP weights: missing attribute " + name);
  return meta.attr_string(name);
}

std::int64_t required_int(const Group& meta, const std::string& name) {
  if (!meta.has_attr(name)) throw std::runtime_error("MLP weights: missing attribute " + name);
  return meta.attr_int64(name);
}

double required_double(const Group& meta, const std::string& name) {
  if (!meta.has_attr(name)) throw std::runtime_error("MLP weights: missing attribute " + name);
  return meta.attr_double(name);
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ",") + part;
  return text;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

}  // namespace

std::vector<MlpAttribute> mlp_weight_attributes(const spindiff::diffusion::MlpWeights& weights) {
  const diffusion::MlpArchitecture& a = weights.architecture;
  std::vector<MlpAttribute> attributes = {
      {"format", std::string("spindiff.mlp")},
      {"version", std::int64_t{1}},
      {"dim", std::int64_t{a.dim}},
      {"width", std::int64_t{a.width}},
      {"depth", std::int64_t{a.depth}},
      {"n_frequencies", std::int64_t{a.n_frequencies}},
      {"data_std", a.data_std},
      {"precision", std::string(diffusion::precision_name(weights.precision))},
      {"activation", std::string("silu")},
      {"parameterisation", std::string(diffusion::parameterisation_name(a.parameterisation))}};
  // Written only when present, so an unconditional score's file is unchanged.
  if (!a.attributes.empty()) {
    std::vector<std::string> names;
    for (const diffusion::Attribute& attr : a.attributes) names.push_back(attr.name);
    attributes.emplace_back("labels", join(names));
    for (const diffusion::Attribute& attr : a.attributes)
      attributes.emplace_back("label_values." + attr.name, join(attr.values));
  }
  if (a.is_classifier()) {
    attributes.emplace_back("target", a.target.name);
    attributes.emplace_back("target_values", join(a.target.values));
  }
  return attributes;
}

void write_mlp_weights(const std::filesystem::path& file, const spindiff::diffusion::MlpWeights& weights,
                       const std::string& group) {
  const File f = std::filesystem::exists(file) ? File::open_rw(file) : File::create(file);
  const Group root = f.root();
  if (root.exists(group)) root.remove(group);
  const Group g = root.create_group(group);

  for (const auto& [name, value] : mlp_weight_attributes(weights))
    std::visit([&g, &name](const auto& v) { g.attr(name, v); }, value);

  // Stored in the network's own precision; the double values of a float network convert exactly.
  for (const diffusion::NamedArray& arr : weights.arrays) {
    if (weights.precision == diffusion::Precision::float32) {
      const std::vector<float> values(arr.values.begin(), arr.values.end());
      g.write(arr.name, std::span<const float>(values), arr.shape);
    } else {
      g.write(arr.name, std::span<const double>(arr.values), arr.shape);
    }
  }
}

diffusion::MlpWeights read_mlp_weights(const std::filesystem::path& file, const std::string& requested_group) {
  if (!std::filesystem::exists(file)) throw std::runtime_error("MLP weights: no file " + file.string());
  const File f = File::open_read(file);
  const Group root = f.root();
  const std::string group = !requested_group.empty() ? requested_group
                            : root.exists("mlp")     ? std::string("mlp")
                                                     : std::string("tasks/0000/weights");
  if (!root.exists(group)) throw std::runtime_error("MLP weights: no group " + group + " in " + file.string());
  const Group g = root.open_group(group);
  // The architecture lives on the group (write_mlp_weights) or, in a spindiff results file where a kind
  // cannot set group attributes, on the dataset output.bias.
  const bool on_group = g.has_attr("format");
  if (!on_group && !g.exists("output.bias"))
    throw std::runtime_error("MLP weights: " + group + " is not a spindiff.mlp group");
  const Group meta = g.object(on_group ? "." : "output.bias");
  if (!meta.has_attr("format") || meta.attr_string("format") != "spindiff.mlp")
    throw std::runtime_error("MLP weights: " + group + " is not a spindiff.mlp group");
  if (required_int(meta, "version") != 1) throw std::runtime_error("MLP weights: unsupported version");
  if (required_string(meta, "activation") != "silu") throw std::runtime_error("MLP weights: unsupported activation");
  // Files without the attribute predate the edm option: epsilon.
  const std::string parameterisation =
      meta.has_attr("parameterisation") ? meta.attr_string("parameterisation") : std::string("epsilon");
  if (parameterisation != "epsilon" && parameterisation != "edm")
    throw std::runtime_error("MLP weights: unsupported parameterisation " + parameterisation);

  spindiff::diffusion::MlpWeights w;
  w.architecture.dim = static_cast<int>(required_int(meta, "dim"));
  w.architecture.width = static_cast<int>(required_int(meta, "width"));
  w.architecture.depth = static_cast<int>(required_int(meta, "depth"));
  w.architecture.n_frequencies = static_cast<int>(required_int(meta, "n_frequencies"));
  w.architecture.data_std = required_double(meta, "data_std");
  w.architecture.parameterisation = diffusion::parse_parameterisation(parameterisation);
  if (meta.has_attr("labels"))
    for (const std::string& name : split(meta.attr_string("labels")))
      w.architecture.attributes.push_back({name, split(required_string(meta, "label_values." + name))});
  if (meta.has_attr("target"))
    w.architecture.target = {meta.attr_string("target"), split(required_string(meta, "target_values"))};
  w.architecture.validate();
  w.precision = diffusion::parse_precision(required_string(meta, "precision"));

  // The expected arrays, in order; shapes come from the file and are checked by set_weights().
  for (int l = 0; l <= w.architecture.depth; ++l) {
    for (const char* part : {".weight", ".bias"}) {
      const std::string name = diffusion::mlp_layer_name(w.architecture, l) + part;
      if (!g.exists(name)) throw std::runtime_error("MLP weights: missing dataset " + name);
      diffusion::NamedArray arr;
      arr.name = name;
      arr.shape = g.shape(name);
      if (arr.shape.empty() || arr.shape.size() > 2)
        throw std::runtime_error("MLP weights: dataset " + name + " has rank " + std::to_string(arr.shape.size()));
      arr.values = g.read_doubles(name);  // float32 converts exactly
      w.arrays.push_back(std::move(arr));
    }
  }
  return w;
}

}  // namespace spindiff::runner::diffusion_kinds
