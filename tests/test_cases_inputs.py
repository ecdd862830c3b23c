"""Field cases 04 and 05 of ``../shared/cases`` and the half emoji: inputs people really send.

- 04: Universe of Connections people sheets without an id column where two people share a name,
  then a later upload of one of them; Excel formulas with no saved value; broken Unicode in a file.
- 05: a national growth typed as a percent (7.14) where a fraction (0.0714) is expected.
- A text answer with half an emoji (an unpaired UTF-16 surrogate).

Each case reads its files from the shared folder and checks the right value; hypothesis varies
each kind (column order, row order, spacing and case of names, rates of any size).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from sectorkit import universe as nw
from sectorkit.apps.form import WorksheetApp
from sectorkit.core.text import REPLACEMENT
from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen
from sectorkit.lmi.rates import RateLooksLikeFraction, RateLooksLikePercent, check_rate
from sectorkit.specs import parse_spec
from sectorkit.store.workspace import Workspace
from tests.support import SHARED

CASES = SHARED / "cases"
SAME_NAME = CASES / "04_same_name_two_people"
GROWTH = CASES / "05_growth_given_as_percent"


def _import(ws, *paths):
    return nw.import_files(ws, list(paths))


def _where(ws) -> dict[str, tuple[str, str]]:
    return {pid: (p.name, p.organization) for pid, p in nw.load_universe(ws).people.items()}


# -- case 04: two people with one name ---------------------------------------------------------
def test_two_people_of_one_name_in_one_sheet_are_both_kept_with_distinct_ids(ws):
    report = _import(ws, SAME_NAME / "organizations.csv", SAME_NAME / "people.csv")
    assert report.messages == []
    assert report.saved == {"organizations": 3, "people": 3, "relationships": 0}
    assert _where(ws) == {
        "maria-garcia": ("Maria Garcia", "riverbend-college"),
        "maria-garcia-acme-plastics": ("Maria Garcia", "acme-plastics"),
        "sam-lee": ("Sam Lee", "birch-foods"),
    }
    (note,) = report.notes
    assert note.startswith("people.csv row 3: 'Maria Garcia' at Acme Plastics is not the 'Maria Garcia' at "
                           "Riverbend College, so this one has the id 'maria-garcia-acme-plastics'")
    assert note in report.summary()
    again = _import(ws, SAME_NAME / "organizations.csv", SAME_NAME / "people.csv")  # importing twice changes nothing
    assert again.messages == [] and again.notes == [] and len(_where(ws)) == 3


def test_a_later_upload_never_moves_an_existing_person(ws):
    first = _import(ws, SAME_NAME / "organizations.csv", SAME_NAME / "first_upload" / "people.csv",
                    SAME_NAME / "first_upload" / "relationships.csv")
    assert first.messages == [] and first.saved == {"organizations": 3, "people": 2, "relationships": 1}
    before = _where(ws)
    later = _import(ws, SAME_NAME / "later_upload" / "people.csv")
    assert later.saved["people"] == 0
    (message,) = later.messages
    assert message.startswith("people.csv row 2: 'Maria Garcia' is already listed at Riverbend College "
                              "(id 'maria-garcia'); this row says 'acme-plastics'.")
    assert "add an id column" in message and "maria-garcia-acme-plastics" in message
    assert _where(ws) == before  # kept where she is
    assert list(nw.load_universe(ws).relationships) == ["maria-garcia+sam-lee"]


def test_a_later_upload_updates_the_person_it_names_when_both_are_listed(ws):
    _import(ws, SAME_NAME / "organizations.csv", SAME_NAME / "people.csv")
    later = _import(ws, SAME_NAME / "later_upload" / "people.csv")
    assert later.messages == [] and later.saved["people"] == 1
    assert _where(ws)["maria-garcia"] == ("Maria Garcia", "riverbend-college")


def test_a_row_with_an_id_that_would_move_someone_is_reported_not_saved(ws):
    _import(ws, SAME_NAME / "organizations.csv", SAME_NAME / "first_upload" / "people.csv")
    report = nw.import_files(ws, [("people.csv", b"id,name,organization\nmaria-garcia,Maria Garcia,birch-foods\n")])
    assert report.saved["people"] == 0
    assert report.messages[0].startswith("people.csv row 2: 'Maria Garcia' is already listed at Riverbend College")
    assert _where(ws)["maria-garcia"][1] == "riverbend-college"


PEOPLE = [("Maria Garcia", "riverbend-college", "Dean of Workforce Programs", "no"),
          ("Maria Garcia", "acme-plastics", "Chief Executive Officer", "yes"),
          ("Sam Lee", "birch-foods", "Plant Manager", "no")]


def _people_csv(rows, columns) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL)
    w.writerow(columns)
    full = ("name", "organization", "title", "c_suite")
    for row in rows:
        w.writerow([dict(zip(full, row))[c] for c in columns])
    return buf.getvalue().encode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.permutations(["name", "organization", "title", "c_suite"]), order=st.permutations(PEOPLE),
       spelling=st.sampled_from(["Maria Garcia", "maria garcia", " Maria  Garcia ", "MARIA GARCIA"]),
       later=st.sampled_from(PEOPLE[:2]))
def test_same_name_kind_any_column_order_row_order_or_spelling(tmp_path_factory, columns, order, spelling, later):
    with Workspace.open("variant", tmp_path_factory.mktemp("v")) as ws:
        _import(ws, SAME_NAME / "organizations.csv")
        rows = [(spelling if r[0] == "Maria Garcia" else r[0], *r[1:]) for r in order]
        report = nw.import_files(ws, [("people.csv", _people_csv(rows, columns))])
        assert report.messages == [] and report.saved["people"] == 3
        people = nw.load_universe(ws).people.values()
        marias = sorted(p.organization for p in people if p.name.casefold().split() == ["maria", "garcia"])
        assert marias == ["acme-plastics", "riverbend-college"]  # two people, each where the sheet says
        placed = {p.id: p.organization for p in people}
        again = nw.import_files(ws, [("people.csv", _people_csv([later], list(columns)))])
        assert again.messages == [] and {p.id: p.organization for p in nw.load_universe(ws).people.values()} == placed


# -- Excel formulas with no saved value ---------------------------------------------------------
def _workbook(people_rows: list[list]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    orgs = wb.create_sheet("organizations")
    orgs.append(["name", "kind", "system"])
    orgs.append(["Acme", "business", None])
    sheet = wb.create_sheet("people")
    for row in people_rows:
        sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_saved_value(xlsx: bytes, cell: str, value: str) -> bytes:
    """What Excel does on save: store the formula's result (a cached value) beside it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'<c r="%s"><f>(.*?)</f><v\s*/>' % cell.encode(),
                              lambda m: b'<c r="%s" t="str"><f>%s</f><v>%s</v>' % (cell.encode(), m.group(1),
                                                                                   value.encode()), data)
            zout.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("column", [2, 3])  # the name, or the organization, is the formula
