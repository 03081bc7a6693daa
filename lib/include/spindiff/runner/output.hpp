#pragma once
// What a task produces, in memory: summary scalars (one /summary row), per-repeat samples and raw datasets
// (/tasks/NNNN/...). The runner writes it to HDF5; kinds never touch the file.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "spindiff/runner/params.hpp"

namespace spindiff::runner {

struct Array {
  std::vector<std::size_t> shape;  // row-major (C order, as numpy and h5py see it)
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::int8_t>, std::vector<std::string>> data;
  std::vector<std::pair<std::string, Value>> attributes;  // e.g. units, axis names

  // Adds the attribute `doc` (what the dataset holds); returns *this for chaining after TaskOutput::array.
  Array& doc(std::string text) {
    attributes.emplace_back("doc", Value(std::move(text)));
    return *this;
  }
};

class TaskOutput {
 public:
  // A numeric summary column. With `err`, also the column `<name>_err`.
  void scalar(const std::string& name, double value);
  void scalar(const std::string& name, double value, double err);
  // One value per repeat, called once per repeat in repeat order. The summary gets the mean over the repeats
  // as `<name>` and its standard error as `<name>_err` (as stats::mean_error computes them; NaN for a single
  // repeat, whose spread is unknown), and the raw values are kept as the task dataset `repeats/<name>` so
  // they can be rebinned, jackknifed or pooled later.
  void sample(const std::string& name, double value);
  // The same, with this repeat's own error estimate (from binning a correlated series, say): with a single
  // repeat it is the `<name>_err` column; the estimates are kept as `repeats/<name>_err`. Either every call
  // for a name gives an error or none does.
  void sample(const std::string& name, double value, double error);
  // This repeat has no value of `name` (say, a threshold its trajectory never crossed): NaN in `repeats/<name>`
  // (and `repeats/<name>_err`), left out of the mean and its error, which are over the repeats that have one.
  void no_sample(const std::string& name);
  // A text summary column (e.g. the rule or sampler name).
  void label(const std::string& name, std::string value);

  // Raw datasets; `name` may contain '/' to make subgroups ("trajectories/0003").
  // Empty shape = 1-D of data.size().
  Array& array(const std::string& name, std::vector<double> data, std::vector<std::size_t> shape = {});
  Array& array(const std::string& name, std::vector<std::int64_t> data, std::vector<std::size_t> shape = {});
  Array& array(const std::string& name, std::vector<std::int8_t> data, std::vector<std::size_t> shape = {});
  Array& array(const std::string& name, std::vector<std::string> data);
  // Extra task attributes beside the parameters (derived sizes, theory values, ...).
  void attribute(const std::string& name, Value v);
  // Something the reader of the results must know (diverged trajectories, ...): printed by the CLI after
  // the run and kept in the task's `warnings` attribute.
  void warning(std::string text);

  using Column = std::pair<std::string, std::variant<double, std::string>>;
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<std::pair<std::string, Array>>& arrays() const { return arrays_; }
  const std::vector<std::pair<std::string, Value>>& attributes() const { return attributes_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<Column> columns_;
  std::vector<std::pair<std::string, Array>> arrays_;
  std::vector<std::pair<std::string, Value>> attributes_;
  std::vector<std::string> warnings_;

  // Where a sampled quantity keeps its columns and raw values.
  struct Series {
    std::string name;
    std::size_t column;                 // index of `<name>` in columns_; `<name>_err` follows it
    std::size_t values;                 // index of `repeats/<name>` in arrays_
    std::optional<std::size_t> errors;  // index of `repeats/<name>_err`, when the kind gives errors
    std::vector<bool> present;          // per repeat: false where no_sample was called
  };
  void add_sample(const std::string& name, double value, std::optional<double> error, bool present = true);
  std::vector<Series> series_;
};

}  // namespace spindiff::runner
