"""Fault injection and the /_sandbox/ controls over real HTTP."""

from __future__ import annotations

import time
from datetime import datetime

import httpx
import pytest

from sandbox.data import CRAFTED
from sandbox.magento import MagentoSandboxConfig, create_app
from sandbox.server import serve_in_thread
from tests.sandbox.magento.support import ids, search


def test_throttling_answers_429_with_retry_after(client: httpx.Client) -> None:
    client.post(
        "/_sandbox/config", json={"faults": {"throttle_rate": 1.0, "retry_after_seconds": 7}}
    ).raise_for_status()
    response = client.get("/rest/V1/customers/1")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"


def test_throttling_can_answer_503(client: httpx.Client) -> None:
    client.post(
        "/_sandbox/config", json={"faults": {"throttle_rate": 1.0, "throttle_status": 503}}
    ).raise_for_status()
    response = client.get("/rest/V1/customers/1")
    assert response.status_code == 503
    assert "Retry-After" in response.headers


def test_server_errors_come_at_the_configured_rate(client: httpx.Client) -> None:
    client.post(
        "/_sandbox/config", json={"faults": {"error_rate": 0.5, "seed": 3}}
    ).raise_for_status()
    statuses = [client.get("/rest/V1/customers/1").status_code for _ in range(60)]
    failures = [s for s in statuses if s >= 500]
    assert set(failures) <= {500, 502, 503}
    assert 10 <= len(failures) <= 50
    assert statuses.count(200) == 60 - len(failures)


def test_latency_delays_each_call(client: httpx.Client) -> None:
    client.post("/_sandbox/config", json={"faults": {"latency_ms": 60}}).raise_for_status()
    started = time.perf_counter()
    assert client.get("/rest/V1/customers/1").status_code == 200
    assert time.perf_counter() - started >= 0.06  # a lower bound only: sleeps never end early


def test_stats_count_calls_by_route_and_status(client: httpx.Client) -> None:
    client.get("/rest/V1/customers/1")
    client.get("/rest/de/V1/customers/2")
    client.get("/rest/V1/customers/999")
    search(client, page_size=1)
    calls = client.get("/_sandbox/stats").json()["calls"]
    assert calls == {
        "GET /V1/customers/{id}": {"200": 2, "404": 1},
        "GET /V1/customers/search": {"200": 1},
    }


def test_configuration_rejects_unknown_and_dataset_settings(client: httpx.Client) -> None:
    assert client.post("/_sandbox/config", json={"customers": 5}).status_code == 400
    assert client.post("/_sandbox/config", json={"colour": "red"}).status_code == 400
    shown = client.get("/_sandbox/config").json()
    assert "admin_password" not in shown and "consumer_secret" not in shown


def test_mutation_moves_updated_at_for_incremental_readers(client: httpx.Client) -> None:
    mutations = client.post("/_sandbox/mutate", json={"count": 5}).json()["mutations"]
    assert len(mutations) == 5
    stamp = mutations[0]["updated_at"]
    assert {m["updated_at"] for m in mutations} == {stamp}
    changed = search(client, [("updated_at", stamp, "gteq")], sort=[("entity_id", "ASC")])
    assert ids(changed) == sorted(m["customer_id"] for m in mutations)


def test_mutation_kinds_change_what_they_say(client: httpx.Client) -> None:
    before = client.get("/rest/V1/customers/8").json()
    client.post("/_sandbox/mutate", json={"ids": [8], "kinds": ["address"]}).raise_for_status()
    after = client.get("/rest/V1/customers/8").json()
    assert len(after["addresses"]) == len(before["addresses"]) + 1
    assert after["updated_at"] > before["updated_at"]
    client.post("/_sandbox/mutate", json={"ids": [8], "kinds": ["group"]}).raise_for_status()
    assert client.get("/rest/V1/customers/8").json()["group_id"] != after["group_id"]
    client.post("/_sandbox/reset").raise_for_status()
    assert client.get("/rest/V1/customers/8").json() == before


def test_deleted_customer_leaves_a_gap(client: httpx.Client) -> None:
    assert client.delete("/_sandbox/customers/5").status_code == 200
    assert client.get("/rest/V1/customers/5").status_code == 404
    listed = search(client, [("entity_id", "7", "lteq")], sort=[("entity_id", "ASC")])
    assert ids(listed) == [1, 2, 3, 4, 6, 7]
    assert listed.json()["total_count"] == 6
    assert client.delete("/_sandbox/customers/5").status_code == 404


