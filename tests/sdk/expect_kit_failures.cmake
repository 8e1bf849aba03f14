# Runs a conformance-kit program that must FAIL and checks that it fails for the right reasons:
# a non-zero exit, every expected case reported failed, every control case reported passed.
#   cmake -DPROGRAM=<exe> -DLABEL=<kit label> -DEXPECT_FAIL=<file> -DEXPECT_PASS=<file> -P this
# The files list one test name a line (without the "<label> storage: " prefix).
foreach(var PROGRAM LABEL EXPECT_FAIL EXPECT_PASS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "expect_kit_failures.cmake needs -D${var}=...")
  endif()
endforeach()

execute_process(COMMAND ${PROGRAM} -r xml RESULT_VARIABLE rc OUTPUT_VARIABLE xml
  ERROR_VARIABLE err TIMEOUT 120)
if(rc EQUAL 0)
  message(FATAL_ERROR "the kit passed a plugin that is broken on purpose: it must fail\n${err}")
endif()

# The outcome of one test case in Catch2's XML report: "true", "false" or "" when not run.
function(case_outcome name out)
  string(FIND "${xml}" "<TestCase name=\"${LABEL} storage: ${name}\"" start)
  if(start EQUAL -1)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  string(SUBSTRING "${xml}" ${start} -1 rest)
  string(REGEX MATCH "<OverallResult success=\"(true|false)\"" found "${rest}")
  set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

set(problems "")
file(STRINGS ${EXPECT_FAIL} must_fail)
foreach(name IN LISTS must_fail)
  case_outcome("${name}" outcome)
  if(outcome STREQUAL "false")
    message(STATUS "caught, as it must be: ${name}")
  else()
    string(APPEND problems "\n  not reported failed (${outcome}): ${name}")
  endif()
endforeach()
file(STRINGS ${EXPECT_PASS} must_pass)
foreach(name IN LISTS must_pass)
  case_outcome("${name}" outcome)
  if(outcome STREQUAL "true")
    message(STATUS "passed, as it must: ${name}")
  else()
    string(APPEND problems "\n  not reported passed (${outcome}): ${name}")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "the kit did not judge the broken plugin as expected:${problems}\n"
    "exit code ${rc}; stderr:\n${err}")
endif()
message(STATUS "the kit failed the broken plugin (exit code ${rc}) on exactly the broken behaviours")
