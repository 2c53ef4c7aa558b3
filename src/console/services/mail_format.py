"""Mail as tickets read and write it: a received message as an :class:`InboundMail` (its
sender, thread, new words, quoted history, attachments, and whether it is automatic mail),
ticket keys in subjects, and an agent's reply as an :class:`email.message.EmailMessage`.

Only the standard library's :mod:`email` package reads and writes mail here, with
:data:`email.policy.default`. Reading never fails with anything but :class:`MailFormatError`:
the package raises odd errors on malformed headers, so each library call has a fallback and
:func:`read_mail` turns whatever slips through into a reason in words.
"""

from __future__ import annotations

import codecs
import email
import hashlib
import html
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address, BaseHeader, UnstructuredHeader
from email.message import EmailMessage, Message
from email.utils import format_datetime, getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, TypeVar

from console.domain.mail import Attachment, InboundMail
from console.domain.rules import MAX_TEXT, MAX_TITLE, TICKET_KEY

__all__ = [
    "MAX_REFERENCES",
    "MailFormatError",
    "build_reply",
    "clean_subject",
    "html_text",
    "is_own_message_id",
    "read_mail",
    "reply_message_id",
    "split_quote",
    "subject_keys",
]

MAX_REFERENCES = 20  # Message-IDs in a reply's References header (the first always kept)
MAX_READ_REFERENCES = 100  # Message-IDs read from a received message (the first always kept)
MAX_ID = 998  # characters of a Message-ID: a header line's limit (RFC 5322)
MAX_NAME = 255  # characters of an attachment's name
MAX_DEPTH = 32  # nested MIME parts looked into
MAX_HEADER = MAX_TEXT  # characters of a header parsed (the library slows down on long ones)
OWN_PREFIX = "sc-"  # the start of every Message-ID this app writes

_T = TypeVar("_T")
_EML = policy.default.clone(linesep="\r\n", refold_source="none")
# A Message-ID's characters: printable ASCII but the angle brackets (no spaces).
_ID = re.compile(rf"[!-;=?-~]{{1,{MAX_ID}}}")
_BRACKETED_ID = re.compile(r"<\s*([^<>\s]+)\s*>")
_OWN_KEY = re.compile(r"[A-Za-z0-9._-]+")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG = re.compile(r"\[([^\[\]]*)\]")
_KEY = re.compile(TICKET_KEY)
_PREFIXES = re.compile(r"\A(?:\s*(?:re|fwd?|aw|wg|sv|antw)\s*(?:\[\d+\]|\(\d+\))?\s*:)+\s*", re.I)
_ATTRIBUTION = re.compile(
    r"On\s.*\swrote\s?:|Am\s.*\sschrieb\b.*:|Le\s.*\sa\s+écrit\s?:",
)
_SEPARATOR = re.compile(
    r"\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*",
    re.I,
)
_OUTLOOK_FROM = re.compile(r"\*?(?:From|Von|De)\s?:\*?\s*\S.*")
_OUTLOOK_SENT = re.compile(r"\*?(?:Sent|Gesendet|Envoyé)\s?:\*?(?:\s.*)?")
_OUTLOOK_ONE_LINE = re.compile(r"\*?From\s?:\*?\s.*\s\*?Sent\s?:\*?\s.*")
_RULE = re.compile(r"_{5,}")
# Labels that mail calls by one name and means another (as browsers read them).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
}
# Codecs that decode bytes into text but are not character sets a message may use.
_NOT_CHARSETS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})
_AUTO_SUPPRESS = frozenset({"all", "oof", "autoreply"})
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})


class MailFormatError(ValueError):
    """A received message that cannot be read; its text says why."""


# --------------------------------------------------------------------------- reading