def test_dirty_records_are_listed(client: httpx.Client) -> None:
    dirty = client.get("/_sandbox/dirty", params={"first": 1, "last": 300}).json()["dirty"]
    assert 10 < len(dirty) < 60  # dirty_share 0.1 of 300
    some_id, kinds = next(iter(dirty.items()))
    assert kinds and int(some_id) >= 1


@pytest.mark.parametrize("fixed", [datetime(2030, 5, 1, 12, 0, 0)])
def test_mutation_uses_the_injected_clock(fixed: datetime) -> None:
    app = create_app(MagentoSandboxConfig(customers=20, orders=0), clock=lambda: fixed)
    with serve_in_thread(app) as server:
        body = httpx.post(server.base_url + "/_sandbox/mutate", json={"ids": [3, 4]}).json()
    assert {m["updated_at"] for m in body["mutations"]} == {"2030-05-01 12:00:00"}


def test_a_repeated_search_sees_changes_made_in_between(client: httpx.Client) -> None:
    def by_update() -> list[int]:
        return ids(search(client, sort=[("updated_at", "DESC"), ("entity_id", "ASC")], page_size=3))

    before = by_update()
    assert by_update() == before  # the second call is served from the result cache
    mutated = client.post("/_sandbox/mutate", json={"ids": [77]}).json()["mutations"]
    assert mutated and by_update()[0] == 77
    client.delete("/_sandbox/customers/77").raise_for_status()
    assert 77 not in by_update()


def test_raw_fields_are_served_as_set(client: httpx.Client) -> None:
    before = client.get("/rest/V1/customers/9").json()
    patched = client.patch(
        "/_sandbox/customers/9", json={"addresses": None, "firstname": 42, "id": 1}
    )
    assert patched.status_code == 200
    after = client.get("/rest/V1/customers/9").json()
    assert after["addresses"] is None and after["firstname"] == 42 and after["id"] == 9
    assert after["updated_at"] > before["updated_at"]
    listed = search(client, [("entity_id", "8,9,10", "in")]).json()["items"]
    assert [c["firstname"] for c in listed if c["id"] == 9] == [42]
    changed = search(client, [("updated_at", after["updated_at"], "gteq")])
    assert ids(changed) == [9]
    assert client.patch("/_sandbox/customers/99999", json={}).status_code == 404
    client.post("/_sandbox/reset").raise_for_status()
    assert client.get("/rest/V1/customers/9").json() == before


def test_raw_order_fields_are_served_and_seen_as_changed(client: httpx.Client) -> None:
    before = client.get("/rest/V1/orders/4").json()
    patched = client.patch("/_sandbox/orders/4", json={"billing_address": "broken"})
    assert patched.status_code == 200
    after = client.get("/rest/V1/orders/4").json()
    assert after["billing_address"] == "broken" and after["entity_id"] == 4
    changed = search(client, [("updated_at", after["updated_at"], "gteq")], path="/rest/V1/orders")
    assert [o["entity_id"] for o in changed.json()["items"]] == [4]
    assert client.patch("/_sandbox/orders/99999", json={}).status_code == 404
    client.post("/_sandbox/reset").raise_for_status()
    assert client.get("/rest/V1/orders/4").json() == before


def test_crafted_records_break_one_clean_customer_each(client: httpx.Client) -> None:
    answer = client.post("/_sandbox/crafted", json={"first": 20})
    assert answer.status_code == 200
    crafted = {int(k): v for k, v in answer.json()["crafted"].items()}
    assert sorted(v["kind"] for v in crafted.values()) == sorted(CRAFTED)
    assert min(crafted) >= 20
    dirty = client.get("/_sandbox/dirty", params={"first": 20, "last": max(crafted)}).json()
    assert not set(crafted) & {int(i) for i in dirty["dirty"]}
    by_kind = {v["kind"]: (i, v["refused_on"]) for i, v in crafted.items()}
    nul_id, field = by_kind["nul_in_lastname"]
    assert field == "lastname"
    assert client.get(f"/rest/V1/customers/{nul_id}").json()["lastname"] == "Mül\x00ler"
    assert (
        client.get(f"/rest/V1/customers/{by_kind['addresses_null'][0]}").json()["addresses"] is None
    )
    shared_id, refused_on = by_kind["shared_email_other_website"]
    shared = client.get(f"/rest/V1/customers/{shared_id}").json()
    same = search(client, [("email", shared["email"], "eq")]).json()["items"]
    assert refused_on is None and sorted(c["id"] for c in same)[-1] == shared_id
    [lender] = [c for c in same if c["id"] != shared_id]
    assert lender["id"] not in crafted and lender["website_id"] != shared["website_id"]
    assert client.post("/_sandbox/crafted", json={"kinds": ["nope"]}).status_code == 400
