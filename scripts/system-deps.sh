#!/bin/sh
# Make sure the system libraries WeasyPrint needs, and the suite's PDF and QR readers, are present.
# libharfbuzz-subset0 matters: without it WeasyPrint falls back to slow font
# subsetting and a certificate takes about nine times longer.
set -eu
missing=""
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib libpango-1.0.so.0 || missing="$missing libpango-1.0-0"
have_lib libpangoft2-1.0.so.0 || missing="$missing libpangoft2-1.0-0"
have_lib libharfbuzz-subset.so.0 || missing="$missing libharfbuzz-subset0"
# The suite reads the PDFs back as text and decodes their QR codes (make test on a fresh machine).
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v zbarimg >/dev/null 2>&1 || missing="$missing zbar-tools"
[ -n "$missing" ] || exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system libraries:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null
else
  echo "WARNING: missing system libraries:$missing"
  echo "Install them with: sudo apt-get install$missing"
  echo "(certificates will not render, or will render slowly, until then)"
fi
