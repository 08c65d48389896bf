"""The zh_CN translation is complete, keeps every placeholder, uses the spec's Chinese
headers and labels, and the compiled .qm the app loads matches the .ts."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crmdesk.core.customers import fields as F
from crmdesk.paths import resources_dir

TS = resources_dir() / "translations" / "crmdesk_zh_CN.ts"
PLACEHOLDERS = re.compile(r"\{\w+\}|%n|</?\w+>")


def messages():
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            text = (translation.text or "").strip() or "".join(form.text or "" for form in translation)
            yield name, message.findtext("source"), translation.get("type"), text.strip()


def test_every_string_is_translated():
    unfinished = [(c, s) for c, s, kind, text in messages() if kind or not text]
    assert unfinished == []


def test_placeholders_tags_and_mnemonics_are_kept():
    for context, source, _kind, text in messages():
        assert sorted(PLACEHOLDERS.findall(source)) == sorted(PLACEHOLDERS.findall(text)), (context, source)
        assert source.count("&") == text.count("&"), (context, source)


def test_headers_and_labels_are_the_specs_chinese_ones():
    table = {(c, s): t for c, s, _k, t in messages()}
    for field in F.CUSTOMER_FIELDS:
        assert table[("Field", field.en)] == field.zh
        for choice in field.choices:
            assert table[(f"Choice:{field.key}", choice.en)] == choice.zh


def test_compiled_qm_matches_the_ts(tmp_path):
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    if not lrelease.exists() and not shutil.which("pyside6-lrelease"):
        pytest.skip("pyside6-lrelease is not installed")
    out = tmp_path / "check.qm"
    subprocess.run([str(lrelease if lrelease.exists() else "pyside6-lrelease"), str(TS), "-qm", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == TS.with_suffix(".qm").read_bytes(), \
        "run resources/translations/update.sh to rebuild the .qm"


def test_no_tr_inside_f_strings():
    """lupdate does not read inside f-strings: a tr() there is never translated."""
    import ast
    root = Path(__file__).resolve().parents[1] / "crmdesk"
    hidden = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "attr", getattr(inner.func, "id", "")) in (
                            "tr", "translate"):
                        hidden.append(f"{path.relative_to(root)}:{node.lineno}")
    assert hidden == []


def test_every_string_has_the_context_it_is_looked_up_in():
    """A bare ``tr(...)`` alias in a module hides the context from lupdate: the string lands
    under an empty context, which the app never asks for, and shows in English (the menus did)."""
    nameless = [m.findtext("source") for c in ET.parse(TS).getroot().iter("context")
                if not (c.findtext("name") or "").strip() for m in c.iter("message")]
    assert nameless == []


def test_every_literal_translate_call_reached_the_ts():
    """lupdate silently skips some calls (a count given as an attribute, ``figs.sales``):
    every ``translate``/``QT_TRANSLATE_NOOP`` of a literal context and text must be in the .ts,
    or the user reads English in the Chinese app."""
    import ast
    have = {(name, source) for name, source, _type, _text in messages()}
    missing = []
    for path in sorted((Path(__file__).resolve().parents[1] / "crmdesk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            context, text = node.args[:2]
            if (name in ("translate", "QT_TRANSLATE_NOOP") and isinstance(context, ast.Constant)
                    and isinstance(text, ast.Constant) and isinstance(text.value, str)
                    and (context.value, text.value) not in have):
                missing.append(f"{path.name}:{node.lineno} {context.value}: {text.value}")
    assert missing == []
