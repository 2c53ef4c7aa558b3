"""``support-console mail run`` refuses at once, with the reason, what could never work: no
mailbox, a password nowhere to be found, a secrets file others can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.cli import main

LEAD = "claire.dubois"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("SUPPORT_CONSOLE_IMAP_PASSWORD", "SUPPORT_CONSOLE_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    database = f"sqlite:///{tmp_path / 'console.sqlite3'}"
    assert main(["--db", database, "demo", "--tickets", "5"]) == 0
    return database


def configure(url: str) -> None:
    argv = ["--db", url, "mail", "configure", "--as", LEAD, "--address", "support@example.test"]
    argv += ["--imap", "127.0.0.1:1", "--imap-security", "none"]
    argv += ["--smtp", "127.0.0.1:2", "--smtp-security", "none"]
    assert main(argv) == 0


def test_a_worker_without_a_mailbox_says_so(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", url, "mail", "run"]) == 2
    assert "has no team mailbox" in capsys.readouterr().err


def test_a_worker_without_its_passwords_says_where_it_looked(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(url)
    capsys.readouterr()
    assert main(["--db", url, "mail", "run"]) == 2
    said = capsys.readouterr().err
    assert "no IMAP password for support@example.test" in said
    assert "SUPPORT_CONSOLE_IMAP_PASSWORD" in said and "Traceback" not in said
    secrets = tmp_path / "mail.toml"
    secrets.write_text('imap_password = "x"\nsmtp_password = "y"\n')
    secrets.chmod(0o644)
    assert main(["--db", url, "mail", "run", "--secrets-file", str(secrets)]) == 2
    assert "can be read by others" in capsys.readouterr().err
    secrets.write_text("imap_password = 3\n")
    secrets.chmod(0o600)
    assert main(["--db", url, "mail", "run", "--secrets-file", str(secrets)]) == 2
    assert "imap_password must be a text" in capsys.readouterr().err
