"""Crawling a mirror twice changes nothing; one edited witness gives exactly one revision."""

from __future__ import annotations

from tests.integration.conftest import Workspace

SEED_PAGE = (
    "events/roundtables/the-plight-of-north-korean-migrants-in-china-a-current-assessment.html"
)
SEED_TITLE = "The Plight of North Korean Migrants in China: A Current Assessment"


def _seed(workspace: Workspace) -> dict[str, object]:
    return next(h for h in workspace.hearings("--source", "cecc") if h["title"] == SEED_TITLE)


def test_second_crawl_of_unchanged_mirror_adds_no_revision(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    workspace.run("crawl", "cecc", "--base-url", mirror["cecc"])
    first = {h["id"]: (h["revision"], h["last_changed"]) for h in workspace.hearings()}

    second_run = workspace.run("crawl", "cecc", "--base-url", mirror["cecc"])

    assert "new   0" in second_run.stdout and "changed   0" in second_run.stdout
    assert {h["id"]: (h["revision"], h["last_changed"]) for h in workspace.hearings()} == first


def test_changed_witness_gives_one_revision_recording_it(
    workspace: Workspace, mirror: dict[str, str]
) -> None:
    workspace.run("crawl", "cecc", "--base-url", mirror["cecc"])
    page = workspace.mirror_root / "cecc" / SEED_PAGE
    page.write_text(
        page.read_text(encoding="utf-8").replace("Vice President for Policy", "President"),
        encoding="utf-8",
    )

    # --full: the seed hearing is long past, so an incremental crawl would rightly not revisit it.
    workspace.run("crawl", "cecc", "--base-url", mirror["cecc"], "--full")

    seed = _seed(workspace)
    history = workspace.show(str(seed["id"]))["revisions"]
    assert [r["revision"] for r in history] == [1, 2]
    assert list(history[1]["changes"]) == ["witnesses"]
    old = history[1]["changes"]["witnesses"]["old"][0]
    new = history[1]["changes"]["witnesses"]["new"][0]
    assert (old["name"], old["position"]) == ("Joel Charny", "Vice President for Policy")
    assert (new["name"], new["position"]) == ("Joel Charny", "President")
