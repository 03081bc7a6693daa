#pragma once
// What a task produces, in memory: summary scalars (one /summary row) and raw datasets
// (/tasks/NNNN/...). The runner writes it to HDF5; kinds never touch the file.
#include <cstdint>
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
};

}  // namespace spindiff::runner
