#pragma once
// Toy data sets for diffusion experiments (n points as rows). All draw from the given stream only.
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/diffusion/conditional_score.hpp"
#include "spindiff/diffusion/score.hpp"
#include "spindiff/hopfield/letters.hpp"

namespace spindiff::diffusion {

// Swiss roll (Sohl-Dickstein et al. 2015): angle t = 1.5 pi (1 + 2u), point (t cos t, t sin t) / 5, plus
// N(0, noise^2) on each coordinate. Points lie within radius ~2.9.
Points swiss_roll(Eigen::Index n, double noise, Stream& stream);

// Two interleaving half circles (as scikit-learn's make_moons): outer (cos th, sin th), inner
// (1 - cos th, 1/2 - sin th), th uniform in [0, pi], each point on either moon with probability 1/2, plus noise.
Points two_moons(Eigen::Index n, double noise, Stream& stream);

// Concentric rings with the given radii (each chosen with equal probability), uniform angle, radial noise.
Points rings(Eigen::Index n, const std::vector<double>& radii, double noise, Stream& stream);

// The letters bitmaps of the Hopfield module as points in [-1, 1]^{R^2} (+1 = ink, -1 = background, row-major
// R x R pixels): row i is letter alphabet[i mod K], drawn by hopfield::letters::render with its own random
// handwriting-like distortion, so the classes are balanced and in alphabet order. Throws std::invalid_argument
// for an empty alphabet or a character outside A-Z.
Points letters(Eigen::Index n, const std::string& alphabet, int resolution,
               const hopfield::letters::Distortion& distortion, Stream& stream);

// Letter styles drawn by the same distortion: `style` upright | italic (a fixed shear added to the random one) and
// `stroke` thin | bold (the undistorted stroke width, a fraction of R).
struct LetterStyles {
  double italic_shear = 0.45;
  double thin_width = 0.09;
  double bold_width = 0.2;
};
// The attributes of labelled_letters: letter (the alphabet's characters), style, stroke.
std::vector<Attribute> letter_attributes(const std::string& alphabet);
// Labelled letters: point i is letter alphabet[i mod K] in style (i / K) mod 2 and stroke (i / 2K) mod 2, so every
// combination is balanced; otherwise as letters(). `skip` leaves out every point that satisfies it (a held-out
// combination; the unconditional condition skips nothing), the remaining combinations keeping their order.
LabelledPoints labelled_letters(Eigen::Index n, const std::string& alphabet, int resolution,
                                const hopfield::letters::Distortion& distortion, const LetterStyles& styles,
                                Stream& stream, const Condition& skip = {});

}  // namespace spindiff::diffusion
