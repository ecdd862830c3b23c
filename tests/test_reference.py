"""The reference material: FAQ, case studies and facilitator notes (data, loaders, pages, lessons calls).

The source documents in ``../shared/seeds`` are read in place as an outside oracle: the FAQ has their
eighteen questions, the at-scale results are the source's numbers, and no passage is copied.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml

from sectorkit.apps import registry
from sectorkit.apps.home import HomePage
from sectorkit.apps.progress import region_progress
from sectorkit.apps.reference import CaseStudiesPage, FacilitatorPage, FAQPage
from sectorkit.core.errors import SpecError
from sectorkit.core.paths import REPO_ROOT
from sectorkit.lessons import facilitator_notes, faq_link
from sectorkit.serve.pages import navigation_html
from sectorkit.specs import reference as R
from sectorkit.specs.library import modules
from sectorkit.store.workspace import Workspace
from sectorkit.views import reference as V
from tests.support import SHARED
from tests.test_notebooks import _errors, _outputs, _run

SEEDS = SHARED / "seeds"
FAQ_SEED = SEEDS / "004_e1446f27ea54e5cc.txt"
CASES_SEED = SEEDS / "003_ee3eb42d5350396d.txt"
MANUAL_SEED = SEEDS / "001_0ff85911c29dd0ea.txt"
REFERENCE_PAGES = ("faq", "case-studies", "facilitator")
MODULE_NOTEBOOKS = {"01_build_the_team": "step-1", "02_define_scope": "step-2", "03_prepare_to_launch": "step-3",
                    "04_launch": "step-4", "05_move_to_action": "step-5", "06_sustain_and_evolve": "step-6"}
HOSTILE = "<script>alert('x')</script> & \"co\""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", text.lower())


def _shingles(text: str, n: int = 8) -> set[str]:
    w = _words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def _write(folder: Path, name: str, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _shipped(name: str) -> dict:
    return yaml.safe_load((REPO_ROOT / "data" / name).read_text(encoding="utf-8"))


# -- the data ---------------------------------------------------------------------------------
def test_the_faq_answers_the_eighteen_questions_of_the_source_rephrased():
    numbered = re.findall(r"^\s*(\d{1,2})\.\s+\S", FAQ_SEED.read_text(encoding="utf-8"), re.M)
    source_count = max(int(n) for n in numbered)
    entries = R.faq()
    assert len(entries) == source_count == 18
    assert len({e.id for e in entries}) == len(entries)
    source_lines = {" ".join(_words(line)) for line in FAQ_SEED.read_text(encoding="utf-8").splitlines()}
    for e in entries:
        assert " ".join(_words(e.question)) not in source_lines, f"{e.id}: the question is the source's wording"
        assert len(e.paragraphs) >= 2 and e.question.endswith("?"), e.id


def test_every_faq_entry_links_to_modules_that_exist_and_every_step_has_questions():
    known = {m.id for m in modules()}
    entries = R.faq()
    for e in entries:
        assert e.modules and set(e.modules) <= known, e.id
    covered = {m for e in entries for m in e.modules}
    assert {f"step-{i}" for i in range(1, 7)} <= covered


def test_no_passage_of_the_sources_is_copied():
    seeds = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    known = _shingles(seeds)
    ours = [t for e in R.faq() for t in (e.question, e.answer)]
    cases = R.case_studies()
    ours += [t for ex in cases.examples for t in (ex.summary, *(v.paraphrase for v in ex.voices),
                                                  *(f.what for f in ex.figures))]
    ours += [t for s in cases.at_scale for t in (s.summary, *(r.what for r in s.results))]
    for n in R.facilitator_notes():
        ours += [n.summary, *n.materials, *n.tips, *(s for ex in n.exercises for s in ex.steps)]
    copied = sorted(set().union(*(_shingles(t) & known for t in ours)))
    assert copied == [], f"eight words in a row from a source document: {copied[:5]}"


def test_the_case_studies_name_their_source_and_give_the_source_numbers():
    text = CASES_SEED.read_text(encoding="utf-8")
    cases = R.case_studies()
    assert cases.source == "Next Gen Sector Partnership community of practice page"
    examples = text.split("Here is what these partnerships are achieving", 1)[1].split("At-Scale Results", 1)[0]
    assert len(cases.examples) == examples.count("\u2022") == 6  # one per bullet of the source's list
    for ex in cases.examples:
        assert ex.source == cases.source and ex.name.split()[0] in text, ex.id
    colorado = next(s for s in cases.at_scale if s.state == "Colorado")
    percent = Counter(int(v) for v in re.findall(r"^(\d+)% of partnerships", text, re.M))
    assert Counter(int(r.value) for r in colorado.results if r.unit == "%") == percent
    assert len(percent) >= 5
    reach = {R.figure_text(r) for r in colorado.results if r.unit != "%"}
    assert reach == {"over 20 sector partnerships", "all 14 economic development regions"}
    assert "Over 20 sector partnerships spanning all 14 economic development regions" in text


def test_every_module_has_facilitator_notes_with_time_materials_and_exercises():
    notes = {n.module: n for n in R.facilitator_notes()}
    assert set(notes) == {m.id for m in modules()}
    assert list(notes) == [m.id for m in modules()]  # curriculum order
    for module_id, n in notes.items():
        assert n.total_minutes == sum(t.minutes for t in n.time) > 0
        assert n.materials and n.tips and n.exercises, module_id
        assert all(ex.steps for ex in n.exercises)


@pytest.mark.parametrize("name", sorted(MODULE_NOTEBOOKS))
def test_facilitator_notes_cover_the_exercises_of_the_module_notebook(name):
    nb = nbformat.read(REPO_ROOT / "modules" / f"{name}.ipynb", as_version=4)
    titles = [c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
              if c.cell_type == "markdown" and c.source.startswith("### Exercise")]
    assert titles
    assert [ex.title for ex in R.facilitator_note(MODULE_NOTEBOOKS[name]).exercises] == titles


# -- the loaders name a bad entry -------------------------------------------------------------
def test_a_bad_faq_entry_is_named(tmp_path):
    data = _shipped("faq.yaml")
    data["questions"][2]["modules"] = ["step-2", "step-99"]
    del data["questions"][5]["answer"]
    data["questions"][7]["id"] = data["questions"][6]["id"]
    path = _write(tmp_path, "faq.yaml", data)
    with pytest.raises(SpecError) as err:
        R.faq(path)
    message = str(err.value)
    assert f"question '{data['questions'][2]['id']}': modules: unknown module 'step-99'" in message
    assert f"question '{data['questions'][5]['id']}': answer: field required" in message
    assert f"question '{data['questions'][7]['id']}': the id is used twice" in message


def test_bad_case_studies_and_facilitator_notes_are_named(tmp_path):
    cases = _shipped("case_studies.yaml")
    cases["examples"][1]["figures"] = [{"value": -3, "what": "nothing"}]
    cases["at_scale"][0]["results"][0]["colour"] = "red"
    with pytest.raises(SpecError) as err:
        R.case_studies(_write(tmp_path, "case_studies.yaml", cases))
    message = str(err.value)
    assert f"example '{cases['examples'][1]['id']}': figures.0.unit: field required" in message
    assert f"example '{cases['examples'][1]['id']}': figures.0.value:" in message
    assert "at-scale entry 'colorado': results.0.colour: unknown field" in message

    notes = _shipped("facilitator.yaml")
    notes["notes"][3]["time"][0]["minutes"] = 0
    notes["notes"][4]["module"] = "step-99"
    path = _write(tmp_path, "facilitator.yaml", notes)
    with pytest.raises(SpecError) as err:
        R.facilitator_notes(path)
    message = str(err.value)
    assert f"notes for module '{notes['notes'][3]['module']}': time.0.minutes:" in message
    assert "notes for module 'step-99': modules: unknown module 'step-99'" in message


def test_a_file_that_is_not_a_mapping_or_not_yaml_is_refused(tmp_path):
    (tmp_path / "faq.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(SpecError, match="must be a mapping"):
        R.faq(tmp_path / "faq.yaml")
    (tmp_path / "bad.yaml").write_text("questions: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML"):
        R.faq(tmp_path / "bad.yaml")
    with pytest.raises(SpecError, match="no facilitator notes for module 'nowhere'"):
        R.facilitator_note("nowhere")


# -- the filter -------------------------------------------------------------------------------
def _expected(entries, words: list[str], module: str | None = None) -> list[str]:
    """An independent reading of the rule: every word inside question, answer or tags; the module if given."""
    out = []
    for e in entries:
        text = (e.question + " " + e.answer + " " + " ".join(e.tags) + " " + " ".join(e.tags).replace("-", " ")).lower()
        if (module is None or module in e.modules) and all(w in text for w in words):
            out.append(e.id)
    return out


def test_each_tag_finds_the_entries_that_contain_it():
    entries = R.faq()
    for tag in sorted({t for e in entries for t in e.tags}):
        word = tag.split("-")[0]
        got = [e.id for e in R.filter_faq(entries, word.upper())]
        assert got == _expected(entries, [word]), tag
        assert any(tag in e.tags for e in R.filter_faq(entries, word)), tag


def test_words_combine_and_the_module_narrows():
    entries = R.faq()
    both = _expected(entries, ["employers", "partners"])
    assert [e.id for e in R.filter_faq(entries, "employers, partners!")] == both and 0 < len(both) < len(entries)
    for m in modules():
        assert [e.id for e in R.filter_faq(entries, "", m.id)] == _expected(entries, [], m.id)
        assert [e.id for e in R.filter_faq(entries, "business", m.id)] == _expected(entries, ["business"], m.id)
    assert R.filter_faq(entries, "   ") == entries
    assert R.filter_faq(entries, "zzqx") == []


# -- the pages --------------------------------------------------------------------------------
def _region(home: Path, name: str = "riverbend") -> str:
    Workspace.open(name, home).close()
    return name


def test_the_faq_page_filters_as_you_type(home):
    page = registry.open_page("faq", _region(home), home)
    entries = R.faq()
    total = len(entries)
    assert page.status_text() == f"{total} of {total} questions"
    assert page.listing.value.count("<details") == total
    word = "convener"
    page.search.value = word
    want = _expected(entries, [word])
    assert page.shown_ids() == want and 0 < len(want) < total
    assert page.status_text() == f"{len(want)} of {total} questions"
    assert page.listing.value.count("<details") == len(want)
    for e in entries:
        assert (f"id='faq-{e.id}'" in page.listing.value) == (e.id in want)
    page.topic.value = "step-1"
    assert page.shown_ids() == _expected(entries, [word], "step-1")
    page.search.value = ""
    assert page.shown_ids() == _expected(entries, [], "step-1")
    page.search.value = "zzqx"
    assert page.status_text() == f"0 of {total} questions" and "No question matches" in page.listing.value
    assert "role=\"status\"" in page.status.value


def test_the_faq_page_takes_a_topic_and_links_each_answer_to_its_modules(home):
    region = _region(home)
    page = registry.open_page("faq", region, home, topic="step-4")
    assert page.topic.value == "step-4" and page.shown_ids() == _expected(R.faq(), [], "step-4")
    for e in page.shown():
        for m in e.modules:
            assert f"sheet.ipynb?region={region}&amp;module={m}" in page.listing.value
    odd = registry.open_page("faq", region, home, topic="<b>nope</b>")
    assert odd.topic.value == "" and len(odd.shown()) == len(R.faq())
    assert "&lt;b&gt;nope&lt;/b&gt;" in odd.listing.value and "<b>nope" not in odd.listing.value
    labels = dict((v, k) for k, v in page.topic.options)
    assert labels["step-4"].endswith(f"({len(_expected(R.faq(), [], 'step-4'))})")


def test_the_case_studies_and_facilitator_pages_show_everything(home):
    region = _region(home)
    cases = registry.open_page("case-studies", region, home)
    body = cases.body.value
    data = R.case_studies()
    for ex in data.examples:
        assert f"id='case-{ex.id}'" in body and body.count(f"Source: {data.source}.") >= len(data.examples)
    assert "<table" in body and "<caption" in body and body.count("<th scope='row'") == len(data.at_scale[0].results)
    assert "82%" in body and "over 20 sector partnerships" in body
    assert "our paraphrase, not their words" in body and "<blockquote" not in body
    notes = registry.open_page("facilitator", region, home)
    html = notes.body.value
    assert html.count("<details class='sk-facilitator'") == len(modules())
    assert "<details open" not in html
    for m in modules():
        assert f"id='notes-{m.id}'" in html
        assert V.minutes_text(R.facilitator_note(m.id).total_minutes) in html
    for page in (cases, notes):
        assert "Nothing on this page is saved" in page.status_text()
        assert "not official Next Gen material" in page.footer.value


def test_page_text_is_escaped(tmp_path, home, monkeypatch):
    data = tmp_path / "data"
    faq = _shipped("faq.yaml")
    faq["questions"][0]["question"] = HOSTILE + "?"
    faq["questions"][0]["answer"] = "First <b>bold</b> paragraph.\n\nSecond " + HOSTILE
    _write(data, "faq.yaml", faq)
    cases = _shipped("case_studies.yaml")
    cases["examples"][0]["name"] = HOSTILE
    cases["examples"][0]["voices"][0]["who"] = HOSTILE
    _write(data, "case_studies.yaml", cases)
    notes = _shipped("facilitator.yaml")
    notes["notes"][0]["exercises"][0]["steps"][0] = HOSTILE
    notes["notes"][0]["tips"][0] = HOSTILE
    _write(data, "facilitator.yaml", notes)
    monkeypatch.setenv("SECTORKIT_DATA", str(data))  # modules.yaml and the specs come from the shipped folder
    region = _region(home)
    shown = [FAQPage.for_region(region, home).listing.value, CaseStudiesPage.for_region(region, home).body.value,
             FacilitatorPage.for_region(region, home).body.value, facilitator_notes("introduction").data]
    for markup in shown:
        assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "&lt;b&gt;bold&lt;/b&gt;" in shown[0]
    page = FAQPage.for_region(region, home)
    page.search.value = "<script>"
    assert faq["questions"][0]["id"] in page.shown_ids() == _expected(R.faq(), ["script"])


def test_reference_pages_save_nothing_and_never_raise(home, monkeypatch):
    region = _region(home)

    def broken(*args, **kwargs):
        raise RuntimeError("injected")

    for name in ("save_answer", "save_answers", "put_record", "save_row", "save_rows"):
        monkeypatch.setattr(Workspace, name, broken)
    page = registry.open_page("faq", region, home)
    for text in ("rural", "", "!!!", "x" * 5000):
        page.search.value = text
    for value, _label in [(v, k) for k, v in page.topic.options]:
        page.topic.value = value
    assert "injected" not in page.status_text() and "went wrong" not in page.status_text()
    monkeypatch.undo()
    with Workspace.open(region, home) as ws:
        assert ws.activity()["last"] is None


# -- registry, progress, home, navigation -----------------------------------------------------
def test_reference_pages_are_resources_not_worksheets(home):
    region = _region(home)
    assert [pid for pid, _ in registry.reference_pages()] == list(REFERENCE_PAGES)
    for pid in REFERENCE_PAGES:
        assert registry.is_reference(pid) and pid in registry.page_ids()
        assert pid not in registry.page_sequence() and registry.neighbours(pid) == (None, None)
        assert registry.page_place(pid)[0] == "introduction"
    assert not any(registry.is_reference(p) for p in registry.page_sequence())
    with Workspace.open(region, home) as ws:
        listed = {p.page_id for m in region_progress(ws) for p in m.pages}
    assert listed and not listed & set(REFERENCE_PAGES)
    page = HomePage(region, home)
    values = [getattr(w, "value", "") for w in page.container.children if isinstance(getattr(w, "value", ""), str)]
    resources = next(v for v in values if ">Resources</h2>" in v)
    for pid, title in registry.reference_pages():
        assert f"sheet.ipynb?sheet={pid}&amp;region={region}" in resources and V.esc(title) in resources
        assert f"sheet={pid}&amp;" not in page.map.value  # not in a module's worksheet list


def test_the_navigation_bar_of_a_reference_page_leads_home_and_to_the_introduction():
    bar = navigation_html("faq", "riverbend")
    intro = next(m for m in modules() if m.id == "introduction")
    assert "sheet.ipynb?region=riverbend'" in bar and "module=introduction" in bar and V.esc(intro.title) in bar
    assert "Previous" not in bar and "Next:" not in bar


# -- lessons ----------------------------------------------------------------------------------
@pytest.mark.parametrize("module_id", [m.id for m in modules()])
def test_facilitator_notes_are_a_closed_details_block(module_id):
    markup = facilitator_notes(module_id).data
    note = R.facilitator_note(module_id)
    assert markup.startswith("<details class='sk-facilitator'") and markup.rstrip().endswith("</details>")
    assert "<details open" not in markup
    assert "<summary" in markup and "Facilitator notes: time, materials, how to run it" in markup
    assert V.minutes_text(note.total_minutes) in markup
    for ex in note.exercises:
        assert V.esc(ex.title) in markup
    assert "<h2" not in markup and "<h3" not in markup  # no headings added to the notebook's outline


def test_faq_link_points_at_the_filtered_page_and_lists_the_questions():
    for m in modules():
        markup = faq_link(m.id, "central-ohio").data
        assert "Questions people ask about this module" in markup
        assert f"../worksheets/sheet.ipynb?sheet=faq&amp;region=central-ohio&amp;topic={m.id}" in markup
        want = R.faq_for_module(m.id)
        assert markup.count("<details") == len(want)
        for e in want:
            assert V.esc(e.question) in markup
        if not want:
            assert "no question is filed under this module yet" in markup
    with pytest.raises(SpecError, match="no module 'step-99'"):
        faq_link("step-99")


def test_module_notebooks_call_the_notes_after_the_imports_and_the_faq_link_at_the_end():
    for name, module_id in MODULE_NOTEBOOKS.items():
        nb = nbformat.read(REPO_ROOT / "modules" / f"{name}.ipynb", as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        imports = next(i for i, s in enumerate(code) if "from sectorkit.lessons import" in s)
        assert code[imports + 1] == f'facilitator_notes("{module_id}")', name
        assert f'faq_link("{module_id}", region)' in code[-3:], name
        md = [c.source for c in nb.cells]
        link = md.index(f'faq_link("{module_id}", region)')
        assert md[link + 1].startswith("## Resources"), name


def test_a_module_notebook_runs_and_shows_its_notes_and_questions(tmp_path, monkeypatch):
    nb = _run(REPO_ROOT / "modules" / "01_build_the_team.ipynb", tmp_path, monkeypatch, region="riverbend-team")
    assert _errors(nb) == []
    html_out = "\n".join(_outputs(nb, "text/html"))
    assert html_out.count("Facilitator notes: time, materials, how to run it") == 1
    assert "Exercise 1.3: Read the map" in html_out
    assert "region=riverbend-team&amp;topic=step-1" in html_out
    for e in R.faq_for_module("step-1"):
        assert V.esc(e.question) in html_out
