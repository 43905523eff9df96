"""The domains form layers that follow the life of an exam (DESIGN.md, README).

A module may import from its own package, from any lower layer, and from another
package of its own layer as long as packages form no cycle. It never imports from a
higher layer, not even inside a function. The composition root (the app factory, the
CLI, the demo, the table registry and the migrations) may import anything.

The source is read with `ast`, so imports hidden inside functions count too.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "certif"

# From the bottom up.
LAYERS: list[set[str]] = [
    # foundation: configuration, database, time, text, errors, audit, accounts, mail,
    # PDF rendering and sealing, signatures, and the request plumbing they share
    {"config", "database", "extensions", "timeutil", "text", "csvsafe", "errors", "people", "files", "web",
     "audit", "auth", "throttling", "mail", "documents", "signatures", "backup",
     "mail.views"},  # the outbox's pages, for organisers: above accounts, unlike sending
    {"referentials", "organisation"},  # organisation: its insurance, read before convening
    {"jurors", "candidates"},
    {"sessions"},
    {"convocations"},
    {"examday"},
    {"grading"},
    {"minutes"},
    {"certificates"},
    {"council", "cdc"},  # cdc: declaring certificates' holders to the Caisse des Dépôts
    # aggregators: pages and files that gather every domain
    {"dashboard", "portal", "documents.archive", "documents.views"},
]
COMPOSITION_ROOT = {"__init__", "cli", "demo", "demo_finished", "models", "migrations"}

# Imports that break the layers today, each to be removed as its rule moves to the right
# layer (issue 12). The test fails on any other one, and on an entry that no longer
# occurs, so that this list only shrinks.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def unit_of(module: str) -> str:
    """The layered unit of a module: its package, or the module itself when it is listed."""
    parts = module.split(".")[1:]  # drop "certif"
    if len(parts) >= 2 and ".".join(parts[:2]) in _LISTED:
        return ".".join(parts[:2])
    return parts[0] if parts else "__init__"


_LISTED = {name for layer in LAYERS for name in layer if "." in name}


def layer_of(unit: str) -> int:
    for index, names in enumerate(LAYERS):
        if unit in names:
            return index
    raise AssertionError(f"certif.{unit} belongs to no layer: add it to LAYERS in {__file__}")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of a certif module in `path`."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                if node.module:
                    found.append((node.lineno, ".".join([*base, node.module])))
                else:  # from . import x, y: each name may be a module
                    found += [(node.lineno, ".".join([*base, alias.name])) for alias in node.names]
            elif node.module and node.module.split(".")[0] == "certif":
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name.split(".")[0] == "certif"]
    return found


def layered_sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = unit_of(module_name(path)) if path != PACKAGE / "__init__.py" else "__init__"
        if unit not in COMPOSITION_ROOT:
            yield path, unit


def import_graph():
    """Every import between layered units: (source unit, target unit, file:line, module)."""
    for path, unit in layered_sources():
        for line, target in imported_modules(path):
            target_unit = unit_of(target)
            if target_unit != unit and target_unit not in COMPOSITION_ROOT:
                yield unit, target_unit, f"{path.relative_to(PACKAGE.parent)}:{line}", target


def upward_imports() -> dict[tuple[str, str], list[str]]:
    found = defaultdict(list)
    for unit, target_unit, where, target in import_graph():
        if layer_of(target_unit) > layer_of(unit):
            found[(where.split(":")[0], target)].append(where)
    return found


def package_cycles() -> list[list[str]]:
    """Strongly connected groups of units (Tarjan), largest first."""
    edges = defaultdict(set)
    for unit, target_unit, _, _ in import_graph():
        edges[unit].add(target_unit)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in list(edges):
        if node not in index:
            visit(node)
    return sorted(groups, key=len, reverse=True)


def test_every_package_has_a_layer():
    for _, unit in layered_sources():
        layer_of(unit)


def test_no_module_imports_from_a_higher_layer():
    found = upward_imports()
    new = {key: where for key, where in found.items() if key not in KNOWN_VIOLATIONS}
    assert not new, "imports from a higher layer (move the rule up, or register a resolver):\n" + \
        "\n".join(f"  {', '.join(where)} imports {target}" for (_, target), where in sorted(new.items()))
    gone = KNOWN_VIOLATIONS - set(found)
    assert not gone, f"fixed, remove from KNOWN_VIOLATIONS: {sorted(gone)}"


@pytest.mark.xfail(bool(KNOWN_VIOLATIONS), reason="cycles remain while KNOWN_VIOLATIONS is not empty",
                   strict=True)
def test_packages_form_no_cycle():
    cycles = package_cycles()
    assert not cycles, "packages that import each other: " + "; ".join(" ⇄ ".join(c) for c in cycles)


# Imports allowed inside a function (issue 12): elsewhere an import sits at the top of its
# module, so that a cycle shows at once instead of hiding until a function runs.
# The composition root: the app factory imports the domains inside `create_app` (Flask's
# factory idiom: importing one `certif.…` module must not load them all).
IMPORTS_IN_FUNCTIONS_ALLOWED_IN = {"certif/__init__.py"}
# Heavy dependencies loaded only when a PDF is built, sealed or checked (~30 MB for
# xhtml2pdf, ~25 MB for the pyHanko stack per worker; `make bench` measures worker RSS).
LAZY_HEAVY_IMPORTS: set[tuple[str, str]] = {
    ("certif/documents/pdf.py", "xhtml2pdf"),
    ("certif/documents/seal.py", "pyhanko"),
    ("certif/documents/seal.py", "pyhanko_certvalidator"),
    ("certif/documents/seal.py", "cryptography"),
    ("certif/documents/seal.py", "asn1crypto"),  # pyHanko's ASN.1 library
}


def imports_in_functions() -> list[tuple[str, int, str]]:
    """(file, line, imported top-level package or relative module) of every import that sits
    inside a function, migrations excluded."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        where = str(path.relative_to(PACKAGE.parent))
        for function in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):  # a nested function's are found twice: see set() below
                if isinstance(node, ast.Import):
                    found += [(where, node.lineno, alias.name.split(".")[0]) for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    name = "." * node.level + (node.module or "")
                    found.append((where, node.lineno, name if node.level else name.split(".")[0]))
    return sorted(set(found))


def test_no_import_hides_inside_a_function():
    found = [(where, line, name) for where, line, name in imports_in_functions()
             if where not in IMPORTS_IN_FUNCTIONS_ALLOWED_IN]
    hidden = [f"  {where}:{line} imports {name}" for where, line, name in found
              if (where, name) not in LAZY_HEAVY_IMPORTS]
    assert not hidden, ("imports inside a function (move them to the top of the module; a heavy "
                        "dependency loaded lazily on purpose goes in LAZY_HEAVY_IMPORTS):\n"
                        + "\n".join(hidden))
    unused = LAZY_HEAVY_IMPORTS - {(where, name) for where, _, name in found}
    assert not unused, f"no longer imported in a function, remove from LAZY_HEAVY_IMPORTS: {sorted(unused)}"


@pytest.mark.parametrize("source,expected", [
    ("from ..sessions.models import Exam", "certif.sessions.models"),
    ("from . import rules", "certif.grading.rules"),
    ("from .rules import score", "certif.grading.rules"),
    ("import certif.minutes.pdfs", "certif.minutes.pdfs"),
])
def test_imports_are_resolved_as_python_does(tmp_path, monkeypatch, source, expected):
    # A module at certif/grading/services.py, imports inside a function included.
    path = PACKAGE / "grading" / "services.py"
    monkeypatch.setattr(Path, "read_text", lambda self: f"def f():\n    {source}\n")
    assert imported_modules(path)[0][1] == expected
