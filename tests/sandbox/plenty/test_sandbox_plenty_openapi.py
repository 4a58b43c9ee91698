"""The emulator's answers match the official OpenAPI subset for every route it implements.

Where the official schema and the reference disagree the test follows the reference and
says so (``DISAGREEMENTS``); Swagger 2.0 cannot express ``null``, but unset dates, ids and
numbers are ``null`` on the real system (reference 12.4), so ``null`` is allowed everywhere.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sandbox.plenty import app as plenty_app
from tests.sandbox.plenty.support import Api

# `.ci/run` names the reference here; without it the test looks beside the clone.
SPEC_ENV = "PLENTYSYNC_TEST_OPENAPI_SUBSET"
DEFAULT_SPEC_PATH = (
    Path(__file__).resolve().parents[3].parent / "shared/reference/plenty-openapi-subset.json"
)

# (method, template) -> why the emulator answers differently from the official schema.
DISAGREEMENTS = {
    ("GET", "/rest/accounts/contacts/classes"): (
        "schema: array of strings; real systems and clients: an object mapping id -> name"
    ),
    ("GET", "/rest/accounts/contacts/types"): (
        "schema: 'Collection' object; a Laravel collection is serialised as a JSON array"
    ),
    ("GET", "/rest/orders/shipping/countries"): (
        "schema: 'Collection' object; the reference documents an array of countries"
    ),
    ("GET", "/rest/accounts/{accountId}/contacts"): (
        "schema: 'Collection' object; the official tutorial shows a plain array"
    ),
}


def _spec(
    environ: Mapping[str, str] = os.environ, default: Path = DEFAULT_SPEC_PATH
) -> dict[str, Any]:
    """The OpenAPI subset: a named file must exist; only an unnamed, absent one skips."""
    named = environ.get(SPEC_ENV)
    if named:
        path = Path(named)
        if not path.is_file():
            pytest.fail(f"{SPEC_ENV} names {path}, which is not a file")
    elif default.is_file():
        path = default
    else:
        pytest.skip(f"{SPEC_ENV} is unset and the OpenAPI subset is not at {default}")
    return json.loads(path.read_text())


def _nullable(node: Any) -> Any:
    if isinstance(node, dict):
        node = {key: _nullable(value) for key, value in node.items()}
        if isinstance(node.get("type"), str) and node["type"] != "null":
            node["type"] = [node["type"], "null"]
        return node
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    return node


def _implemented() -> set[tuple[str, str]]:
    modules = [
        plenty_app.routes_auth,
        plenty_app.routes_contacts,
        plenty_app.routes_contact_options,
        plenty_app.routes_addresses,
        plenty_app.routes_accounts,
        plenty_app.routes_reference,
    ]
    return {(e.method, e.template) for module in modules for e in module.ENDPOINTS}


class Recorder:
    """Calls routes by their template and keeps each answer for validation."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.answers: dict[tuple[str, str], list[Any]] = {}

    def hit(
        self, method: str, template: str, *, ids: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        path = template.format(**(ids or {}))
        body = self.api.ok(method, path, **kwargs)
        self.answers.setdefault((method, template), []).append(body)
        return body


def _exercise(rec: Recorder) -> None:
    api = rec.api
    c = "/rest/accounts/contacts"
    rec.hit("GET", "/rest/accounts/contacts/classes")
    rec.hit("POST", "/rest/accounts/contacts/classes", json={"name": "B2B"})
    rec.hit("GET", "/rest/accounts/contacts/classes/{contactClassId}", ids={"contactClassId": 1})
    rec.hit("GET", "/rest/accounts/contacts/types")
    rec.hit("GET", "/rest/accounts/contacts/option_types")
    rec.hit("GET", "/rest/accounts/contacts/option_sub_types")
    rec.hit("GET", "/rest/accounts/addresses/option_types")
    rec.hit("GET", "/rest/accounts/addresses/relation_types")
    rec.hit("GET", "/rest/orders/referrers")
    rec.hit("GET", "/rest/orders/referrers/search")
    rec.hit("GET", "/rest/orders/referrers/next_free_main")
    rec.hit("GET", "/rest/orders/referrers/{referrerId}", ids={"referrerId": 4.01})
    rec.hit(
        "POST",
        "/rest/orders/referrers/{parentReferrerId}",
        ids={"parentReferrerId": 4.01},
        params={"data": "name:Sub"},
    )
    rec.hit("GET", "/rest/webstores")
    rec.hit("GET", "/rest/orders/shipping/countries")
    contact = rec.hit(
        "POST",
        c,
        json={
            "typeId": 1,
            "referrerId": 1,
            "externalId": "x:1",
            "firstName": "Jane",
            "lastName": "Doe",
            "gender": "female",
            "classId": 1,
            "birthdayAt": "1990-01-02",
            "options": [{"typeId": 2, "subTypeId": 4, "value": "jane@example.com"}],
        },
    )
    cid = {"contactId": contact["id"]}
    rec.hit("PUT", c + "/{contactId}", ids=cid, json={"lastName": "Roe"})
    address = rec.hit(
        "POST",
        c + "/{contactId}/addresses",
        ids=cid,
        params={"typeId": 1},
        json={
            "name2": "Jane",
            "town": "Kassel",
            "countryId": 1,
            "options": [{"typeId": 1, "value": "DE1"}],
        },
    )
    aid = {**cid, "addressId": address["id"]}
    rec.hit("GET", c, params={"with": "addresses,options,accounts"})
    rec.hit("GET", c + "/{contactId}", ids=cid, params={"with": "addresses,accounts"})
    rec.hit("GET", c + "/{contactId}/addresses/{addressTypeId}", ids={**cid, "addressTypeId": 1})
    rec.hit("GET", c + "/{contactId}/addresses/primary", ids=cid)
    rec.hit("PUT", c + "/{contactId}/addresses/{addressId}", ids=aid, json={"town": "Berlin"})
    rec.hit(
        "PUT",
        c + "/{contactId}/addresses/{addressId}/types/{addressTypeId}/primary",
        ids={**aid, "addressTypeId": 1},
    )
    rec.hit(
        "PUT",
        c + "/{contactId}/addresses/{addressId}/types/{addressTypeId}/reset_primary",
        ids={**aid, "addressTypeId": 1},
    )
    options = rec.hit(
        "POST",
        c + "/{contactId}/options",
        ids=cid,
        json=[{"typeId": 1, "subTypeId": 4, "value": "030 1"}],
    )
    rec.hit(
        "PUT",
        c + "/{contactId}/options",
        ids=cid,
        json=[{"typeId": 1, "subTypeId": 4, "value": "030 2"}],
    )
    rec.hit("GET", c + "/{contactId}/options", ids=cid)
    oid = {"optionId": options[0]["id"]}
    rec.hit("GET", c + "/options/{optionId}", ids=oid)
    rec.hit("PUT", c + "/options/{optionId}", ids=oid, json={"value": "030 3"})
    rec.hit("DELETE", c + "/options/{optionId}", ids=oid)
    a = "/rest/accounts/addresses"
    free = rec.hit("POST", a, json={"name2": "Max", "town": "Hamburg", "countryId": 1})
    fid = {"addressId": free["id"]}
    rec.hit("GET", a)
    rec.hit("GET", a + "/{addressId}", ids=fid)
    rec.hit("PUT", a + "/{addressId}", ids=fid, json={"name3": "Muster"})
    added = rec.hit("POST", a + "/{addressId}/options", ids=fid, json=[{"typeId": 4, "value": "1"}])
    rec.hit("PUT", a + "/{addressId}/options", ids=fid, json=[{"typeId": 4, "value": "2"}])
    rec.hit("GET", a + "/{addressId}/options", ids=fid)
    aoid = {"optionId": added[0]["id"]}
    rec.hit("GET", a + "/options/{optionId}", ids=aoid)
    rec.hit("PUT", a + "/options/{optionId}", ids=aoid, json={"value": "3"})
    rec.hit("DELETE", a + "/options/{optionId}", ids=aoid)
    relation = rec.hit(
        "POST",
        a + "/contact_relations",
        json=[
            {"contactId": contact["id"], "addressId": free["id"], "typeId": 2, "isPrimary": True}
        ],
    )
    rec.hit(
        "PUT",
        a + "/contact_relations",
        json=[
            {"contactId": contact["id"], "addressId": free["id"], "typeId": 2, "isPrimary": False}
        ],
    )
    rid = {"addressContactRelationId": relation[0]["id"]}
    rec.hit("GET", a + "/contact_relations")
    rec.hit("GET", a + "/contact_relations/{addressContactRelationId}", ids=rid)
    rec.hit("DELETE", a + "/contact_relations/{addressContactRelationId}", ids=rid)
    account = rec.hit("POST", "/rest/accounts", json={"companyName": "ACME", "valuta": 0})
    acc = {"accountId": account["id"]}
    rec.hit("GET", "/rest/accounts")
    rec.hit("GET", "/rest/accounts/{accountId}", ids=acc)
    rec.hit("PUT", "/rest/accounts/{accountId}", ids=acc, json={"taxIdNumber": "DE2"})
    link = rec.hit(
        "POST",
        "/rest/accounts/contact_relations",
        params={"accountId": account["id"], "contactId": contact["id"]},
    )
    lid = {"accountContactRelationId": link["id"]}
    rec.hit("GET", "/rest/accounts/contact_relations/{accountContactRelationId}", ids=lid)
    rec.hit("PUT", "/rest/accounts/contact_relations/{accountContactRelationId}/primary", ids=lid)
    rec.hit("GET", "/rest/accounts/{accountId}/contacts", ids=acc)
    rec.hit("GET", c, params={"with": "addresses,options,accounts"})
    mine = rec.hit("POST", c + "/{contactId}/accounts", ids=cid, json={"companyName": "Own"})
    mid = {**cid, "accountId": mine["id"]}
    rec.hit("GET", c + "/{contactId}/accounts/{accountId}", ids=mid)
    rec.hit("PUT", c + "/{contactId}/accounts/{accountId}", ids=mid, json={"number": "K1"})
    rec.hit("DELETE", c + "/{contactId}/accounts/{accountId}", ids=mid)
    rec.hit("DELETE", "/rest/accounts/contact_relations/{accountContactRelationId}", ids=lid)
    rec.hit("DELETE", "/rest/accounts/{accountId}", ids=acc)
    rec.hit("DELETE", c + "/{contactId}/addresses/{addressId}", ids=aid)
    rec.hit("DELETE", a + "/{addressId}", ids=fid)
    rec.hit("DELETE", c + "/{contactId}/options", ids=cid)
    rec.hit("DELETE", c + "/{contactId}", ids=cid)
    rec.hit("POST", "/rest/login/refresh")
    api.token = rec.answers[("POST", "/rest/login/refresh")][0]["accessToken"]
    rec.hit("POST", "/rest/logout")
    rec.hit("POST", "/rest/login", json={"username": "api-user", "password": "api-password"})


def test_answers_match_the_official_schemas(api: Api) -> None:
    spec = _spec()
    recorder = Recorder(api)
    _exercise(recorder)
    described = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
    }
    expected = _implemented() & described
    missing = expected - set(recorder.answers)
    assert not missing, f"routes described by the spec but not exercised: {sorted(missing)}"
    definitions = _nullable(copy.deepcopy(spec["definitions"]))
    checked = 0
    for (method, template), bodies in sorted(recorder.answers.items()):
        if (method, template) not in described or (method, template) in DISAGREEMENTS:
            continue
        schema = spec["paths"][template][method.lower()]["responses"]["200"].get("schema")
        if schema is None:
            assert all(body is None for body in bodies), (method, template)
            continue
        document = {**_nullable(copy.deepcopy(schema)), "definitions": definitions}
        validator = jsonschema.Draft4Validator(document)
        for body in bodies:
            errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
            assert not errors, f"{method} {template}: {errors[0].message} at {list(errors[0].path)}"
        checked += 1
    assert checked >= 50


