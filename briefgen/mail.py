"""Mail: build a brief's email (summary + PDF), write it as .eml, or send it over SMTP once."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Mapping, Sequence

from filelock import FileLock, Timeout

from briefgen.errors import MailError
from briefgen.outputs import write_atomic

log = logging.getLogger(__name__)

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
MB = 1024 * 1024
MAX_BACKOFF = 60.0  # seconds; retries double the wait up to this
LOCK_TIMEOUT = 600  # seconds to wait for another briefgen process that is sending
# 7-bit safe bodies and RFC 2047 headers: any server accepts them, 8BITMIME or not.
POLICY = policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class MailSettings:
    """SMTP and message settings from BRIEFGEN_* environment variables; repr hides the password."""

    mail_from: str
    host: str | None = None
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    max_bytes: int = 10 * MB
    timeout: float = 30.0
    cafile: str | None = None


def load_mail_settings(env: Mapping[str, str] | None = None, *, require_server: bool = True) -> MailSettings:
    """Read and validate BRIEFGEN_* mail settings, reporting every problem in one MailError."""
    env = os.environ if env is None else env
    get = lambda name: (env.get(name) or "").strip() or None  # noqa: E731 - empty counts as unset
    problems: list[str] = []

    mail_from = get("BRIEFGEN_MAIL_FROM")
    if not mail_from:
        problems.append("BRIEFGEN_MAIL_FROM is not set (the sender address, e.g. briefs@example.org)")
    elif not _is_address(parseaddr(mail_from)[1]):
        problems.append(f"BRIEFGEN_MAIL_FROM {mail_from!r} is not an email address")
    host = get("BRIEFGEN_SMTP_HOST")
    if require_server and not host:
        problems.append("BRIEFGEN_SMTP_HOST is not set (your SMTP server, e.g. smtp.example.org)")
    security = (get("BRIEFGEN_SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITY_PORTS:
        problems.append(f"BRIEFGEN_SMTP_SECURITY {security!r} must be one of starttls, ssl, none")
        security = "starttls"
    port = _number(get("BRIEFGEN_SMTP_PORT"), "BRIEFGEN_SMTP_PORT", SECURITY_PORTS[security], int, problems)
    if not 0 < port < 65536:
        problems.append(f"BRIEFGEN_SMTP_PORT {port} is not a port number (1-65535)")
    user, password = get("BRIEFGEN_SMTP_USER"), env.get("BRIEFGEN_SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        missing = "BRIEFGEN_SMTP_PASSWORD" if user else "BRIEFGEN_SMTP_USER"
        problems.append(f"{missing} is not set (set both BRIEFGEN_SMTP_USER and BRIEFGEN_SMTP_PASSWORD, or neither)")
    max_mb = _number(get("BRIEFGEN_MAIL_MAX_MB"), "BRIEFGEN_MAIL_MAX_MB", 10.0, float, problems)
    timeout = _number(get("BRIEFGEN_SMTP_TIMEOUT"), "BRIEFGEN_SMTP_TIMEOUT", 30.0, float, problems)
    cafile = get("BRIEFGEN_SMTP_CAFILE")
    if cafile and not Path(cafile).is_file():
        problems.append(f"BRIEFGEN_SMTP_CAFILE {cafile} is not a file (a PEM bundle of trusted CAs)")
    if problems:
        raise MailError("mail settings: " + "; ".join(problems))
    return MailSettings(mail_from=mail_from, host=host, port=port, security=security, user=user,
                        password=password, max_bytes=int(max_mb * MB), timeout=timeout, cafile=cafile)


def _number(raw: str | None, name: str, default, kind, problems: list[str]):
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value <= 0:
        problems.append(f"{name} {raw!r} must be a positive number")
        return default
    return value


def _is_address(addr: str) -> bool:
    return bool(re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+", addr))


def check_recipients(recipients: Sequence[str]) -> list[str]:
    """Return the recipients stripped and de-duplicated; raise MailError naming any bad address."""
    cleaned = list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    if not cleaned:
        raise MailError("no recipient; give at least one address with --to (make email TO=a@example.org)")
    bad = [r for r in cleaned if not _is_address(r)]
    if bad:
        raise MailError(f"not an email address: {', '.join(bad)}; give plain addresses like a@example.org")
    return cleaned


def read_manifest(pdf_path: Path) -> dict:
    """Read the brief's JSON manifest written beside its PDF (same stem, .json)."""
    pdf_path = Path(pdf_path)
    if not pdf_path.is_file():
        raise MailError(f"{pdf_path} not found; build it first (make brief TOPIC=...)")
    path = pdf_path.with_suffix(".json")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MailError(f"{path} not found; rebuild the brief so its manifest is written") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise MailError(f"{path}: not valid JSON ({exc}); rebuild the brief") from None
    missing = [k for k in ("topic", "lang", "title") if not isinstance(manifest, dict) or not manifest.get(k)]
    if missing:
        raise MailError(f"{path}: missing {', '.join(missing)}; rebuild the brief")
    return manifest


