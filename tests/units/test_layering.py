"""`units` is the lower layer: agreements and reports build on it, never the reverse."""

import ast
from pathlib import Path

import units

UPPER_APPS = ("agreements", "reports")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def test_no_module_under_units_imports_agreements_or_reports():
    offenders = []
    for path in sorted(Path(units.__file__).parent.rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in UPPER_APPS:
                offenders.append(f"{path.name}: {module}")
    assert offenders == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("def f():\n    from agreements.models import Agreement\n")
    assert "agreements.models" in imported_modules(source)
