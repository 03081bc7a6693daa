#include "spindiff/runner/checkpoint.hpp"

#include <stdexcept>

#include "spindiff/runner/task_record.hpp"

namespace spindiff::runner {

namespace {
constexpr std::uint32_t kFormat = 0x53444331;  // "SDC1"

struct SeriesFields {
  std::string name;
  std::uint64_t column = 0, values = 0;
  std::optional<std::uint64_t> errors;
  std::vector<bool> present;
  template <class Archive>
  void fields(Archive& ar) {
    ar(name, column, values, errors, present);
  }
};
}  // namespace

Bytes pack_checkpoint(const TaskCheckpoint& checkpoint) {
  TaskResult partial;
  partial.output = checkpoint.output;
  partial.seconds = checkpoint.seconds;
  const std::vector<std::int8_t> record = pack_task(partial);
  std::vector<SeriesFields> series;
  for (const auto& s : checkpoint.output.series())
    series.push_back({s.name, s.column, s.values,
                      s.errors ? std::optional<std::uint64_t>(*s.errors) : std::optional<std::uint64_t>(), s.present});
  ByteWriter w;
  w.tag(kFormat);
  w(checkpoint.state, record, series);
  return std::move(w).bytes();
}

TaskCheckpoint unpack_checkpoint(const Bytes& bytes) {
  ByteReader r(bytes);
  r.tag(kFormat);
  TaskCheckpoint c;
  std::vector<std::int8_t> record;
  std::vector<SeriesFields> series;
  r(c.state, record, series);
  if (!r.done()) throw std::runtime_error("checkpoint has trailing bytes");
  TaskResult partial = unpack_task(record);
  c.output = std::move(partial.output);
  c.seconds = partial.seconds;
  std::vector<TaskOutput::Series> restored;
  for (const auto& s : series)
    restored.push_back({s.name, static_cast<std::size_t>(s.column), static_cast<std::size_t>(s.values),
                        s.errors ? std::optional<std::size_t>(static_cast<std::size_t>(*s.errors)) : std::nullopt,
                        s.present});
  c.output.restore_series(std::move(restored));
  return c;
}

}  // namespace spindiff::runner
