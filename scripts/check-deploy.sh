#!/usr/bin/env bash
# The deployment checks of issue 6, runnable here and in CI (no Docker engine, no Terraform
# provider downloads on these machines):
#   1. terraform fmt -check -recursive terraform/
#   2. terraform test in every provider-free module (naming, app-runtime, container
#      definitions, ALB routing, alarm specs); every provider-free module must have tests
#   3. static Terraform checks: every variable has a description and a type, every output a
#      description, var.* references are declared, module calls pass exactly the variables
#      the modules declare (all required ones), module.*.* references name real outputs,
#      README Inputs/Outputs tables match the .tf files
#   3a. terraform validate of both AWS environments, with the hashicorp/aws provider from a
#      local plugin directory (FP_TF_PLUGIN_DIR, default /opt/tf-plugins; nothing downloaded)
#   3b. terraform test of both AWS environments against a mocked aws provider: the operator
#      walkthrough of docs/deploy-aws.md (the variables of terraform.tfvars.example, plain
#      applies, no -target), then the webhook and the admin API turned on
#      (gcp-cloud-run: steps 1 and 3 only; the google provider is not on these machines)
#   4. docker/compose.yaml parses (docker-compose config, both profiles) and names images and
#      health checks; Redis runs without persistence with a memory cap; servers wait for it
#   5. docker/Dockerfile: multi-stage, non-root, HEALTHCHECK, OCI labels, COPY sources exist,
#      and its real build context configures: the files docker/Dockerfile.dockerignore lets
#      through, copied as the build stage's COPY lines say, configured with the build stage's
#      own cmake command (scripts/deploy-checks/check_build_context.py)
#   6. the Dockerfile's runtime apt-get list matches what ldd says the installed binary and
#      plugins link (dpkg -S), and its build stage installs the build's -dev packages
#   7. every deployable config (configs/aws*.json, docker/fire-poker.compose.json) passes
#      fire-poker --check-config against the installed plugins; the environment Terraform
#      gives the server (modules/app-runtime) is read by it as meant (--print-config)
#   8. scripts/container-smoke.sh: the installed tree as a non-root user, a full vote round
#
#   check-deploy.sh            reuses the normal build in build/ (builds it when needed)
#   FP_BUILD_DIR=dir check-deploy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
build=${FP_BUILD_DIR:-build}
passed=0
step() { echo; echo "== check-deploy: $*"; }
done_step() { passed=$((passed + 1)); echo "check-deploy: ok ($(( $(date +%s) - start )) s so far)"; }
die() { echo "check-deploy: FAILED: $*" >&2; echo "check-deploy: $passed passed, 1 failed"; exit 1; }

