"""The core never imports Qt (DESIGN §1): every module of crmdesk.core, and crmdesk.cli,
imports in a fresh interpreter where PySide6 cannot be imported."""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "crmdesk"
BLOCKED = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")

# Runs in the subprocess: block Qt, import what argv names (packages are walked), report.
CHILD = textwrap.dedent("""
    import importlib, json, pkgutil, sys, traceback

    BLOCKED = %r

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt is blocked in this test: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    for name in BLOCKED:
        sys.modules.pop(name, None)

    try:
        import PySide6  # noqa: F401
        blocker_works = False
    except ImportError:
        blocker_works = True

    imported, failed = [], {}
    for root in sys.argv[1:]:
        try:
            module = importlib.import_module(root)
        except Exception:
            failed[root] = traceback.format_exc()
            continue
        imported.append(root)
        if hasattr(module, "__path__"):
            def onerror(name):
                failed[name] = traceback.format_exc()
            for info in pkgutil.walk_packages(module.__path__, root + ".", onerror=onerror):
                try:
                    importlib.import_module(info.name)
                    imported.append(info.name)
                except Exception:
                    failed[info.name] = traceback.format_exc()
    qt_loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(json.dumps({"blocker_works": blocker_works, "imported": imported, "failed": failed,
                      "qt_loaded": qt_loaded}))
""") % (BLOCKED,)


def import_without_qt(*roots: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, "-c", CHILD, *roots], capture_output=True, text=True,
                            cwd=str(PROJECT), env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["blocker_works"], "the Qt blocker did not block PySide6: the test proves nothing"
    return report


def core_modules() -> list[str]:
    names = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        relative = path.relative_to(PROJECT).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_core_imports_without_qt():
    report = import_without_qt("crmdesk.core")
    assert report["failed"] == {}, "\n".join(f"{k}:\n{v}" for k, v in report["failed"].items())
    assert report["qt_loaded"] == []
    missing = set(core_modules()) - set(report["imported"])
    assert missing == set(), f"modules of crmdesk.core the walk did not import: {missing}"


def test_cli_imports_without_qt():
    if importlib.util.find_spec("crmdesk.cli") is None:
        pytest.skip("crmdesk.cli does not exist yet")
    report = import_without_qt("crmdesk.cli")
    assert report["failed"] == {}, "\n".join(f"{k}:\n{v}" for k, v in report["failed"].items())
    assert "crmdesk.cli" in report["imported"]
    assert report["qt_loaded"] == []


def test_entry_point_and_helpers_import_without_qt():
    """``main(argv)`` runs commands without Qt, so its module must import without it."""
    roots = [name for name in ("crmdesk", "crmdesk.__main__", "crmdesk.paths", "crmdesk.i18n")
             if importlib.util.find_spec(name) is not None]
    report = import_without_qt(*roots)
    failed = {k: v for k, v in report["failed"].items() if not k.startswith("crmdesk.ui")}
    assert failed == {}, "\n".join(f"{k}:\n{v}" for k, v in failed.items())


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [f"{path.relative_to(PROJECT)}:{node.lineno} {n}" for n in names
                  if n.split(".")[0] in BLOCKED or n.startswith("crmdesk.ui")]
    return found


def test_no_qt_import_hidden_inside_functions():
    """Imports inside functions escape the import test; none may reach Qt or the UI."""
    files = sorted((PACKAGE / "core").rglob("*.py"))
    if (PACKAGE / "cli.py").exists():
        files.append(PACKAGE / "cli.py")
    offending = [hit for path in files for hit in _qt_imports(path)]
    assert offending == []
