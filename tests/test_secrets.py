"""Notification secrets: from the environment or an owner-only config file; never shown.

A password written into a notify URL and one given through ``${HW_SMTP_PASSWORD}`` are both
looked for in everything the CLI prints (stdout and stderr), the crawl logs, the feeds folder
and the store's error texts, across ``subscriptions``, ``status``, ``notify --dry-run``,
``crawl`` and a ``run`` whose SMTP server is down (so delivery errors are made and kept).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from hearing_watch.config import load_config
from hearing_watch.secrets import holds_literal_secret
from tests.integration.conftest import Workspace, mirror, mirror_root, workspace  # noqa: F401
from tests.integration.notify_helpers import add_csce_hearing, free_port, future_day

LITERAL = "Hunter2LiteralSecret"
FROM_ENV = "EnvSecret9x7Q"


def _config(smtp_port: int, csce_base: str = "") -> str:
    sources = "".join(
        f"[sources.{name}]\nenabled = false\n"
        for name in ("cecc", "house", "senate", "tlhrc", "uscc", "uscirf")
    )
    if csce_base:
        sources += f'[sources.csce]\nbase_url = "{csce_base}"\n'
    return (
        sources
        + f"""
[[subscriptions]]
name = "desk"
everything = true
notify = [
  "mailtos://desk:{LITERAL}@127.0.0.1:{smtp_port}?from=hw@example.org&to=desk@example.org",
  "mailto://desk:${{HW_SMTP_PASSWORD}}@127.0.0.1:{smtp_port}?from=hw@example.org&to=desk@example.org",
]

[operator]
notify = ["json://ops:{LITERAL}@127.0.0.1:{smtp_port}/alerts"]
"""
    )


def test_literal_secrets_are_told_from_placeholders() -> None:
    assert holds_literal_secret(f"mailto://u:{LITERAL}@example.org")
    assert holds_literal_secret("slack://T1234ABCD/B5678EFGH/abcdefghijklmnopqrstuvwx")
    assert not holds_literal_secret("mailto://u:${HW_SMTP_PASSWORD}@example.org?to=a@b.org")
    assert not holds_literal_secret("json://127.0.0.1:8080/hook")


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_config_with_credentials_readable_by_others_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: int, warned: bool
) -> None:
    path = tmp_path / "hearing-watch.toml"
    path.write_text(_config(2525), encoding="utf-8")
    path.chmod(mode)
    with caplog.at_level(logging.WARNING, logger="hearing_watch.config"):
        load_config(path)
    messages = [r.getMessage() for r in caplog.records if r.name == "hearing_watch.config"]
    assert bool(messages) is warned
    if warned:
        assert f"chmod 600 {path}" in messages[0] and f"mode {mode:03o}" in messages[0]
    assert LITERAL not in caplog.text


def test_placeholders_only_need_no_private_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "hearing-watch.toml"
    text = _config(2525).replace(f"desk:{LITERAL}@", "desk:${HW_SMTP_PASSWORD}@")
    path.write_text(text.replace(f"ops:{LITERAL}@", ""), encoding="utf-8")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        load_config(path)
    assert "readable by others" not in caplog.text


def test_secrets_appear_in_no_output(
    workspace: Workspace,  # noqa: F811
    mirror: dict[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HW_SMTP_PASSWORD", FROM_ENV)
    smtp_port = free_port()  # nothing listens: every delivery fails, with an error kept
    config = workspace.root / "hearing-watch.toml"
    config.write_text(_config(smtp_port, mirror["csce"]), encoding="utf-8")
    config.chmod(0o644)  # warned about, by name only

    outputs = [workspace.run("run", check=False)]
    add_csce_hearing(workspace.mirror_root, "secret-test", "A Hearing for the Desk", future_day(9))
    outputs.append(workspace.run("run", check=False))
    for command in (["subscriptions"], ["status"], ["notify", "--dry-run"], ["notify"]):
        outputs.append(workspace.run(*command, check=False))
    outputs.append(workspace.run("notify", "--retry-now", check=False))

    printed = "\n".join(o.stdout + o.stderr for o in outputs)
    assert "readable by others" in printed  # the warning was given
    assert "1 notices failed" in printed  # deliveries failed: their errors were shown and kept
    assert "desk:***@127.0.0.1" in printed  # URLs are shown redacted
    files = [p for p in workspace.root.rglob("*") if p.is_file() and p != config]
    written = "\n".join(p.read_bytes().decode("utf-8", errors="replace") for p in files)
    for secret in (LITERAL, FROM_ENV):
        assert secret not in printed
        assert secret not in written  # store (with its delivery errors), feeds, logs
    assert os.environ["HW_SMTP_PASSWORD"] == FROM_ENV
