# firepoker_add_plugin(NAME <name> KIND <transport|storage|bus|sink> SOURCES <files...>
#                      [LIBRARIES <libs...>] [INSTALL])
# Builds fire-poker-<name>.so, the file the server looks for when a config names <name>:
#   - a MODULE library linked to FirePoker::sdk (the headers; the SDK has no library to link);
#   - hidden visibility, so only the entry points of FIREPOKER_PLUGIN are exported;
#   - C++17 exactly, no extensions: the build signature in the manifest must equal the
#     server's, and it includes the language standard;
#   - LIBRARIES are linked privately; INSTALL installs it where an installed server looks
#     (<prefix>/lib/fire-poker/plugins).
# The target is fp_plugin_<name> ('-' becomes '_'), also left in FIREPOKER_LAST_PLUGIN_TARGET.
# Used by the server's own plugins and, installed with the SDK, by plugins out of the tree.
include_guard(GLOBAL)

set(FIREPOKER_PLUGIN_INSTALL_DIR "lib/fire-poker/plugins"
  CACHE STRING "Where INSTALL puts plugins, relative to CMAKE_INSTALL_PREFIX")

function(firepoker_add_plugin)
  cmake_parse_arguments(ARG "INSTALL" "NAME;KIND" "SOURCES;LIBRARIES" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "firepoker_add_plugin: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_NAME OR NOT ARG_KIND OR NOT ARG_SOURCES)
    message(FATAL_ERROR "firepoker_add_plugin needs NAME, KIND and SOURCES")
  endif()
  if(NOT ARG_NAME MATCHES "^[a-z0-9][a-z0-9-]*$")
    message(FATAL_ERROR "firepoker_add_plugin: NAME '${ARG_NAME}' must be lower-case letters, digits and '-'")
  endif()
  if(NOT ARG_KIND MATCHES "^(transport|storage|bus|sink)$")
    message(FATAL_ERROR "firepoker_add_plugin: KIND must be transport, storage, bus or sink, not '${ARG_KIND}'")
  endif()
  set(target fp_plugin_${ARG_NAME})
  string(REPLACE "-" "_" target "${target}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE FirePoker::sdk ${ARG_LIBRARIES})
  if(TARGET firepoker_build_flags)
    target_link_libraries(${target} PRIVATE firepoker_build_flags)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "fire-poker-${ARG_NAME}"
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    FIREPOKER_PLUGIN_KIND ${ARG_KIND})
  if(DEFINED FP_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${FP_PLUGIN_OUTPUT_DIR})
  endif()
  # Out of the tree: a plugin built with another compiler family than the server's is refused
  # at load time (build signature); say so now rather than then.
  if(DEFINED FirePokerSDK_CXX_COMPILER_ID)
    string(REGEX MATCH "^[0-9]+" server_major "${FirePokerSDK_CXX_COMPILER_VERSION}")
    string(REGEX MATCH "^[0-9]+" plugin_major "${CMAKE_CXX_COMPILER_VERSION}")
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL FirePokerSDK_CXX_COMPILER_ID OR
       NOT plugin_major STREQUAL server_major)
      message(WARNING "firepoker_add_plugin(${ARG_NAME}): the server of this SDK was built with "
        "${FirePokerSDK_CXX_COMPILER_ID} ${server_major}, this plugin with "
        "${CMAKE_CXX_COMPILER_ID} ${plugin_major}: the server will refuse it (build signature). "
        "Configure with the same compiler (CMAKE_CXX_COMPILER).")
    endif()
  endif()
  if(ARG_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${FIREPOKER_PLUGIN_INSTALL_DIR})
  endif()
  set(FIREPOKER_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()