def test_documented_disagreements_are_real(api: Api) -> None:
    assert isinstance(api.ok("GET", "/rest/accounts/contacts/classes"), dict)
    assert isinstance(api.ok("GET", "/rest/accounts/contacts/types"), list)
    assert isinstance(api.ok("GET", "/rest/orders/shipping/countries"), list)


def test_a_named_subset_that_is_missing_fails_instead_of_skipping(tmp_path: Path) -> None:
    environ = {SPEC_ENV: str(tmp_path / "absent.json")}
    with pytest.raises(pytest.fail.Exception, match=r"absent\.json, which is not a file"):
        _spec(environ, default=DEFAULT_SPEC_PATH)


def test_without_a_name_the_subset_beside_the_clone_is_used_or_the_test_skips(
    tmp_path: Path,
) -> None:
    beside = tmp_path / "subset.json"
    beside.write_text('{"swagger": "2.0", "paths": {}}')
    assert _spec({}, default=beside)["swagger"] == "2.0"
    with pytest.raises(pytest.skip.Exception, match=SPEC_ENV):
        _spec({}, default=tmp_path / "absent.json")


def test_a_named_subset_is_read_from_where_it_is_named(tmp_path: Path) -> None:
    named = tmp_path / "named.json"
    named.write_text('{"swagger": "2.0", "paths": {"/rest/x": {}}}')
    assert list(_spec({SPEC_ENV: str(named)}, default=tmp_path / "absent.json")["paths"]) == [
        "/rest/x"
    ]
