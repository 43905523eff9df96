"""The tests mirror the code: a test module imports makers from tests/factories and helpers
from a package's helpers module, never from a conftest (fixtures reach tests by name) nor
from another test module; and files are named after the behaviour they check."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in `path`, relative ones resolved."""
    package = list(path.relative_to(TESTS.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [f"{module}.{alias.name}" for alias in node.names] if not node.module else [module]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def test_no_test_module_imports_from_a_conftest_or_another_test_module():
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in imported_modules(path):
            last = module.split(".")[-1]
            if module.startswith("tests.") and (last == "conftest" or last.startswith("test_")):
                wrong.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert wrong == []


def test_test_files_are_named_after_what_they_check():
    vague = [p.relative_to(TESTS.parent).as_posix() for p in TESTS.rglob("test_*.py")
             if p.stem.endswith("_fixes") or "walkthrough" in p.stem]
    assert vague == []
