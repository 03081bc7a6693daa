// Compiled with the physics library's usage requirements alone (lib/CMakeLists.txt): it must build as it is and
// must fail with SPINDIFF_PROBE_INCLUDE_HDF5 defined, because the physics layer does not see the HDF5 headers.
#ifdef SPINDIFF_PROBE_INCLUDE_HDF5
#include <hdf5.h>
#endif
#include "spindiff/core/rng.hpp"
#include "spindiff/hopfield/network.hpp"

int spindiff_layer_probe() { return 0; }
