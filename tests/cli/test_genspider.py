"""`hearing-watch genspider`: a spider, its test and a saved-page folder, never overwritten."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hearing_watch.cli import cli

URL = "https://www.example.gov/hearings"


def genspider(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["genspider", *args, "--root", str(root)])


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The parts of a hearing-watch checkout genspider looks for before writing."""
    (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = scrapers.settings\n")
    (tmp_path / "scrapers" / "spiders").mkdir(parents=True)
    (tmp_path / "src" / "hearing_watch").mkdir(parents=True)
    (tmp_path / "src" / "hearing_watch" / "sources.py").write_text("SOURCES = {}\n")
    return tmp_path


@pytest.fixture
def written(checkout: Path) -> tuple[Path, Result]:
    return checkout, genspider(checkout, "helsinki", URL)


def test_refuses_a_folder_that_is_not_a_checkout(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = genspider(tmp_path, "helsinki", URL)
    assert result.exit_code == 1
    assert f"{tmp_path} is not a hearing-watch checkout (no scrapy.cfg, " in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_refuses_a_scrapy_project_that_is_not_hearing_watch(checkout: Path) -> None:
    (checkout / "scrapy.cfg").write_text("[settings]\ndefault = other.settings\n")
    result = genspider(checkout, "helsinki", URL)
    assert result.exit_code == 1
    assert "no scrapy.cfg naming scrapers.settings" in result.output
    assert not (checkout / "scrapers/spiders/helsinki.py").exists()


def test_writes_the_three_files(written: tuple[Path, Result]) -> None:
    root, result = written
    assert result.exit_code == 0, result.output
    for path in (
        "scrapers/spiders/helsinki.py",
        "tests/spiders/test_helsinki.py",
        "tests/files/helsinki/README.md",
    ):
        assert (root / path).is_file()
        assert path in result.output


def test_spider_compiles_and_names_its_class(written: tuple[Path, Result]) -> None:
    source = (written[0] / "scrapers/spiders/helsinki.py").read_text(encoding="utf-8")
    compile(source, "helsinki.py", "exec")
    assert "class HelsinkiSpider(LinkListingSpider):" in source
    assert 'name = "helsinki"' in source
    assert "fallback.fill_missing(" in source


def test_spider_detail_path_is_under_the_listing(written: tuple[Path, Result]) -> None:
    source = (written[0] / "scrapers/spiders/helsinki.py").read_text(encoding="utf-8")
    assert 'DETAIL_PATH = re.compile(r"/hearings/[^/?#]+")' in source


def test_test_file_is_valid_python(written: tuple[Path, Result]) -> None:
    source = (written[0] / "tests/spiders/test_helsinki.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    tests = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert {"test_title", "test_start", "test_location"} <= set(tests)
    assert "from scrapers.spiders.helsinki import HelsinkiSpider" in source


def test_readme_says_where_to_save_the_page(written: tuple[Path, Result]) -> None:
    readme = (written[0] / "tests/files/helsinki/README.md").read_text(encoding="utf-8")
    assert "tests/files/helsinki/detail.html" in readme
    assert "PROVENANCE.tsv" in readme


def test_prints_the_registry_snippet_and_next_steps(written: tuple[Path, Result]) -> None:
    output = written[1].output
    assert 'name="helsinki"' in output
    assert 'base_url="https://www.example.gov"' in output
    assert 'listing_paths=("/hearings",)' in output
    assert ".venv/bin/pytest tests/spiders/test_helsinki.py" in output


def test_refuses_to_overwrite(written: tuple[Path, Result]) -> None:
    root, _ = written
    spider = root / "scrapers/spiders/helsinki.py"
    spider.write_text("# edited by hand\n", encoding="utf-8")
    result = genspider(root, "helsinki", URL)
    assert result.exit_code == 1
    assert "not overwriting" in result.output
    assert spider.read_text(encoding="utf-8") == "# edited by hand\n"


def test_refuses_when_any_one_file_exists(checkout: Path) -> None:
    tmp_path = checkout
    readme = tmp_path / "tests/files/helsinki/README.md"
    readme.parent.mkdir(parents=True)
    readme.write_text("mine\n", encoding="utf-8")
    result = genspider(tmp_path, "helsinki", URL)
    assert result.exit_code == 1
    assert not (tmp_path / "scrapers/spiders/helsinki.py").exists()


@pytest.mark.parametrize("name", ["Helsinki", "2cecc", "my-source", "class", "cecc"])
def test_rejects_bad_or_taken_names(tmp_path: Path, name: str) -> None:
    result = genspider(tmp_path, name, URL)
    assert result.exit_code == 2
    assert "Invalid value for NAME" in result.output
    assert not any(tmp_path.iterdir())


def test_rejects_a_relative_url(tmp_path: Path) -> None:
    result = genspider(tmp_path, "helsinki", "/hearings")
    assert result.exit_code == 2
    assert "Invalid value for URL" in result.output
