# Installs the SDK (component `sdk`): headers, the FirePokerSDK CMake package with its version
# file, and firepoker_add_plugin(). The package version's major number is the SDK ABI version:
# find_package(FirePokerSDK 2) accepts 2.x (SameMajorVersion) and nothing built for ABI 1 or 3.
#   <prefix>/include/firepoker/sdk/*.hpp, <prefix>/include/firepoker/testkit/...
#   <prefix>/lib/cmake/FirePokerSDK/{FirePokerSDKConfig,ConfigVersion,Targets,Plugin}.cmake
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(FP_SDK_CMAKE_DIR lib/cmake/FirePokerSDK)

set_target_properties(firepoker_sdk PROPERTIES EXPORT_NAME sdk)
set_target_properties(firepoker_testkit PROPERTIES EXPORT_NAME testkit)
install(TARGETS firepoker_sdk firepoker_testkit EXPORT FirePokerSDKTargets COMPONENT sdk)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/ DESTINATION include COMPONENT sdk)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/testkit/include/ DESTINATION include
  COMPONENT sdk)
install(EXPORT FirePokerSDKTargets NAMESPACE FirePoker:: DESTINATION ${FP_SDK_CMAKE_DIR}
  COMPONENT sdk)

configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/FirePokerSDKConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/FirePokerSDKConfig.cmake
  INSTALL_DESTINATION ${FP_SDK_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/FirePokerSDKConfigVersion.cmake
  VERSION ${FP_SDK_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/FirePokerSDKConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/FirePokerSDKConfigVersion.cmake
  ${CMAKE_CURRENT_SOURCE_DIR}/cmake/FirePokerPlugin.cmake
  DESTINATION ${FP_SDK_CMAKE_DIR} COMPONENT sdk)
