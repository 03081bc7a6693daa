#pragma once
// Result column declarations: each kind declares the /summary columns it writes (name, meaning, unit) next to
// its parameters; `describe`, docs/kinds.md and the `doc`/`unit` attributes of /summary come from them.
#include <string>
#include <vector>

namespace spindiff::runner {

class TaskOutput;

struct ResultColumn {
  std::string name;  // the column; with `prefix`, every column whose name starts with it
  std::string doc;   // one line: what the number is
  std::string unit;  // empty when the quantity is dimensionless or a count
  bool prefix = false;
  // Whether the kind may also write `<name>_err` (its standard error); the runner declares that column.
  bool has_error = true;
};

// Builders that keep declarations one line each.
ResultColumn result(std::string name, std::string doc, std::string unit = "");
// A column without an error column (an exact value, a count, a text label).
ResultColumn exact_result(std::string name, std::string doc, std::string unit = "");
// A family of columns named `<prefix>...` (one per class, say).
ResultColumn result_family(std::string prefix, std::string doc, std::string unit = "");

// The declaration a /summary column falls under, or none. `<name>_err` columns resolve to `<name>` with the
// meaning "standard error of ...": `error` is set to true for them.
struct ResolvedColumn {
  const ResultColumn* column = nullptr;
  bool error = false;
  std::string doc() const;  // the dataset's `doc` attribute
};
ResolvedColumn resolve_result_column(const std::vector<ResultColumn>& declared, const std::string& name);

// The summary columns in `out` that no declaration covers (the runner warns about them; the tests refuse them).
std::vector<std::string> undeclared_result_columns(const std::vector<ResultColumn>& declared, const TaskOutput& out);

}  // namespace spindiff::runner
