# The SDK as a product (issue 7).
#   fp_sdk_boundary_tests        no exception crosses the plugin boundary (core guards)
#   fp_sdk_conformance_tests     the sink kit against sink-jsonl, sink-webhook (to a receiver
#                                in the test) and sink-notion (to the Notion double, spawned
#                                with node), loaded by the server's loader
#   sdk: kit fails a broken...   the storage kit run against test-broken-storage must FAIL,
#                                on exactly the broken behaviours
#   sdk: installed prefix        cmake --install, then the examples/ built, tested and loaded
#                                from the installed prefix only (label sdk)
set(FP_BUILT_PLUGINS_HELPER ${CMAKE_CURRENT_SOURCE_DIR}/unit/storage_conformance/built_plugins.cpp)

fp_add_unit_test_area(fp_sdk_boundary_tests sdk_boundary firepoker_core)

fp_add_unit_test_area(fp_sdk_conformance_tests sdk_conformance firepoker_core FirePoker::testkit)
target_sources(fp_sdk_conformance_tests PRIVATE ${FP_BUILT_PLUGINS_HELPER})
target_include_directories(fp_sdk_conformance_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/storage_conformance)
target_compile_definitions(fp_sdk_conformance_tests PRIVATE
  FP_BUILT_PLUGIN_DIR="${FP_PLUGIN_OUTPUT_DIR}")
add_dependencies(fp_sdk_conformance_tests fp_plugin_sink_jsonl)
if(TARGET fp_plugin_sink_webhook)
  add_dependencies(fp_sdk_conformance_tests fp_plugin_sink_webhook)
endif()
if(TARGET fp_plugin_sink_notion)
  add_dependencies(fp_sdk_conformance_tests fp_plugin_sink_notion)
endif()
# sink_notion_conformance_test.cpp runs the Notion double itself (FP_NODE: tests/CMakeLists.txt).
target_compile_definitions(fp_sdk_conformance_tests PRIVATE
  FP_NODE="${FP_NODE}"
  FP_NOTION_DOUBLE="${CMAKE_CURRENT_SOURCE_DIR}/notion-double/notion-double.mjs")

# Not discovered test by test: its cases are meant to fail. The script judges the run.
add_executable(fp_sdk_broken_storage_kit
  unit/sdk_broken_storage/broken_storage_kit_test.cpp ${FP_BUILT_PLUGINS_HELPER})
target_link_libraries(fp_sdk_broken_storage_kit PRIVATE
  Catch2::Catch2WithMain firepoker_build_flags firepoker_core FirePoker::testkit)
target_include_directories(fp_sdk_broken_storage_kit PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/storage_conformance)
target_compile_definitions(fp_sdk_broken_storage_kit PRIVATE
  FP_BUILT_PLUGIN_DIR="${FP_TEST_PLUGIN_DIR}")
add_dependencies(fp_sdk_broken_storage_kit test-broken-storage)
add_test(NAME "sdk: the storage kit fails a deliberately broken storage"
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:fp_sdk_broken_storage_kit>
    -DLABEL=test-broken-storage
    -DEXPECT_FAIL=${CMAKE_CURRENT_SOURCE_DIR}/sdk/broken_storage_must_fail.txt
    -DEXPECT_PASS=${CMAKE_CURRENT_SOURCE_DIR}/sdk/broken_storage_must_pass.txt
    -P ${CMAKE_CURRENT_SOURCE_DIR}/sdk/expect_kit_failures.cmake)
set_tests_properties("sdk: the storage kit fails a deliberately broken storage" PROPERTIES
  LABELS "sdk;unit" TIMEOUT 120)

# The examples built out of the tree against an installed copy of this build (needs the whole
# build: it installs it). Also runs the installed server with the example plugins.
find_program(FP_BASH bash REQUIRED)
add_test(NAME "sdk: examples build, test and load from the installed prefix only"
  COMMAND ${FP_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/sdk/installed_sdk_test.sh)
set_tests_properties("sdk: examples build, test and load from the installed prefix only"
  PROPERTIES LABELS sdk TIMEOUT 300
  ENVIRONMENT "FP_BUILD_DIR=${CMAKE_BINARY_DIR};FP_SOURCE_DIR=${PROJECT_SOURCE_DIR};FP_NODE=${FP_NODE};FP_CXX=${CMAKE_CXX_COMPILER}")
