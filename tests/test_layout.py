"""The tree is a map of the pipeline: a few shared modules at the top, one package per stage,
each opening with a docstring that names its public face. (Which package may import which, and
that no module imports one that imports it back, is import-linter's job: see pyproject.toml.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hearing_watch

ROOT = Path(hearing_watch.__file__).parent
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))
STAGES = [
    "cli",
    "service",
    "crawl",
    "publish",
    "notify",
    "scraping",
    "store",
    "topics",
    "normalize",
]


def _public_names(init: Path) -> list[str]:
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return []


def test_the_top_level_holds_at_most_ten_modules() -> None:
    modules = sorted(path.name for path in ROOT.glob("*.py"))
    assert len(modules) <= 10, modules


def test_every_stage_is_a_package() -> None:
    assert set(STAGES) <= set(PACKAGES)


@pytest.mark.parametrize("package", STAGES)
def test_a_package_docstring_names_every_public_name(package: str) -> None:
    init = ROOT / package / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text())) or ""
    names = _public_names(init)
    assert names, f"{init} has no __all__: say what other packages may import"
    unnamed = [name for name in names if name not in docstring]
    assert not unnamed, f"{package}/__init__.py exports {unnamed} without naming them"
