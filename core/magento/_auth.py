"""Signing requests to Magento: integration Bearer token, OAuth 1.0a, or admin token login."""

from __future__ import annotations

import threading
from collections.abc import Generator

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_AUTH_HEADER
from oauthlib.oauth1 import Client as OAuth1Signer

from core.errors import AuthError
from core.magento._config import AdminLogin, Credentials, IntegrationBearer, OAuth1
from core.magento._responses import decode_json, error_for, message_of


class BearerAuth(httpx.Auth):
    """Sends an integration access token as ``Authorization: Bearer``."""

    def __init__(self, credentials: IntegrationBearer) -> None:
        self._credentials = credentials

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._credentials.access_token.reveal()}"
        yield request


class OAuth1Auth(httpx.Auth):
    """Signs every request with OAuth 1.0a HMAC-SHA256 ("two-legged": the token is given).

    oauthlib rather than authlib: authlib's signer has no HMAC-SHA256 and its httpx
    integration is deprecated for plain httpx. oauthlib builds the signature base string from
    the decoded query, so ``searchCriteria[...]`` brackets sign the same however httpx
    percent-encodes them. Each attempt is signed afresh (new nonce and timestamp), because
    Magento refuses a nonce it has seen.
    """

    def __init__(self, credentials: OAuth1) -> None:
        self._credentials = credentials

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        creds = self._credentials
        signer = OAuth1Signer(
            creds.consumer_key,
            client_secret=creds.consumer_secret.reveal(),
            resource_owner_key=creds.access_token.reveal(),
            resource_owner_secret=creds.access_token_secret.reveal(),
            signature_method=SIGNATURE_HMAC_SHA256,
            signature_type=SIGNATURE_TYPE_AUTH_HEADER,
        )
        # Our calls carry no form body, so only the method, URL and OAuth parameters are signed.
        _, headers, _ = signer.sign(str(request.url), http_method=request.method)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


class AdminTokenAuth(httpx.Auth):
    """Logs in with an admin's name and password, and logs in again when the token expires.

    Admin tokens live four hours by default; a 401 on a call means the token expired or was
    revoked, so the call is repeated once with a fresh token. The token lives in this object
    only (per process) and is never logged.
    """

    requires_response_body = True

    def __init__(self, credentials: AdminLogin, token_url: str) -> None:
        self._credentials = credentials
        self._token_url = token_url
        self._token: str | None = None
        self._lock = threading.Lock()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token
        if token is None:
            token = yield from self._login(stale=None)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            token = yield from self._login(stale=token)
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def _login(self, stale: str | None) -> Generator[httpx.Request, httpx.Response, str]:
        # The lock is not held across the yield (the response arrives in the caller's thread
        # only after we yield); a concurrent login at worst costs one extra token.
        with self._lock:
            if self._token is not None and self._token != stale:
                return self._token
        login = httpx.Request(
            "POST",
            self._token_url,
            json={
                "username": self._credentials.username,
                "password": self._credentials.password.reveal(),
            },
        )
        response = yield login
        token = self._token_from(response)
        with self._lock:
            self._token = token
        return token

    def _token_from(self, response: httpx.Response) -> str:
        what = "the admin token login"
        if response.status_code == 400:
            said = message_of(response)
            lowered = said.lower()
            if "2fa" in lowered or "two-factor" in lowered:
                # Magento's 2FA module checks the password, then refuses to issue the token.
                raise AuthError(
                    "Magento did not issue an admin token because two-factor authentication "
                    "is required for this admin user; use an integration (OAuth 1.0a or "
                    f"Bearer token) for unattended exports. Magento said: {said}",
                    detail={"status": 400, "two_factor": True},
                )
            raise AuthError(
                f"Magento refused the admin token login: {said}", detail={"status": 400}
            )
        if response.status_code == 401:
            raise AuthError(
                "Magento refused the admin user name or password (after several failures "
                "Magento locks the account for a while)",
                detail={"status": 401},
            )
        if response.is_error:
            raise error_for(response, what)
        token = decode_json(response, what)
        if not isinstance(token, str) or not token:
            raise AuthError("Magento's admin token login did not return a token")
        return token


def auth_for(credentials: Credentials, rest_root: str) -> httpx.Auth:
    """The httpx auth that signs requests with ``credentials``."""
    if isinstance(credentials, IntegrationBearer):
        return BearerAuth(credentials)
    if isinstance(credentials, OAuth1):
        return OAuth1Auth(credentials)
    return AdminTokenAuth(credentials, f"{rest_root}/integration/admin/token")
