"""The core never imports Qt (DESIGN §1): every module of crmdesk.core, and crmdesk.cli,
imports in a fresh interpreter where PySide6 cannot be imported. The rest of the house
(issue 22, docs/architecture.md) is held by ``test_import_graph.py``."""
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

from tests import import_graph

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
    files = sorted((PACKAGE / "core").rglob("*.py")) + sorted((PACKAGE / "cli").rglob("*.py"))
    offending = [hit for path in files for hit in _qt_imports(path)]
    assert offending == []


# ---------------------------------------------------------------- the house by capability (issue 22)
# docs/architecture.md draws this map. The kernel is what every capability stands on; a
# capability is a package of crmdesk.core (its services) and one of crmdesk.ui (its views).
KERNEL = frozenset({"db", "models", "migrations", "errors", "messages", "changes", "progress", "clock", "history",
                    "search", "bulk_write", "bulk_indexes", "safety", "team_state", "number_blocks", "phones", "made_ids",
                    "people", "work_calendar"})
# Which capability may import which: a new arrow is a decision, made here (and an arrow that
# is gone is taken off, so the list stays the truth).
CORE_ALLOWED = {
    "agenda": {"care", "complaints", "customers", "io", "sales", "visits"},
    "analytics": {"complaints", "customers", "io"},
    "care": {"customers", "io", "sales", "visits"},
    "complaints": {"customers", "io", "visits"},
    "custom_fields": {"io"},
    "customers": {"care", "custom_fields", "imports", "io"},
    "dedupe": {"complaints", "custom_fields", "customers", "io", "sync", "visits"},
    "demo": {"care", "complaints", "sales"},
    "exchange": {"io", "visits"},
    "imports": {"custom_fields", "customers", "io", "sales"},
    "io": {"customers", "exchange"},
    "sales": {"analytics", "customers", "demo", "imports", "io", "visits"},
    "sync": {"analytics", "care", "complaints", "custom_fields", "customers", "sales", "visits"},
    "visits": {"customers", "io", "sales"},
}
UI_ALLOWED = {
    "analytics": {"imports", "team", "visits", "welcome"},
    "care": {"complaints", "imports", "team", "visits", "welcome"},
    "complaints": {"imports", "team", "visits", "welcome"},
    "custom_fields": set(),
    "customers": {"analytics", "care", "complaints", "custom_fields", "dedupe", "sales", "visits", "welcome"},
    "dedupe": set(),
    "imports": {"custom_fields", "dedupe", "sales"},
    "sales": {"imports", "team", "visits"},
    "team": set(),
    "visits": {"imports", "sales", "team", "welcome"},
    "welcome": set(),
}
# What the UI's capabilities may use of the shell; the rest of it (app, main_window, the
# window's menus, state and tabs) builds the window out of the capabilities, not the reverse.
UI_BASE = frozenset({"actions", "change_bus", "errors", "messages", "prefs", "tasks"})
# The kernel's one extension point: the capability it runs after any migration is named, not
# imported (crmdesk.core.migrations.AFTER_MIGRATIONS).
NAMED_BY_THE_KERNEL = ("crmdesk.core.sync.capture",)


def place(module: str) -> tuple[str, str]:
    """(layer, room): ("core", "kernel" or a capability), ("ui", "shell", "common" or a
    capability), ("cli", "cli"), ("top", "top")."""
    parts = module.split(".")
    layer = parts[1] if len(parts) > 1 else "top"
    room = parts[2] if len(parts) > 2 else ""
    if layer == "core":
        return layer, ("kernel" if not room or room in KERNEL else room)
    if layer == "ui":
        if room in UI_ALLOWED or room == "common":
            return layer, room
        return layer, "shell"
    if layer == "cli":
        return layer, "cli"
    return "top", "top"


def test_the_map_names_every_room():
    """Every package and module of the core is the kernel's or a capability's; every
    capability package of the UI is in the list."""
    rooms = {path.stem if path.is_file() else path.name for path in (PACKAGE / "core").iterdir()
             if path.name != "__pycache__" and path.name != "__init__.py"}
    assert rooms - KERNEL - set(CORE_ALLOWED) == set(), "a new room of the core: add it to the map"
    assert set(CORE_ALLOWED) - rooms == set() and KERNEL - rooms == set()
    ui_packages = {path.name for path in (PACKAGE / "ui").iterdir() if (path / "__init__.py").exists()}
    assert ui_packages - {"common"} == set(UI_ALLOWED), "a new package of the UI: add it to the map"