def attachment_name(manifest: Mapping, date: datetime) -> str:
    """File name that says topic, language and date: briefgen-talent-en-2026-11-23.pdf."""
    try:
        day = datetime.fromisoformat(str(manifest.get("generated"))).date()
    except ValueError:
        day = date.date()
    slug = lambda s: re.sub(r"[^a-z0-9]+", "-", str(s).lower()).strip("-") or "brief"  # noqa: E731
    return f"briefgen-{slug(manifest['topic'])}-{slug(manifest['lang'])}-{day.isoformat()}.pdf"


def build_message(pdf_path: Path, manifest: Mapping, settings: MailSettings, recipients: Sequence[str],
                  date: datetime | None = None) -> EmailMessage:
    """The brief as an email: subject = title, text + HTML summary, the PDF attached."""
    date = date or datetime.now().astimezone()
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2]
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = str(manifest["title"])
    msg["From"] = settings.mail_from
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = make_msgid(domain=domain)
    name = attachment_name(manifest, date)
    msg.set_content(_summary_text(manifest, name))
    msg.add_alternative(_summary_html(manifest, name), subtype="html")
    msg.add_attachment(Path(pdf_path).read_bytes(), maintype="application", subtype="pdf", filename=name)
    return msg


def _summary_text(m: Mapping, attachment: str) -> str:
    regions = list(m.get("regions") or [])
    lines = [str(m["title"]), "", f"Regions ({len(regions)}): {', '.join(map(str, regions)) or '-'}", ""]
    findings = list(m.get("findings") or [])
    if findings:
        lines.append("Key findings:")
        for f in findings:
            lines.append(f"- {f.get('text', '')}")
            if f.get("quote"):
                lines.append(f"  \u201c{f['quote']}\u201d ({f.get('doc', '')})")
        lines.append("")
    lines += _footer(m, attachment)
    return "\n".join(lines) + "\n"


def _summary_html(m: Mapping, attachment: str) -> str:
    e = lambda v: html.escape(str(v))  # noqa: E731 - everything from the manifest is escaped
    regions = list(m.get("regions") or [])
    items = "".join(
        f"<li>{e(f.get('text', ''))}"
        + (f'<br><q lang="zh">{e(f["quote"])}</q> <cite>{e(f.get("doc", ""))}</cite>' if f.get("quote") else "")
        + "</li>"
        for f in m.get("findings") or [])
    findings = f"<h2>Key findings</h2><ul>{items}</ul>" if items else ""
    footer = "".join(f"<p>{e(line)}</p>" for line in _footer(m, attachment))
    return (f'<!DOCTYPE html><html lang="{e(m.get("lang", "en"))}"><head><meta charset="utf-8">'
            f"<title>{e(m['title'])}</title></head><body><h1>{e(m['title'])}</h1>"
            f"<p>Regions ({len(regions)}): {e(', '.join(map(str, regions)) or '-')}</p>"
            f"{findings}{footer}</body></html>\n")


def _footer(m: Mapping, attachment: str) -> list[str]:
    sources = list(m.get("sources") or [])
    lines = [f"The full brief is attached: {attachment}."]
    if sources:
        lines.append(f"Sources: {len(sources)} documents ({', '.join(map(str, sources))}).")
    if m.get("generated"):
        lines.append(f"Generated by briefgen on {m['generated']}.")
    return lines


def encode_message(msg: EmailMessage) -> bytes:
    """The exact bytes that are written to .eml and sent (CRLF line ends)."""
    return msg.as_bytes(policy=POLICY)


def write_eml(msg: EmailMessage | bytes, path: Path) -> Path:
    """Write the message to `path` atomically (temporary file in the same folder, then replace)."""
    return write_atomic(path, msg if isinstance(msg, bytes) else encode_message(msg))


def check_size(data: bytes, settings: MailSettings) -> None:
    """Refuse a message whose encoded size is over the limit, before any connection."""
    if len(data) > settings.max_bytes:
        raise MailError(f"message is {_size(len(data))} encoded, over the limit of {_size(settings.max_bytes)}; "
                        "send a smaller brief (fewer regions) or raise BRIEFGEN_MAIL_MAX_MB if your server "
                        "accepts more")


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{n:,} bytes"


