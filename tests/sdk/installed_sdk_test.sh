#!/usr/bin/env bash
# The SDK as a plugin author gets it: install this build into a temporary prefix, then build,
# test and install each plugin in examples/ from a copy outside the tree with only that prefix
# on CMAKE_PREFIX_PATH, and run the INSTALLED server: --list-plugins shows the examples,
# --check-config checks their options, and a real run loads storage-files and sink-markdown,
# finalizes a story and finds it written as Markdown (and the room kept across a restart).
#   FP_BUILD_DIR   the build to install (required)
#   FP_SOURCE_DIR  the source tree (required; only examples/ and tests/ are read from it)
#   FP_NODE        node, for the real run (default: node)
#   FP_CXX         the compiler the build used (default: c++); a plugin must use the server's
#   FP_KEEP_TMP=1  keep the temporary folder
set -euo pipefail
: "${FP_BUILD_DIR:?set FP_BUILD_DIR}" "${FP_SOURCE_DIR:?set FP_SOURCE_DIR}"
node_bin=${FP_NODE:-node}
cxx=${FP_CXX:-c++}
build_dir=$(cd "$FP_BUILD_DIR" && pwd)
source_dir=$(cd "$FP_SOURCE_DIR" && pwd)
work=$(mktemp -d /tmp/fp-sdk-XXXXXX)
cleanup() { [[ "${FP_KEEP_TMP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT
prefix=$work/prefix
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

step "install the build into $prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log"
for f in include/firepoker/sdk/abi.hpp include/firepoker/sdk/export.hpp \
         include/firepoker/testkit/storage_conformance.hpp \
         include/firepoker/testkit/sink_conformance.hpp \
         lib/cmake/FirePokerSDK/FirePokerSDKConfig.cmake \
         lib/cmake/FirePokerSDK/FirePokerSDKConfigVersion.cmake \
         lib/cmake/FirePokerSDK/FirePokerSDKTargets.cmake \
         lib/cmake/FirePokerSDK/FirePokerPlugin.cmake bin/fire-poker \
         lib/fire-poker/plugins/fire-poker-sink-jsonl.so; do
  [[ -e "$prefix/$f" ]] || fail "cmake --install did not install $f"
done

step "the sdk component alone installs the SDK, not the server"
cmake --install "$build_dir" --prefix "$work/sdk-only" --component sdk >/dev/null
[[ -f "$work/sdk-only/include/firepoker/sdk/storage.hpp" && \
   -f "$work/sdk-only/lib/cmake/FirePokerSDK/FirePokerSDKConfig.cmake" ]] \
  || fail "--component sdk did not install the SDK"
[[ ! -e "$work/sdk-only/bin/fire-poker" ]] || fail "--component sdk installed the server too"
[[ -f "$work/sdk-only/share/doc/fire-poker/docs/plugin-authoring.md" && \
   -f "$work/sdk-only/share/doc/fire-poker/examples/sink-markdown/README.md" ]] \
  || fail "--component sdk did not install the plugin-authoring guide with the examples"

abi=$(sed -n 's/^#define FIREPOKER_SDK_ABI_VERSION \([0-9]*\)u$/\1/p' "$prefix/include/firepoker/sdk/abi.hpp")
[[ -n "$abi" ]] || fail "cannot read the ABI version from the installed abi.hpp"
for wanted in $((abi + 1)) $((abi - 1)); do
  ((wanted > 0)) || continue
  step "find_package(FirePokerSDK $wanted) is refused by the ABI $abi SDK: the major version is the ABI version"
  mkdir -p "$work/v$wanted"
  cat >"$work/v$wanted/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(WantsAbi$wanted LANGUAGES CXX)
find_package(FirePokerSDK $wanted REQUIRED)
CMAKE
  if cmake -S "$work/v$wanted" -B "$work/v$wanted/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/v$wanted.log" 2>&1; then
    fail "find_package(FirePokerSDK $wanted) was accepted by an ABI $abi SDK"
  fi
  grep -q "version: $abi\.[0-9]*\.[0-9]*" "$work/v$wanted.log" || fail "the refusal does not name the installed version"
done

examples=(sink-markdown storage-files)
for example in "${examples[@]}"; do
  step "$example: configure, build, test, install from the prefix only"
  # A copy outside the tree: nothing of the source or build tree can leak in by a path.
  cp -r "$source_dir/examples/$example" "$work/$example"
  cmake -S "$work/$example" -B "$work/$example/build" -G Ninja -DCMAKE_BUILD_TYPE= \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$work/$example.configure.log" \
    || { cat "$work/$example.configure.log"; fail "$example does not configure"; }
  cmake --build "$work/$example/build" -j2 >"$work/$example.build.log" 2>&1 \
    || { cat "$work/$example.build.log"; fail "$example does not build"; }
  if grep -q -e "$source_dir/sdk" -e "$source_dir/core" -e "$build_dir" \
       "$work/$example/build/compile_commands.json"; then
    fail "$example was compiled with a path into the Fire Poker tree"
  fi
  grep -q -- "-isystem $prefix/include\|-I$prefix/include" "$work/$example/build/compile_commands.json" \
    || fail "$example does not take the SDK headers from the prefix"
  ctest --test-dir "$work/$example/build" --output-on-failure -j4 >"$work/$example.ctest.log" 2>&1 \
    || { cat "$work/$example.ctest.log"; fail "$example's tests fail"; }
  grep -E "tests passed" "$work/$example.ctest.log"
  cmake --install "$work/$example/build" >/dev/null
  [[ -f "$prefix/lib/fire-poker/plugins/fire-poker-$example.so" ]] \
    || fail "$example was not installed into the server's plugin folder"
done

step "the installed server lists the example plugins"
listing=$("$prefix/bin/fire-poker" --list-plugins)
for example in "${examples[@]}"; do
  grep -q "$example" <<<"$listing" || { echo "$listing"; fail "--list-plugins does not show $example"; }
done
grep -E "sink-markdown|storage-files" <<<"$listing" | head -4

step "--check-config checks the examples' options against their manifests"
cat >"$work/bad.json" <<'JSON'
{"storage": {"plugin": "storage-files", "options": {"folder": 5, "colour": "blue"}},
 "sinks": [{"name": "pages", "plugin": "sink-markdown", "options": {"folder": "md"}}]}
JSON
set +e
check=$("$prefix/bin/fire-poker" --check-config "$work/bad.json" 2>&1)
code=$?
set -e
[[ $code == 2 ]] || { echo "$check"; fail "--check-config answered $code, not 2"; }
grep -q "folder" <<<"$check" && grep -q "colour" <<<"$check" \
  || { echo "$check"; fail "--check-config does not name the bad and the unknown option"; }
echo "$check" | head -3

step "a real run of the installed server with storage-files and sink-markdown"
FP_BUILD_DIR="$prefix" FP_SOURCE_DIR="$source_dir" \
  "$node_bin" --test --test-reporter=spec "$source_dir/tests/sdk/installed_run.mjs"

step "done"
