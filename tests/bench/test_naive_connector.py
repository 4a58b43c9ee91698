"""The naive connector of the export bench, counted over the Magento sandbox's customers."""

from __future__ import annotations

from bench.naive_connector import naive_run, writes_for
from sandbox.magento import MagentoSandboxConfig, create_app
from sandbox.server import serve_in_thread


def test_each_address_is_written_once_per_type_it_carries() -> None:
    both = {"default_billing": True, "default_shipping": True}
    billing = {"default_billing": True}
    assert writes_for({"addresses": []}) == 1
    assert writes_for({"addresses": [both]}) == 3
    assert writes_for({"addresses": [billing, {"default_shipping": True}, {}]}) == 4


def test_a_naive_run_reads_and_writes_for_every_registered_customer() -> None:
    with serve_in_thread(create_app(MagentoSandboxConfig(customers=40, seed=3))) as shop:
        first = naive_run(shop.base_url)
        again = naive_run(shop.base_url)
    assert first.customers == 40 and first.reads == 40
    # At least the contact and one address write each, whatever changed since.
    assert first.writes >= 2 * 40
    assert again == first
