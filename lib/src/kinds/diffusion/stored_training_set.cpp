#include "stored_training_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <optional>

#include "data_source.hpp"
#include "spindiff/io/hdf5.hpp"
#include "spindiff/kinds/diffusion/mlp_weights.hpp"

namespace spindiff::runner::diffusion_kinds {

namespace dd = spindiff::diffusion;

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The parameters that, with the seed and the stream, decide the training points of data set `data`.
bool defines_training_law(const std::string& data, const std::string& name) {
  if (name == "data" || name == "n_train") return true;
  if (data == "mixture") return starts_with(name, "mixture.");
  if (data == "letters") return starts_with(name, "letters.");
  if (data == "rings") return name == "data_noise" || name == "rings.radii";
  if (data == "swiss_roll" || data == "two_moons") return name == "data_noise";
  // The digits themselves come from the stored set; the seed and test_fraction draw the split, so a sampling run
  // that disagrees would evaluate against digits the network was trained on.
  if (data == "digits") return name == "test_fraction" || name == "seed";
  return false;
}

// The training run's value of a parameter, read as the type the sampling run's value has.
std::optional<Value> stored_value(const io::Group& task, const std::string& name, const Value& like) {
  if (!task.has_attr(name)) return std::nullopt;
  if (std::holds_alternative<bool>(like)) return Value(task.attr_int64(name) != 0);
  if (std::holds_alternative<std::int64_t>(like)) return Value(task.attr_int64(name));
  if (std::holds_alternative<double>(like)) return Value(task.attr_double(name));
  if (std::holds_alternative<std::string>(like)) return Value(task.attr_string(name));
  return Value(task.attr_doubles(name));
}

dd::Points points_of(const io::Group& task, const std::string& name) {
  const std::vector<std::size_t> shape = task.shape(name);
  if (shape.size() != 2) throw std::runtime_error(name + " is not a matrix of points");
  const std::vector<double> values = task.read_doubles(name);
  dd::Points x(static_cast<Eigen::Index>(shape[0]), static_cast<Eigen::Index>(shape[1]));
  std::copy(values.begin(), values.end(), x.data());
  return x;
}

dd::Labels labels_of(const io::Group& task, const std::string& name) {
  const std::vector<std::size_t> shape = task.shape(name);
  if (shape.size() != 2) throw std::runtime_error(name + " is not a matrix of labels");
  const std::vector<std::int64_t> values = task.read_int64(name);
  dd::Labels labels(static_cast<Eigen::Index>(shape[0]), static_cast<Eigen::Index>(shape[1]));
  std::transform(values.begin(), values.end(), labels.data(), [](std::int64_t v) { return static_cast<int>(v); });
  return labels;
}

}  // namespace

StoredTrainingSet read_training_set(const Params& p, const std::string& file, const std::string& key) {
  const auto fail = [&](const std::string& why) { throw ConfigError("", key, fmt::format("{}: {}", file, why)); };
  if (file.empty()) fail("no file given: the training set is read from a diffusion.train results file");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) fail("no such file (run the training first)");
  StoredTrainingSet set;
  std::int64_t n_train = 0;
  try {
    const io::File f = io::File::open_read(file);
    const io::Group root = f.root();
    if (!root.has_attr("kind") || root.attr_string("kind") != "diffusion.train" || !root.exists("tasks/0000"))
      fail("not the results of a diffusion.train run (its first task stores the training set)");
    const io::Group task = root.open_group("tasks/0000");

    for (const ParamSpec& spec : p.specs()) {
      if (!defines_training_law(p.string("data"), spec.name) || !p.has(spec.name)) continue;
      const Value& here = p.value(spec.name);
      const std::optional<Value> there = stored_value(task, spec.name, here);
      if (!there)
        throw ConfigError("", spec.name, fmt::format("the training run {} has no value of it to compare with", file));
      if (*there != here)
        throw ConfigError("", spec.name,
                          fmt::format("{} here but {} in the training run {} (`{}`), whose stored training set "
                                      "is used: give both configurations the same data parameters",
                                      format_value(here), format_value(*there), file, key));
    }

    n_train = task.attr_int64("n_train");
    if (task.exists("training_data")) {
      set.x = points_of(task, "training_data");
      if (task.exists("training_labels")) {
        set.labels = labels_of(task, "training_labels");
        set.attributes = read_mlp_weights(file).architecture.attributes;
      }
    } else if (task.exists("data") && static_cast<std::int64_t>(task.shape("data").at(0)) == n_train) {
      set.x = points_of(task, "data");  // an unlabelled run's `data`: the first n_samples training points
    } else {
      fail(
          fmt::format("holds {} of its n_train = {} training points (an unlabelled training run stores them in "
                      "`data`, the first n_samples of them: train with n_samples >= n_train)",
                      task.exists("data") ? task.shape("data").at(0) : 0, n_train));
    }
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& e) {
    fail(fmt::format("cannot read its training set: {}", e.what()));
  }
  if (set.x.cols() != static_cast<Eigen::Index>(data_dimension(p)))
    fail(fmt::format("its training points have dimension {}, the data set here {}", set.x.cols(),
                     static_cast<long>(data_dimension(p))));
  if (set.labels.size() > 0 &&
      (set.labels.rows() != set.x.rows() || set.labels.cols() != static_cast<Eigen::Index>(set.attributes.size())))
    fail("its training labels do not fit its training points and attributes");
  return set;
}

}  // namespace spindiff::runner::diffusion_kinds
