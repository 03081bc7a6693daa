#pragma once
// The handwriting distortion of hopfield::letters::render as kind parameters, declared and read in one place
// (hopfield.letters: the cues; the diffusion kinds' letters data: the training images).
#include <string>
#include <vector>

#include "spindiff/hopfield/letters.hpp"
#include "spindiff/runner/params.hpp"

namespace spindiff::runner {

struct DistortionDefaults {
  double shift;             // pixels
  double thickness;         // relative
  double rotation_degrees;  // degrees
  double shear;
  double scale;
};

// `<prefix>shift`, `<prefix>thickness`, `<prefix>rotation` (degrees), `<prefix>shear`, `<prefix>scale`;
// `role` opens each one-line doc ("cue distortion").
std::vector<ParamSpec> distortion_params(const std::string& prefix, const DistortionDefaults& defaults,
                                         const std::string& role);

// Those five, plus `<prefix>noise` and `<prefix>stroke_width`, which each kind declares itself.
hopfield::letters::Distortion read_distortion(const Params& p, const std::string& prefix);

}  // namespace spindiff::runner
