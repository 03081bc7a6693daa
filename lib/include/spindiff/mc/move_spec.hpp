#pragma once
// What a Monte Carlo run asks for (MoveSpec), what a model offers (ModelFacts), and the error a move raises
// when the two do not fit. Shared by every move header and by the factory (moves.hpp).
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "spindiff/core/rng.hpp"
#include "spindiff/spins/lattice.hpp"
#include "spindiff/spins/model.hpp"

namespace spindiff::mc {

enum class Rule { metropolis, heatbath };
enum class Order { random, sequential, checkerboard };
Rule parse_rule(const std::string& name);
Order parse_order(const std::string& name);

struct MoveSpec {
  std::string name = "metropolis";  // metropolis, heatbath, wolff
  Order order = Order::random;      // site order of single-spin moves
  std::vector<double> tempering;    // parallel-tempering ladder (the run's T is added); empty: none
  // Packed checkerboard kernel of the 2-D Ising lattice: "auto" (the fastest that applies), "multispin" (one bit
  // per spin), "bytes" (one byte per spin) or "generic" (neither: the templated single-spin move).
  std::string kernel = "auto";
};

// The model as the moves see it. Built from a model (facts_of) or, before the model exists (configuration
// checks), from its parameters; `ferromagnetic` may then be unknown.
struct ModelFacts {
  bool lattice = false;               // sites on a lattice with sublattices
  bool bipartite = false;             // the sublattices make a checkerboard
  bool square_periodic = false;       // 2-D periodic square lattice with even L (the packed kernel's layout)
  bool bonds = false;                 // bonds can be listed (cluster moves)
  bool field = false;                 // a non-zero field
  std::optional<bool> ferromagnetic;  // all J_ij >= 0
};

template <spins::SpinModel M>
ModelFacts facts_of(const M& model) {
  ModelFacts f;
  if constexpr (spins::HasSublattices<M>) {
    f.lattice = true;
    f.bipartite = model.bipartite();
  }
  if constexpr (requires {
                  model.dim();
                  model.boundary();
                  model.L();
                })
    f.square_periodic = model.dim() == 2 && model.boundary() == spins::Boundary::periodic && model.L() % 2 == 0;
  if constexpr (spins::HasNeighbors<M> && requires {
                  model.ferromagnetic();
                  model.has_field();
                }) {
    f.bonds = true;
    f.field = model.has_field();
    f.ferromagnetic = model.ferromagnetic();
  }
  return f;
}

// A move's starting point: its state and the stream the chain draws from.
template <class State>
struct Start {
  State state;
  Stream stream;
};

// A move that does not fit the model, naming the part of the spec at fault.
struct MoveError : std::invalid_argument {
  enum class Part { name, order, tempering, kernel };
  MoveError(Part part, const std::string& what) : std::invalid_argument(what), part(part) {}
  Part part;
};

}  // namespace spindiff::mc
