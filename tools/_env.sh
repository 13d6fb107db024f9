# Shared by tools/demo and tools/test: find Python ≥ 3.12 and make .venv with the project.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(cat .python-version)
source tools/_system.sh

find_python() {
  if command -v pyenv >/dev/null 2>&1 && pyenv which python >/dev/null 2>&1; then
    pyenv which python; return
  fi
  for candidate in "python$want" python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  if command -v uv >/dev/null 2>&1; then
    uv python find "$want"; return
  fi
  echo "tiendo needs Python >= 3.12 (pyenv, python3.12 on PATH, or uv)." >&2
  exit 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  rm -rf .venv
  "$(find_python)" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
