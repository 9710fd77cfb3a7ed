# Shared by scripts/*.sh: repo root, Node 24 from node_modules, dependency install.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

ensure_dependencies() {
  if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    bash scripts/install.sh
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
