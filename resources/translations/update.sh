#!/usr/bin/env bash
# Collect every translatable string into the .ts, then compile the .qm the app loads.
#   bash resources/translations/update.sh        (from the project folder, with the venv active
#                                                 or .venv/bin on PATH)
# crmdesk_en.ts holds only the plural ("%n customer(s)") strings: English needs their two
# forms ("1 customer", "2 customers"); fill_en.py writes the new ones from the source.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(dirname "$(command -v python)")
[ -x "$bin/pyside6-lupdate" ] || bin=.venv/bin
python=python
[ -x "$bin/python" ] && python="$bin/python"
files=$(find crmdesk -name '*.py' | sort)
"$bin/pyside6-lupdate" -no-obsolete $files -ts resources/translations/crmdesk_zh_CN.ts
"$bin/pyside6-lrelease" resources/translations/crmdesk_zh_CN.ts -qm resources/translations/crmdesk_zh_CN.qm
"$bin/pyside6-lupdate" -no-obsolete -pluralonly -target-language en $files -ts resources/translations/crmdesk_en.ts
PYTHONPATH=. "$python" resources/translations/fill_en.py resources/translations/crmdesk_en.ts
"$bin/pyside6-lrelease" resources/translations/crmdesk_en.ts -qm resources/translations/crmdesk_en.qm
