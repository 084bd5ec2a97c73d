# Source this file: puts a project-local Node 24 first on PATH when the system Node is older than 22.
#   source scripts/use-node24.sh
_payguard_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_payguard_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "${_payguard_major}" -lt 22 ]; then
  if [ ! -x "${_payguard_root}/.tools/node_modules/.bin/node" ]; then
    echo "installing Node 24 into ${_payguard_root}/.tools (system Node is ${_payguard_major})" >&2
    npm install --prefix "${_payguard_root}/.tools" node@24 --no-audit --no-fund --loglevel=error >&2
  fi
  export PATH="${_payguard_root}/.tools/node_modules/.bin:${PATH}"
fi
unset _payguard_root _payguard_major
