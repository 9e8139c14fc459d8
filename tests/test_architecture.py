"""Engines stay pure Python: no module under partnernet.engines imports Django or the apps."""

from __future__ import annotations

import ast
from pathlib import Path

import partnernet.engines

FORBIDDEN = ("django", "rest_framework", "partnernet.apps", "partnernet.web", "partnernet.cli")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_engines_import_no_django_nor_apps() -> None:
    root = Path(partnernet.engines.__file__).parent
    offenders = [
        f"{path.relative_to(root)} imports {name}"
        for path in root.rglob("*.py")
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_forbidden_import_is_detected(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from django.db import models\nimport partnernet.apps.register\n")
    assert _imports(sample) == ["django.db", "partnernet.apps.register"]
