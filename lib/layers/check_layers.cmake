# The layer check (run by CTest as `layers.physics_sources`):
#   cmake -DSOURCE_DIR=<lib> -DAREAS="core;hopfield;..." -DINTERFACE_FILE=<build>/layers/physics_interface.txt
#         -P check_layers.cmake
# Fails when a physics source includes a file format, the run layer or a console/file stream, when an io/ file
# includes a model (physics area) or a higher run-layer header, or when the physics library's usage requirements
# mention HDF5, toml++ or fmt.
set(forbidden "#[ \t]*include[ \t]*[<\"](hdf5|H5[A-Za-z]*\\.h|toml\\+\\+/|fmt/|CLI/|fstream|iostream|cstdio|spindiff/(io|runner|config|kinds)/)")
set(failures 0)
foreach(area ${AREAS})
  file(GLOB_RECURSE files ${SOURCE_DIR}/src/${area}/* ${SOURCE_DIR}/include/spindiff/${area}/*)
  foreach(f ${files})
    file(STRINGS ${f} hits REGEX "${forbidden}")
    foreach(hit ${hits})
      message(SEND_ERROR "${f}: the physics layer may not use `${hit}` (files and formats belong to lib/src/io or lib/src/kinds)")
      math(EXPR failures "${failures} + 1")
    endforeach()
  endforeach()
endforeach()
# File formats know no model: lib/src/io and its headers use only the core and themselves (a model's file
# format lives beside its kinds, e.g. kinds/diffusion/mlp_weights).
set(model_header "#[ \t]*include[ \t]*[<\"]spindiff/(hopfield|spins|mc|stats|langevin|diffusion|bridge|runner|config|kinds)/")
file(GLOB_RECURSE io_files ${SOURCE_DIR}/src/io/* ${SOURCE_DIR}/include/spindiff/io/*)
foreach(f ${io_files})
  file(STRINGS ${f} hits REGEX "${model_header}")
  foreach(hit ${hits})
    message(SEND_ERROR "${f}: a file format in io/ may not use `${hit}` (a model's format lives beside its kinds)")
    math(EXPR failures "${failures} + 1")
  endforeach()
endforeach()
file(READ ${INTERFACE_FILE} interface)
string(TOLOWER "${interface}" interface_lower)
foreach(word hdf5 toml fmt)
  if(interface_lower MATCHES "${word}")
    message(SEND_ERROR "spindiff_physics passes ${word} to its users:\n${interface}")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} layer violation(s)")
endif()
message(STATUS "physics layer clean: ${AREAS}")
