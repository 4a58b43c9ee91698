"""The three ways in: integration bearer token, OAuth 1.0a signatures, admin token (2FA)."""

from __future__ import annotations

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from sandbox.magento import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_ACCESS_TOKEN_SECRET,
    DEFAULT_ADMIN_PASSWORD,
    DEFAULT_ADMIN_USERNAME,
    DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
)
from sandbox.server import RunningServer

# Brackets percent-encoded: oauthlib's client refuses to sign raw ones.
URL = "/rest/V1/customers/search?searchCriteria%5BpageSize%5D=2&searchCriteria%5BcurrentPage%5D=1"
REFUSED = {
    "message": "The consumer isn't authorized to access %resources.",
    "parameters": {"resources": "Magento_Customer::customer"},
}


def _signed(
    magento: RunningServer, consumer_secret: str = DEFAULT_CONSUMER_SECRET
) -> tuple[str, dict[str, str]]:
    signer = Client(
        DEFAULT_CONSUMER_KEY,
        client_secret=consumer_secret,
        resource_owner_key=DEFAULT_ACCESS_TOKEN,
        resource_owner_secret=DEFAULT_ACCESS_TOKEN_SECRET,
        signature_method=SIGNATURE_HMAC_SHA256,
    )
    uri, headers, _ = signer.sign(magento.base_url + URL, http_method="GET")
    return uri, headers


def test_integration_token_as_bearer_is_accepted(client: httpx.Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2


def test_missing_or_wrong_bearer_gets_magentos_401(magento: RunningServer) -> None:
    assert httpx.get(magento.base_url + URL).json() == REFUSED
    wrong = httpx.get(magento.base_url + URL, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json() == REFUSED


def test_stock_244_shop_refuses_integration_token_as_bearer(client: httpx.Client) -> None:
    client.post("/_sandbox/config", json={"integration_as_bearer": False}).raise_for_status()
    assert client.get(URL).status_code == 401


def test_oauth_signed_request_is_verified_and_accepted(
    client: httpx.Client, magento: RunningServer
) -> None:
    uri, headers = _signed(magento)
    response = httpx.get(uri, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["total_count"] == 300


def test_oauth_with_a_wrong_secret_is_refused(client: httpx.Client, magento: RunningServer) -> None:
    uri, headers = _signed(magento, consumer_secret="not-the-secret")
    response = httpx.get(uri, headers=headers)
    assert response.status_code == 401
    assert response.json()["message"] == "The signature is invalid. Verify and try again."


def test_oauth_nonce_cannot_be_replayed(client: httpx.Client, magento: RunningServer) -> None:
    uri, headers = _signed(magento)
    assert httpx.get(uri, headers=headers).status_code == 200
    replay = httpx.get(uri, headers=headers)
    assert replay.status_code == 401
    assert "nonce" in replay.json()["message"]


def test_oauth_signature_covers_the_query(client: httpx.Client, magento: RunningServer) -> None:
    uri, headers = _signed(magento)
    tampered = uri.replace("pageSize%5D=2", "pageSize%5D=200")
    assert tampered != uri
    assert httpx.get(tampered, headers=headers).status_code == 401


def test_admin_login_returns_a_working_bearer_token(client: httpx.Client) -> None:
    login = client.post(
        "/rest/V1/integration/admin/token",
        json={"username": DEFAULT_ADMIN_USERNAME, "password": DEFAULT_ADMIN_PASSWORD},
    )
    assert login.status_code == 200
    token = login.json()
    assert isinstance(token, str) and token
    response = httpx.get(
        f"{client.base_url}".rstrip("/") + URL, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


def test_admin_login_with_a_wrong_password_is_refused(client: httpx.Client) -> None:
    login = client.post(
        "/rest/V1/integration/admin/token",
        json={"username": DEFAULT_ADMIN_USERNAME, "password": "guess"},
    )
    assert login.status_code == 401
    assert "sign-in was incorrect" in login.json()["message"]


def test_two_factor_mode_refuses_the_admin_token(client: httpx.Client) -> None:
    client.post("/_sandbox/config", json={"admin_2fa": True}).raise_for_status()
    login = client.post(
        "/rest/V1/integration/admin/token",
        json={"username": DEFAULT_ADMIN_USERNAME, "password": DEFAULT_ADMIN_PASSWORD},
    )
    assert login.status_code == 400
    assert login.json() == {
        "message": "Please use the 2fa provider-specific endpoints to obtain a token.",
        "parameters": {"active_providers": ["google"]},
    }


def test_admin_tokens_do_not_survive_a_reset(client: httpx.Client) -> None:
    token = client.post(
        "/rest/V1/integration/admin/token",
        json={"username": DEFAULT_ADMIN_USERNAME, "password": DEFAULT_ADMIN_PASSWORD},
    ).json()
    client.post("/_sandbox/reset").raise_for_status()
    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_oauth_accepts_raw_brackets_on_the_wire(
    client: httpx.Client, magento: RunningServer
) -> None:
    uri, headers = _signed(magento)
    raw = uri.replace("%5B", "[").replace("%5D", "]")
    assert "[" in raw
    assert httpx.get(raw, headers=headers).status_code == 200
