#!/usr/bin/env bash
# One entry point for the CV project:
#   bash cv.sh build     set up everything that is missing, then build HTML and PDF
#   bash cv.sh test      set up, then run the whole test suite
#   bash cv.sh preview   live preview with sphinx-autobuild (http://127.0.0.1:8000)
#   bash cv.sh bench     the performance benchmark (see README, "Performance")
#   bash cv.sh people    every co-author in the .bib files, and whom the roster matches (fills cv_roster)
#   bash cv.sh new DIR --name "Marie Curie" [--bib FILE] [--email ...] [--orcid ...]
#                        a new CV project for another person in DIR (a git repository)
#   bash cv.sh upgrade DIR  this version of the extension into a CV made by new (CHANGELOG shown)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV=${CV_VENV:-$ROOT/.venv}
APT_PACKAGES="latexmk texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-bibtex-extra texlive-lang-chinese fonts-freefont-otf fonts-noto-cjk fonts-hosny-amiri fonts-texgyre tex-gyre poppler-utils chromium biber"

need_apt() {
  local missing=()
  for pkg in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

setup_system() {
  local missing
  missing=$(need_apt)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "==> Installing Debian packages: $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "These Debian packages are missing: $missing" >&2
    echo "Install them as root, then run this command again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
    exit 1
  fi
}

setup_node() {
  # axe-core and Lighthouse for the page-quality tests (tests/quality/package-lock.json pins them)
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      echo "==> Installing Debian packages: nodejs npm"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    else
      echo "npm is missing: sudo apt-get install -y nodejs npm" >&2; exit 1
    fi
  fi
  local stamp="tests/quality/node_modules/.lock.sha"
  local want
  want=$(sha256sum tests/quality/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> Installing npm tools (tests/quality/package-lock.json)"
    npm ci --prefix tests/quality --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" > "$stamp"
  fi
  # the extension's modules compiled once: where PYTHONDONTWRITEBYTECODE is set (containers, CI) every build
  # would compile them again (0.1-0.3 s of a one-entry edit)
  "$VENV/bin/python" -m compileall -q "$ROOT/ext" >/dev/null || true
}

setup_python() {
  local py=${PYTHON:-python3}
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (found $("$py" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> Creating the Python environment in $VENV"
    "$py" -m venv "$VENV"
  fi
  # requirements.txt: what the build needs (all Read the Docs installs);
  # requirements-dev.txt adds the tests, the linter and live preview.
  local stamp="$VENV/.requirements.sha"
  local want
  want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> Installing Python packages (requirements.txt, requirements-dev.txt)"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r requirements-dev.txt
    echo "$want" > "$stamp"
  fi
  # the extension's modules compiled once: where PYTHONDONTWRITEBYTECODE is set (containers, CI) every build
  # would compile them again (0.1-0.3 s of a one-entry edit)
  "$VENV/bin/python" -m compileall -q "$ROOT/ext" >/dev/null || true
}

build() {
  # every PDF at once: the full CV's in _build/latex, each variant's (cv_variants) with its page in
  # _build/html/variants/<name>/; fails on any warning, a LaTeX error, a missing glyph or a page limit.
  # -E: every source is read again, so every warning is said, and the accepted ones (accepted-warnings.txt,
  # which cv.sh new writes) are known to be still there or gone.  A failed step does not stop the others:
  # a new warning costs the exit status, never the page.
  local failed=""
  PYTHONPATH="$ROOT/ext" "$VENV/bin/python" -m cvsphinx.cli.variants -W -E || failed="PDF"
  # the page: sphinx-build -M html . _build -W --keep-going -E, but a full disk or a read-only _build is one line
  PYTHONPATH="$ROOT/ext" "$VENV/bin/python" -m cvsphinx.cli.variants --page -W -E || failed="${failed:+$failed and }HTML"
  if grep -l "Missing character" _build/latex/*.log _build/variants/*/latex/*.log 2>/dev/null; then
    echo "The LaTeX log above has 'Missing character' lines: a glyph is missing from the fonts" >&2
    failed="${failed:+$failed and }PDF glyphs"
  fi
  # what the page and the PDF hold, and where they are; accepted warnings now fixed leave the list
  if [ -z "$failed" ]; then
    PYTHONPATH="$ROOT/ext" "$VENV/bin/python" -m cvsphinx.cli.new summary _build --prune
  else
    PYTHONPATH="$ROOT/ext" "$VENV/bin/python" -m cvsphinx.cli.new summary _build
    echo "$failed build failed: the messages above say why (the page and the PDF are built all the same)" >&2
    exit 1
  fi
}

cmd=${1:-build}
shift || true
case "$cmd" in
  setup) setup_system; setup_python; setup_node ;;
  build) setup_system; setup_python; build ;;
  test)
    setup_system; setup_python; setup_node
    "$VENV/bin/ruff" check ext tests bench conf.py
    "$VENV/bin/python" -m pytest "$@" ;;
  preview)
    setup_system; setup_python
    # after each rebuild of the page, every PDF is rebuilt in the background; the page says when
    # (run as a file, the post-build command returns in a few hundredths of a second)
    export CVSPHINX_PREVIEW=1
    exec "$VENV/bin/sphinx-autobuild" . _build/html --watch ext --watch refs.bib --re-ignore '(_build|\.venv|tests|bench)/' \
      --post-build "'$VENV/bin/python' '$ROOT/ext/cvsphinx/cli/variants.py' --preview" "$@" ;;
  bench) setup_system; setup_python; "$VENV/bin/python" -m bench.run "$@" ;;
  people) setup_python; PYTHONPATH=ext "$VENV/bin/python" -m cvsphinx.cli.people "$@" ;;
  # a new CV project for another person; DIR and --bib are relative to where the command was typed ($OLDPWD)
  new) setup_python; cd "$OLDPWD"; PYTHONPATH="$ROOT/ext" "$VENV/bin/python" -m cvsphinx.cli.new new "$@" ;;
  # this version of the extension into a CV made by cv.sh new: its content and settings stay, the CHANGELOG says what changed
  upgrade) setup_python; cd "$OLDPWD"; PYTHONPATH="$ROOT/ext" "$VENV/bin/python" -m cvsphinx.cli.main upgrade "$@" ;;
  *) echo "usage: bash cv.sh [build|test|preview|bench|people|new|upgrade]" >&2; exit 2 ;;
esac
