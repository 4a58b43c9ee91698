"""Profiles saved as drafts, checked for runnability, exchanged as documents."""

from __future__ import annotations

import pytest

from core.clients import ClientSettings, create_client
from core.config_data import store_config
from core.db.models import Client, MagentoSource, Schedule
from core.errors import ConfigError
from core.profiles.address_fields import default_address_mapping
from core.profiles.service import (
    check_runnable,
    create_profile,
    export_document,
    import_document,
    parse_settings,
    profile_settings,
    remove_profile,
    save_profile,
)
from core.schedules import create_schedule
from core.sources import SourceCredentials, create_source, update_source
from tests.core.profiles.fixtures import collect, complete_settings


def _setup() -> tuple[Client, MagentoSource]:
    client = create_client(
        name="erp", base_url="http://erp/", username="api", password="pw", settings=ClientSettings()
    )
    source = create_source(
        name="shop",
        namespace="shop-eu",
        base_url="http://shop",
        credentials=SourceCredentials(auth_mode="bearer", values={"token": "t0ken"}),
    )
    return client, source


def test_a_draft_reports_every_missing_piece_by_field(db: str) -> None:
    client, source = _setup()
    profile = create_profile(name="p", client=client, source=source, settings=parse_settings({}))
    fields = [p.field for p in check_runnable(profile)]
    assert fields == [
        "client",
        "source",
        "schedule.schedule_id",
        "store.store_mapping",
        "store.store_mapping",
        "store.referrer_id",
    ]


def test_a_complete_profile_is_runnable(db: str) -> None:
    client, source = _setup()
    collect(client, source)
    schedule = create_schedule(name="15min", cron="*/15 * * * *", timezone="Europe/Berlin")
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(complete_settings(schedule))
    )
    assert check_runnable(profile) == []


def test_values_unknown_to_the_collected_config_are_named(db: str) -> None:
    client, source = _setup()
    collect(client, source)
    schedule = create_schedule(name="q", cron="0 * * * *")
    document = complete_settings(schedule)
    document["customer"]["group_mapping"] = [{"magento_group_id": 9, "plenty_class_id": 5}]
    document["store"]["store_mapping"][0]["locale"] = "cs"
    document["store"]["referrer_id"] = 7
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(document)
    )
    problems = {str(p) for p in check_runnable(profile)}
    assert (
        "customer.group_mapping[0].plenty_class_id: PlentyONE customer class 5 unknown; "
        "known: 1 (Endkunde), 2 (Business)"
    ) in problems
    assert (
        "customer.group_mapping[0].magento_group_id: Magento customer group 9 unknown; "
        "known: 1 (General), 2 (Wholesale)"
    ) in problems
    assert "store.referrer_id: referrer 7 unknown; known: 1 (Manual), 4.01 (Shop DE)" in problems
    assert (
        "store.store_mapping[0].locale: PlentyONE language 'cs' unknown; known: de, en, fr"
    ) in problems


def test_unknown_values_name_at_most_ten_known_ones(db: str) -> None:
    client, source = _setup()
    collect(client, source)
    webstores = [{"id": i, "plentyId": 1000 + i, "name": ""} for i in range(12)]
    store_config("client", client.id, "webstores", webstores)
    store_config("source", source.id, "store_views", [{"id": 1, "code": "en", "website_id": 1}])
    document = complete_settings(create_schedule(name="q", cron="0 * * * *"))
    document["store"]["store_mapping"] = [{"store_id": 7, "plenty_id": 12345, "locale": "en"}]
    document["store"]["website_referrers"] = [{"website_id": 8, "referrer_id": 1}]
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(document)
    )
    problems = {str(p) for p in check_runnable(profile)}
    known = ", ".join(str(1000 + i) for i in range(10))
    assert (
        f"store.store_mapping[0].plenty_id: plentyId 12345 unknown; known: {known}, …" in problems
    )
    assert (
        "store.store_mapping[0].store_id: Magento store view 7 unknown; known: 1 (en)" in problems
    )
    assert (
        "store.website_referrers[0].website_id: Magento website 8 unknown; known: 1 (base)"
    ) in problems


def test_two_profiles_on_one_client_may_not_cover_one_store(db: str) -> None:
    client, source = _setup()
    filtered = {
        "store": {
            "is_active_store_filter": True,
            "store_mapping": [{"store_id": 1, "plenty_id": 1, "locale": "en"}],
        }
    }
    create_profile(name="a", client=client, source=source, settings=parse_settings(filtered))
    with pytest.raises(ConfigError, match=r"store\(s\) 1"):
        create_profile(name="b", client=client, source=source, settings=parse_settings(filtered))
    with pytest.raises(ConfigError, match="may not export the same store"):
        create_profile(name="c", client=client, source=source, settings=parse_settings({}))
    other = {
        "store": {
            "is_active_store_filter": True,
            "store_mapping": [{"store_id": 2, "plenty_id": 1, "locale": "de"}],
        }
    }
    b = create_profile(name="b", client=client, source=source, settings=parse_settings(other))
    with pytest.raises(ConfigError):
        save_profile(b, parse_settings(filtered))


