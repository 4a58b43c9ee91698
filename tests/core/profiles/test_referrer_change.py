"""A referrer changed after contacts exist: those contacts keep theirs, and info says so."""

from __future__ import annotations

import datetime as dt

from core.db.models import CustomerLink, Profile, utcnow
from core.profiles.referrer_change import referrer_change
from core.profiles.service import create_profile, parse_settings, profile_settings, save_profile
from tests.core.profiles.test_service import _setup


def _profile(referrer: float) -> Profile:
    client, source = _setup()
    settings = parse_settings({"store": {"referrer_id": referrer}})
    return create_profile(name="p", client=client, source=source, settings=settings)


def _link(profile: Profile, key: str, at: dt.datetime | None = None) -> None:
    CustomerLink.create(
        client=profile.client_id, namespace=profile.source.namespace, entity_type="customer",
        entity_key=key, contact_id=100 + len(key), state="linked",
        created_at=at or dt.datetime(2026, 1, 1),
    )  # fmt: skip


def _set_referrer(profile: Profile, referrer: float, **store: object) -> None:
    document = profile_settings(profile).to_document()
    document["store"].update(referrer_id=referrer, **store)
    save_profile(profile, parse_settings(document))


def test_no_note_while_no_contact_exists(db: str) -> None:
    profile = _profile(1)
    _set_referrer(profile, 4.01)
    _link(profile, "1", at=utcnow())  # created under 4.01
    assert referrer_change(profile, profile_settings(profile)) is None


def test_contacts_created_before_a_change_are_named_with_their_referrer(db: str) -> None:
    profile = _profile(1)
    _link(profile, "1")
    _link(profile, "22")
    _set_referrer(profile, 4.01)
    change = referrer_change(profile, profile_settings(profile))
    assert change is not None and change.contacts == 2
    assert change.now == "4.01" and change.earlier[0].referrers == "1"
    text = str(change)
    assert "2 under 1 until" in text and "PlentyONE keeps a contact's referrer" in text
    assert "only contacts created from now on get 4.01" in text


def test_changing_back_silences_the_note_and_a_second_change_counts_per_period(db: str) -> None:
    profile = _profile(1)
    _link(profile, "1")
    _set_referrer(profile, 4.01)
    _set_referrer(profile, 1)
    assert referrer_change(profile, profile_settings(profile)) is None
    _link(profile, "333", at=utcnow())  # between the second and the third change: under 1
    _set_referrer(profile, 2, website_referrers=[{"website_id": 3, "referrer_id": 4.01}])
    change = referrer_change(profile, profile_settings(profile))
    assert change is not None and change.now == "2 (website 3: 4.01)"
    assert [(e.referrers, e.contacts) for e in change.earlier] == [("1", 1), ("1", 1)]
    assert change.contacts == 2
