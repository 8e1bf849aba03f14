# Install rules: the layout the container image and any other installation use.
#   <prefix>/bin/fire-poker
#   <prefix>/lib/fire-poker/plugins/fire-poker-<name>.so   (every plugin under plugins/)
#   <prefix>/share/fire-poker/web/                          (the browser client)
#   <prefix>/share/fire-poker/configs/*.json                (the ready configurations)
# The server finds its plugins in <exe>/../lib/fire-poker/plugins and its web client in
# <exe>/../share/fire-poker/web, so an installed prefix runs without any path option. A config
# from share/fire-poker/configs finds ../web beside it, as in the source tree.
# Included from the top-level CMakeLists.txt after the plugins are added.
include_guard(GLOBAL)

install(TARGETS fire-poker RUNTIME DESTINATION bin COMPONENT runtime)

# Every MODULE built by firepoker_add_plugin() in plugins/<name>/ (test plugins live elsewhere).
function(fp_collect_plugin_targets dir out)
  set(found)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    get_target_property(name ${target} OUTPUT_NAME)
    if(type STREQUAL "MODULE_LIBRARY" AND name MATCHES "^fire-poker-")
      list(APPEND found ${target})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    fp_collect_plugin_targets(${sub} sub_found)
    list(APPEND found ${sub_found})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

if(FP_BUILD_PLUGINS)
  fp_collect_plugin_targets(${PROJECT_SOURCE_DIR}/plugins FP_INSTALLED_PLUGIN_TARGETS)
endif()
if(FP_INSTALLED_PLUGIN_TARGETS)
  install(TARGETS ${FP_INSTALLED_PLUGIN_TARGETS}
    LIBRARY DESTINATION lib/fire-poker/plugins COMPONENT runtime)
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/ DESTINATION share/fire-poker/web COMPONENT runtime
  PATTERN "package.json" EXCLUDE
  PATTERN "node_modules" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/ DESTINATION share/fire-poker/configs
  COMPONENT runtime FILES_MATCHING PATTERN "*.json")

# For plugin authors, with the SDK: these documents (docs/plugin-authoring.md first) and the
# example plugins, side by side so the documents' relative links hold.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION share/doc/fire-poker/docs
  COMPONENT sdk FILES_MATCHING PATTERN "*.md")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION share/doc/fire-poker/examples
  COMPONENT sdk PATTERN "build" EXCLUDE PATTERN "build-*" EXCLUDE)
