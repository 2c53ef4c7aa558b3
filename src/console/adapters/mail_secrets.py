"""The mailbox's passwords, never in the database: the environment
(``SUPPORT_CONSOLE_IMAP_PASSWORD``, ``SUPPORT_CONSOLE_SMTP_PASSWORD``), a secrets file only
its owner can read (for a worker beside the server), or the platform's keyring (a desktop),
looked for in that order."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path

from console.domain.mail import ServerSettings

SERVICE = "support-console"
ENVIRONMENT = {"imap": "SUPPORT_CONSOLE_IMAP_PASSWORD", "smtp": "SUPPORT_CONSOLE_SMTP_PASSWORD"}


class MailSecretError(Exception):
    """A password cannot be found or kept; the message says where it was looked for."""


def keyring_name(which: str, server: ServerSettings) -> str:
    """The keyring entry of a server's password (one per login and server)."""
    return f"{which}:{server.user}@{server.host}:{server.port}"


def read_secrets_file(path: Path) -> dict[str, str]:
    """``imap_password`` and ``smtp_password`` of a TOML file that only its owner may read."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise MailSecretError(f"cannot read the secrets file {path}: {error.strerror}") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MailSecretError(
            f"the secrets file {path} can be read by others (mode {stat.S_IMODE(mode):o}): "
            f"run chmod 600 {path}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MailSecretError(f"cannot read the secrets file {path}: {error}") from None
    found: dict[str, str] = {}
    for which in ENVIRONMENT:
        value = data.get(f"{which}_password")
        if value is not None:
            if not isinstance(value, str):
                raise MailSecretError(f"{path}: {which}_password must be a text")
            found[which] = value
    return found


def password(
    which: str,
    server: ServerSettings,
    *,
    secrets_file: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> str:
    """The password of the ``which`` ("imap" or "smtp") server."""
    value = environ.get(ENVIRONMENT[which])
    if value:
        return value
    if secrets_file is not None:
        found = read_secrets_file(secrets_file)
        if which in found:
            return found[which]
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            stored = keyring.get_password(SERVICE, keyring_name(which, server))
        except KeyringError as error:
            stored = None
            why = f" (the keyring answered: {error})"
        else:
            why = ""
    except ImportError:  # pragma: no cover - keyring is a dependency
        stored, why = None, " (no keyring)"
    if stored:
        return stored
    where = f"{secrets_file}, " if secrets_file is not None else ""
    raise MailSecretError(
        f"no {which.upper()} password for {server.user} at {server.host}: looked in "
        f"{ENVIRONMENT[which]}, {where}and this machine's keyring{why}. Run "
        "`support-console mail configure` here, or give --secrets-file"
    )


def store_password(which: str, server: ServerSettings, secret: str) -> None:
    """Keep a password in the platform's keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, keyring_name(which, server), secret)
    except KeyringError as error:
        raise MailSecretError(
            f"this machine's keyring cannot keep the {which.upper()} password ({error}): "
            f"give it to the mail worker by {ENVIRONMENT[which]} or --secrets-file"
        ) from None
