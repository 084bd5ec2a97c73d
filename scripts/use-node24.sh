# Source this file: puts the project-local Node 24 first on PATH when the system Node is older than 22.
#   source scripts/use-node24.sh
# The version and its place (./.tools) live in scripts/node24.mjs, which the npm scripts also run through.
_payguard_bin="$(node "$(dirname "${BASH_SOURCE[0]}")/node24.mjs" --bin-dir)" || return 1 2>/dev/null || exit 1
if [ -n "${_payguard_bin}" ]; then
  export PATH="${_payguard_bin}:${PATH}"
fi
unset _payguard_bin
