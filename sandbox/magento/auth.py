"""Who may call: integration bearer tokens, OAuth 1.0a signatures, admin tokens.

OAuth signatures are checked by oauthlib's ``ResourceEndpoint`` ("two-legged": the
integration's activation already handed out the access token and its secret).
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import quote, urlencode

from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA1,
    SIGNATURE_HMAC_SHA256,
    RequestValidator,
    ResourceEndpoint,
)
from starlette.requests import Request

from sandbox.magento.errors import NOT_AUTHORIZED, MagentoError
from sandbox.magento.state import SandboxState

TWO_FACTOR_REFUSAL = "Please use the 2fa provider-specific endpoints to obtain a token."
SIGN_IN_REFUSAL = (
    "The account sign-in was incorrect or your account is disabled temporarily. "
    "Please wait and try again later."
)
SIGNATURE_REFUSAL = "The signature is invalid. Verify and try again."
NONCE_REFUSAL = "The nonce is already being used by the consumer with ID %1"


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class IntegrationValidator(RequestValidator):
    """Accepts exactly the one integration of the emulator's settings."""

    enforce_ssl = False
    # Magento's keys are 32 characters; oauthlib's defaults (20..30) would refuse them.
    client_key_length = (8, 64)
    access_token_length = (8, 64)
    nonce_length = (6, 64)

    def __init__(self, state: SandboxState) -> None:
        super().__init__()
        self.state = state

    @property
    def allowed_signature_methods(self) -> tuple[str, ...]:
        return (SIGNATURE_HMAC_SHA256, SIGNATURE_HMAC_SHA1)

    @property
    def dummy_client(self) -> str:
        return "dummyconsumer000000000000000000"

    @property
    def dummy_access_token(self) -> str:
        return "dummyaccesstoken000000000000000"

    def validate_client_key(self, client_key: str, request: Any) -> bool:
        return _same(client_key, self.state.config.consumer_key)

    def get_client_secret(self, client_key: str, request: Any) -> str:
        if _same(client_key, self.state.config.consumer_key):
            return self.state.config.consumer_secret
        return "dummy-secret"

    def validate_access_token(self, client_key: str, token: str, request: Any) -> bool:
        return _same(token, self.state.config.access_token)

    def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
        if _same(token, self.state.config.access_token):
            return self.state.config.access_token_secret
        return "dummy-secret"

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: Any,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        key = (client_key, timestamp, nonce)
        if key in self.state.nonces:
            request.nonce_reused = True
            return False
        self.state.nonces.add(key)
        return True

    def validate_realms(self, *args: Any, **kwargs: Any) -> bool:
        return True


def _refuse(resource: str) -> MagentoError:
    return MagentoError(401, NOT_AUTHORIZED, {"resources": resource})


def _signed_uri(request: Request) -> str:
    # Clients send searchCriteria brackets raw or percent-encoded; oauthlib refuses raw ones,
    # and the signature base string is built from decoded parameters either way.
    query = urlencode(request.query_params.multi_items(), quote_via=quote)
    return str(request.url.replace(query=query))


def _check_oauth(request: Request, state: SandboxState, resource: str) -> None:
    endpoint = ResourceEndpoint(IntegrationValidator(state))
    try:
        valid, checked = endpoint.validate_protected_resource_request(
            _signed_uri(request),
            http_method=request.method,
            body=None,
            headers=dict(request.headers),
        )
    except ValueError:
        raise _refuse(resource) from None
    if valid:
        return
    if getattr(checked, "nonce_reused", False):
        raise MagentoError(401, NONCE_REFUSAL, [state.config.consumer_key])
    if (
        getattr(checked, "signature", None)
        and getattr(checked, "validator_log", {}).get("signature") is False
    ):
        raise MagentoError(401, SIGNATURE_REFUSAL)
    raise _refuse(resource)


def authorize(request: Request, state: SandboxState, resource: str) -> None:
    """Raise Magento's 401 unless the request carries a credential the emulator accepts."""
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() == "oauth":
        _check_oauth(request, state, resource)
        return
    if scheme.lower() == "bearer" and credential:
        config = state.config
        if config.integration_as_bearer and _same(credential, config.integration_token):
            return
        if state.admin_token_valid(credential):
            return
    raise _refuse(resource)


def issue_admin_token(state: SandboxState, body: Any) -> str:
    """The admin token for a correct login; 2FA mode and bad logins raise Magento's errors."""
    config = state.config
    if not isinstance(body, dict) or not {"username", "password"} <= set(body):
        raise MagentoError(
            400, '"%fieldName" is required. Enter and try again.', {"fieldName": "username"}
        )
    correct = _same(str(body["username"]), config.admin_username) & _same(
        str(body["password"]), config.admin_password
    )
    if not correct:
        raise MagentoError(401, SIGN_IN_REFUSAL)
    if config.admin_2fa:
        raise MagentoError(400, TWO_FACTOR_REFUSAL, {"active_providers": ["google"]})
    return state.issue_admin_token()
