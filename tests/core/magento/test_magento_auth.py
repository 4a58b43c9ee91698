"""Each authentication mode puts the right credentials on the wire (respx)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import httpx
import pytest
import respx

from core.errors import AuthError
from core.magento import AdminLogin, IntegrationBearer, OAuth1
from core.secrets import Secret
from tests.core.magento.conftest import MakeSource

EMPTY_SEARCH = {"items": [], "total_count": 0}
OAUTH = OAuth1(
    consumer_key="ck-1",
    consumer_secret=Secret("consumer-secret"),
    access_token=Secret("access-token"),
    access_token_secret=Secret("token-secret"),
)


def test_integration_token_is_sent_as_bearer(router: respx.Router, make_source: MakeSource):
    route = router.get("/customers/search").respond(json=EMPTY_SEARCH)
    source = make_source(IntegrationBearer(Secret("tok-123")))

    assert list(source.customers.iter_ids()) == []

    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-123"


def _oauth_params(request: httpx.Request) -> dict[str, str]:
    header = request.headers["Authorization"]
    assert header.startswith("OAuth ")
    pairs = re.findall(r'(\w+)="([^"]*)"', header)
    return {name: unquote(value) for name, value in pairs}


def _rfc5849_signature(request: httpx.Request, consumer_secret: str, token_secret: str) -> str:
    """The HMAC-SHA256 signature as a PHP server computes it, written out independently."""

    def enc(text: str) -> str:
        return quote(text, safe="~-._")

    url = urlsplit(str(request.url))
    oauth = [(k, v) for k, v in _oauth_params(request).items() if k != "oauth_signature"]
    pairs = sorted((enc(k), enc(v)) for k, v in [*parse_qsl(url.query), *oauth])
    normalised = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join(
        [request.method, enc(f"{url.scheme}://{url.netloc}{url.path}"), enc(normalised)]
    )
    key = f"{enc(consumer_secret)}&{enc(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha256).digest()).decode()


def test_oauth1_signs_bracketed_search_queries_with_hmac_sha256(
    router: respx.Router, make_source: MakeSource
):
    route = router.get("/customers/search").respond(json=EMPTY_SEARCH)
    source = make_source(OAUTH)

    list(source.customers.iter_ids(start_after=41))

    request = route.calls.last.request
    params = _oauth_params(request)
    assert params["oauth_signature_method"] == "HMAC-SHA256"
    assert params["oauth_consumer_key"] == "ck-1"
    assert params["oauth_token"] == "access-token"
    # The query really carries Magento's bracket syntax, and the signature covers it.
    query = dict(parse_qsl(urlsplit(str(request.url)).query))
    assert query["searchCriteria[filter_groups][0][filters][0][value]"] == "41"
    assert query["fields"] == "items[id],total_count"
    expected = _rfc5849_signature(request, "consumer-secret", "token-secret")
    assert params["oauth_signature"] == expected
    assert _rfc5849_signature(request, "consumer-secret", "other") != expected


def test_oauth1_signs_every_attempt_with_a_fresh_nonce(
    router: respx.Router, make_source: MakeSource
):
    route = router.get("/customers/search").mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=EMPTY_SEARCH)]
    )
    source = make_source(OAUTH)

    list(source.customers.iter_ids())

    nonces = {_oauth_params(call.request)["oauth_nonce"] for call in route.calls}
    assert len(nonces) == 2


def test_admin_login_then_bearer_and_relogin_after_401(
    router: respx.Router, make_source: MakeSource
):
    login = router.post("/integration/admin/token").mock(
        side_effect=[httpx.Response(200, json="first-token"), httpx.Response(200, json="second")]
    )
    answers = [
        httpx.Response(200, json=EMPTY_SEARCH),
        httpx.Response(401, json={"message": "The consumer isn't authorized"}),
        httpx.Response(200, json=EMPTY_SEARCH),
    ]
    used: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        used.append(request.headers["Authorization"])  # the request object is re-sent later
        return answers.pop(0)

    router.get("/customers/search").mock(side_effect=answer)
    source = make_source(AdminLogin("admin", Secret("pa55word")))

    list(source.customers.iter_ids())
    list(source.customers.iter_ids())

    assert json.loads(login.calls[0].request.content) == {
        "username": "admin",
        "password": "pa55word",
    }
    assert login.call_count == 2
    assert used == ["Bearer first-token", "Bearer first-token", "Bearer second"]


def test_admin_login_blocked_by_two_factor_says_what_to_do(
    router: respx.Router, make_source: MakeSource
):
    router.post("/integration/admin/token").respond(
        400,
        json={
            "message": "Please use the 2fa provider-specific endpoints to obtain a token.",
            "parameters": {"active_providers": ["google"]},
        },
    )
    search = router.get("/customers/search").respond(json=EMPTY_SEARCH)
    source = make_source(AdminLogin("admin", Secret("pa55word")))

    with pytest.raises(AuthError) as caught:
        list(source.customers.iter_ids())

    assert caught.value.detail["two_factor"] is True
    assert "integration" in str(caught.value)
    assert "pa55word" not in str(caught.value)
    assert search.call_count == 0


def test_admin_login_with_wrong_password_is_an_auth_error(
    router: respx.Router, make_source: MakeSource
):
    router.post("/integration/admin/token").respond(
        401, json={"message": "The account sign-in was incorrect"}
    )
    source = make_source(AdminLogin("admin", Secret("wrong")))

    with pytest.raises(AuthError, match="user name or password"):
        source.stores.websites()


def test_refused_integration_token_names_the_missing_permission(
    router: respx.Router, make_source: MakeSource
):
    router.get("/customers/5").respond(
        401,
        json={
            "message": "The consumer isn't authorized to access %resources.",
            "parameters": {"resources": "Magento_Customer::customer"},
        },
    )
    source = make_source()

    with pytest.raises(AuthError, match="Magento_Customer::customer"):
        source.customers.get(5)


def test_secrets_never_show_in_the_config_repr():
    assert "token-secret" not in repr(OAUTH)
    assert "consumer-secret" not in repr(OAUTH)