def test_a_formula_with_no_saved_value_is_reported_as_such(ws, column):
    row = ["Dana", "Ortiz", "Dana Ortiz", "acme"]
    row[column] = '=A2&" "&B2' if column == 2 else '=LOWER("ACME")'
    data = _workbook([["first", "last", "name", "organization"], row, ["Lee", "Park", "Lee Park", "acme"]])
    report = nw.import_files(ws, [("universe.xlsx", data)])
    assert report.saved["people"] == 1 and list(nw.load_universe(ws).people) == ["lee-park"]
    (message,) = report.messages
    letter = "CD"[column - 2]
    assert message.startswith(f"universe.xlsx sheet 'people' row 2: the {['name', 'organization'][column - 2]} cell "
                              f"({letter}2) has a formula with no saved value")
    assert "open and save the file in Excel first" in message
    assert "blank" not in message


def test_a_formula_with_a_saved_value_imports_its_value(ws):
    data = _workbook([["first", "last", "name", "organization"], ["Dana", "Ortiz", '=A2&" "&B2', "acme"]])
    report = nw.import_files(ws, [("universe.xlsx", _with_saved_value(data, "C2", "Dana Ortiz"))])
    assert report.messages == [] and list(nw.load_universe(ws).people) == ["dana-ortiz"]


# -- broken Unicode in an imported file ---------------------------------------------------------
def test_broken_unicode_in_a_csv_is_repaired_with_one_note(ws):
    orgs = "name,kind,sector\nAcme,business,plastics \ud83d\nBirch \ud83d\ude00 Foods,business,food\n"
    data = orgs.encode("utf-8", "surrogatepass")  # a lone half, and a pair encoded in halves (CESU-8)
    report = nw.import_files(ws, [("organizations.csv", data)])
    assert report.messages == [] and report.saved["organizations"] == 2
    u = nw.load_universe(ws)
    assert u.organizations["acme"].sector == f"plastics {REPLACEMENT}"
    assert u.organizations["birch-foods"].name == "Birch \U0001F600 Foods"
    assert report.notes == [f"broken characters (half of an emoji or symbol) were replaced with {REPLACEMENT} "
                            "in organizations.csv row 2 (sector); check those cells."]


def test_broken_unicode_in_a_workbook_is_repaired_with_one_note(ws):
    data = _workbook([["name", "organization", "title"], ["Dana Ortiz", "acme", "CEO \ud83d"],
                      ["Lee Park", "acme", "Plant \ud83d\ude00 lead \udc00"]])
    assert b"&#55357;" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet2.xml")  # invalid XML
    report = nw.import_files(ws, [("universe.xlsx", data)])
    assert report.messages == [] and report.saved["people"] == 2
    people = nw.load_universe(ws).people
    assert people["dana-ortiz"].title == f"CEO {REPLACEMENT}"
    assert people["lee-park"].title == f"Plant \U0001F600 lead {REPLACEMENT}"
    (note,) = report.notes
    assert "universe.xlsx sheet 'people' row 2 (title), universe.xlsx sheet 'people' row 3 (title)" in note


