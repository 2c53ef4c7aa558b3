"""Reading received mail into an InboundMail and writing replies: messages built with the
standard library and written out byte by byte, and property tests that no input makes
reading fail with anything but MailFormatError."""

from __future__ import annotations

import base64
import email
import hashlib
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.mail import Attachment, InboundMail
from console.domain.rules import MAX_TEXT, MAX_TITLE
from console.services.mail_format import (
    MAX_REFERENCES,
    MailFormatError,
    build_reply,
    clean_subject,
    html_text,
    is_own_message_id,
    read_mail,
    reply_message_id,
    split_quote,
    subject_keys,
)

SENT = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def hypothesis_settings(examples: int) -> settings:
    """Reproducible runs (same cases every time, no example database), no deadline."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None)


def message(body: str = "Hello, the login fails.", **headers: str) -> EmailMessage:
    """A plain message from a customer; ``headers`` add to or replace the usual ones
    (underscores for dashes; an empty value removes the header)."""
    mail = EmailMessage()
    usual = {
        "From": "Ann Customer <Ann@Example.COM>",
        "To": "support@team.example",
        "Subject": "Login fails",
        "Message-ID": "<m1@example.com>",
        "Date": "Fri, 20 Nov 2026 15:30:00 +0100",
    }
    usual.update({name.replace("_", "-"): value for name, value in headers.items()})
    for name, value in usual.items():
        if value:
            mail[name] = value
    mail.set_content(body)
    return mail


def read(mail: EmailMessage | MIMEMultipart | MIMEText) -> InboundMail:
    return read_mail(mail.as_bytes())


def raw(text: str, body: bytes = b"") -> bytes:
    """Header lines (one per line, no indentation) and a body as received, CRLF."""
    lines = text.strip("\n").splitlines()
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body


HEAD = """
From: Ann <ann@example.com>
To: support@team.example
Subject: Login fails
Message-ID: <m1@example.com>
MIME-Version: 1.0
"""


# --------------------------------------------------------------------------- headers
def test_a_plain_message_is_read_field_by_field() -> None:
    mail = read(message(Cc="Boss <BOSS@example.com>, support@team.example", Reply_To="o@x.org"))
    assert mail == InboundMail(
        message_id="m1@example.com",
        sender="ann@example.com",  # From, not Reply-To
        sender_name="Ann Customer",
        subject="Login fails",
        references=(),
        text="Hello, the login fails.",
        sent_at=datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        recipients=("support@team.example", "boss@example.com"),
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        *(
            (raw(f"From: {s}\nSubject: hi", b"Hi"), "no From address")
            for s in ("", "x:;", "Ann", "a@", "<>")
        ),
        (raw("Subject: hi", b"Hello\r\n"), "no From address"),
        (b"", "the message is empty"),
        (b" \r\n\r\n \n", "the message is empty"),
    ],
)
def test_a_message_without_a_sender_or_anything_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(MailFormatError, match=reason):
        read_mail(data)


def test_a_subject_in_encoded_words_is_decoded_on_one_line() -> None:
    subject = "=?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n =?iso-8859-1?q?aus_Z=FCrich?=\r\n \t and   more"
    mail = read_mail(raw(f"{HEAD.replace('Login fails', subject)}", b"Hi\r\n"))
    assert mail.subject == "Grüßeaus Zürich and more"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Message-ID:   <  abc.123@mail.example.com >  ", "abc.123@mail.example.com"),
        ("Message-ID: <abc@x> (sent by a comment)", "abc@x"),
        ("Message-ID: bare-id@x.example", "bare-id@x.example"),
        ("Message-id:\r\n <folded@x>", "folded@x"),
    ],
)
def test_the_message_id_loses_its_brackets_and_white_space(header: str, expected: str) -> None:
    data = raw(HEAD.replace("Message-ID: <m1@example.com>", header), b"Hi\r\n")
    assert read_mail(data).message_id == expected


@pytest.mark.parametrize("header", ["", "Message-ID:", "Message-ID: <>", "Message-ID: < >"])
def test_without_a_message_id_the_same_bytes_give_the_same_digest(header: str) -> None:
    head = HEAD.replace("Message-ID: <m1@example.com>", header)
    first = raw(head, b"Hi\r\n")
    other = raw(head, b"Hi!\r\n")

    digest = "sha256-" + hashlib.sha256(first).hexdigest()[:32]
    assert read_mail(first).message_id == read_mail(first).message_id == digest
    other_id = read_mail(other).message_id
    assert other_id.startswith("sha256-") and other_id != digest


def test_references_come_oldest_first_then_in_reply_to_once_each() -> None:
    head = HEAD + (
        "References: <r1@x> junk, (comment) <r2@x>\r\n <r1@x>\t<m1@example.com> < > <r3@x>\n"
        f"In-Reply-To: Of Monday <caf\u00e9@x> <{'a' * 997}@x> <a b@x> <r4@x> (was <r3@x>)"
    )
    assert read_mail(raw(head, b"Hi\r\n")).references == ("r1@x", "r2@x", "r3@x", "r4@x")


@pytest.mark.parametrize(
    ("references", "in_reply_to", "expected"),
    [
        ("<r1@x> <r2@x>", "<r1@x>", ("r1@x", "r2@x")),
        ("r1@x not-an-id <broken@x", "r2@x", ("r1@x", "broken@x", "r2@x")),
    ],
)
def test_reference_ids_bare_broken_or_repeated(
    references: str, in_reply_to: str, expected: tuple[str, ...]
) -> None:
    mail = read(message(References=references, In_Reply_To=in_reply_to))
    assert mail.references == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Fri, 20 Nov 2026 09:30:00 -0500", datetime(2026, 11, 20, 14, 30, tzinfo=UTC)),
        ("20 Nov 2026 14:30 -0000", datetime(2026, 11, 20, 14, 30, tzinfo=UTC)),
        ("yesterday at noon", None),
        ("Fri, 40 Nov 2026 25:99:00 +0100", None),
        ("", None),
    ],
)
def test_the_date_is_utc_or_none(
    date: str, expected: datetime | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # a naive time read as local would be 5:30 off
    time.tzset()
    try:
        mail = read(message(Date=date))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert mail.sent_at == expected
    assert mail.sent_at is None or mail.sent_at.utcoffset() == timedelta(0)


# --------------------------------------------------------------------------- bodies
def test_html_becomes_safe_plain_text() -> None:
    markup = (
        "<html><head><title>Ticket</title><style>p { color: red }</style></head><body>"
        "<script>alert('x &amp; y')</script>"
        "<p>Hello &amp; good&nbsp;day,</p><p>the   login\n   fails &lt;again&gt;:<br>"
        "first<br/>second</p><div>one</div><div>two</div>"
        "<ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr>"
        "</table><p></p><p></p><p></p><p>&eacute;&#233;&#x20AC;</p></body></html>"
    )
    plain = read(message(markup))
    html_only = message()
    html_only.set_content(markup, subtype="html")

    text = read(html_only).text

    assert text == (
        "Hello & good day,\n\nthe login fails <again>:\nfirst\nsecond\n\none\ntwo\n\n"
        "a\nb\n\nx y\nz\n\néé€"
    )
    assert plain.text.startswith("<html>")  # a text/plain body is never read as HTML


def test_blockquotes_and_markup_the_parser_gives_up_on() -> None:
    text = html_text("<![foo[ x ]]><p>a &lt; b</p><script>alert(1)</script><p>c</p>")
    assert "alert" not in text
    assert text.split() == ["a", "<", "b", "c"]
    text = html_text(
        "<p>Yes.</p><blockquote>old<br>older<blockquote>oldest</blockquote></blockquote>"
    )
    assert text == "Yes.\n\n> old\n> older\n\n>> oldest"


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ([("plain words", "plain"), ("<p>html words</p>", "html")], "plain words"),
        ([("<p>html words</p>", "html"), ("plain words", "plain")], "plain words"),
        ([(" \n \n", "plain"), ("<p>html words</p>", "html")], "html words"),
    ],
)
def test_the_plain_alternative_is_preferred_unless_blank(
    parts: list[tuple[str, str]], text: str
) -> None:
    mail = MIMEMultipart("alternative", _subparts=[MIMEText(b, t, "utf-8") for b, t in parts])
    mail["From"] = "ann@example.com"
    assert read(mail).text == text


@pytest.mark.parametrize(
    ("charset", "words"),
    [
        ("iso-8859-1", "Grüße aus Zürich, déjà vu"),
        ("windows-1252", "“Smart” quotes \u2013 20 € café"),
        ("koi8-r", "Вход не работает"),
        ("iso-2022-jp", "ログインできません"),
    ],
)
def test_bodies_and_subjects_in_other_charsets(charset: str, words: str) -> None:
    subject = Header(words, charset).encode()
    cte = "7bit" if charset == "iso-2022-jp" else "8bit"
    headers = HEAD.replace("Login fails", subject) + (
        f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: {cte}"
    )
    mail = read_mail(raw(headers, words.encode(charset) + b"\r\n"))
    assert (mail.subject, mail.text) == (words, words)


@pytest.mark.parametrize(
    ("label", "cte", "body", "expected"),
    [
        (
            "utf-8",
            "quoted-printable",
            b"Gr=C3=BC=C3=9Fe, eine=\r\n Zeile.=20",
            "Grüße, eine Zeile.",
        ),
        ("latin1", "base64", base64.encodebytes("Grüße".encode("latin1")), "Grüße"),
        ("utf-8", "8bit", "café au lait".encode("latin-1"), "caf\ufffd au lait"),
        ("us-ascii", "8bit", "café".encode(), "café"),
        ("x-no-such-charset", "8bit", "café".encode(), "café"),
        ("x-no-such-charset", "8bit", "café".encode("latin-1"), "café"),
        ("base64", "8bit", b"caf\xc3\xa9", "café"),
        ("unicode-escape", "8bit", b"caf\\u00e9", "caf\\u00e9"),
        ("utf\x00-8", "8bit", b"caf\xc3\xa9", "café"),
        (
            "utf-8",
            "8bit",
            b"\xef\xbb\xbf  First  \r\nsecond\x00 line\x07\t end\t\rthird\x1b[0m\n\n\n",
            "First\nsecond line\t end\nthird[0m",  # tidy: line ends, controls, white space
        ),
    ],
)
def test_bodies_are_decoded_whatever_the_label(
    label: str, cte: str, body: bytes, expected: str
) -> None:
    headers = HEAD + f"Content-Type: text/plain; charset={label}\n"
    assert read_mail(raw(headers + f"Content-Transfer-Encoding: {cte}", body)).text == expected


def test_an_empty_body_takes_the_subject_then_needs_an_attachment() -> None:
    assert read(message("\n \n")).text == "Login fails"
    mail = message("", Subject="")
    mail.add_attachment(b"12345", "application", "pdf", filename="a.pdf")
    assert read(mail).text == ""
    with pytest.raises(MailFormatError, match="the message is empty"):
        read(message(" \n", Subject=""))


# --------------------------------------------------------------------------- attachments
def test_attachments_are_listed_with_their_decoded_sizes() -> None:
    mail = message("See the files.")
    mail.add_attachment(bytes(range(256)) * 5, "application", "pdf", filename="report.pdf")
    mail.add_attachment(b"PNG" + bytes(97), "image", "png", filename="s.png", disposition="inline")
    mail.add_attachment(b"abc", maintype="application", subtype="octet-stream")
    mail.add_attachment("línea", subtype="csv", filename="C:\\Users\\ann\\data.csv")
    mail.add_attachment(b"x" * 7, maintype="image", subtype="gif", filename="../../etc/passwd")
    mail.add_attachment(b"GIF89a", maintype="image", subtype="gif", cid="<logo@x>")
    del mail.get_payload()[-1]["Content-Disposition"]  # an inline image without a name
    found = read(mail)
    assert found.text == "See the files."
    assert found.attachments == (
        Attachment("report.pdf", "application/pdf", 1280),
        Attachment("s.png", "image/png", 100),
        Attachment("unnamed", "application/octet-stream", 3),
        Attachment("data.csv", "text/csv", len("línea\n".encode())),
        Attachment("passwd", "image/gif", 7),
    )


def test_an_encoded_file_name_is_decoded() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n"
        b'--b\r\nContent-Type: application/pdf; name="=?utf-8?Q?r=C3=A9sum=C3=A9.pdf?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''%C3%BCbersicht.pdf\r\n\r\nxy\r\n"
        b"--b--\r\n"
    )
    mail = read_mail(raw(HEAD + "Content-Type: multipart/mixed; boundary=b", body))
    assert mail.attachments == (
        Attachment("résumé.pdf", "application/pdf", 3),
        Attachment("übersicht.pdf", "application/pdf", 2),
    )


def test_a_forwarded_message_is_one_attachment_named_after_its_subject() -> None:
    inner = (
        b"From: Bob <bob@example.org>\r\nSubject: Server down / again\r\n"
        b"Message-ID: <inner@example.org>\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n"
        b"--i\r\nContent-Type: text/plain\r\n\r\nIt is down.\r\n"
        b"--i\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=a.png\r\n"
        b"\r\nPNG\r\n--i--\r\n"
    )
    body = (
        b"--b\r\nContent-Type: text/plain\r\n\r\nFYI, see below.\r\n"
        b"--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b--\r\n"
    )
    mail = read_mail(raw(HEAD + "Content-Type: multipart/mixed; boundary=b", body))
    assert mail.text == "FYI, see below."
    assert mail.attachments == (
        Attachment("Server down _ again.eml", "message/rfc822", len(inner)),
    )
    forward = message("see attached")
    forward.add_attachment(message("inner", Subject=""))
    assert read(forward).attachments[0].name == "unnamed.eml"


# --------------------------------------------------------------------------- automatic mail
@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"Auto-Submitted": "Auto-Generated; owner=x"}, "Auto-Submitted: auto-generated"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": " Junk "}, "Precedence: junk"),
        ({"Precedence": "list"}, "Precedence: list"),
        ({"X-Autoreply": "yes"}, "an automatic reply (X-Autoreply)"),
        ({"X-Autorespond": "yes"}, "an automatic reply (X-Autorespond)"),
        ({"X-Auto-Response-Suppress": "All"}, "X-Auto-Response-Suppress: All"),
        ({"X-Auto-Response-Suppress": "DR, OOF"}, "X-Auto-Response-Suppress: DR, OOF"),
        ({"X-Auto-Response-Suppress": "AutoReply"}, "X-Auto-Response-Suppress: AutoReply"),
        ({"List-Id": "<users.lists.example>"}, "a mailing list message (List-Id)"),
        ({"List-Unsubscribe": "<mailto:u@x>"}, "a mailing list message (List-Unsubscribe)"),
        ({"From": "MAILER-DAEMON@mx.example"}, "a bounce (from mailer-daemon@mx.example)"),
        ({"From": "Postmaster <postmaster@x.org>"}, "a bounce (from postmaster@x.org)"),
        ({"Return-Path": "<>"}, "a bounce (an empty Return-Path)"),
        ({"Auto-Submitted": "auto-replied", "List-Id": "<l>"}, "Auto-Submitted: auto-replied"),
        ({"Precedence": "bulk", "Return-Path": "<>"}, "Precedence: bulk"),
        ({"Auto-Submitted": "no"}, ""),  # a person's message
        ({"Auto-Submitted": "No"}, ""),
        ({"Precedence": "first-class"}, ""),
        ({"X-Auto-Response-Suppress": "DR, RN"}, ""),
        ({"Return-Path": "<ann@example.com>"}, ""),
    ],
)
def test_automatic_mail_says_why(headers: dict[str, str], reason: str) -> None:
    mail = message()
    for name, value in headers.items():
        del mail[name]
        mail[name] = value
    assert read(mail).automatic == reason


@pytest.mark.parametrize(
    ("report_type", "reason"),
    [
        ("delivery-status", "a delivery status report"),
        ("disposition-notification", "a read receipt (a disposition notification report)"),
    ],
)
def test_a_report_is_automatic(report_type: str, reason: str) -> None:
    body = (
        b"--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; x@y\r\nAction: failed\r\n--r--\r\n"
    )
    headers = HEAD + f"Content-Type: multipart/report; report-type={report_type}; boundary=r"
    mail = read_mail(raw(headers, body))
    assert (mail.automatic, mail.text) == (reason, "Your message could not be delivered.")


# --------------------------------------------------------------------------- quotes
@pytest.mark.parametrize(
    "quote",
    [
        "On Fri, 20 Nov 2026 at 10:00, Support <support@team.example> wrote:\n> Try again.",
        "On Fri, 20 Nov 2026 at 10:00, Support Team <\nsupport@team.example> wrote:\n> Try.",
        "Am 20.11.2026 um 10:00 schrieb Support <support@team.example>:\n> Versuchen Sie es.",
        "Le ven. 20 nov. 2026 à 10:00, Support <s@team.example> a écrit :\n> Essayez.",
        "Le 20/11/2026 à 10:00, Support a\u00a0écrit\u00a0:\nEssayez.",
        "-----Original Message-----\nFrom: Support\nSent: Friday\n\nTry again.",
        "----- Original Message -----\nTry again.",
        "From: Support <support@team.example>\nSent: Friday, 20 November 2026 10:00\nTo: Ann",
        "*From:* Support\n\n*Sent:* Friday\n*To:* Ann\n\nTry again.",
        "From: Support <s@x> Sent: Friday To: Ann Subject: x",
        "> Try again.\n>\n\n> And again.\n>> Older.",
        "On Friday Bob wrote:\nI never quote with marks.",
    ],
)
def test_the_quoted_history_is_split_off(quote: str) -> None:
    new = "It still fails.\n\nOn Monday it worked.\n\nAnn"
    assert split_quote(f"{new}\n\n{quote}\n") == (new, quote.strip())


def test_outlooks_rule_above_the_quote_goes_with_it() -> None:
    text = "Still broken.\n\n________________________________\nFrom: Support\nSent: Friday\nTry."
    assert split_quote(text) == ("Still broken.", "From: Support\nSent: Friday\nTry.")


@pytest.mark.parametrize(
    "text",
    [
        "On Fri, Support wrote:\n> Try again.\n> And again.",  # all quote: all text
        "\n> only\n> quoted\n",
        "-----Original Message-----\nFrom: x",
        "You wrote:\n> the login fails\nIt does for me too.\n\nThanks",  # words after quotes
        "On Fri, Support wrote:\n> Does it fail?\nYes.\n> Always?\nNo.",
        "Hi,\n\nOn Fri, Support wrote:\n> Does it fail?\nYes.\n> Always?\nNo.",
        "From: the logs\nWe saw errors.",
        "Only on Monday I wrote: nothing\nelse.",
    ],
)
def test_all_quote_or_words_after_quote_marks_stay_text(text: str) -> None:
    assert split_quote(text) == (text.strip(), "")


@pytest.mark.parametrize(
    ("subtype", "body"),
    [
        ("plain", "Still broken.\n\nOn Fri, Support <s@x> wrote:\n\n> Try again.\n"),
        ("html", "<div>Still broken.</div><div>On Fri, Support &lt;s@x&gt; wrote:<br></div>"),
    ],
)
def test_the_quote_of_a_received_message(subtype: str, body: str) -> None:
    mail = message()
    quote = "<blockquote>Try <b>again</b>.</blockquote>" if subtype == "html" else ""
    mail.set_content(body + quote, subtype=subtype)
    found = read(mail)
    assert (found.text, found.quoted) == (
        "Still broken.",
        "On Fri, Support <s@x> wrote:\n\n> Try again.",
    )


def test_an_over_long_text_is_cut_with_a_note() -> None:
    words = "word " * 6_000  # 30,000 characters
    mail = read(message(f"{words}\n\nOn Monday Support wrote:\n> " + "old " * 6_000))

    assert len(mail.text) == MAX_TEXT
    assert mail.text.startswith("word word")
    assert mail.text.endswith("\n[… cut: the message is 29,999 characters long]")
    assert len(mail.quoted) == MAX_TEXT
    assert mail.quoted.startswith("On Monday Support wrote:")
    assert re.search(r"\n\[… cut: the quoted text is [\d,]+ characters long\]$", mail.quoted)
    assert read(message("x" * MAX_TEXT)).text == "x" * MAX_TEXT  # no cut at the limit


# --------------------------------------------------------------------------- subjects
@pytest.mark.parametrize(
    ("subject", "keys"),
    [
        ("Re: [ZIT-3583] login fails", ["ZIT-3583"]),
        ("[zit-1] and [ZIT-2] and [zit-1] again", ["zit-1", "ZIT-2"]),
        ("[EXTERNAL] Re: [ZIT-3583]", ["EXTERNAL", "ZIT-3583"]),
        ("ZIT-3583 without a tag", []),
        ("[ZIT 3583] [ZIT-3583 ] [] [-ZIT] [ZIT/1]", []),
        ("[[ZIT-7]]", ["ZIT-7"]),
        (f"[{'A' * 64}] [{'A' * 65}]", ["A" * 64]),
    ],
)
def test_subject_keys(subject: str, keys: list[str]) -> None:
    assert subject_keys(subject) == keys


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Re: [ZIT-3583] login fails", "login fails"),
        ("RE: AW: Fwd: FW: WG: SV: Antw: re:Login", "Login"),
        ("Re[2]: Re(3): [ZIT-1] Re: Login  \t fails", "Login fails"),
        ("Login fails [ZIT-1]", "Login fails"),
        ("[[ZIT-1]ZIT-2] x", "[ ZIT-2] x"),
        ("Login: Re: fails", "Login: Re: fails"),
        ("Area 51: [not a key!] here", "Area 51: [not a key!] here"),
        ("Hello\r\nBcc: x@y", "Hello Bcc: x@y"),
        ("Caf\udcc3\udca9 \udcff", "Café \ufffd"),  # bytes kept as surrogates read as UTF-8
        ("", "(no subject)"),
        ("Re: [ZIT-1]", "(no subject)"),
        ("Re: " + "x" * 600, "x" * MAX_TITLE),
    ],
)
def test_clean_subject(subject: str, title: str) -> None:
    assert clean_subject(subject) == title


SUBJECT_PARTS = st.sampled_from(
    ["[", "]", "[ZIT-1]", "Re:", "re", ":", "Fwd:", " ", "\t", "\n", "x", "-", "ZIT-2", "[[", "]]"]
)


@hypothesis_settings(400)
@given(st.lists(SUBJECT_PARTS | st.text(max_size=5), max_size=30).map("".join))
def test_a_clean_subject_has_no_keys_left(subject: str) -> None:
    title = clean_subject(subject)
    assert subject_keys(title) == []
    assert 0 < len(title) <= MAX_TITLE
    assert title == " ".join(title.split())


# --------------------------------------------------------------------------- our own ids
def test_reply_message_ids_are_stable_and_recognised() -> None:
    message_id = reply_message_id("sc-outbox-17-f00d.Be_ef", "Team.Example")

    assert message_id == "sc-outbox-17-f00d.Be_ef@team.example"
    assert is_own_message_id(message_id, "TEAM.example")
    assert is_own_message_id(f" <{message_id}> ", "team.example")
    assert not is_own_message_id(message_id, "other.example")
    assert not is_own_message_id("sc-outbox-17@team.example.org", "team.example")
    assert not is_own_message_id("outbox-17@team.example", "team.example")
    assert not is_own_message_id("sc-a b@team.example", "team.example")
    assert not is_own_message_id("sc-17", "team.example")
    bad = [("outbox-17", "t.example"), ("sc-a b", "t.example"), ("sc-1@x", "t.example")]
    bad += [("sc-1\r\nBcc: x", "t.example"), ("sc-1", ""), ("sc-1", "t x"), ("sc-1", "t.example>")]
    for key, domain in bad:
        with pytest.raises(ValueError):
            reply_message_id(key, domain)


# --------------------------------------------------------------------------- replies
def reply(**changes: object) -> EmailMessage:
    arguments: dict[str, object] = {
        "message_id": "sc-outbox-17@team.example",
        "sender": "support@team.example",
        "sender_name": "Zitadel Support",
        "to": ["ann@example.com"],
        "subject": "Login fails",
        "key": "ZIT-3583",
        "text": "We reset your password.\n\nSupport",
        "in_reply_to": "m1@example.com",
        "references": ["r1@example.com"],
        "sent_at": SENT,
    }
    arguments.update(changes)
    return build_reply(**arguments)  # type: ignore[arg-type]


def test_a_reply_has_the_thread_headers() -> None:
    mail = reply(to=["ann@example.com", "Boss@Example.com"])

    assert mail["From"] == "Zitadel Support <support@team.example>"
    assert mail["To"] == "ann@example.com, Boss@Example.com"
    assert mail["Subject"] == "Re: [ZIT-3583] Login fails"
    assert mail["Message-ID"] == "<sc-outbox-17@team.example>"
    assert mail["In-Reply-To"] == "<m1@example.com>"
    assert mail["References"] == "<r1@example.com> <m1@example.com>"
    assert mail["Date"] == "Fri, 20 Nov 2026 14:30:00 +0000"
    assert mail["Auto-Submitted"] is None
    assert mail["X-Auto-Response-Suppress"] is None
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content() == "We reset your password.\n\nSupport\n"
    automated = reply(automated=True)
    assert automated["Auto-Submitted"] == "auto-replied"
    assert automated["X-Auto-Response-Suppress"] == "All"


def test_a_first_message_is_not_a_reply() -> None:
    mail = reply(in_reply_to=None, references=[], subject="Re: [ZIT-1] Login fails")
    assert mail["Subject"] == "[ZIT-3583] Login fails"
    assert mail["In-Reply-To"] is None
    assert mail["References"] is None
    assert reply(subject="RE: [ZIT-3583] Login")["Subject"] == "Re: [ZIT-3583] Login"  # one tag


def test_references_keep_the_first_and_the_last_once_each() -> None:
    given_ids = [f"r{n}@example.com" for n in range(30)]
    ids = re.findall(r"<([^>]+)>", reply(references=given_ids)["References"])
    assert len(ids) == MAX_REFERENCES
    assert ids == ["r0@example.com", *given_ids[-18:], "m1@example.com"]
    mail = reply(references=["r1@example.com", "m1@example.com", "r2@example.com"])
    assert mail["References"] == "<r1@example.com> <m1@example.com> <r2@example.com>"
    ids = re.findall(
        r"<([^>]+)>", reply(references=given_ids, in_reply_to=given_ids[5])["References"]
    )
    assert ids == ["r0@example.com", *given_ids[-18:], "r5@example.com"]  # the parent stays


def test_ids_are_written_as_given_and_folded_between_ids() -> None:
    long_ids = [*(f"{'a' * 120}{n}@example.com" for n in range(2)), "=?utf-8?q?=0D=0A?=@x"]
    mail = reply(references=long_ids, in_reply_to=long_ids[-1])
    assert mail["References"].split() == [f"<{i}>" for i in long_ids]
    assert read_mail(mail.as_bytes()).references == tuple(long_ids)


def test_header_injection_makes_no_new_headers() -> None:
    mail = reply(
        subject="Hello\r\nBcc: victim@example.org\nX-Evil: 1",
        sender_name="Support\r\nBcc: victim@example.org",
    )
    data = mail.as_bytes()
    headers = data.split(b"\n\n", 1)[0]
    assert not re.search(rb"^(Bcc|X-Evil):", headers, re.M | re.I)
    assert mail["Subject"] == "Re: [ZIT-3583] Hello Bcc: victim@example.org X-Evil: 1"
    assert read_mail(data).sender_name == "Support Bcc: victim@example.org"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"to": []}, "at least one recipient"),
        ({"to": ["ann.example.com"]}, "not a mail address"),
        ({"to": ["ann@"]}, "not a mail address"),
        ({"to": ["ann@example.com\r\nBcc: x@y"]}, "not a mail address"),
        ({"sender": "support"}, "not a mail address"),
        ({"key": "ZIT 1"}, "not a ticket key"),
        ({"message_id": "sc-17"}, "no '@domain'"),
        ({"message_id": "sc 17@x"}, "not a Message-ID"),
        ({"in_reply_to": "a b@x"}, "not a Message-ID"),
        ({"references": ["ok@x", "bad\r\n@x"]}, "not a Message-ID"),
        ({"sent_at": datetime(2026, 11, 20, 14, 30)}, "aware"),
    ],
)
def test_a_bad_argument_is_named(changes: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        reply(**changes)


def test_a_reply_reads_back_as_it_was_written() -> None:
    text = "Grüße,\n\nwe reset the password — try again.\nA line = with an equals sign."
    sent_at = SENT.astimezone(timezone(timedelta(hours=5, minutes=30)))
    back = read_mail(reply(sender_name="Zitadel Süpport", text=text, sent_at=sent_at).as_bytes())

    assert is_own_message_id(back.message_id, "team.example")
    assert (subject_keys(back.subject), clean_subject(back.subject)) == (
        ["ZIT-3583"],
        "Login fails",
    )
    assert back == InboundMail(
        message_id="sc-outbox-17@team.example",
        sender="support@team.example",
        sender_name="Zitadel Süpport",
        subject="Re: [ZIT-3583] Login fails",
        references=("r1@example.com", "m1@example.com"),
        text=text,
        sent_at=SENT,
        recipients=("ann@example.com",),
    )


IDS = st.from_regex(r"[a-z0-9.]{1,12}@[a-z]{1,8}\.example", fullmatch=True)


@hypothesis_settings(300)
@given(st.lists(IDS, min_size=1, max_size=40), st.one_of(st.none(), IDS))
def test_references_always_start_with_the_first_given_id(
    given_ids: list[str], answered: str | None
) -> None:
    mail = reply(references=given_ids, in_reply_to=answered)
    ids = re.findall(r"<([^>]+)>", mail["References"])
    assert ids[0] == given_ids[0]
    assert len(ids) <= MAX_REFERENCES
    assert len(set(ids)) == len(ids)
    if answered is not None:
        assert answered in ids


# --------------------------------------------------------------------------- any bytes
def sample_messages() -> list[bytes]:
    """Valid messages of every shape, as bytes."""
    html_mail = message()
    html_mail.set_content("<p>Hi &amp; <b>bye</b></p><blockquote>old</blockquote>", "html")
    attached = message("See file.\n\nOn Monday x wrote:\n> old")
    attached.add_attachment(b"PDF" * 50, maintype="application", subtype="pdf", filename="a.pdf")
    attached.add_attachment(message("inner"))
    encoded = HEAD.replace("Login fails", "=?koi8-r?b?98jPxA==?=") + (
        "References: <a@x> <b@x>\nIn-Reply-To: <b@x>\nDate: Fri, 20 Nov 2026 15:30 +0100\n"
        "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: quoted-printable"
    )
    return [
        message("Plain words.\n> not a trailing quote\nmore", Cc="b@x.org").as_bytes(),
        html_mail.as_bytes(),
        MIMEMultipart("alternative", _subparts=[MIMEText("a"), MIMEText("<p>b</p>", "html")])
        .as_bytes()
        .replace(b"Content-Type: multipart", b"From: a@x\nContent-Type: multipart", 1),
        attached.as_bytes(),
        raw(encoded, b"=F7=C8=CF=C4 \r\n"),
        reply(automated=True).as_bytes(),
    ]


SAMPLES = sample_messages()
# Pieces that trip header and MIME parsers: encoded words, brackets, folds, boundaries.
NASTY = st.sampled_from(
    [
        *b'=?utf-8?q? =?x-bogus?b?AAAA?= ?= < > " ( ) \\ ; , : @ -- boundary= charset='.split(),
        *(b"\r\n", b"\n\n", b"\r\n ", b"\x00", b"\xff\xfe", b"\xc3", b"; filename*=x''%ZZ"),
        *(b'Content-Type: multipart/mixed; boundary=""\n', b"Content-Type: message/rfc822\n\n"),
        *(b"Content-Transfer-Encoding: base64\n", b"Date: \n", b"From: <@>\n", b"Subject: =?"),
    ]
)
MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "cut"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=40),
    NASTY | st.binary(min_size=1, max_size=8),
)


def mutated(data: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    for kind, where, length, piece in mutations:
        at = int(where * len(data))
        if kind == "insert":
            data = data[:at] + piece + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + length :]
        elif kind == "replace":
            data = data[:at] + piece + data[at + len(piece) :]
        else:
            data = data[:at]
    return data


def assert_reads_or_refuses(data: bytes) -> None:
    try:
        mail = read_mail(data)
    except MailFormatError as error:
        assert str(error)
        return
    texts = [mail.message_id, mail.sender, mail.sender_name, mail.subject, mail.text, mail.quoted]
    for text in [*texts, *mail.references, *mail.recipients, *(a.name for a in mail.attachments)]:
        text.encode("utf-8")  # no lone surrogates
        assert "\x00" not in text and "\r" not in text
    assert mail.message_id and mail.message_id not in mail.references
    assert "@" in mail.sender
    assert len(mail.text) <= MAX_TEXT and len(mail.quoted) <= MAX_TEXT
    assert mail.text or mail.attachments
    assert all(a.size >= 0 and a.name for a in mail.attachments)
    assert mail.sent_at is None or mail.sent_at.utcoffset() == timedelta(0)


def test_odd_library_errors_become_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(data: bytes, policy: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(email, "message_from_bytes", fail)
    with pytest.raises(MailFormatError, match="cannot be read: IndexError: list index"):
        read_mail(SAMPLES[0])


def test_the_samples_read() -> None:
    for data in SAMPLES:
        assert read_mail(data).text


@hypothesis_settings(500)
@given(st.binary(max_size=2_000))
def test_any_bytes_read_or_fail_with_a_reason(data: bytes) -> None:
    assert_reads_or_refuses(data)


@hypothesis_settings(1_000)
@given(st.sampled_from(SAMPLES), st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_messages_read_or_fail_with_a_reason(
    data: bytes, mutations: list[tuple[str, float, int, bytes]]
) -> None:
    assert_reads_or_refuses(mutated(data, mutations))
