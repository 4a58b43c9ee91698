"""Request/response records for logs: secrets always removed, personal data masked on request.

``mask_personal_data`` is the one masking function for PlentyONE-shaped data (contacts,
addresses, options, query parameters); other parts of plentysync reuse it. Masking keeps
just enough to recognise a record while debugging: ``jane.doe@example.com`` becomes
``j***@e***.com``, ``Jane`` becomes ``J***``; numbers, ids and flags stay as they are.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode

import httpx

log = logging.getLogger(__name__)

REDACTED = "[redacted]"

# Never written anywhere, masked or not.
SECRET_KEYS = frozenset(
    k.lower()
    for k in (
        "password",
        "access_token",
        "accessToken",
        "refresh_token",
        "refreshToken",
        "token",
        "authorization",
        "secret",
        "client_secret",
    )
)

# Values that identify a person: masked when personal-data masking is on.
PERSONAL_KEYS = frozenset(
    k.lower()
    for k in (
        "email",
        "contactEmail",
        "secondaryEmail",
        "paypalEmail",
        "firstName",
        "lastName",
        "fullName",
        "name",
        "name1",
        "name2",
        "name3",
        "name4",
        "companyName",
        "contactPerson",
        "address1",
        "address2",
        "address3",
        "address4",
        "street",
        "houseNumber",
        "additional",
        "careOf",
        "phone",
        "privatePhone",
        "privateMobile",
        "privateFax",
        "mobile",
        "fax",
        "telephone",
        "birthdayAt",
        "dob",
        "taxIdNumber",
        "vatId",
        "fullText",
        "nameOrId",
        "contactAddress",
        "ebayName",
        "klarnaPersonalId",
        "dhlPostIdent",
        "postident",
        "personalNumber",
        "username",
        "user",
    )
)

# Contact and address options carry e-mails, phones and VAT ids in a generic "value" key.
OPTION_VALUE_KEY = "value"


def mask_text(text: str) -> str:
    """Mask one personal value: the first letter stays, e-mails keep their top-level domain."""
    if not text:
        return text
    if "@" in text:
        local, _, domain = text.partition("@")
        host, dot, tld = domain.rpartition(".")
        masked_domain = f"{host[:1]}***{dot}{tld}" if dot else f"{domain[:1]}***"
        return f"{local[:1]}***@{masked_domain}"
    return f"{text[:1]}***"


def mask_personal_data(data: Any) -> Any:
    """A copy of ``data`` with personal values masked (see the module docstring)."""
    return _walk(data, mask=True)


def redact_secrets(data: Any) -> Any:
    """A copy of ``data`` without passwords and tokens; everything else unchanged."""
    return _walk(data, mask=False)


def _walk(data: Any, *, mask: bool) -> Any:
    if isinstance(data, Mapping):
        is_option = "typeId" in data and OPTION_VALUE_KEY in data
        out: dict[str, Any] = {}
        for key, value in data.items():
            lowered = str(key).lower()
            if lowered in SECRET_KEYS:
                out[key] = REDACTED
            elif (
                mask
                and isinstance(value, str)
                and (lowered in PERSONAL_KEYS or (is_option and key == OPTION_VALUE_KEY))
            ):
                out[key] = mask_text(value)
            else:
                out[key] = _walk(value, mask=mask)
        return out
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        return [_walk(item, mask=mask) for item in data]
    return data


def sanitize_url(url: httpx.URL, *, mask: bool) -> str:
    """Path and query of ``url`` with secret parameters removed and personal ones masked."""
    pairs = parse_qsl(url.query.decode("ascii", "replace"), keep_blank_values=True)
    cleaned = _walk(dict(pairs), mask=mask) if pairs else {}
    query = urlencode(list(cleaned.items()), safe="@*,:[]") if cleaned else ""
    return url.path + (f"?{query}" if query else "")


# A ``key=value`` pair of a query string inside any text (a logged URL, an error message).
_QUERY_PAIR = re.compile(r"(?P<sep>[?&])(?P<key>[^=&\s\"'#?]+)=(?P<value>[^&\s\"'#]*)")
# A ``"key": "value"`` pair of a JSON body or a Python dict quoted in a message.
_QUOTED_PAIR = re.compile(
    r"""(?P<q>["'])(?P<key>\w+)(?P=q)\s*:\s*(?P<vq>["'])(?P<value>(?:\\.|(?!(?P=vq))[^\\])*)(?P=vq)"""
)
# Bounded, and starting only where a word starts, so a long line costs linear time.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")


def clean_text(text: str, *, mask: bool) -> str:
    """``text`` with URL parameters and quoted ``"key": "value"`` pairs cleaned by our rule.

    For log lines that libraries format themselves (httpx's request line, an error naming a
    URL, an answer's body in a message). A parameter is judged by its name or, for Magento's
    ``searchCriteria[...][value]``, by its last bracketed part; with masking on, every e-mail
    address is masked as well.
    """

    def clean_pair(match: re.Match[str]) -> str:
        key, value = unquote_plus(match["key"]), unquote_plus(match["value"])
        name = key.rsplit("[", 1)[-1].rstrip("]") if key.endswith("]") else key
        cleaned = _walk({name: value}, mask=mask)[name]
        if cleaned == value and mask:
            cleaned = _EMAIL.sub(lambda found: mask_text(found[0]), value)
        if cleaned == value:
            return match[0]
        return f"{match['sep']}{match['key']}={quote(cleaned, safe='@*[],:')}"

    def clean_quoted(match: re.Match[str]) -> str:
        value = match["value"]
        cleaned = _walk({match["key"]: value}, mask=mask)[match["key"]]
        if cleaned == value:
            return match[0]
        quote_mark, value_mark = match["q"], match["vq"]
        return f"{quote_mark}{match['key']}{quote_mark}: {value_mark}{cleaned}{value_mark}"

    text = _QUERY_PAIR.sub(clean_pair, text)
    text = _QUOTED_PAIR.sub(clean_quoted, text)
    if not mask or "@" not in text:
        return text
    return _EMAIL.sub(lambda found: mask_text(found[0]), text)


@dataclass(frozen=True)
class ExchangeRecord:
    """One request and its answer as logging hooks see it: never a secret."""

    method: str
    route: str
    url: str
    kind: str
    attempt: int
    status: int | None
    duration: float
    request_body: Any = None
    response_body: Any = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


ExchangeHook = Callable[[ExchangeRecord], None]

_MAX_BODY = 20_000
_RATE_HEADER_PREFIXES = ("x-plenty-", "retry-after")


def build_record(
    request: httpx.Request,
    response: httpx.Response | None,
    *,
    route: str,
    kind: str,
    attempt: int,
    duration: float,
    mask: bool,
    error: str | None = None,
) -> ExchangeRecord:
    """The sanitized record of one exchange; only rate-limit headers are kept."""
    headers = {}
    if response is not None:
        headers = {
            k: v for k, v in response.headers.items() if k.lower().startswith(_RATE_HEADER_PREFIXES)
        }
    return ExchangeRecord(
        method=request.method,
        route=route,
        url=sanitize_url(request.url, mask=mask),
        kind=kind,
        attempt=attempt,
        status=None if response is None else response.status_code,
        duration=duration,
        request_body=_body(request.content, mask=mask),
        response_body=None if response is None else _body(response.content, mask=mask),
        error=error,
        headers=headers,
    )


def _body(content: bytes, *, mask: bool) -> Any:
    if not content:
        return None
    try:
        parsed = json.loads(content)
    except ValueError:
        # Not JSON (a form-encoded login, an HTML error page): never echo it, it may hold secrets.
        return f"[{len(content)} bytes, not JSON]"
    cleaned = _walk(parsed, mask=mask)
    text = json.dumps(cleaned, ensure_ascii=False)
    return cleaned if len(text) <= _MAX_BODY else text[:_MAX_BODY] + "...[truncated]"


def emit(hooks: Sequence[ExchangeHook], record: ExchangeRecord) -> None:
    """Hand ``record`` to every hook; a failing hook is logged, never breaks the call."""
    for hook in hooks:
        try:
            hook(record)
        except Exception:
            log.exception("a PlentyONE request-log hook failed")
