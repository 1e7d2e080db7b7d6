"""What the shipped files point a reader to exists: files named, and README sections quoted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
POINTING = [*sorted((ROOT / "deploy").iterdir()), ROOT / "scrapy.cfg", ROOT / "pyproject.toml"]
HEADINGS = {
    re.sub(r"[`#]", "", line).strip()
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    if line.startswith("#")
}


@pytest.mark.parametrize("path", POINTING, ids=lambda path: path.name)
def test_files_named_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for named in re.findall(r"\b((?:docs|deploy|scripts)/[\w./-]+|README\.md)", text):
        assert (ROOT / named.rstrip(".")).exists(), f"{path.name} points to missing {named}"


def test_readme_sections_named_by_the_service_unit_exist() -> None:
    text = (ROOT / "deploy" / "hearing-watch.service").read_text(encoding="utf-8")
    quoted = re.findall(r'"([^"]+)"', text.splitlines()[0])
    assert quoted, "the unit's first line names the README sections to read"
    for section in quoted:
        assert any(heading.startswith(section) for heading in HEADINGS), section


def test_the_readme_test_command_says_it_needs_root_and_how_long() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme.split("./scripts/test\n```", 1)[1].split("\n\n", 2)[1]
    assert "root" in after and "scripts/system-deps" in after and "apt-get" in after
    assert re.search(r"about \d+ minutes", after)
    # What it says is what the script does: system-deps runs apt-get, and only as root.
    script = (ROOT / "scripts" / "system-deps").read_text(encoding="utf-8")
    assert 'if [ "$(id -u)" -ne 0 ]' in script and "apt-get install" in script