def read_mail(raw: bytes) -> InboundMail:
    """The message ``raw`` (the bytes as received) as intake reads it; :class:`MailFormatError`
    when it cannot be read, and never any other exception."""
    try:
        if not bytes(raw).strip():
            raise MailFormatError("the message is empty")
        message = email.message_from_bytes(raw, policy=policy.default)
        return _inbound(bytes(raw), message)
    except MailFormatError:
        raise
    except Exception as error:  # the email package fails in odd ways on malformed input
        raise MailFormatError(
            f"the message cannot be read: {type(error).__name__}: {error}"
        ) from error


def _inbound(raw: bytes, message: Message) -> InboundMail:
    senders = _addresses(message, "From")
    if not senders:
        raise MailFormatError("no From address")
    sender_name, sender = senders[0]
    message_id = _message_id(message) or "sha256-" + hashlib.sha256(raw).hexdigest()[:32]
    subject = _one_line(_header(message, "Subject"))[:MAX_TEXT]
    try:
        body = _body_text(message)
    except Exception as error:
        raise MailFormatError(f"the body cannot be decoded: {error}") from error
    attachments: list[Attachment] = []
    _collect_attachments(message, attachments, 0)
    text, quoted = split_quote(body)
    if not text:
        text = subject
    if not text and not attachments:
        raise MailFormatError("the message is empty")
    recipients = _addresses(message, "To") + _addresses(message, "Cc")
    return InboundMail(
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        references=_references(message, message_id),
        text=_cap(text, "the message"),
        quoted=_cap(quoted, "the quoted text"),
        sent_at=_sent_at(message),
        recipients=tuple(dict.fromkeys(address for _, address in recipients)),
        attachments=tuple(attachments),
        automatic=_automatic(message, sender),
    )


def _attempt(read: Callable[[], _T], fallback: _T) -> _T:
    """What ``read`` returns, or ``fallback`` when the email package fails on the input."""
    try:
        return read()
    except Exception:
        return fallback


def _repair(text: str) -> str:
    """``text`` without lone surrogates: the bytes the parser kept as surrogates are read
    as UTF-8 (as RFC 6532 headers are), whatever does not decode becomes U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _one_line(text: str) -> str:
    """``text`` on one line: control characters gone, runs of white space one space."""
    return " ".join(_CONTROLS.sub(" ", _repair(text)).split())


def _raw_headers(message: Message, name: str) -> list[str]:
    """The values of every ``name`` header as received (folded, undecoded)."""
    wanted = name.lower()
    return [_repair(str(value)) for key, value in message.raw_items() if key.lower() == wanted]


def _parsed(name: str, raw: str) -> Any:
    """A header's raw text as the library parses it, at most MAX_HEADER characters of it."""
    return policy.default.header_fetch_parse(name, raw[:MAX_HEADER])


def _header(message: Message, name: str) -> str:
    """The first ``name`` header decoded (RFC 2047), its raw text when it does not parse;
    empty when missing."""
    values = _raw_headers(message, name)
    if not values:
        return ""
    return _repair(str(_attempt(lambda: _parsed(name, values[0]), values[0][:MAX_HEADER])))


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(name, address lower case) of every address in the ``name`` headers that has both a
    local part and a domain."""
    found: list[tuple[str, str]] = []
    for raw in _raw_headers(message, name):
        try:
            addresses = getattr(_parsed(name, raw), "addresses", ())
            found += [(address.display_name, address.addr_spec) for address in addresses]
        except Exception:
            try:
                found += getaddresses([raw[:MAX_HEADER]])
            except Exception:
                continue
    result: list[tuple[str, str]] = []
    for display_name, address in found:
        spec = _one_line(address).lower()
        local, _, domain = spec.rpartition("@")
        if local and domain and " " not in spec:
            result.append((_one_line(display_name), spec))
    return result


def _ids(value: str) -> list[str]:
    """The Message-IDs in a header's text, in order, garbage between them skipped; bare ids
    (with an ``@``, without brackets) when the text has none in brackets."""
    found = _BRACKETED_ID.findall(value)
    if not found:
        found = [token.strip("<>") for token in value.split() if "@" in token]
    return [found_id for found_id in found if _ID.fullmatch(found_id)]


def _message_id(message: Message) -> str:
    values = _raw_headers(message, "Message-ID")
    found = _ids(values[0]) if values else []
    return found[0] if found else ""


def _references(message: Message, message_id: str) -> tuple[str, ...]:
    """References' ids (oldest first), then In-Reply-To's; once each, not the message's own."""
    ids = [i for value in _raw_headers(message, "References") for i in _ids(value)]
    ids += [i for value in _raw_headers(message, "In-Reply-To") for i in _ids(value)]
    unique = [i for i in dict.fromkeys(ids) if i != message_id]
    if len(unique) > MAX_READ_REFERENCES:
        unique = [unique[0], *unique[-(MAX_READ_REFERENCES - 1) :]]
    return tuple(unique)