# -- half an emoji in a text answer -------------------------------------------------------------
def test_the_store_saves_half_an_emoji_as_a_replacement_character(ws):
    ws.save_answer("notes", "q", "ok \ud83d")
    assert ws.answers("notes") == {"q": f"ok {REPLACEMENT}"}
    assert ws.history("notes", "q")[-1][1] == f"ok {REPLACEMENT}"
    ws.put_record("note", "k", {"text": ["a \udc00", "\ud83d\ude00"]})
    assert ws.records("note")["k"] == {"text": [f"a {REPLACEMENT}", "\U0001F600"]}
    row = ws.save_row("notes", "table", None, {"cell": "x \ud83d"})
    assert [r.value for r in ws.rows("notes", "table") if r.row_id == row] == [{"cell": f"x {REPLACEMENT}"}]


@pytest.mark.parametrize("kind", ["text", "long_text"])
def test_a_text_field_with_half_an_emoji_saves_and_says_so_once(ws, kind):
    spec = parse_spec({"id": "demo", "version": 1, "title": "Demo", "sections": [
        {"id": "s", "title": "S", "questions": [{"id": "q", "type": kind, "label": "Which counties?"}]}]})
    app = WorksheetApp(spec, ws)
    box = app.fields["q"].input
    box.value = "ok \ud83d"
    assert ws.answers("demo") == {"q": f"ok {REPLACEMENT}"}
    assert box.value == f"ok {REPLACEMENT}"  # the box shows what was saved
    status = app.status_text()
    assert status.startswith("Saved at") and "'Which counties?' had a broken character" in status
    assert not app.status_is_error
    box.value += " and more"
    assert ws.answers("demo") == {"q": f"ok {REPLACEMENT} and more"}
    assert "broken character" not in app.status_text()  # said once


# -- case 05: a rate typed in the other unit ----------------------------------------------------
@pytest.fixture(scope="module")
def growth_case():
    return qcew.read_area_files(GROWTH), lmi.Region.from_counties(["99101", "99103"])


def test_national_growth_typed_as_a_percent_is_asked_about(growth_case):
    data, region = growth_case
    with pytest.raises(RateLooksLikePercent, match=re.escape("Did you mean 7.14 % = 0.0714?")) as err:
        lmi.region_measures(data, region, 2021, 2023, national_growth=7.14)
    assert err.value.suggested == 0.0714 and err.value.value == 7.14
    with pytest.raises(RateLooksLikePercent):  # the sector screen passes it on
        screen.build_sector_screen(data, region, 2021, 2023, national_growth=7.14)


@pytest.mark.parametrize("given_as", [0.0714, "0.0714", "7.14%", "7.14 %"])
def test_shift_share_with_the_fraction_matches_the_case(growth_case, given_as):
    data, region = growth_case
    m = lmi.region_measures(data, region, 2021, 2023, national_growth=given_as).set_index("industry_code")
    row = m.loc["31-33"]
    assert row["national_growth_effect"] == pytest.approx(178.6, abs=0.15)
    assert row["industry_mix_effect"] == pytest.approx(-53.7, abs=0.1)
    assert row["competitive_effect"] == pytest.approx(25.1, abs=0.1)
    total = row["national_growth_effect"] + row["industry_mix_effect"] + row["competitive_effect"]
    assert total == pytest.approx(row["employment_change"]) == 150


@given(percent=st.floats(min_value=0.5, max_value=1000, exclude_min=True, allow_nan=False),
       sign=st.sampled_from([1, -1]))
def test_a_fraction_expected_any_percent_is_asked_about(percent, sign):
    value = sign * percent
    with pytest.raises(RateLooksLikePercent) as err:
        check_rate(value, name="National growth", limit=0.5)
    assert err.value.suggested == pytest.approx(value / 100)
    assert "Did you mean" in str(err.value)
    assert check_rate(f"{value!r}%", name="National growth", limit=0.5) == pytest.approx(value / 100)


@given(fraction=st.floats(min_value=-0.5, max_value=0.5, allow_nan=False))
def test_a_fraction_expected_a_plausible_fraction_is_used_as_given(fraction):
    assert check_rate(fraction, limit=0.5) == fraction


@given(fraction=st.floats(min_value=1e-6, max_value=1, exclude_max=True, allow_nan=False))
def test_a_percent_expected_a_fraction_is_asked_about(fraction):
    with pytest.raises(RateLooksLikeFraction) as err:
        check_rate(fraction, expect="percent", name="Growth")
    assert err.value.suggested == pytest.approx(fraction * 100)
    assert check_rate(f"{fraction!r}%", expect="percent") == pytest.approx(fraction)
    assert check_rate(fraction * 100 + 1, expect="percent") == pytest.approx(fraction * 100 + 1)


@pytest.mark.parametrize("bad", ["seven", "", float("nan"), float("inf"), None, True])
def test_a_rate_that_is_not_a_number_says_so(bad):
    with pytest.raises(lmi.DataError, match="not a number"):
        check_rate(bad, name="National growth")
