#!/usr/bin/env bash
# Installs litellm[proxy] at one pinned version into a virtual environment at $KAIT_HOME/venv (default ~/.kait/venv)
# and prints the KAIT_PYTHON=... line that points Kait's proxy supervisor at it.
#
#   bash scripts/install_litellm.sh            # install (skipped when the pinned version is already there)
#   bash scripts/install_litellm.sh --upgrade  # reinstall the pinned version, upgrading its dependencies
#
# Environment: KAIT_HOME (default ~/.kait), PYTHON (the interpreter that creates the venv, default python3),
# LITELLM_VERSION (default 1.80.10; an exact version), LITELLM_SPEC (default 'litellm[proxy]==$LITELLM_VERSION').
set -euo pipefail

# The version Kait is tested against. Change it here (or with LITELLM_VERSION) on purpose, never by accident.
default_litellm_version="1.80.10"

upgrade=0
for arg in "$@"; do
  case "$arg" in
    --upgrade|-U) upgrade=1 ;;
    -h|--help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    *) echo "install_litellm.sh: unknown option '$arg' (use --upgrade or --help)" >&2; exit 2 ;;
  esac
done

kait_home="${KAIT_HOME:-$HOME/.kait}"
venv="$kait_home/venv"
python="${PYTHON:-python3}"
version="${LITELLM_VERSION:-$default_litellm_version}"

fail() { echo "install_litellm.sh: $*" >&2; exit 1; }

# An exact release such as 1.80.10 or 1.81.0rc1: never a range, never anything a shell or pip would read as more.
if ! [[ "$version" =~ ^[0-9]+(\.[0-9]+)*((a|b|rc|\.post|\.dev)[0-9]+)*$ ]]; then
  echo "install_litellm.sh: LITELLM_VERSION must be an exact version such as $default_litellm_version, not '$version'." >&2
  exit 2
fi
spec="${LITELLM_SPEC:-litellm[proxy]==$version}"

if ! command -v "$python" >/dev/null 2>&1; then
  fail "'$python' was not found on PATH. Install Python 3.9 or newer (e.g. 'apt-get install python3 python3-venv' or 'brew install python') or set PYTHON to an interpreter, then run this script again."
fi

if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' >/dev/null 2>&1; then
  fail "'$python' is $("$python" --version 2>&1); LiteLLM needs Python 3.9 or newer."
fi

if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    fail "'$python' has no working venv/ensurepip module. Install it (e.g. 'apt-get install python3-venv') and run this script again."
  fi
  echo "Creating a virtual environment at $venv"
  (umask 077 && mkdir -p "$kait_home") # Kait's home is private (0700), like every folder Kait creates
  "$python" -m venv "$venv" || fail "'$python -m venv $venv' failed (is python3-venv installed?)."
fi

vpython="$venv/bin/python"
if ! "$vpython" -m pip --version >/dev/null 2>&1; then
  "$vpython" -m ensurepip --upgrade >/dev/null 2>&1 || fail "pip is missing in $venv and ensurepip could not install it (install python3-pip / python3-venv)."
fi

installed=""
if "$vpython" -c 'import litellm.proxy' >/dev/null 2>&1; then
  installed=$("$vpython" -m pip show litellm 2>/dev/null | sed -n 's/^Version: //p')
fi

if [ "$upgrade" -eq 0 ] && [ -n "$installed" ] && { [ "$installed" = "$version" ] || [ -n "${LITELLM_SPEC:-}" ]; }; then
  echo "litellm $installed is already installed in $venv (use --upgrade to reinstall it)."
else
  echo "Installing $spec into $venv"
  pip_args=(install --disable-pip-version-check)
  [ "$upgrade" -eq 1 ] && pip_args+=(--upgrade)
  "$vpython" -m pip "${pip_args[@]}" "$spec" || fail "pip could not install $spec (network, proxy or build tools?). See the output above."
  "$vpython" -c 'import litellm.proxy' >/dev/null 2>&1 || fail "$spec was installed but 'import litellm.proxy' fails in $venv."
fi

echo
echo "Use this interpreter for the proxy (add it to your .env):"
echo "KAIT_PYTHON=$vpython"