def _sent_at(message: Message) -> datetime | None:
    """The Date header in UTC; None when missing or unreadable (``-0000`` is read as UTC)."""
    values = _raw_headers(message, "Date")
    if not values:
        return None
    try:
        sent = parsedate_to_datetime(" ".join(values[0].split()))
        if sent.tzinfo is None:
            sent = sent.replace(tzinfo=UTC)
        return sent.astimezone(UTC)
    except Exception:
        return None


def _content_type(part: Message) -> str:
    return _attempt(part.get_content_type, "application/octet-stream")


def _is_attachment(part: Message) -> bool:
    """A part with a file name or marked ``Content-Disposition: attachment``."""
    disposition = _attempt(part.get_content_disposition, None)
    return disposition == "attachment" or bool(_attempt(part.get_filename, None))


def _children(part: Message) -> list[Message]:
    payload = _attempt(part.get_payload, None)
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


# --------------------------------------------------------------------------- the body


def _body_candidates(part: Message, depth: int) -> list[Message]:
    """The parts that may be the body, best first: within a multipart/alternative the
    text/plain ones before the text/html ones; elsewhere the first part that has any."""
    content_type = _content_type(part)
    if depth > MAX_DEPTH or content_type.startswith("message/"):
        return []
    if part.is_multipart():
        children = _children(part)
        if content_type == "multipart/alternative":
            found = [c for child in children for c in _body_candidates(child, depth + 1)]
            return sorted(found, key=lambda c: _content_type(c) != "text/plain")
        for child in children:
            found = _body_candidates(child, depth + 1)
            if found:
                return found
        return []
    if content_type in ("text/plain", "text/html") and not _is_attachment(part):
        return [part]
    return []


def _body_text(message: Message) -> str:
    """The body's text: the first candidate that says something, as tidy plain text."""
    for part in _body_candidates(message, 0):
        text = _part_text(part)
        if text.strip():
            return text
    return ""


def _part_text(part: Message) -> str:
    data = part.get_payload(decode=True)
    charset = _attempt(part.get_content_charset, None)
    text = _decode(data if isinstance(data, bytes) else b"", charset)
    if _content_type(part) == "text/html":
        text = html_text(text)
    return _tidy(text)


def _codec(label: str | None) -> str | None:
    """The Python codec of a charset label, None when unknown or not a character set."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
        b"a".decode(name, "ignore")  # LookupError for codecs from bytes to bytes (base64)
    except (LookupError, ValueError):
        return None
    return None if name in _NOT_CHARSETS else name


def _decode(data: bytes, label: str | None) -> str:
    """``data`` in the labelled charset, or UTF-8 when that fails; else the label's (or
    Windows-1252's, for an unknown label) reading with undecodable bytes replaced."""
    codec = _codec(label)
    for name in (codec, "utf-8"):
        if name is None:
            continue
        try:
            return data.decode(name)
        except UnicodeError:
            continue
    return data.decode(codec or "cp1252", errors="replace")


def _tidy(text: str) -> str:
    """Line breaks ``\\n``, no trailing white space on a line, no control characters but
    ``\\n`` and ``\\t``, no blank lines at either end."""
    text = _repair(text).replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROLS.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


