"""The fault harness's figures: what counts as exported, duplicated, lost and whose failure."""

from __future__ import annotations

from bench.fault_tally import Result, Tally, count, identity, table_line


def contact(customer_id: int) -> dict[str, object]:
    return {"externalId": identity(customer_id)}


def test_a_clean_scenario_is_ok() -> None:
    contacts = [contact(1), contact(2), contact(3)]
    results = [Result("1", "created"), Result("2", "created"), Result("3", "created")]
    reported = {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    tally = count("clean", 3, contacts, results, reported)
    assert (tally.exported, tally.duplicates, tally.lost, tally.failed_ours) == (3, 0, 0, 0)
    assert tally.per_customer == 1.0
    assert tally.ok
    assert table_line(tally).endswith("yes")


def test_duplicates_lost_customers_and_our_failures_are_told_apart() -> None:
    contacts = [contact(1), contact(1), contact(2), contact(5)]
    results = [
        Result("1", "created"),
        Result("2", "failed", "gave up after 5 attempts: another worker holds the claim"),
        Result("3", "failed", "lastname: HTML markup is not allowed"),
        Result("4", "failed", "PlentyONE failed with HTTP 503"),
        Result("5", "created"),
        Result("5", "updated"),
    ]
    reported = {"created": 2, "updated": 1, "unchanged": 0, "failed": 3}
    tally = count("mixed", 6, contacts, results, reported, data_suspects={"3", "4"})
    assert tally.exported == 3  # 1, 2 (its contact exists although it was reported failed), 5
    assert tally.duplicates == 1
    # 2 failed for a claim, 4 is dirty but failed for a 5xx: both ours; 3 is the record's.
    assert (tally.failed_ours, tally.failed_data) == (2, 1)
    assert tally.lost == 1  # 6: no contact and no result at all
    assert tally.results == 6 and f"{tally.per_customer:.2f}" == "1.00"
    assert tally.truth == {"created": 3, "existing": 0, "failed": 3}
    assert not tally.figures_agree  # 5 was counted twice, once as updated
    assert not tally.ok


def test_a_contact_that_existed_before_is_updated_or_unchanged_not_created() -> None:
    before = {identity(1)}
    results = [Result("1", "created"), Result("2", "created")]
    reported = {"created": 2, "updated": 0, "unchanged": 0, "failed": 0}
    tally = count("rerun", 2, [contact(1), contact(2)], results, reported, before=before)
    assert tally.truth == {"created": 1, "existing": 1, "failed": 0}
    assert not tally.figures_agree


def test_a_scenario_that_broke_gets_a_line_that_says_so() -> None:
    broke = Tally("kill-inline", expected=200, notes=["the scenario broke: RuntimeError()"])
    line = table_line(broke)
    assert line.startswith("kill-inline") and "broke" in line and line.endswith("NO")
    assert not broke.ok
