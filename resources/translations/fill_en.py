"""Fill the English numerus forms of crmdesk_en.ts that lupdate left unfinished, from the
source ("%n customer(s)" → "%n customer" / "%n customers"; see crmdesk.i18n.english_forms).
Forms already there (finished, or edited by hand) are kept.
    python resources/translations/fill_en.py resources/translations/crmdesk_en.ts"""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

from crmdesk.i18n import english_forms


def fill(path: str) -> int:
    tree = ET.parse(path)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        if message.get("numerus") != "yes" or translation is None or translation.get("type") != "unfinished":
            continue
        for form in list(translation):
            translation.remove(form)
        for text in english_forms(message.findtext("source", "")):
            ET.SubElement(translation, "numerusform").text = text
        del translation.attrib["type"]
        filled += 1
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
    return filled


if __name__ == "__main__":
    print(f"filled {fill(sys.argv[1])} English plural form(s)")