work=$(mktemp -d /tmp/fire-poker-check-deploy.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [[ "${FP_SKIP_INSTALL:-0}" != "1" ]]; then
  ./scripts/install-deps.sh --tests
fi
if ! command -v terraform >/dev/null 2>&1; then
  die "terraform is not installed. It is not a Debian package: install HashiCorp's release
       binary (1.7+, for mock providers) on PATH, e.g. /usr/local/bin/terraform. These checks
       do not run without it."
fi
# The AWS environments are validated and applied (mocked) with this provider; nothing is
# downloaded. GitHub CI fills the directory with `terraform providers mirror` (ci.yml).
tf_plugin_dir=${FP_TF_PLUGIN_DIR:-/opt/tf-plugins}
if ! find "$tf_plugin_dir" -path '*/registry.terraform.io/hashicorp/aws/*' -name 'terraform-provider-aws_*5.100.*' 2>/dev/null | grep -q .; then
  die "no hashicorp/aws 5.100.x provider in $tf_plugin_dir (FP_TF_PLUGIN_DIR). Make one where
       the registry is reachable: terraform providers mirror -platform=linux_amd64 DIR, in a
       folder whose required_providers pins hashicorp/aws 5.100.0 (see .github/workflows/ci.yml)."
fi
compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  die "no compose parser: apt-get install docker-compose (scripts/install-deps.sh --tests)"
fi
python=python3
python3 -c 'import yaml' 2>/dev/null || python=/usr/bin/python3
"$python" -c 'import yaml' 2>/dev/null || die "python3-yaml is missing (apt-get install python3-yaml)"

# Terraform never talks to a registry here: no plugin cache, no checkpoint calls.
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0

step "1. terraform fmt -check -recursive ($(terraform version 2>/dev/null | head -1))"
terraform fmt -no-color -check -recursive -diff terraform 2>&1 | grep -v -i -E 'cli configuration|terraformrc|^[│╷╵]' || true
terraform fmt -check -recursive terraform >/dev/null 2>&1 || die "terraform fmt: run 'terraform fmt -recursive terraform'"
done_step

step "2. terraform test of the provider-free modules"
tested=0
for dir in terraform/modules/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  if grep -q 'required_providers' "$dir"/*.tf; then
    [[ -d "$dir/tests" ]] && die "$dir needs a provider but has terraform tests: they cannot run here"
    echo "  $name: uses a provider (validated and applied, mocked, through the AWS environments: 3a, 3b)"
    continue
  fi
  [[ -d "$dir/tests" ]] || die "$dir needs no provider, so it must have tests/*.tftest.hcl"
  export TF_DATA_DIR="$work/tf-$name"
  (cd "$dir" && terraform init -backend=false -input=false -no-color > "$work/init-$name.log" 2>&1) \
    || { cat "$work/init-$name.log"; die "terraform init in $dir"; }
  if ! (cd "$dir" && terraform test -no-color > "$work/test-$name.log" 2>&1); then
    grep -v -i -E 'cli configuration|terraformrc' "$work/test-$name.log"
    die "terraform test in $dir"
  fi
  echo "  $name: $(grep -E '^(Success|Failure)!' "$work/test-$name.log")"
  tested=$((tested + 1))
  unset TF_DATA_DIR
done
((tested >= 5)) || die "expected at least 5 provider-free modules with tests, found $tested"
done_step

step "3. variables, outputs and module calls"
python3 scripts/deploy-checks/check_terraform.py terraform || die "terraform static checks"
python3 scripts/deploy-checks/terraform_readme_tables.py --check terraform || die "README tables of terraform/"
done_step

# terraform init writes .terraform.lock.hcl next to the configuration: work on a copy, so the
# checked-out tree stays as it is (and an operator's own lock file plays no part).
tf_copy="$work/terraform"
cp -r terraform "$tf_copy"
rm -f "$tf_copy"/environments/*/.terraform.lock.hcl
aws_environments=(aws-single-task aws-scaled)

# Both environments at once (each is one terraform and one provider process): half the time.
tf_in_env() {  # tf_in_env ENV LOG terraform-args...: run terraform in the copy of environments/ENV
  local env=$1 log=$2; shift 2
  (cd "$tf_copy/environments/$env" && TF_DATA_DIR="$work/tf-env-$env" terraform "$@" > "$log" 2>&1)
}
tf_both() {  # tf_both WHAT terraform-args...: in every AWS environment in parallel; dies naming the first failure
  local what=$1 env; shift
  declare -A pids=()
  for env in "${aws_environments[@]}"; do
    tf_in_env "$env" "$work/$what-env-$env.log" "$@" &
    pids[$env]=$!
  done
  for env in "${aws_environments[@]}"; do
    if ! wait "${pids[$env]}"; then
      grep -v -i -E 'cli configuration|terraformrc' "$work/$what-env-$env.log"
      die "terraform $what in terraform/environments/$env"
    fi
  done
}

step "3a. terraform validate of the AWS environments (hashicorp/aws from $tf_plugin_dir)"
tf_both init init -backend=false -plugin-dir="$tf_plugin_dir" -input=false -no-color
tf_both validate validate -no-color
for env in "${aws_environments[@]}"; do
  echo "  $env: $(grep -o 'The configuration is valid[^.]*' "$work/validate-env-$env.log" | head -1)"
done
echo "  gcp-cloud-run: not validated (the google provider is not on these machines): fmt and the static checks of step 3"
done_step

step "3b. terraform test of the AWS environments: docs/deploy-aws.md applied against a mocked aws provider"
for env in "${aws_environments[@]}"; do
  dir=terraform/environments/$env
  compgen -G "$dir/tests/*.tftest.hcl" > /dev/null || die "$dir has no tests/*.tftest.hcl"
  # The walkthrough sets exactly the variables of terraform.tfvars.example, each named in the docs.
  while read -r var; do
    grep -q "\`$var\`" docs/deploy-aws.md || die "$dir/terraform.tfvars.example sets $var, which docs/deploy-aws.md does not mention"
  done < <(sed -n 's/^\([a-z_][a-z0-9_]*\) *=.*/\1/p' "$dir/terraform.tfvars.example")
done
tests_start=$(date +%s)
tf_both test test -no-color -var-file=terraform.tfvars.example
for env in "${aws_environments[@]}"; do
  echo "  $env: $(grep -c '^  run .*\.\.\. pass$' "$work/test-env-$env.log") runs passed, $(grep -E '^(Success|Failure)!' "$work/test-env-$env.log")"
done
echo "  both environments tested in $(( $(date +%s) - tests_start )) s"
done_step

step "4. docker/compose.yaml (${compose[*]} config)"
for profile in default scaled; do
  args=(-f docker/compose.yaml)
  [[ "$profile" == scaled ]] && args+=(--profile scaled)
  FP_RESUME_SECRET=check-deploy-dummy-secret "${compose[@]}" "${args[@]}" config > "$work/compose-$profile.yaml" \
    || die "${compose[*]} config ($profile profile) does not parse docker/compose.yaml"
done
"$python" scripts/deploy-checks/check_compose.py "$work/compose-default.yaml" "$work/compose-scaled.yaml" \
  || die "compose file checks"
done_step

step "5. docker/Dockerfile structure"
dockerfile=docker/Dockerfile
grep -qE '^FROM debian:bookworm-slim AS build|^FROM \$\{DEBIAN_IMAGE\} AS build' "$dockerfile" || die "no build stage"
grep -qE '^FROM \$\{DEBIAN_IMAGE\} AS runtime' "$dockerfile" || die "no runtime stage"
grep -q '^ARG DEBIAN_IMAGE=debian:bookworm-slim' "$dockerfile" || die "the base image must be debian:bookworm-slim"
grep -qE '^USER [1-9][0-9]*' "$dockerfile" || die "the image must run as a non-root (numeric) user"
grep -qE '^  CMD \["fire-poker", "--healthcheck", "http://127.0.0.1:8080/healthz"\]' "$dockerfile" || die "HEALTHCHECK must run fire-poker --healthcheck .../healthz"
for label in title version revision created source; do
  grep -q "org.opencontainers.image.$label=" "$dockerfile" || die "OCI label org.opencontainers.image.$label missing"
done
while read -r src; do
  [[ -e "$src" ]] || die "the Dockerfile copies $src, which does not exist"
done < <(sed -n 's/^COPY \([^-][^ ]*\) .*/\1/p' "$dockerfile" | grep -v '^--')
grep -q 'cmake --install /build --prefix /opt/fire-poker' "$dockerfile" || die "the build stage must cmake --install into /opt/fire-poker (as container-smoke.sh does)"
# The build stage installs the -dev packages install-deps.sh builds with (tests excluded).
deps_build=$(sed -n '/^packages=(/,/)/p' scripts/install-deps.sh | tr -d '()' | sed 's/packages=//' | tr ' ' '\n' | grep -E -- '-dev$' | grep -v '^$' | sort -u)
build_stage=$(awk '/ AS build/{b=1} / AS runtime/{b=0} b' "$dockerfile" | tr -d '\134' | tr ' ' '\n' | grep -E -- '-dev$' | sort -u)
missing_dev=$(comm -23 <(echo "$deps_build") <(echo "$build_stage"))
[[ -z "$missing_dev" ]] || die "the Dockerfile's build stage lacks ${missing_dev//$'\n'/ } (in scripts/install-deps.sh)"
echo "  build stage installs: ${build_stage//$'\n'/ }"
# The real build context, configured as the image's build stage configures it (catches a folder
# the build needs that the dockerignore leaves out, without a container engine).
python3 scripts/deploy-checks/check_build_context.py --dockerfile "$dockerfile" --work-dir "$work/build-context" \
  || die "the image's build context does not configure (docker/Dockerfile.dockerignore, the build stage's cmake flags, CMakeLists.txt)"
# ... and the check can fail: the same context asked to build the benchmark, which it leaves out.
if python3 scripts/deploy-checks/check_build_context.py --dockerfile "$dockerfile" --work-dir "$work/build-context-bench" \
     --also=-DFP_BUILD_BENCH=ON > "$work/build-context-bench.log" 2>&1; then
  die "the build context configured with -DFP_BUILD_BENCH=ON, but bench/ is not in it: the context check cannot fail"
fi
grep -q 'FP_BUILD_BENCH is ON but bench/' "$work/build-context-bench.log" \
  || { cat "$work/build-context-bench.log"; die "the context without bench/ failed, but not with CMakeLists.txt's error naming FP_BUILD_BENCH"; }
echo "  self-test: the same context with -DFP_BUILD_BENCH=ON fails, naming bench/"
done_step

step "6. runtime packages vs ldd of the installed binary and plugins (build: $build)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFP_WERROR=ON > "$work/cmake.log" \
  || { cat "$work/cmake.log"; die "cmake configure"; }
mapfile -t plugin_targets < <(cd "$build" && ninja -t targets all 2>/dev/null | sed -n 's/^\(fp_plugin_[a-z_0-9]*\): .*/\1/p' | sort -u)
cmake --build "$build" -j2 --target fire-poker "${plugin_targets[@]}" \
  > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; die "build"; }