def test_no_import_circle_between_files():
    """Every import counts, a function's too: a circle broken by a late import is one still."""
    found = import_graph.circles([(edge.source, edge.target) for edge in import_graph.edges()])
    assert found == [], "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_no_private_name_is_imported_from_another_module():
    taken = [edge.where() for edge in import_graph.edges()
             if edge.name and edge.name.startswith("_") and not edge.name.startswith("__")]
    for folder in ("tests", "benchmarks", "scripts"):
        for path in sorted((PROJECT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            taken += [f"{path.relative_to(PROJECT)}:{node.lineno} {alias.name}" for node in ast.walk(tree)
                      if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crmdesk")
                      for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    read = [hit for path in import_graph.modules().values() for hit in import_graph.private_attributes(path)]
    assert taken == [] and read == []


def test_the_core_imports_neither_the_ui_nor_the_cli():
    wrong = [edge.where() for edge in import_graph.edges()
             if place(edge.source)[0] == "core" and place(edge.target)[0] in ("ui", "cli")]
    assert wrong == []


def test_the_kernel_imports_no_capability():
    wrong = [edge.where() for edge in import_graph.edges()
             if place(edge.source) == ("core", "kernel") and place(edge.target)[0] == "core"
             and place(edge.target)[1] != "kernel"]
    assert wrong == []
    from crmdesk.core import migrations
    assert migrations.AFTER_MIGRATIONS == NAMED_BY_THE_KERNEL


def _arrows(layer: str, rooms: dict) -> dict[str, set[str]]:
    """capability -> the capabilities of the same layer it imports."""
    found: dict[str, set[str]] = {}
    for edge in import_graph.edges():
        (source_layer, source), (target_layer, target) = place(edge.source), place(edge.target)
        if source_layer == target_layer == layer and source != target and source in rooms and target in rooms:
            found.setdefault(source, set()).add(target)
    return found


def test_capabilities_import_each_other_only_in_the_allowed_directions():
    for layer, allowed in (("core", CORE_ALLOWED), ("ui", UI_ALLOWED)):
        found = _arrows(layer, allowed)
        new = {f"{layer}.{a} -> {b}" for a, targets in found.items() for b in targets - allowed.get(a, set())}
        gone = {f"{layer}.{a} -> {b}" for a, targets in allowed.items() for b in targets - found.get(a, set())}
        assert new == set(), "arrows not in the map (a decision: add them to CORE_ALLOWED/UI_ALLOWED)"
        assert gone == set(), "arrows in the map that the code no longer has: take them off"


def test_the_ui_capabilities_stand_on_common_and_the_shell_base_only():
    wrong = []
    for edge in import_graph.edges():
        (source_layer, source), (target_layer, target) = place(edge.source), place(edge.target)
        if source_layer != "ui" or target_layer != "ui" or source == "shell":
            continue
        if target == "shell" and edge.target.split(".")[2] not in UI_BASE:
            wrong.append(edge.where())
        if source == "common" and target not in ("common", "shell"):
            wrong.append(edge.where())
    assert wrong == []


def _public(package: str) -> set[str]:
    module = importlib.import_module(package)
    return set(getattr(module, "__all__", ()))


def test_capabilities_are_read_through_their_public_init():
    """From outside its package a capability is read through what its ``__init__`` makes
    public (``__all__``: the names, or the modules, others may use)."""
    wrong = []
    for edge in import_graph.edges():
        source, target = place(edge.source), place(edge.target)
        if target[1] in ("kernel", "shell", "common", "cli", "top") or source == target:
            continue
        package = f"crmdesk.{target[0]}.{target[1]}"
        if edge.target == package:
            read = edge.name
        else:
            read = edge.target[len(package) + 1:].split(".")[0]
        if read is not None and read not in _public(package):
            wrong.append(edge.where())
    assert wrong == [], "not in the package's __all__:\n" + "\n".join(wrong)
