# The benchmark's smoke test (issue 8): bench/smoke.mjs runs fp-loadgen for a few seconds
# against a real fire-poker on storage-memory and on storage-redis and fails on any error or
# on nothing delivered, so the bench cannot rot unnoticed. The full benchmark (bench/run.sh)
# and the soak (bench/soak.sh) are not tests.
if(NOT TARGET fp-loadgen)
  return()
endif()
add_test(NAME bench-smoke
  COMMAND ${FP_NODE} ${PROJECT_SOURCE_DIR}/bench/smoke.mjs --build-dir ${CMAKE_BINARY_DIR}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(bench-smoke PROPERTIES LABELS bench TIMEOUT 60)
