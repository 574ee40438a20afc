# cmake -DCOMPILER=… -DINCLUDE_DIRS=<file, one directory a line> -DHEADER=model/session.hpp
#       -DEXPECT=allowed|refused -DWORK=<dir> -P probe_include.cmake
# Compiles a one-line source `#include "<HEADER>"` with a module's include directories, as a
# source of that module would be; passes when the result is what EXPECT says.
file(STRINGS ${INCLUDE_DIRS} dirs)
set(flags)
foreach(dir IN LISTS dirs)
  list(APPEND flags -I${dir})
endforeach()
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/probe.cpp "#include \"${HEADER}\"\n")
execute_process(COMMAND ${COMPILER} -std=c++20 -fsyntax-only ${flags} ${WORK}/probe.cpp
                RESULT_VARIABLE result ERROR_VARIABLE errors OUTPUT_QUIET)
if(EXPECT STREQUAL "allowed")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${HEADER} should be visible here, but:\n${errors}")
  endif()
  message(STATUS "${HEADER}: visible, as the layering allows")
else()
  # Refused for the right reason: the header itself is not found (GCC: "No such file", clang:
  # "file not found"), not some other error.
  string(REGEX MATCH "${HEADER}[':]*( No such file|: No such file| file not found)" refused "${errors}")
  if(result EQUAL 0 OR NOT refused)
    message(FATAL_ERROR "${HEADER} must not be visible here (result ${result}):\n${errors}")
  endif()
  message(STATUS "${HEADER}: not found, as the layering demands")
endif()
