"""Email delivery against a real SMTP server on 127.0.0.1 (aiosmtpd), with TLS from a test CA (trustme)."""

from __future__ import annotations

import json
import logging
import socket
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefgen import mail
from briefgen.errors import BriefgenError, MailError

PASSWORD = "Tr0ub4dor-and-3-horses"
USER = "analyst"
FROM = "briefgen <briefs@briefgen.example.org>"

MANIFEST = {
    "topic": "talent",
    "lang": "en",
    "title": "Talent work across 2 regions · 人才工作",
    "regions": ["Zhongshan", "Yunfu"],
    "findings": [
        {"text": "Yunfu reports the most talents introduced: 1,721 in 2023", "quote": "引进各类人才1721人",
         "doc": "yunfu.txt"},
        {"text": "Zhongshan trained <b>4,816</b> cadres & officials", "quote": "培训干部4816人次",
         "doc": "zhongshan.txt"},
    ],
    "pdf": "talent.pdf",
    "html": "talent.html",
    "generated": "2026-11-23T09:30:00+08:00",
    "sources": ["yunfu.txt", "zhongshan.txt"],
}


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    from weasyprint import HTML
    return HTML(string="<h1>Talent work across 2 regions</h1><p>Yunfu: 1,721 talents introduced.</p>").write_pdf()


@pytest.fixture
def brief(tmp_path, pdf_bytes) -> Path:
    """output/talent.pdf with its manifest, as the brief build writes them."""
    out = tmp_path / "output"
    out.mkdir()
    (out / "talent.pdf").write_bytes(pdf_bytes)
    (out / "talent.json").write_text(json.dumps(MANIFEST, ensure_ascii=False), encoding="utf-8")
    return out / "talent.pdf"


@pytest.fixture(scope="session")
def ca(tmp_path_factory):
    """A test CA, its PEM file for the client and a server context with a certificate for 127.0.0.1."""
    authority = trustme.CA()
    cafile = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    return authority, str(cafile)


def _server_context(authority):
    import ssl
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    return ctx


