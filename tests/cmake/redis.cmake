# Tests of the Redis plugins and of the SDK's conformance kit (issue 4).
#   fp_storage_conformance_tests  the kit against storage-memory/bus-local and
#                                 storage-redis/bus-redis (plain and over TLS), loaded by the
#                                 server's loader
#   fp_redis_tests                Redis-specific behaviour: url parsing, round trips,
#                                 publish on commit, Redis down and back, resubscribe, hash
#                                 slots of every script's keys, the conformance kits again on
#                                 a redis-server in cluster mode (CROSSSLOT shows), and TLS
# Both start their own redis-server on a free port (tests/unit/redis/redis_test_server.*),
# TLS ones with certificates made by the openssl command (test_certificates.*).
if(NOT TARGET fp_redis_common)
  return()
endif()

set(FP_REDIS_TEST_SERVER ${CMAKE_CURRENT_SOURCE_DIR}/unit/redis/redis_test_server.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/redis/test_certificates.cpp)

fp_add_unit_test_area(fp_storage_conformance_tests storage_conformance
  firepoker_core FirePoker::testkit fp_redis_common)
target_sources(fp_storage_conformance_tests PRIVATE ${FP_REDIS_TEST_SERVER})
target_include_directories(fp_storage_conformance_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/redis)
target_compile_definitions(fp_storage_conformance_tests PRIVATE
  FP_BUILT_PLUGIN_DIR="${FP_PLUGIN_OUTPUT_DIR}")
add_dependencies(fp_storage_conformance_tests
  fp_plugin_storage_memory fp_plugin_bus_local fp_plugin_storage_redis fp_plugin_bus_redis)

fp_add_unit_test_area(fp_redis_tests redis fp_storage_redis_impl fp_bus_redis_impl
  FirePoker::testkit)
