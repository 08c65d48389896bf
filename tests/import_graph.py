"""crmdesk's imports read from its source, for ``test_architecture.py``: every ``import`` and
``from ... import`` of a crmdesk module, at module level or inside a function (an import
put in a function to dodge a circle is still an arrow), and ``importlib.import_module`` of
a literal name. Each edge is resolved to the module it reaches: ``from crmdesk.core.visits
import series`` reaches ``crmdesk.core.visits.series``; ``from crmdesk.core.dedupe import
merge`` reaches the package ``crmdesk.core.dedupe`` (its ``__init__``), name ``merge``."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "crmdesk"


@dataclass(frozen=True)
class Edge:
    source: str  # the importing module
    target: str  # the crmdesk module reached
    name: Optional[str]  # the name taken from it (``from target import name``), None for ``import``
    line: int

    def where(self) -> str:
        return f"{self.source}:{self.line} -> {self.target}" + (f" ({self.name})" if self.name else "")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=None)
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> Optional[str]:
    """The crmdesk module a dotted name lives in (the name itself, or its closest parent)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@lru_cache(maxsize=None)
def edges() -> tuple[Edge, ...]:
    known = modules()
    found = []
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                pairs = [(alias.name, None) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.level == 0, f"{source}:{node.lineno}: relative import"
                pairs = []
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    pairs.append((full, None) if full in known else (node.module, alias.name))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "import_module" and node.args
                  and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                pairs = [(node.args[0].value, None)]
            else:
                continue
            for dotted, name in pairs:
                if dotted.split(".")[0] != "crmdesk":
                    continue
                target = _resolve(dotted)
                if target and target != source:
                    found.append(Edge(source, target, name, node.lineno))
    return tuple(found)


def circles(nodes_edges: list[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    graph: dict[str, set[str]] = {}
    for a, b in nodes_edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def private_attributes(path: Path) -> list[str]:
    """``module._name`` where ``module`` was bound by importing a crmdesk module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    known = modules()
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("crmdesk") and alias.asname:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("crmdesk"):
            for alias in node.names:
                if f"{node.module}.{alias.name}" in known:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return [f"{module_name(path)}:{node.lineno} {node.value.id}.{node.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
            and node.attr.startswith("_") and not node.attr.startswith("__")]
