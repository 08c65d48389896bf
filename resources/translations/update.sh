#!/usr/bin/env bash
# Collect every translatable string into the .ts, then compile the .qm the app loads.
#   bash resources/translations/update.sh        (from the project folder, with the venv active
#                                                 or .venv/bin on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(dirname "$(command -v python)")
[ -x "$bin/pyside6-lupdate" ] || bin=.venv/bin
files=$(find crmdesk -name '*.py' | sort)
"$bin/pyside6-lupdate" -no-obsolete $files -ts resources/translations/crmdesk_zh_CN.ts
"$bin/pyside6-lrelease" resources/translations/crmdesk_zh_CN.ts -qm resources/translations/crmdesk_zh_CN.qm
