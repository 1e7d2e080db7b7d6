"""``hearing-watch genspider NAME URL``: the files of a new source, written from templates.

A new commission needs a spider (precise selectors plus the shared fallback), its test (the saved
page parsed once, one tiny test per field) and a folder for its saved page. Writing all three from
templates keeps new sources in the house style, so adding one is a small, guided change.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click
import jinja2

from hearing_watch.sources import SOURCES

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "genspider"
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class NewSource:
    """What the templates need to know about the source being added."""

    name: str
    url: str

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_")) + "Spider"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def base_url(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def listing_path(self) -> str:
        parts = urlsplit(self.url)
        path = parts.path.rstrip("/") or "/"
        return f"{path}?{parts.query}" if parts.query else path

    @property
    def detail_path(self) -> str:
        """A first guess at the detail pages' paths: one more segment under the listing's path."""
        listing = urlsplit(self.url).path.rstrip("/")
        return f"{re.escape(listing)}/[^/?#]+" if listing else "/[^/?#]+/[^/?#]+"

    def files(self, root: Path) -> dict[str, Path]:
        """Template name -> the file it becomes under ``root``."""
        return {
            "spider.py.j2": root / "scrapers" / "spiders" / f"{self.name}.py",
            "test_spider.py.j2": root / "tests" / "spiders" / f"test_{self.name}.py",
            "README.md.j2": root / "tests" / "files" / self.name / "README.md",
        }

    def registry_snippet(self) -> str:
        """The entry to paste into SOURCES in src/hearing_watch/sources.py."""
        code = self.name.upper()
        return (
            "        Source(\n"
            f'            name="{self.name}",\n'
            f'            commission="TODO: the commission\'s full name",\n'
            f'            commission_code="{code}",\n'
            f'            base_url="{self.base_url}",\n'
            f'            listing_paths=("{self.listing_path}",),\n'
            '            description="hearings",\n'
            "        ),"
        )


def check_name(_ctx: click.Context, _param: click.Parameter, name: str) -> str:
    """A new source's name: a lowercase Python identifier not yet in the registry."""
    if not NAME_RE.fullmatch(name) or keyword.iskeyword(name):
        raise click.BadParameter(
            "use a lowercase Python identifier (letters, digits, _; starting with a letter), "
            "e.g. 'cecc' or 'helsinki'",
            param_hint="NAME",
        )
    if name in SOURCES:
        raise click.BadParameter(
            f"{name!r} is already a source (src/hearing_watch/sources.py)", param_hint="NAME"
        )
    return name


def check_url(_ctx: click.Context, _param: click.Parameter, url: str) -> str:
    """The listing page's URL: absolute http(s)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(
            "give the absolute URL of the site's hearings listing, "
            "e.g. https://www.example.gov/hearings",
            param_hint="URL",
        )
    return url


def render(source: NewSource) -> dict[Path, str]:
    """Each template rendered for ``source``, by template name."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Python and Markdown, not HTML
    )
    context = {
        "name": source.name,
        "url": source.url,
        "class_name": source.class_name,
        "host": source.host,
        "title": source.host,
        "listing_path": source.listing_path,
        "detail_path": source.detail_path,
    }
    return {
        Path(template): environment.get_template(template).render(context)
        for template in source.files(Path())
    }


# What makes a folder a hearing-watch checkout: Scrapy's project file naming our settings, the
# spiders folder, and the source registry the new source is added to.
CHECKOUT_MARKERS = ("scrapy.cfg", "scrapers/spiders", "src/hearing_watch/sources.py")


def check_checkout(root: Path) -> None:
    """Refuse to write anywhere but the root of a hearing-watch checkout."""
    missing = [marker for marker in CHECKOUT_MARKERS if not (root / marker).exists()]
    cfg = root / "scrapy.cfg"
    if not missing and "scrapers.settings" not in cfg.read_text(encoding="utf-8"):
        missing.append("scrapy.cfg naming scrapers.settings")
    if missing:
        raise click.ClickException(
            f"{root.resolve()} is not a hearing-watch checkout (no {', '.join(missing)}); "
            "run genspider at the root of a clone of the repository, or give --root"
        )


def write_source_files(source: NewSource, root: Path) -> list[Path]:
    """Write the new source's files under ``root``; refuse if any of them exists already."""
    check_checkout(root)
    targets = source.files(root)
    existing = [path for path in targets.values() if path.exists()]
    if existing:
        listed = ", ".join(str(path) for path in existing)
        raise click.ClickException(f"not overwriting existing files: {listed}")
    rendered = render(source)
    for template, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered[Path(template)], encoding="utf-8")
    return list(targets.values())


@click.command()
@click.argument("name", callback=check_name)
@click.argument("url", callback=check_url)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default="the current directory",
    help="The project checkout to write into.",
)
def genspider(name: str, url: str, root: Path) -> None:
    """Write a new source's spider, its test and a folder for its saved page, from templates.

    NAME is the spider's name (a lowercase identifier); URL is the site's hearings listing page.
    """
    source = NewSource(name=name, url=url)
    written = write_source_files(source, root)
    click.echo("Wrote:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(
        "\nNext steps:\n"
        f"  1. Add the source to SOURCES in src/hearing_watch/sources.py:\n\n"
        f"{source.registry_snippet()}\n\n"
        f"  2. Save a detail page as tests/files/{name}/detail.html and add its line to "
        "tests/files/PROVENANCE.tsv (see the README.md there).\n"
        f"  3. Write the selectors in scrapers/spiders/{name}.py and the expected values in "
        f"tests/spiders/test_{name}.py, then run:\n"
        f"       .venv/bin/pytest tests/spiders/test_{name}.py"
    )