def test_export_and_import_round_trip_the_whole_profile(db: str) -> None:
    client, source = _setup()
    schedule = create_schedule(name="q", cron="0 * * * *")
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(complete_settings(schedule))
    )
    document = export_document(profile)
    assert "pw" not in str(document) and "t0ken" not in str(document)
    remove_profile(profile)
    again = import_document(document)
    assert export_document(again) == document
    with pytest.raises(ConfigError, match="--replace"):
        import_document(document)
    document["settings"]["schedule"]["process_batch_size"] = 25
    assert export_document(import_document(document, replace=True)) == document


def test_exported_documents_name_their_schedules(db: str) -> None:
    client, source = _setup()
    watch = create_schedule(name="15min", cron="*/15 * * * *")
    nightly = create_schedule(name="nightly", cron="0 2 * * *")
    document_in = complete_settings(watch)
    document_in["schedule"]["reconcile_schedule_id"] = nightly.id
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(document_in)
    )
    document = export_document(profile)
    section = document["settings"]["schedule"]
    assert section["schedule_name"] == "15min" and section["reconcile_schedule_name"] == "nightly"
    assert "schedule_id" not in section and "reconcile_schedule_id" not in section
    remove_profile(profile)
    # Another installation: the same names under other ids.
    Schedule.delete().execute()
    create_schedule(name="other", cron="0 * * * *")
    with pytest.raises(ConfigError) as refused:
        import_document(document)
    assert str(refused.value).startswith(
        "schedule.schedule_name: no schedule named '15min' here (known: 'other')"
    )
    there = create_schedule(name="15min", cron="*/15 * * * *")
    again = create_schedule(name="nightly", cron="0 2 * * *")
    imported = profile_settings(import_document(document))
    assert (imported.schedule.schedule_id, imported.schedule.reconcile_schedule_id) == (
        there.id,
        again.id,
    )
    assert there.id != watch.id


def test_documents_with_schedule_ids_still_import(db: str) -> None:
    client, source = _setup()
    schedule = create_schedule(name="q", cron="0 * * * *")
    document = {
        "format": "plentysync-profile/1",
        "name": "old",
        "client": client.name,
        "source": source.name,
        "settings": complete_settings(schedule),
    }
    profile = import_document(document)
    assert profile_settings(profile).schedule.schedule_id == schedule.id
    assert export_document(profile)["settings"]["schedule"]["schedule_name"] == "q"


def test_the_namespace_cannot_change(db: str) -> None:
    _, source = _setup()
    with pytest.raises(ConfigError, match="cannot change"):
        update_source(source, namespace="shop-us")
    update_source(source, namespace="shop-eu", base_url="http://shop2/")
    assert MagentoSource.get_by_id(source.id).base_url == "http://shop2"


def test_namespaces_are_checked_and_unique(db: str) -> None:
    _setup()
    creds = SourceCredentials(auth_mode="bearer", values={"token": "x"})
    with pytest.raises(ConfigError, match="used by another source"):
        create_source(name="other", namespace="shop-eu", base_url="http://x", credentials=creds)
    with pytest.raises(ConfigError, match="lowercase"):
        create_source(name="other", namespace="Shop EU", base_url="http://x", credentials=creds)


def test_address_fields_must_read_an_attribute_the_shop_has(db: str) -> None:
    client, source = _setup()
    collect(client, source)
    rows = default_address_mapping()
    attributes = [{"code": row["magento_field"], "custom": False} for row in rows]
    attributes += [{"code": f"attr{n:02d}", "label": "", "custom": False} for n in range(12)]
    attributes.append({"code": "pickup_station", "label": "Pickup station", "custom": True})
    store_config("source", source.id, "address_attributes", attributes)
    document = complete_settings(create_schedule(name="q", cron="0 * * * *"))
    document["customer"]["address_field_mapping"] = [
        *rows,
        {"magento_field": "pickup_statoin", "plenty_field": "postNumber"},
        {"magento_field": "email", "plenty_field": "email"},
        {"magento_field": "street[1]", "plenty_field": "address3"},
    ]
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(document)
    )
    problems = [str(p) for p in check_runnable(profile) if "address_field_mapping" in p.field]
    known = ", ".join(["pickup_station", *(f"attr{n:02d}" for n in range(9))])
    assert problems == [
        f"customer.address_field_mapping[{len(rows)}].magento_field: Magento address attribute "
        f"'pickup_statoin' unknown; known: {known}, …"
    ]


def test_address_fields_are_not_checked_before_the_attributes_are_collected(db: str) -> None:
    client, source = _setup()
    collect(client, source)
    document = complete_settings(create_schedule(name="q", cron="0 * * * *"))
    document["customer"]["address_field_mapping"] = [
        *default_address_mapping(),
        {"magento_field": "pickup_station", "plenty_field": "postNumber"},
    ]
    profile = create_profile(
        name="p", client=client, source=source, settings=parse_settings(document)
    )
    assert check_runnable(profile) == []
