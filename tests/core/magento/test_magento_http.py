"""Failures become typed errors; transient ones are retried a bounded number of times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx

from core.errors import ConfigError, DataError, NotFoundError, RateLimitedError, TransientError
from core.magento import IntegrationBearer, MagentoConfig, MagentoSource
from core.magento._responses import UNNAMED_WAIT
from core.secrets import Secret
from tests.core.magento.conftest import MakeSource

WEBSITES = [{"id": 0, "code": "admin"}, {"id": 1, "code": "base", "name": "Main Website"}]


def test_429_waits_as_long_as_retry_after_says(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    route = router.get("/store/websites").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, json=WEBSITES),
        ]
    )

    websites = make_source().stores.websites()

    assert [w.code for w in websites] == ["base"]
    assert route.call_count == 2
    assert sleeps == [7.0]


def test_503_with_an_http_date_retry_after(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    router.get("/store/websites").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": later}),
            httpx.Response(200, json=WEBSITES),
        ]
    )

    make_source().stores.websites()

    assert len(sleeps) == 1
    assert 20 < sleeps[0] <= 30


def test_retries_are_bounded_and_back_off(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    route = router.get("/store/websites").respond(500, json={"message": "Internal Error."})
    source = make_source(max_attempts=4, backoff_base=1.0, backoff_max=3.0)

    with pytest.raises(TransientError, match="500"):
        source.stores.websites()

    assert route.call_count == 4
    assert len(sleeps) == 3
    # Exponential with half jitter: [0.5, 1], [1, 2], then capped at [1.5, 3].
    for wait, (low, high) in zip(sleeps, [(0.5, 1), (1, 2), (1.5, 3)], strict=True):
        assert low <= wait <= high


def test_a_retry_after_too_long_to_sleep_is_left_to_the_caller(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    route = router.get("/store/websites").respond(503, headers={"Retry-After": "3600"})
    source = make_source(max_retry_after=60)

    with pytest.raises(TransientError) as caught:
        source.stores.websites()

    assert caught.value.detail["retry_after"] == 3600
    assert route.call_count == 1
    assert sleeps == []


def test_network_failures_are_retried(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    router.get("/store/websites").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=WEBSITES)]
    )

    assert len(make_source().stores.websites()) == 1
    assert len(sleeps) == 1


def test_malformed_json_is_retried_then_reported(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    route = router.get("/store/websites").respond(
        200, text="<html>Checking your browser</html>", headers={"Content-Type": "text/html"}
    )
    source = make_source(max_attempts=2)

    with pytest.raises(TransientError, match="not valid JSON"):
        source.stores.websites()

    assert route.call_count == 2


def test_truncated_json_recovers_on_the_next_attempt(router: respx.Router, make_source: MakeSource):
    router.get("/store/websites").mock(
        side_effect=[httpx.Response(200, text='[{"id": 1, "co'), httpx.Response(200, json=WEBSITES)]
    )

    assert [w.id for w in make_source().stores.websites()] == [1]


def test_unknown_customer_is_not_found(router: respx.Router, make_source: MakeSource):
    route = router.get("/customers/999").respond(
        404,
        json={
            "message": "No such entity with %fieldName = %fieldValue",
            "parameters": {"fieldName": "customerId", "fieldValue": 999},
        },
    )

    with pytest.raises(NotFoundError, match="customerId = 999"):
        make_source().customers.get(999)
    assert route.call_count == 1


def test_route_miss_is_a_configuration_error(router: respx.Router, make_source: MakeSource):
    router.get("/customers/1").respond(404, json={"message": "Request does not match any route."})

    with pytest.raises(ConfigError, match="base URL and the store code"):
        make_source().customers.get(1)


def test_input_error_names_magentos_reason(router: respx.Router, make_source: MakeSource):
    route = router.get("/customers/search").respond(
        400,
        json={"message": "Maximum SearchCriteria pageSize is %1", "parameters": [300]},
    )

    with pytest.raises(ConfigError, match="pageSize is 300"):
        list(make_source().customers.iter_ids())
    assert route.call_count == 1


def test_answer_that_is_not_a_search_result_is_a_data_error(
    router: respx.Router, make_source: MakeSource
):
    router.get("/customers/search").respond(json={"message": "maintenance"})

    with pytest.raises(DataError):
        list(make_source().customers.iter_ids())


def test_requests_use_the_store_code_scope():
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=WEBSITES)

    for store_code in (None, "de"):
        config = MagentoConfig(
            "https://shop.test/", IntegrationBearer(Secret("t")), store_code=store_code
        )
        with MagentoSource(config, transport=httpx.MockTransport(answer)) as source:
            source.stores.websites()

    assert seen == ["/rest/V1/store/websites", "/rest/de/V1/store/websites"]


def test_a_429_too_long_to_sleep_is_rate_limited_not_transient(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    route = router.get("/store/websites").respond(429, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimitedError) as caught:
        make_source(max_retry_after=60).stores.websites()

    assert not isinstance(caught.value, TransientError)
    assert caught.value.retry_after == 3600 and caught.value.budget == "magento"
    assert caught.value.asked
    assert route.call_count == 1 and sleeps == []


def test_a_429_without_retry_after_backs_off_then_waits_a_fixed_time(
    router: respx.Router, make_source: MakeSource, sleeps: list[float]
):
    route = router.get("/store/websites").respond(429)

    with pytest.raises(RateLimitedError) as caught:
        make_source(max_attempts=2, backoff_base=1.0).stores.websites()

    assert route.call_count == 2
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1  # our backoff, not the fixed wait
    assert caught.value.retry_after == UNNAMED_WAIT and not caught.value.asked
