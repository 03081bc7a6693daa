#include "letter_distortion.hpp"

#include <numbers>

namespace spindiff::runner {

std::vector<ParamSpec> distortion_params(const std::string& prefix, const DistortionDefaults& defaults,
                                         const std::string& role) {
  return {
      real_param(prefix + "shift", defaults.shift, 0.0, 8.0, role + ": max random shift in pixels (each axis)"),
      real_param(prefix + "thickness", defaults.thickness, 0.0, 1.0,
                 role + ": relative stroke-width jitter (thickening/thinning)"),
      real_param(prefix + "rotation", defaults.rotation_degrees, 0.0, 45.0, role + ": max rotation in degrees"),
      real_param(prefix + "shear", defaults.shear, 0.0, 1.0, role + ": max horizontal shear"),
      real_param(prefix + "scale", defaults.scale, 0.0, 0.5, role + ": max relative size change"),
  };
}

hopfield::letters::Distortion read_distortion(const Params& p, const std::string& prefix) {
  hopfield::letters::Distortion d;
  d.shift = p.real(prefix + "shift");
  d.thickness = p.real(prefix + "thickness");
  d.rotation = p.real(prefix + "rotation") * std::numbers::pi / 180.0;
  d.shear = p.real(prefix + "shear");
  d.scale = p.real(prefix + "scale");
  d.noise = p.real(prefix + "noise");
  d.stroke_width = p.real(prefix + "stroke_width");
  return d;
}

}  // namespace spindiff::runner
