# firepoker_add_plugin(NAME <name> KIND <transport|storage|bus|sink> SOURCES <files...>)
# Builds fire-poker-<name>.so with hidden visibility; only the FIREPOKER_PLUGIN entry points
# are exported.
function(firepoker_add_plugin)
  cmake_parse_arguments(ARG "" "NAME;KIND" "SOURCES" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_KIND OR NOT ARG_SOURCES)
    message(FATAL_ERROR "firepoker_add_plugin needs NAME, KIND and SOURCES")
  endif()
  if(NOT ARG_KIND MATCHES "^(transport|storage|bus|sink)$")
    message(FATAL_ERROR "firepoker_add_plugin: KIND must be transport, storage, bus or sink, not '${ARG_KIND}'")
  endif()
  set(target fp_plugin_${ARG_NAME})
  string(REPLACE "-" "_" target "${target}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE FirePoker::sdk)
  if(TARGET firepoker_build_flags)
    target_link_libraries(${target} PRIVATE firepoker_build_flags)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "fire-poker-${ARG_NAME}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED FP_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${FP_PLUGIN_OUTPUT_DIR})
  endif()
  set(FIREPOKER_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()