class Inbox:
    """aiosmtpd handler that keeps what it receives; can refuse recipients or defer DATA."""

    def __init__(self, refuse=(), defer_data=0):
        self.messages: list[dict] = []
        self.refuse = set(refuse)
        self.defer_data = defer_data

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer_data:
            self.defer_data -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "content": envelope.original_content or envelope.content,
                              "tls": session.ssl is not None, "authenticated": bool(session.authenticated)})
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start aiosmtpd servers on free ports of 127.0.0.1; returns (inbox, port)."""
    controllers = []

    def start(inbox=None, **kwargs):
        inbox = inbox or Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
        controller.start()
        controllers.append(controller)
        return inbox, controller.port

    yield start
    for controller in controllers:
        controller.stop()


def settings_for(port=None, **env) -> mail.MailSettings:
    base = {"BRIEFGEN_SMTP_HOST": "127.0.0.1", "BRIEFGEN_SMTP_PORT": str(port or 25),
            "BRIEFGEN_SMTP_SECURITY": "none", "BRIEFGEN_MAIL_FROM": FROM, "BRIEFGEN_SMTP_TIMEOUT": "5"}
    base.update(env)
    return mail.load_mail_settings({k: v for k, v in base.items() if v is not None})


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def attachment_of(msg):
    [part] = list(msg.iter_attachments())
    return part


# -- settings ---------------------------------------------------------------------------------


def test_missing_settings_are_named_together_on_one_line():
    with pytest.raises(MailError) as err:
        mail.load_mail_settings({})
    text = str(err.value)
    assert "BRIEFGEN_SMTP_HOST is not set" in text and "BRIEFGEN_MAIL_FROM is not set" in text
    assert "\n" not in text


def test_every_invalid_setting_is_reported():
    env = {"BRIEFGEN_SMTP_HOST": "smtp.example.org", "BRIEFGEN_MAIL_FROM": "not-an-address",
           "BRIEFGEN_SMTP_PORT": "smtp", "BRIEFGEN_SMTP_SECURITY": "tls", "BRIEFGEN_SMTP_USER": "analyst",
           "BRIEFGEN_MAIL_MAX_MB": "-1", "BRIEFGEN_SMTP_CAFILE": "/nonexistent/ca.pem"}
    with pytest.raises(MailError) as err:
        mail.load_mail_settings(env)
    text = str(err.value)
    for name in ("BRIEFGEN_MAIL_FROM", "BRIEFGEN_SMTP_PORT", "BRIEFGEN_SMTP_SECURITY", "BRIEFGEN_SMTP_PASSWORD",
                 "BRIEFGEN_MAIL_MAX_MB", "BRIEFGEN_SMTP_CAFILE"):
        assert name in text


@pytest.mark.parametrize("security, port", [(None, 587), ("starttls", 587), ("SSL", 465), ("none", 25)])
def test_port_defaults_by_security(security, port):
    env = {"BRIEFGEN_SMTP_HOST": "smtp.example.org", "BRIEFGEN_MAIL_FROM": "a@example.org"}
    if security:
        env["BRIEFGEN_SMTP_SECURITY"] = security
    s = mail.load_mail_settings(env)
    assert (s.port, s.security, s.max_bytes, s.user) == (port, (security or "starttls").lower(), 10 * 1024 * 1024,
                                                         None)


def test_settings_repr_hides_password():
    s = settings_for(BRIEFGEN_SMTP_USER=USER, BRIEFGEN_SMTP_PASSWORD=PASSWORD)
    assert s.password == PASSWORD
    assert PASSWORD not in repr(s) and PASSWORD not in str(s) and USER in repr(s)


def test_dry_run_settings_need_no_server():
    s = mail.load_mail_settings({"BRIEFGEN_MAIL_FROM": "a@example.org"}, require_server=False)
    assert s.host is None and s.mail_from == "a@example.org"


def test_bad_recipient_is_named():
    assert mail.check_recipients([" a@example.org", "a@example.org", "b@example.org"]) == [
        "a@example.org", "b@example.org"]
    with pytest.raises(MailError, match="not an email address: bob"):
        mail.check_recipients(["a@example.org", "bob"])


# -- the message ------------------------------------------------------------------------------


def test_message_summarizes_the_brief_and_attaches_the_pdf(brief, pdf_bytes):
    date = datetime(2026, 11, 24, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    msg = mail.build_message(brief, MANIFEST, settings_for(), ["a@example.org", "b@example.org"], date=date)
    got = parse(mail.encode_message(msg))

    assert got["Subject"] == MANIFEST["title"]
    assert got["From"].addresses[0].addr_spec == "briefs@briefgen.example.org"
    assert [a.addr_spec for a in got["To"].addresses] == ["a@example.org", "b@example.org"]
    assert got["Message-ID"].endswith("@briefgen.example.org>")
    assert got["Date"].datetime == date
    assert got.get_content_type() == "multipart/mixed"
    mail.encode_message(msg).decode("ascii")  # 7-bit safe: no server needs 8BITMIME

    text = got.get_body(("plain",)).get_content()
    assert "Regions (2): Zhongshan, Yunfu" in text
    assert "- Yunfu reports the most talents introduced: 1,721 in 2023" in text
    assert "引进各类人才1721人" in text and "yunfu.txt" in text

    page = got.get_body(("html",)).get_content()
    assert "Zhongshan trained &lt;b&gt;4,816&lt;/b&gt; cadres &amp; officials" in page
    assert "<b>4,816</b>" not in page
    assert "<h1>Talent work across 2 regions · 人才工作</h1>" in page

    part = attachment_of(got)
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == "briefgen-talent-en-2026-11-23.pdf"
    assert part.get_content() == pdf_bytes


@pytest.mark.parametrize("generated, name", [
    ("2026-11-23", "briefgen-talent-zh-2026-11-23.pdf"),           # a date, as the pipeline writes it
    ("2026-11-23T23:30:00+08:00", "briefgen-talent-zh-2026-11-23.pdf"),
    (None, "briefgen-talent-zh-2026-12-01.pdf"),                   # unknown: the message's date
])
def test_attachment_name_says_topic_language_and_date(generated, name):
    manifest = {**MANIFEST, "lang": "zh", "generated": generated}
    assert mail.attachment_name(manifest, datetime(2026, 12, 1, 10, 0)) == name


def test_brief_without_findings_still_has_a_summary(brief):
    manifest = {**MANIFEST, "findings": [], "generated": "2026-11-23"}
    got = parse(mail.encode_message(mail.build_message(brief, manifest, settings_for(), ["a@example.org"])))
    text = got.get_body(("plain",)).get_content()
    assert "Key findings" not in text and "Regions (2): Zhongshan, Yunfu" in text
    assert "Key findings" not in got.get_body(("html",)).get_content()


def test_write_eml_replaces_atomically(tmp_path, brief):
    target = tmp_path / "out" / "talent.eml"
    target.parent.mkdir()
    target.write_text("old")
    msg = mail.build_message(brief, MANIFEST, settings_for(), ["a@example.org"])
    assert mail.write_eml(msg, target) == target
    assert target.read_bytes() == mail.encode_message(msg)
    assert [p.name for p in target.parent.iterdir()] == ["talent.eml"]


def test_missing_manifest_says_rebuild(brief):
    brief.with_suffix(".json").unlink()
    with pytest.raises(MailError, match="talent.json not found; rebuild the brief"):
        mail.read_manifest(brief)
    with pytest.raises(MailError, match="build it first"):
        mail.read_manifest(brief.with_name("cadres.pdf"))


def test_dry_run_writes_the_complete_message_and_sends_nothing(brief, pdf_bytes, monkeypatch):
    for name in ("BRIEFGEN_SMTP_HOST", "BRIEFGEN_SMTP_PORT", "BRIEFGEN_SMTP_USER", "BRIEFGEN_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFGEN_MAIL_FROM", FROM)
    monkeypatch.setattr(mail.smtplib, "SMTP", None)  # any connection attempt would fail loudly

    path = mail.email_brief(brief, ["a@example.org"], dry_run=True)

    assert path == brief.with_suffix(".eml")
    got = parse(path.read_bytes())
    assert got["Subject"] == MANIFEST["title"] and got["To"] == "a@example.org"
    assert attachment_of(got).get_content() == pdf_bytes
    assert not (brief.parent / "sent.jsonl").exists()


def test_dry_run_still_needs_a_sender(brief, monkeypatch):
    monkeypatch.delenv("BRIEFGEN_MAIL_FROM", raising=False)
    with pytest.raises(MailError, match="BRIEFGEN_MAIL_FROM is not set"):
        mail.email_brief(brief, ["a@example.org"], dry_run=True)
    assert not brief.with_suffix(".eml").exists()


# -- sending ----------------------------------------------------------------------------------


def test_send_plain_received_message_parses_and_attachment_matches(brief, pdf_bytes, smtp_server):
    inbox, port = smtp_server()
    message_id = mail.email_brief(brief, ["a@example.org", "b@example.org"], settings=settings_for(port))

    [received] = inbox.messages
    assert received["from"] == "briefs@briefgen.example.org"
    assert received["to"] == ["a@example.org", "b@example.org"]
    got = parse(received["content"])
    assert got["Message-ID"] == message_id
    assert got["Subject"] == MANIFEST["title"]
    assert attachment_of(got).get_content() == pdf_bytes

    [record] = mail.read_sent_log(brief.parent / "sent.jsonl")
    assert record["message_id"] == message_id
    assert record["recipients"] == ["a@example.org", "b@example.org"]
    assert record["pdf"] == "talent.pdf"
    import hashlib
    assert record["pdf_sha256"] == hashlib.sha256(pdf_bytes).hexdigest()
    assert datetime.fromisoformat(record["time"]).tzinfo is not None


def test_starttls_with_login(brief, pdf_bytes, smtp_server, ca):
    authority, cafile = ca
    inbox, port = smtp_server(tls_context=_server_context(authority), require_starttls=True, auth_required=True,
                              authenticator=_authenticator)
    s = settings_for(port, BRIEFGEN_SMTP_SECURITY="starttls", BRIEFGEN_SMTP_CAFILE=cafile,
                     BRIEFGEN_SMTP_USER=USER, BRIEFGEN_SMTP_PASSWORD=PASSWORD)
    mail.email_brief(brief, ["a@example.org"], settings=s)

    [received] = inbox.messages
    assert received["tls"] and received["authenticated"]
    assert attachment_of(parse(received["content"])).get_content() == pdf_bytes


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: it is encrypted
def test_implicit_ssl_with_login(brief, pdf_bytes, smtp_server, ca):
    authority, cafile = ca
    inbox, port = smtp_server(ssl_context=_server_context(authority), auth_required=True, auth_require_tls=False,
                              authenticator=_authenticator)
    s = settings_for(port, BRIEFGEN_SMTP_SECURITY="ssl", BRIEFGEN_SMTP_CAFILE=cafile,
                     BRIEFGEN_SMTP_USER=USER, BRIEFGEN_SMTP_PASSWORD=PASSWORD)
    mail.email_brief(brief, ["a@example.org"], settings=s)

    [received] = inbox.messages
    assert received["authenticated"]
    assert attachment_of(parse(received["content"])).get_content() == pdf_bytes


def test_untrusted_certificate_is_a_tls_error_not_retried(brief, smtp_server, ca, caplog):
    authority, _ = ca
    inbox, port = smtp_server(tls_context=_server_context(authority), require_starttls=True)
    s = settings_for(port, BRIEFGEN_SMTP_SECURITY="starttls")  # system CAs do not trust the test CA
    with pytest.raises(MailError) as err:
        mail.email_brief(brief, ["a@example.org"], settings=s, backoff=0.001)
    assert f"TLS certificate of 127.0.0.1:{port} not accepted" in str(err.value)
    assert "BRIEFGEN_SMTP_CAFILE" in str(err.value)
    assert inbox.messages == [] and "retrying" not in caplog.text
    assert mail.read_sent_log(brief.parent / "sent.jsonl") == []


def test_ssl_against_a_plain_server_says_check_security(brief, smtp_server, ca):
    _, cafile = ca
    inbox, port = smtp_server()
    s = settings_for(port, BRIEFGEN_SMTP_SECURITY="ssl", BRIEFGEN_SMTP_CAFILE=cafile)
    with pytest.raises(MailError, match=rf"TLS with 127.0.0.1:{port} failed .*check BRIEFGEN_SMTP_SECURITY"):
        mail.email_brief(brief, ["a@example.org"], settings=s, backoff=0.001)
    assert inbox.messages == []


def test_refused_login_names_the_settings_and_sends_nothing(brief, smtp_server, ca):
    authority, cafile = ca
    inbox, port = smtp_server(tls_context=_server_context(authority), require_starttls=True, auth_required=True,
                              authenticator=_authenticator)
    s = settings_for(port, BRIEFGEN_SMTP_SECURITY="starttls", BRIEFGEN_SMTP_CAFILE=cafile,
                     BRIEFGEN_SMTP_USER=USER, BRIEFGEN_SMTP_PASSWORD="wrong-" + PASSWORD)
    with pytest.raises(MailError) as err:
        mail.email_brief(brief, ["a@example.org"], settings=s, backoff=0.001)
    text = str(err.value)
    assert f"127.0.0.1:{port} refused the login of analyst (535" in text
    assert "check BRIEFGEN_SMTP_USER and BRIEFGEN_SMTP_PASSWORD" in text
    assert PASSWORD not in text and "\n" not in text
    assert inbox.messages == []
    assert mail.read_sent_log(brief.parent / "sent.jsonl") == []


def test_server_down_fails_after_bounded_retries(brief, caplog):
    port = free_port()  # nothing listens here
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        with pytest.raises(MailError) as err:
            mail.email_brief(brief, ["a@example.org"], settings=settings_for(port), retries=2, backoff=0.001)
    text = str(err.value)
    assert text.startswith(f"cannot connect to 127.0.0.1:{port} (Connection refused) after 3 attempts; ")
    assert "check BRIEFGEN_SMTP_HOST and BRIEFGEN_SMTP_PORT" in text
    assert [r.getMessage().split("(attempt ")[1] for r in caplog.records if "retrying" in r.getMessage()] == [
        "2 of 3)", "3 of 3)"]


def test_transient_refusal_is_retried_and_delivered_once(brief, smtp_server, caplog):
    inbox, port = smtp_server(Inbox(defer_data=1))
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        mail.email_brief(brief, ["a@example.org"], settings=settings_for(port), backoff=0.001)
    assert len(inbox.messages) == 1
    assert "451 4.3.0 Temporary failure" in caplog.text and "attempt 2 of 4" in caplog.text


def test_refused_recipient(brief, smtp_server):
    inbox, port = smtp_server(Inbox(refuse={"nobody@example.org"}))
    with pytest.raises(MailError, match=r"refused every recipient: nobody@example.org \(550 5.1.1 No such user"):
        mail.email_brief(brief, ["nobody@example.org"], settings=settings_for(port), backoff=0.001)
    assert inbox.messages == []


def test_partly_refused_recipients_are_reported_and_the_rest_recorded(brief, smtp_server):
    inbox, port = smtp_server(Inbox(refuse={"nobody@example.org"}))
    with pytest.raises(MailError, match=r"refused nobody@example.org \(550.*sent to a@example.org only"):
        mail.email_brief(brief, ["a@example.org", "nobody@example.org"], settings=settings_for(port))
    assert [m["to"] for m in inbox.messages] == [["a@example.org"]]
    [record] = mail.read_sent_log(brief.parent / "sent.jsonl")
    assert record["recipients"] == ["a@example.org"]


def test_oversize_message_is_refused_before_connecting(brief, smtp_server):
    inbox, port = smtp_server()
    s = settings_for(port, BRIEFGEN_MAIL_MAX_MB="0.001")
    with pytest.raises(MailError, match=r"^message is [\d,]+ bytes encoded, over the limit of 1,048 bytes; "):
        mail.email_brief(brief, ["a@example.org"], settings=s)
    assert inbox.messages == []
    assert not (brief.parent / "sent.jsonl").exists()


def test_oversize_dry_run_writes_the_eml_and_reports(brief):
    s = settings_for(BRIEFGEN_MAIL_MAX_MB="0.001")
    with pytest.raises(MailError, match="over the limit of 1,048 bytes"):
        mail.email_brief(brief, ["a@example.org"], settings=s, dry_run=True)
    assert parse(brief.with_suffix(".eml").read_bytes())["Subject"] == MANIFEST["title"]


def test_server_size_limit_refusal_is_explained(brief, smtp_server):
    inbox, port = smtp_server(data_size_limit=2000)
    with pytest.raises(MailError, match=rf"127.0.0.1:{port} refused the message as too large .*552"):
        mail.email_brief(brief, ["a@example.org"], settings=settings_for(port), backoff=0.001)
    assert inbox.messages == []


def test_no_double_send_without_resend(brief, smtp_server):
    inbox, port = smtp_server()
    s = settings_for(port)
    first = mail.email_brief(brief, ["a@example.org", "b@example.org"], settings=s)

    with pytest.raises(MailError, match=r"talent.pdf was already sent to a@example.org, b@example.org on .*"
                                        r"use --resend \(make: RESEND=1\) to send it again"):
        mail.email_brief(brief, ["b@example.org", "a@example.org"], settings=s)
    with pytest.raises(MailError, match="already sent to a@example.org on"):
        mail.email_brief(brief, ["a@example.org", "c@example.org"], settings=s)
    assert len(inbox.messages) == 1

    second = mail.email_brief(brief, ["a@example.org", "b@example.org"], settings=s, resend=True)
    mail.email_brief(brief, ["c@example.org"], settings=s)  # a new recipient needs no --resend
    assert len(inbox.messages) == 3 and second != first
    assert [r["recipients"] for r in mail.read_sent_log(brief.parent / "sent.jsonl")] == [
        ["a@example.org", "b@example.org"], ["a@example.org", "b@example.org"], ["c@example.org"]]


def test_a_changed_pdf_is_a_new_brief(brief, smtp_server, pdf_bytes):
    inbox, port = smtp_server()
    s = settings_for(port)
    mail.email_brief(brief, ["a@example.org"], settings=s)
    brief.write_bytes(pdf_bytes + b"\n% rebuilt\n")
    mail.email_brief(brief, ["a@example.org"], settings=s)
    assert len(inbox.messages) == 2


def test_password_never_appears_in_output(brief, smtp_server, ca, capsys, caplog):
    authority, cafile = ca
    caplog.set_level(logging.DEBUG)
    inbox, port = smtp_server(tls_context=_server_context(authority), require_starttls=True, auth_required=True,
                              authenticator=_authenticator)
    env = dict(BRIEFGEN_SMTP_SECURITY="starttls", BRIEFGEN_SMTP_CAFILE=cafile, BRIEFGEN_SMTP_USER=USER,
               BRIEFGEN_SMTP_PASSWORD=PASSWORD)
    good = settings_for(port, **env)
    errors = []
    mail.email_brief(brief, ["a@example.org"], settings=good)
    mail.email_brief(brief, ["b@example.org"], settings=good, dry_run=True)
    for attempt in (
        lambda: mail.email_brief(brief, ["a@example.org"], settings=good),  # already sent
        lambda: mail.email_brief(brief, ["c@example.org"], settings=settings_for(port, **{
            **env, "BRIEFGEN_SMTP_PASSWORD": PASSWORD + "x"}), backoff=0.001),  # refused login
        lambda: mail.email_brief(brief, ["c@example.org"], settings=settings_for(free_port(), **env),
                                 retries=1, backoff=0.001),  # server down
        lambda: settings_for(port, BRIEFGEN_SMTP_PASSWORD=PASSWORD),  # password without user
    ):
        with pytest.raises(BriefgenError) as err:
            attempt()
        errors.append(str(err.value))

    assert len(inbox.messages) == 1
    eml = brief.with_suffix(".eml").read_bytes()
    texts = [part.get_content() for part in parse(eml).walk() if part.get_content_maintype() == "text"]
    out = capsys.readouterr()
    for where in [*errors, eml.decode("ascii"), *texts, (brief.parent / "sent.jsonl").read_text(), out.out,
                  out.err, caplog.text, repr(good), inbox.messages[0]["content"].decode("ascii")]:
        assert PASSWORD not in where
    assert all("\n" not in e for e in errors)
