"""Profiles through the services: summaries, detail, pause and schedule, and field errors."""

from __future__ import annotations

import pytest

from core.db.models import Profile
from core.errors import ConfigError, FieldError, FieldErrors
from core.services import connections
from core.services.profiles import (
    address_targets,
    collected_choices,
    connection_choices,
    create_profile,
    edit_profile,
    import_profile,
    list_profiles,
    pause_profile,
    remove_profile,
    resume_profile,
    set_schedule_enabled,
    show_profile,
    validate_settings,
)
from tests.worker.offline import offline_profile


def test_a_profile_is_summarised_shown_paused_and_taken_off_its_schedule(sqlite_db: str) -> None:
    profile = offline_profile(name="eu")
    [summary] = list_profiles()
    assert (summary.id, summary.client, summary.source) == (profile.id, "erp-eu", "shop-eu")
    assert summary.runnable and summary.scheduled and not summary.paused

    detail = show_profile("eu")
    assert detail.problems == () and detail.namespace == "shop-eu"
    assert detail.document["settings"]["schedule"]["schedule_name"] == "every-eu"

    assert pause_profile("eu").paused and not resume_profile(profile.id).paused
    assert not set_schedule_enabled("eu", False).scheduled
    assert set_schedule_enabled("eu", True).scheduled

    choices = collected_choices("eu")
    assert choices.collected and [c.name for c in choices.client.classes][:1] == ["Endkunde"]


def test_schedule_on_needs_a_schedule(sqlite_db: str) -> None:
    offline_profile(name="eu")
    edit_profile("eu", {"schedule.schedule_id": None})
    with pytest.raises(ConfigError, match="has no schedule"):
        set_schedule_enabled("eu", True)


def test_a_bad_profile_document_names_each_field(sqlite_db: str) -> None:
    offline_profile(name="eu")
    document = {
        "schedule": {"process_batch_size": 0},
        "customer": {"group_mapping": [{"magento_group_id": 1, "plenty_class_id": "x"}]},
        "log": {"verbose": True},
    }
    with pytest.raises(FieldErrors) as caught:
        create_profile("bad", "erp-eu", "shop-eu", settings=document)
    paths = {error.path: error.message for error in caught.value.errors}
    assert paths["schedule.process_batch_size"] == "must be at least 1"
    assert paths["customer.group_mapping[0].plenty_class_id"] == "must be a whole number"
    assert paths["log.verbose"] == "is not a known setting"
    assert all(isinstance(e, FieldError) for e in caught.value.errors)
    assert [p.name for p in list_profiles()] == ["eu"]  # nothing was saved

    with pytest.raises(FieldErrors) as unknown:
        edit_profile("eu", {"schedule.nope": 1})
    assert unknown.value.errors == (FieldError("schedule.nope", "no such setting"),)
    with pytest.raises(FieldErrors) as owner:
        create_profile("other", "no-such-client", "shop-eu")
    assert owner.value.errors[0].path == "client"
    with pytest.raises(FieldErrors) as empty:
        create_profile(" ", "erp-eu", "shop-eu")
    assert empty.value.errors == (FieldError("name", "must not be empty"),)
    with pytest.raises(FieldErrors):
        validate_settings(document)


def test_a_draft_is_created_edited_and_removed(sqlite_db: str) -> None:
    offline_profile(name="eu")
    connections.create_client(
        name="erp-2", base_url="https://erp2.invalid", username="api", password="pw"
    )
    saved = create_profile("draft", "erp-2", "shop-eu", changes={"schedule.status": False})
    assert not saved.detail.summary.runnable and saved.detail.problems
    assert not saved.detail.summary.scheduled
    renamed = edit_profile("draft", {"schedule.process_batch_size": 50}, name="draft-2")
    assert renamed.detail.summary.name == "draft-2"
    assert renamed.detail.settings["schedule"]["process_batch_size"] == 50
    assert remove_profile("draft-2").name == "draft-2"
    assert [p.name for p in list_profiles()] == ["eu"]


def test_an_imported_document_is_checked_whole_before_anything_is_written(sqlite_db: str) -> None:
    offline_profile(name="eu")
    document = show_profile("eu").document
    remove_profile("eu")
    bad = {**document, "settings": {**document["settings"], "schedule": {"process_batch_size": 0}}}
    bad["settings"]["customer"] = {"group_mapping": [{"magento_group_id": "x"}]}
    with pytest.raises(FieldErrors) as refused:
        import_profile(bad)
    paths = [e.path for e in refused.value.errors]
    assert "settings.schedule.process_batch_size" in paths
    assert "settings.customer.group_mapping[0].magento_group_id" in paths
    assert Profile.select().count() == 0
    with pytest.raises(FieldErrors) as missing:
        import_profile({"format": document["format"], "name": "x"})
    assert [e.path for e in missing.value.errors] == ["client", "source", "settings"]
    again = import_profile(document)
    assert again.detail.document == document


def test_choices_before_the_profile_exists_name_the_client_or_source_field(sqlite_db: str) -> None:
    offline_profile(name="eu")
    choices = connection_choices("erp-eu", "shop-eu")
    assert choices.client.client_name == "erp-eu" and choices.source.source_name == "shop-eu"
    with pytest.raises(FieldErrors) as unknown:
        connection_choices("nope", "shop-eu")
    assert [e.path for e in unknown.value.errors] == ["client"]
    assert {"name1", "address1", "postalCode", "email"} <= set(address_targets())