def send_message(msg: EmailMessage | bytes, settings: MailSettings, *, recipients: Sequence[str] | None = None,
                 retries: int = 3, backoff: float = 1.0) -> dict[str, tuple[int, bytes]]:
    """Send over SMTP, retrying transient failures; return refused recipients (some were accepted)."""
    if not settings.host:
        raise MailError("mail settings: BRIEFGEN_SMTP_HOST is not set (your SMTP server, e.g. smtp.example.org)")
    data = msg if isinstance(msg, bytes) else encode_message(msg)
    check_size(data, settings)
    if recipients is None:
        if isinstance(msg, bytes):
            raise TypeError("recipients are required when sending encoded bytes")
        recipients = [addr for _, addr in getaddresses([str(v) for v in msg.get_all("To", [])])]
    sender = parseaddr(settings.mail_from)[1]
    retries = max(0, retries)
    for attempt in range(retries + 1):
        stage = ["connect"]
        try:
            return _deliver(data, sender, list(recipients), settings, stage)
        except (smtplib.SMTPException, OSError, UnicodeEncodeError) as exc:
            text, transient = _explain(exc, stage[0], settings, len(data))
            if not transient or attempt == retries:
                if attempt:  # "what happened after N attempts; what to do"
                    what, _, todo = text.partition("; ")
                    text = f"{what} after {attempt + 1} attempts; {todo}"
                raise MailError(_redact(text, settings)) from None
            delay = min(backoff * 2 ** attempt, MAX_BACKOFF)
            log.warning("%s; retrying in %.1fs (attempt %d of %d)", _redact(text, settings), delay,
                        attempt + 2, retries + 1)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _deliver(data: bytes, sender: str, recipients: list[str], s: MailSettings, stage: list[str]):
    context = ssl.create_default_context(cafile=s.cafile) if s.security != "none" else None
    if s.security == "ssl":
        smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
    else:
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
    try:
        if s.security == "starttls":
            stage[0] = "starttls"
            smtp.ehlo()
            smtp.starttls(context=context)
            smtp.ehlo()
        if s.user:
            stage[0] = "login"
            smtp.login(s.user, s.password)
        stage[0] = "send"
        return smtp.sendmail(sender, recipients, data)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _explain(exc: BaseException, stage: str, s: MailSettings, size: int) -> tuple[str, bool]:
    """One line saying what went wrong and what to do, and whether trying again may help."""
    where = f"{s.host}:{s.port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"TLS certificate of {where} not accepted ({exc.verify_message}); set BRIEFGEN_SMTP_CAFILE "
                "to the CA that signed it, or check BRIEFGEN_SMTP_HOST", False)
    if isinstance(exc, ssl.SSLError):
        return (f"TLS with {where} failed ({exc.reason or exc}); check BRIEFGEN_SMTP_SECURITY "
                "(ssl for port 465, starttls for 587) and BRIEFGEN_SMTP_PORT", False)
    if isinstance(exc, socket.gaierror):
        return f"cannot find host {s.host} ({exc.strerror}); check BRIEFGEN_SMTP_HOST", False
    if isinstance(exc, UnicodeEncodeError):
        return ("BRIEFGEN_SMTP_USER or BRIEFGEN_SMTP_PASSWORD has non-ASCII characters, which SMTP login "
                "cannot send; use ASCII credentials", False)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if stage == "starttls":
            return f"{where} does not offer STARTTLS; set BRIEFGEN_SMTP_SECURITY to ssl or none", False
        return (f"{where} does not offer login on this connection; check BRIEFGEN_SMTP_SECURITY "
                "or unset BRIEFGEN_SMTP_USER and BRIEFGEN_SMTP_PASSWORD", False)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"{where} refused the login of {s.user} ({_reply(exc.smtp_code, exc.smtp_error)}); "
                "check BRIEFGEN_SMTP_USER and BRIEFGEN_SMTP_PASSWORD", False)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        refused = ", ".join(f"{a} ({_reply(c, m)})" for a, (c, m) in exc.recipients.items())
        return f"{where} refused every recipient: {refused}; check the addresses", all(400 <= c < 500 for c in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply, code = _reply(exc.smtp_code, exc.smtp_error), exc.smtp_code
        if code in (552, 523):
            return (f"{where} refused the message as too large ({_size(size)}: {reply}); lower "
                    "BRIEFGEN_MAIL_MAX_MB to the server's limit and send a smaller brief", False)
        if code == 530:
            return (f"{where} requires {reply}; set BRIEFGEN_SMTP_SECURITY=starttls and/or "
                    "BRIEFGEN_SMTP_USER and BRIEFGEN_SMTP_PASSWORD", False)
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return f"{where} refused the sender {exc.sender} ({reply}); check BRIEFGEN_MAIL_FROM", 400 <= code < 500
        if 400 <= code < 500:
            return f"{where} is temporarily unavailable ({reply}); try again later", True
        return f"{where} rejected the message ({reply}); check the server's rules for this sender", False
    if isinstance(exc, (smtplib.SMTPServerDisconnected, TimeoutError)):
        why = "did not answer in time" if isinstance(exc, TimeoutError) else "closed the connection"
        return (f"{where} {why} during {stage}; check BRIEFGEN_SMTP_PORT and BRIEFGEN_SMTP_SECURITY "
                "(ssl for port 465, starttls for 587), or raise BRIEFGEN_SMTP_TIMEOUT", True)
    if isinstance(exc, OSError):
        return (f"cannot connect to {where} ({exc.strerror or exc}); check BRIEFGEN_SMTP_HOST and "
                "BRIEFGEN_SMTP_PORT and that the server is running", True)
    return f"sending via {where} failed ({exc}); try again later", False


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


def _redact(text: str, s: MailSettings) -> str:
    # Defence in depth: no server reply or OS message may echo the password back to the user.
    text = " ".join(text.split())
    return text.replace(s.password, "***") if s.password else text


# -- sent log: nothing is sent twice by accident ------------------------------------------------


def read_sent_log(log_path: Path) -> list[dict]:
    """Records of earlier sends; unreadable lines (a crash mid-write) are skipped."""
    records = []
    try:
        lines = Path(log_path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def check_not_sent(log_path: Path, pdf_sha256: str, recipients: Sequence[str]) -> None:
    """Raise MailError if this PDF already went to any of these recipients."""
    wanted = {r.lower() for r in recipients}
    for rec in read_sent_log(log_path):
        again = sorted(wanted & {r.lower() for r in rec.get("recipients", [])})
        if rec.get("pdf_sha256") == pdf_sha256 and again:
            raise MailError(f"{rec.get('pdf', 'this PDF')} was already sent to {', '.join(again)} on "
                            f"{rec.get('time', '?')} (message {rec.get('message_id', '?')}); "
                            "use --resend (make: RESEND=1) to send it again")


def record_sent(log_path: Path, *, message_id: str, recipients: Sequence[str], pdf_sha256: str, pdf: str) -> dict:
    """Append one line to the sent log."""
    rec = {"message_id": message_id, "recipients": sorted(recipients), "pdf_sha256": pdf_sha256, "pdf": pdf,
           "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with open(log_path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return rec


def email_brief(pdf_path: Path, recipients: Sequence[str], *, dry_run: bool = False, resend: bool = False,
                settings: MailSettings | None = None, eml_path: Path | None = None, log_path: Path | None = None,
                retries: int = 3, backoff: float = 1.0) -> Path | str:
    """Mail one brief's PDF; return the Message-ID, or with dry_run the .eml path written.

    A dry run needs BRIEFGEN_MAIL_FROM (the .eml is the complete message) but no SMTP server;
    it writes `<pdf stem>.eml`, never reads or writes the sent log, and still reports an
    oversize message after writing it. A real send holds a lock on `sent.jsonl` (beside the
    PDF) from the duplicate check to the record, and refuses a PDF already sent to any of the
    recipients unless `resend`.
    """
    pdf_path = Path(pdf_path)
    recipients = check_recipients(recipients)
    settings = settings or load_mail_settings(require_server=not dry_run)
    manifest = read_manifest(pdf_path)
    msg = build_message(pdf_path, manifest, settings, recipients)
    data = encode_message(msg)
    if dry_run:
        path = write_eml(data, eml_path or pdf_path.with_suffix(".eml"))
        check_size(data, settings)
        return path
    check_size(data, settings)
    log_path = Path(log_path or pdf_path.parent / "sent.jsonl")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sha = hashlib.sha256(pdf_path.read_bytes()).hexdigest()
    try:
        with FileLock(f"{log_path}.lock", timeout=LOCK_TIMEOUT):
            if not resend:
                check_not_sent(log_path, sha, recipients)
            refused = send_message(data, settings, recipients=recipients, retries=retries, backoff=backoff)
            accepted = [r for r in recipients if r not in refused]
            record_sent(log_path, message_id=msg["Message-ID"], recipients=accepted, pdf_sha256=sha,
                        pdf=pdf_path.name)
    except Timeout:
        raise MailError(f"another briefgen is sending (lock {log_path}.lock held); wait and try again") from None
    if refused:
        detail = ", ".join(f"{a} ({_reply(c, m)})" for a, (c, m) in refused.items())
        raise MailError(f"{settings.host} refused {detail}; sent to {', '.join(accepted)} only; "
                        "check the refused address and send to it alone")
    log.info("sent %s to %s via %s:%s", pdf_path.name, ", ".join(recipients), settings.host, settings.port)
    return msg["Message-ID"]
