# cmake -DSOURCE=page.md -DOUTPUT=out.md [-DTOOL=/path/to/tool] [-DVERSION=x.y.z] -P splice.cmake
#
# Copies a man page's Markdown source, replacing the line @OPTIONS@ with the
# output of `TOOL --help-markdown` (so the OPTIONS section comes from the
# binary's own argument table and cannot drift) and @VERSION@ with VERSION.
cmake_minimum_required(VERSION 3.18)
foreach(var SOURCE OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "splice.cmake: -D${var}=... is required")
  endif()
endforeach()

file(READ "${SOURCE}" text)
if(text MATCHES "\n@OPTIONS@\n")
  if(NOT DEFINED TOOL OR TOOL STREQUAL "")
    message(FATAL_ERROR "${SOURCE} has an @OPTIONS@ line but no -DTOOL=... was given")
  endif()
  execute_process(COMMAND "${TOOL}" --help-markdown
                  OUTPUT_VARIABLE options ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR options STREQUAL "")
    message(FATAL_ERROR "${TOOL} --help-markdown failed (${rc}): ${err}")
  endif()
  string(REGEX REPLACE "\n+$" "" options "${options}")
  string(REPLACE "\n@OPTIONS@\n" "\n${options}\n" text "${text}")
endif()
if(DEFINED VERSION)
  string(REPLACE "@VERSION@" "${VERSION}" text "${text}")
endif()

file(WRITE "${OUTPUT}" "${text}")
