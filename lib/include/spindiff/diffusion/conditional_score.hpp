#pragma once
// Conditional score models: grad_x log p_t(x | c) for a condition c on named attributes of the data (a mixture's
// component, a letter and its style). One condition per call on a block of points, so guidance and composition
// wrappers cost one call per inner score, exactly like an unconditional model.
#include <string>
#include <vector>

#include "spindiff/diffusion/score.hpp"

namespace spindiff::diffusion {

// One named attribute and its vocabulary (the values it takes, in a fixed order: the label indices).
struct Attribute {
  std::string name;
  std::vector<std::string> values;
};

// A condition: one value index per attribute, or kAnyValue where the attribute is left free (a dropped label).
// All attributes free is the unconditional model.
inline constexpr int kAnyValue = -1;
struct Condition {
  std::vector<int> values;

  static Condition unconditional(std::size_t attributes) { return {std::vector<int>(attributes, kAnyValue)}; }
  bool is_unconditional() const;
  // The number of attributes it fixes.
  int fixed() const;
  bool operator==(const Condition&) const = default;
};

// "A:italic": values separated by ':', each looked up in the vocabularies (a value must name exactly one
// attribute; "letter=A" names it explicitly). Empty text or "*" is the unconditional condition. Throws
// std::invalid_argument naming the unknown or ambiguous value.
Condition parse_condition(const std::vector<Attribute>& attributes, const std::string& text);
// The inverse: fixed values joined by ':' ("" for the unconditional condition).
std::string format_condition(const std::vector<Attribute>& attributes, const Condition& condition);

// Per-point labels of a data set: labels(i, a) is point i's value index of attribute a.
using Labels = Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// A labelled data set: points (rows) and their labels.
struct LabelledPoints {
  Points x;
  Labels labels;
};
// True when point i's labels satisfy the condition.
bool satisfies(const Labels& labels, Eigen::Index i, const Condition& condition);

class ConditionalScoreModel {
 public:
  virtual ~ConditionalScoreModel() = default;
  // out(i, :) = grad_x log p_t(x(i, :) | condition); out is resized to x's shape.
  virtual void score(const Points& x, const NoiseLevel& level, const Condition& condition, Points& out) const = 0;
  virtual int dim() const = 0;
  virtual const std::vector<Attribute>& attributes() const = 0;
  // log p_t(x | condition) up to a constant independent of x (the energy a MALA corrector needs); models without
  // a tractable density return false from has_log_density and throw from log_density.
  virtual bool has_log_density() const { return false; }
  virtual void log_density(const Points& x, const NoiseLevel& level, const Condition& condition,
                           Eigen::VectorXd& out) const;
};

}  // namespace spindiff::diffusion