class _HtmlText(HTMLParser):
    """HTML as plain text: no tags, nothing of scripts and styles, line breaks for breaks
    and blocks, a blank line between paragraphs, ``>`` before quoted (blockquote) lines."""

    SKIP = frozenset({"script", "style", "title", "template"})
    PARAGRAPHS = frozenset({"p", "blockquote", "table", "ul", "ol", "pre", "hr"})
    PARAGRAPHS |= {f"h{level}" for level in range(1, 7)}
    LINES = frozenset({"div", "li", "tr", "dd", "dt", "address", "section", "article"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0  # depth inside elements whose content is dropped
        self.pre = 0
        self.quote = 0  # blockquote depth
        self.wanted = 0  # line breaks the next text needs before it
        self.trailing = 0  # line breaks at the end of the output

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br":
            self._put("\n")
        elif tag in ("td", "th"):
            self._text(" ")
        self._block(tag, 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        self._block(tag, -1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._text(data if self.pre else re.sub(r"\s+", " ", data))

    def _block(self, tag: str, step: int) -> None:
        if tag in self.PARAGRAPHS:
            self.wanted = max(self.wanted, 2)
        elif tag in self.LINES:
            self.wanted = max(self.wanted, 1)
        if tag == "blockquote":
            self.quote = max(0, self.quote + step)
        elif tag == "pre":
            self.pre = max(0, self.pre + step)

    def _text(self, text: str) -> None:
        if not self.pre and (not self.parts or self.trailing or self.wanted):
            text = text.lstrip(" ")
        if not text:
            return
        if self.parts and self.wanted > self.trailing:
            self._put("\n" * (self.wanted - self.trailing))
        self.wanted = 0
        prefix = ">" * self.quote + " " if self.quote else ""
        for index, line in enumerate(text.split("\n")):
            if index:
                self._put("\n")
            if line:
                self._put((prefix if not self.parts or self.trailing else "") + line)

    def _put(self, text: str) -> None:
        self.parts.append(text)
        kept = text.rstrip("\n")
        self.trailing = len(text) - len(kept) + (0 if kept else self.trailing)

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def html_text(markup: str) -> str:
    """HTML as safe plain text (see :class:`_HtmlText`); a cruder reading by patterns when
    the parser gives up on the markup."""
    parser = _HtmlText()
    try:
        parser.feed(markup)
        parser.close()
        return parser.text()
    except Exception:  # html.parser raises AssertionError on some markup (<![x[ ...)
        text = re.sub(r"(?is)<(script|style|title)\b.*?(</\1\s*>|\Z)", " ", markup)
        text = re.sub(r"(?i)<(?:br|/?p|/?div|/?li|/?tr)\b[^>]*>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        return re.sub(r"\n{3,}", "\n\n", _tidy(re.sub(r"[ \t]+", " ", text)))


# --------------------------------------------------------------------------- quotes


def split_quote(text: str) -> tuple[str, str]:
    """``text`` as (the new words, the quoted history below them), both stripped: the
    history starts at the first reply quote's first line (an "On ... wrote:" line, its
    German and French forms, "-----Original Message-----", Outlook's "From:" and "Sent:",
    or a block of ``>`` lines that runs to the end). All quote: (``text``, "")."""
    lines = text.split("\n")
    start = _quote_start(lines)
    if start is None:
        return text.strip(), ""
    new = lines[:start]
    while new and (not new[-1].strip() or _RULE.fullmatch(new[-1].strip())):
        new.pop()
    above = "\n".join(new).strip()
    if not above:
        return text.strip(), ""
    return above, "\n".join(lines[start:]).strip()


def _quote_start(lines: list[str]) -> int | None:
    trailing = _trailing_quote(lines)
    for index, line in enumerate(lines[: len(lines) if trailing is None else trailing]):
        if _SEPARATOR.fullmatch(line) or _outlook(lines, index):
            return index
        end = _attribution_end(lines, index)
        if end is not None and not _interleaved(lines[end + 1 :]):
            return index
    return trailing


def _trailing_quote(lines: list[str]) -> int | None:
    """The first line of the block of ``>`` lines (blank lines between) that ends the text."""
    start = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.startswith(">"):
            start = index
        elif line.strip():
            break
    return start


def _attribution_end(lines: list[str], index: int) -> int | None:
    """The last line of an "On ... wrote:" line starting at ``index`` (mail programs wrap
    it over up to three lines), or None."""
    if not lines[index].startswith(("On ", "Am ", "Le ")):
        return None
    for end in range(index, min(index + 3, len(lines))):
        if not lines[end].strip():
            return None
        if _ATTRIBUTION.fullmatch(" ".join(line.strip() for line in lines[index : end + 1])):
            return end
    return None


def _interleaved(lines: list[str]) -> bool:
    """Whether words follow quoted lines: answers written between the quote's lines."""
    quoted = False
    for line in lines:
        if line.startswith(">"):
            quoted = True
        elif quoted and line.strip():
            return True
    return False


def _outlook(lines: list[str], index: int) -> bool:
    """Whether Outlook's header block of the quoted message ("From:", then "Sent:") starts
    at ``index``."""
    line = lines[index].strip()
    if _OUTLOOK_ONE_LINE.fullmatch(line):
        return True
    if not _OUTLOOK_FROM.fullmatch(line):
        return False
    following = [n.strip() for n in lines[index + 1 : index + 3] if n.strip()]
    return bool(following) and bool(_OUTLOOK_SENT.fullmatch(following[0]))


def _cap(text: str, what: str) -> str:
    """``text`` cut to at most MAX_TEXT characters, ending with a note saying so."""
    if len(text) <= MAX_TEXT:
        return text
    note = f"\n[… cut: {what} is {len(text):,} characters long]"
    return text[: MAX_TEXT - len(note)] + note


# --------------------------------------------------------------------------- attachments


def _collect_attachments(part: Message, found: list[Attachment], depth: int) -> None:
    """Every attachment within ``part`` into ``found``: parts with a file name or marked as
    attachments, and each attached message (message/rfc822) as one."""
    if depth > MAX_DEPTH:
        return
    content_type = _content_type(part)
    if depth and content_type in ("message/rfc822", "message/global"):
        found.append(Attachment(_message_name(part), content_type, _message_size(part)))
        return
    if content_type.startswith("message/") or part.is_multipart():
        for child in _children(part) if content_type.startswith("multipart/") else []:
            _collect_attachments(child, found, depth + 1)
        return
    if _is_attachment(part):  # never the body: a body has no file name
        data = _attempt(lambda: part.get_payload(decode=True), None)
        size = len(data) if isinstance(data, bytes) else 0
        found.append(Attachment(_file_name(part), content_type, size))


def _file_name(part: Message) -> str:
    """The part's file name without folders (a name may hold a sender's path), or
    "unnamed"."""
    name = _one_line(_attempt(part.get_filename, None) or "")
    name = re.split(r"[/\\]", name)[-1].strip()
    return name[:MAX_NAME] if name not in ("", ".", "..") else "unnamed"


def _message_name(part: Message) -> str:
    children = _children(part)
    subject = _one_line(_header(children[0], "Subject")) if children else ""
    subject = subject.replace("/", "_").replace("\\", "_")[: MAX_NAME - 4].strip()
    return f"{subject or 'unnamed'}.eml"


def _message_size(part: Message) -> int:
    """Bytes of an attached message as a file (.eml, CRLF line breaks)."""
    children = _children(part)
    if not children:
        return 0
    return _attempt(lambda: len(children[0].as_bytes(policy=_EML)), 0)


# --------------------------------------------------------------------------- automatic mail


def _automatic(message: Message, sender: str) -> str:
    """Why ``message`` is automatic mail (the first rule that applies), or ""."""
    submitted = _one_line(_header(message, "Auto-Submitted")).split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = _one_line(_header(message, "Precedence")).lower()
    if precedence in ("bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    if _content_type(message) == "multipart/report":
        report = _attempt(lambda: message.get_param("report-type"), None)
        if isinstance(report, str) and report.lower() == "disposition-notification":
            return "a read receipt (a disposition notification report)"
        return "a delivery status report"
    for name in ("X-Autoreply", "X-Autorespond"):
        if name in message:
            return f"an automatic reply ({name})"
    suppress = _one_line(_header(message, "X-Auto-Response-Suppress"))
    if _AUTO_SUPPRESS & {word.strip().lower() for word in suppress.split(",")}:
        return f"X-Auto-Response-Suppress: {suppress}"
    for name in ("List-Id", "List-Unsubscribe"):
        if name in message:
            return f"a mailing list message ({name})"
    if sender.rpartition("@")[0] in _BOUNCE_SENDERS:
        return f"a bounce (from {sender})"
    if any(re.fullmatch(r"<\s*>", v.strip()) for v in _raw_headers(message, "Return-Path")):
        return "a bounce (an empty Return-Path)"
    return ""


# --------------------------------------------------------------------------- subjects


def subject_keys(subject: str) -> list[str]:
    """The ticket keys in ``[KEY]`` tags of ``subject``, as written, once each, in order:
    "Re: [ZIT-3583] login fails" -> ["ZIT-3583"]. A tag is any word a key may be
    ("[EXTERNAL]" too): the caller looks the keys up."""
    keys = [m.group(1) for m in _TAG.finditer(subject) if _KEY.fullmatch(m.group(1))]
    return list(dict.fromkeys(keys))


def clean_subject(subject: str) -> str:
    """``subject`` as a ticket's title: without reply and forward prefixes (Re:, Fwd:, FW:,
    AW:, WG:, SV:, Antw:, repeated) and ``[KEY]`` tags, on one line, at most MAX_TITLE
    characters; "(no subject)" when nothing is left."""
    # A tag becomes a space: no new tag can form from the text around it.
    text = _TAG.sub(lambda m: " " if _KEY.fullmatch(m.group(1)) else m.group(0), _one_line(subject))
    text = _one_line(_PREFIXES.sub("", text))
    return text[:MAX_TITLE].rstrip() or "(no subject)"


# --------------------------------------------------------------------------- writing


def reply_message_id(key: str, domain: str) -> str:
    """The Message-ID (without ``<>``) of the outbound message whose stable key is ``key``
    ("sc-outbox-17-..."; letters, digits, ".", "_" and "-", starting "sc-"), at the team
    address's ``domain``: the same key always gives the same id."""
    if not key.startswith(OWN_PREFIX) or not _OWN_KEY.fullmatch(key):
        raise ValueError(
            f"{key!r} is not a message key: it starts with {OWN_PREFIX!r} and holds only "
            "letters, digits, '.', '_' and '-'"
        )
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"{domain!r} is not a mail domain")
    message_id = f"{key}@{domain.lower()}"
    if len(message_id) > MAX_ID:
        raise ValueError(f"a Message-ID is at most {MAX_ID} characters")
    return message_id


def is_own_message_id(message_id: str, domain: str) -> bool:
    """Whether ``message_id`` (with or without ``<>``) is one :func:`reply_message_id` gives
    for ``domain`` (the domain in any case)."""
    local, at, rest = message_id.strip().strip("<>").rpartition("@")
    return (
        bool(at)
        and local.startswith(OWN_PREFIX)
        and _OWN_KEY.fullmatch(local) is not None
        and rest.lower() == domain.strip().lower()
    )


class _IdsHeader(UnstructuredHeader, BaseHeader):
    """Message-IDs as given, folded between ids only: the library would decode what looks
    like an RFC 2047 word inside an id, and encode a long id as such words, which no mail
    program reads back as an id."""

    @classmethod
    def parse(cls, value: str, kwds: dict[str, Any]) -> None:
        super().parse("", kwds)  # the library's parse tree, which fold() does not use
        kwds["decoded"] = value

    def fold(self, *, policy: Any) -> str:
        linesep = str(policy.linesep)
        return f"{self.name}: " + f"{linesep} ".join(str(self).split()) + linesep


def _clean_id(value: str, what: str) -> str:
    clean = value.strip().removeprefix("<").removesuffix(">").strip()
    if not _ID.fullmatch(clean):
        raise ValueError(f"{what} {value!r} is not a Message-ID")
    return clean


def _address(addr_spec: str, what: str, display_name: str = "") -> Address:
    local, at, domain = addr_spec.strip().rpartition("@")
    if not (at and local and domain):
        raise ValueError(f"{what} {addr_spec!r} is not a mail address")
    try:
        return Address(display_name=display_name, addr_spec=addr_spec.strip())
    except ValueError as error:
        raise ValueError(f"{what} {addr_spec!r} is not a mail address: {error}") from None


def _reply_references(
    references: Sequence[str], in_reply_to: str | None, message_id: str
) -> list[str]:
    ids = [_clean_id(i, "the reference") for i in references]
    if in_reply_to:
        ids.append(in_reply_to)
    ids = [i for i in dict.fromkeys(ids) if i != message_id]
    if len(ids) > MAX_REFERENCES:
        kept = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
        if in_reply_to and in_reply_to not in kept:  # the parent stays, last
            kept = [ids[0], *ids[-(MAX_REFERENCES - 2) :], in_reply_to]
        ids = kept
    return ids


def build_reply(
    *,
    message_id: str,
    sender: str,
    sender_name: str,
    to: Sequence[str],
    subject: str,
    key: str,
    text: str,
    in_reply_to: str | None,
    references: Sequence[str],
    automated: bool = False,
    sent_at: datetime,
) -> EmailMessage:
    """A message from ``sender_name <sender>`` to ``to`` about ticket ``key``: Subject
    "[KEY] title" ("Re: [KEY] title" when it answers ``in_reply_to``), References the given
    ids (at most MAX_REFERENCES with In-Reply-To, the first always kept) then
    ``in_reply_to``, the text as UTF-8 text/plain (quoted-printable); ``automated`` marks it
    as an automatic reply (RFC 3834 and Microsoft's header). ``sent_at`` must be aware.
    ValueError names the bad argument."""
    own_id = _clean_id(message_id, "the message id")
    if "@" not in own_id:
        raise ValueError(f"the message id {message_id!r} has no '@domain'")
    answered = _clean_id(in_reply_to, "In-Reply-To") if in_reply_to else None
    if not _KEY.fullmatch(key):
        raise ValueError(f"{key!r} is not a ticket key")
    if isinstance(to, str):
        to = [to]
    if not to:
        raise ValueError("a reply needs at least one recipient")
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValueError("sent_at must be an aware datetime")
    title = f"[{key}] {clean_subject(subject)}"
    reply = EmailMessage(policy=policy.default)
    reply["From"] = _address(sender, "the sender", _one_line(sender_name))
    reply["To"] = tuple(_address(address, "the recipient") for address in to)
    reply["Subject"] = f"Re: {title}" if answered else title
    reply["Date"] = format_datetime(sent_at)
    reply["Message-ID"] = _IdsHeader("Message-ID", f"<{own_id}>")
    if answered:
        reply["In-Reply-To"] = _IdsHeader("In-Reply-To", f"<{answered}>")
    thread = _reply_references(references, answered, own_id)
    if thread:
        reply["References"] = _IdsHeader("References", " ".join(f"<{i}>" for i in thread))
    if automated:
        reply["Auto-Submitted"] = "auto-replied"
        reply["X-Auto-Response-Suppress"] = "All"
    reply.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    return reply
