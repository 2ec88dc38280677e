#!/usr/bin/env bash
# Set up everything the project needs in ./.venv (idempotent).
#   scripts/bootstrap.sh          model, experiments and the visual page
#   scripts/bootstrap.sh test     also the test tools and Debian's chromium for the browser test
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-run}

find_python() {
  local c
  for c in "${PYTHON:-}" python3.12 python3.13 python3 \
           "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/bin/python3.1[2-9]; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 &&
       "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  py=$(find_python) || { echo "bootstrap: Python >= 3.12 is needed (Mesa 3.5); none found" >&2; exit 1; }
  echo "bootstrap: creating .venv with $py"
  "$py" -m venv .venv
fi

stamp=".venv/.installed-$want-$(sha256sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$want" = test ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi

# Solara's JavaScript, served locally so the page renders offline (npm packages).
if [ -f scripts/install_viz_assets.py ]; then
  .venv/bin/python scripts/install_viz_assets.py
fi

if [ "$want" = test ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's chromium for the browser test"
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: chromium not found and cannot be installed here; the browser test will skip"
  fi
fi
echo "bootstrap: ready (.venv, $want)"
