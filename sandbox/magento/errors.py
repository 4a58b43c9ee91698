"""Magento's error bodies: ``{"message": "... %placeholder ...", "parameters": {...}}``."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

ROUTE_MISS = "Request does not match any route."
NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."


class MagentoError(Exception):
    """An error the emulator answers with Magento's status and body."""

    def __init__(
        self,
        status: int,
        message: str,
        parameters: dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameters = parameters
        self.headers = headers

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"message": self.message}
        if self.parameters is not None:
            body["parameters"] = self.parameters
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def no_such_entity(field_name: str, value: object) -> MagentoError:
    """Magento's 404 for an unknown id."""
    return MagentoError(
        404,
        "No such entity with %fieldName = %fieldValue",
        {"fieldName": field_name, "fieldValue": value},
    )


def invalid_value(field_name: str, value: object) -> MagentoError:
    """Magento's 400 for a value it cannot use."""
    return MagentoError(
        400,
        'Invalid value of "%value" provided for the %fieldName field.',
        {"value": value, "fieldName": field_name},
    )