DESTDIR="$work/stage" cmake --install "$build" --prefix /opt/fire-poker --strip > /dev/null
stage="$work/stage/opt/fire-poker"
mapfile -t elves < <(ls "$stage/bin/fire-poker" "$stage"/lib/fire-poker/plugins/fire-poker-*.so)
echo "  installed: ${elves[*]#$stage/}"
# Every plugin the tree declares (firepoker_add_plugin(NAME x ...), a folder may hold several).
mapfile -t tree_plugins < <(grep -rhoE 'firepoker_add_plugin\(NAME [a-z0-9-]+' plugins --include=CMakeLists.txt | awk '{print $2}' | sort -u)
for name in "${tree_plugins[@]}"; do
  [[ -f "$stage/lib/fire-poker/plugins/fire-poker-$name.so" ]] \
    || die "plugin $name is not installed to lib/fire-poker/plugins (cmake/FirePokerInstall.cmake)"
done
echo "  plugins in the tree: ${tree_plugins[*]}"
python3 scripts/deploy-checks/check_runtime_packages.py "$dockerfile" "${elves[@]}" || die "runtime packages"
done_step

step "7. deployable configs pass --check-config"
export FP_RESUME_SECRET=check-deploy-dummy-secret FP_SINKS_0_OPTIONS_TOKEN=secret_dummy \
  FP_SINKS_0_OPTIONS_DATABASEID=00000000000000000000000000000000 \
  FP_SINKS_1_OPTIONS_URL=https://hooks.example.com/fire-poker FP_SINKS_1_OPTIONS_SECRET=dummy-signing-secret-0123
