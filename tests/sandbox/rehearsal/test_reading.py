"""Reading one export: encodings, secret columns, line numbers and unreadable rows."""

from __future__ import annotations

from pathlib import Path

from sandbox.rehearsal.reading import read_export
from sandbox.rehearsal.text import decode_export, repair_double_decoding
from tests.sandbox.rehearsal.support import ADDRESSES_CSV, CUSTOMERS_CSV, SECRET_MARKERS

HEADER = "email,_website,_store,firstname,lastname,group_id,created_at,password_hash,rp_token"


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_utf8_with_and_without_byte_order_mark() -> None:
    assert decode_export(b"\xef\xbb\xbfemail\n").text == "email\n"
    assert decode_export(b"\xef\xbb\xbfemail\n").encoding == "UTF-8 with byte-order mark"
    assert decode_export("Jürgen".encode()).encoding == "UTF-8"


def test_legacy_bytes_are_read_as_windows_1252_then_latin_1() -> None:
    found = decode_export("Größ \u2013 Ölmühle".encode("cp1252"))
    assert (found.text, found.encoding) == ("Größ \u2013 Ölmühle", "Windows-1252")
    # 0x81 is undefined in Windows-1252: only Latin-1 reads it.
    assert decode_export(b"M\xfcller \x81").encoding == "Latin-1"


def test_double_decoded_text_is_repaired_and_right_text_left_alone() -> None:
    assert repair_double_decoding("JÃ¼rgen MÃ¼ller") == "Jürgen Müller"
    assert repair_double_decoding("Ã‰lodie") == "Élodie"
    for right in ("Größ-Brunner", "Élodie", "Łukasz", "plain", "Café Ã"):
        assert repair_double_decoding(right) is None


def test_fixture_main_file_drops_secrets_and_repairs_cells() -> None:
    export = read_export(CUSTOMERS_CSV)
    assert export.kind == "customers" and export.encoding == "UTF-8 with byte-order mark"
    assert {"password_hash", "rp_token", "rp_token_created_at", "password", "sso_secret"} <= set(
        export.dropped_columns
    )
    assert export.rows[0].values["email"] == "anna.kowalczyk@example.org"  # no BOM in the name
    for row in export.rows:
        assert not set(row.values) & set(export.dropped_columns)
        assert not any(m in v for v in row.values.values() for m in SECRET_MARKERS)
    mueller = next(r for r in export.rows if r.values.get("email") == "j.mueller@example.de")
    assert (mueller.values["firstname"], mueller.values["lastname"]) == ("Jürgen", "Müller")
    assert [(p.line, p.column, p.severity) for p in export.problems] == [
        (7, "firstname", "warning"),
        (7, "lastname", "warning"),
    ]


def test_fixture_address_file_keeps_multi_line_streets_and_their_first_line() -> None:
    export = read_export(ADDRESSES_CSV)
    assert export.kind == "addresses" and export.encoding == "Windows-1252"
    assert [str(p) for p in export.problems] == ["addresses.csv: not UTF-8: read as Windows-1252"]
    # Rows with two- and three-line streets push the next row's first line down.
    assert [row.line for row in export.rows][:7] == [2, 4, 6, 8, 9, 10, 13]
    lyon = export.rows[5].values
    assert lyon["street"].splitlines() == ["14 rue de la Charité", "Bâtiment B", "Escalier 3"]


def test_a_file_that_is_no_export_is_refused_whole(tmp_path: Path) -> None:
    export = read_export(_write(tmp_path, "sku,name\nA-1,Chair\n", name="products.csv"))
    assert export.kind is None and not export.rows
    assert len(export.problems) == 1
    assert str(export.problems[0]).startswith("products.csv:1: not a Magento customer export")


def test_rows_with_the_wrong_number_of_values_are_refused(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "a@example.com,base,default,Ann,Lee,1,2020-01-01 10:00:00,hash,tok\n"
        "\n"
        "b@example.com,base,default,Bo,Li,1\n"
        "c@example.com,base,default,Cy,Ng,1,2020-01-01 10:00:00,,\n"
    )
    export = read_export(_write(tmp_path, text))
    assert [row.line for row in export.rows] == [2, 5]
    assert [str(p) for p in export.problems] == ["c.csv:4: 6 values, the header has 9"]
    assert export.rows[0].values.keys() == {
        "email", "_website", "_store", "firstname", "lastname", "group_id", "created_at"
    }  # fmt: skip


def test_lost_characters_are_kept_with_a_warning(tmp_path: Path) -> None:
    text = f"{HEADER}\na@example.com,base,default,Ren\ufffde,Roy,1,2020-01-01 10:00:00,,\n"
    export = read_export(_write(tmp_path, text))
    assert export.rows[0].values["firstname"] == "Ren\ufffde"
    assert [(p.line, p.column, p.severity) for p in export.problems] == [
        (2, "firstname", "warning")
    ]


def test_a_column_named_twice_refuses_the_file(tmp_path: Path) -> None:
    export = read_export(_write(tmp_path, "email,_website,email\na,b,c\n"))
    assert not export.rows and [str(p) for p in export.problems] == [
        "c.csv:1: column email: column named twice"
    ]


def test_a_broken_line_stops_the_file_and_says_so(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "a@example.com,base,default,Ann,Lee,1,2020-01-01 10:00:00,,\n"
        'b@example.com,base,default,"Bo"b,Li,1,2020-01-01 10:00:00,,\n'
        "c@example.com,base,default,Cy,Ng,1,2020-01-01 10:00:00,,\n"
    )
    export = read_export(_write(tmp_path, text))
    assert [row.line for row in export.rows] == [2]
    assert len(export.problems) == 1
    assert str(export.problems[0]).startswith("c.csv:3: cannot be read as CSV")
    assert str(export.problems[0]).endswith("the rest is not read")


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        'a@example.com,base,default,"Ann,Lee,1,2020-01-01 10:00:00,,\n'
        "c@example.com,base,default,Cy,Ng,1,2020-01-01 10:00:00,,\n"
    )
    export = read_export(_write(tmp_path, text))
    assert not export.rows
    assert [p.line for p in export.problems] == [2]
    assert "cannot be read as CSV" in export.problems[0].message