checked=0
for cfg in configs/aws.json configs/aws-webhook.json docker/fire-poker.compose.json; do
  plugins_needed=$(grep -o '"plugin": *"[a-z0-9-]*"' "$cfg" | sed 's/.*"\([a-z0-9-]*\)"$/\1/' | sort -u)
  absent=()
  for p in $plugins_needed; do
    [[ -f "$stage/lib/fire-poker/plugins/fire-poker-$p.so" ]] && continue
    printf '%s\n' "${tree_plugins[@]}" | grep -qx "$p" && die "$cfg names $p, which is in the tree but not installed"
    absent+=("$p")
  done
  if ((${#absent[@]})); then
    echo "  NOTE: $cfg not checked: ${absent[*]} not in this tree yet"
    continue
  fi
  "$stage/bin/fire-poker" --check-config "$cfg" || die "$cfg does not pass --check-config"
  checked=$((checked + 1))
done
# The environment Terraform gives the server (modules/app-runtime, rendered by terraform
# console) is read by the server as meant: a misspelled FP_ name would be ignored silently,
# and the ALB idle timeout and the container stop timeout are sized from two of its values.
tf_env=$(cd terraform/modules/app-runtime && TF_DATA_DIR="$work/tf-app-runtime" terraform console -no-color \
  -var service_name=check-deploy -var shutdown_timeout_seconds=17 -var websocket_ping_interval_seconds=23 \
  <<< 'join("\n", [for k, v in local.environment : "${k}=${v}"])' 2> "$work/console.log" | grep '^FP_') \
  || { cat "$work/console.log"; die "terraform console could not render modules/app-runtime's environment"; }
mapfile -t tf_env_lines <<< "$tf_env"
env "${tf_env_lines[@]}" "$stage/bin/fire-poker" --check-config configs/aws.json > /dev/null \
  || die "configs/aws.json with the environment of modules/app-runtime does not pass --check-config"
env "${tf_env_lines[@]}" "$stage/bin/fire-poker" --print-config configs/aws.json > "$work/print-config.json" \
  || die "--print-config with the environment of modules/app-runtime"
python3 - "$work/print-config.json" <<'PY' || die "the server does not read the environment modules/app-runtime sets"
import json, sys
c = json.load(open(sys.argv[1]))
want = {
    "server.shutdownTimeoutSeconds (FP_SERVER_SHUTDOWNTIMEOUTSECONDS)": (c["server"]["shutdownTimeoutSeconds"], 17),
    "transport.options.pingIntervalSeconds (FP_TRANSPORT_OPTIONS_PINGINTERVALSECONDS)": (c["transport"]["options"]["pingIntervalSeconds"], 23),
    "telemetry.serviceName (FP_TELEMETRY_SERVICENAME)": (c["telemetry"]["serviceName"], "check-deploy"),
    "server.listen (FP_SERVER_LISTEN)": (c["server"]["listen"], "0.0.0.0:8080"),
    "storage.options.url (FP_STORAGE_OPTIONS_URL)": (c["storage"]["options"]["url"], "redis://127.0.0.1:6379/0"),
}
bad = [f"{k}: {got!r}, Terraform set {exp!r}" for k, (got, exp) in want.items() if got != exp]
for b in bad:
    print("  " + b)
print(f"  the server reads the environment of modules/app-runtime ({len(want) - len(bad)}/{len(want)} values checked)")
sys.exit(1 if bad else 0)
PY
unset FP_RESUME_SECRET FP_SINKS_0_OPTIONS_TOKEN FP_SINKS_0_OPTIONS_DATABASEID FP_SINKS_1_OPTIONS_URL FP_SINKS_1_OPTIONS_SECRET
echo "  $checked configs checked"
done_step

step "8. container-like smoke test"
./scripts/container-smoke.sh "$build" || die "scripts/container-smoke.sh"
done_step

echo
echo "check-deploy: took $(( $(date +%s) - start )) s; the image itself is built and run by scripts/image-test.sh; not executable here: terraform plan/apply against a real AWS account, the google provider (gcp-cloud-run)"
echo "check-deploy: $passed passed, 0 failed"
