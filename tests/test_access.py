"""Access: regions only for their members (hub) or for those with their code (standalone), the trainer
code, remembered passes, and the code never leaving the server (sectorkit.core.codes,
sectorkit.store.access, sectorkit.workspaces.access, sectorkit.apps.access, sectorkit.serve.pages,
the home page's create form and the ``sectorkit access`` commands)."""

from __future__ import annotations

import io
import json
import logging
import stat
import zipfile
from pathlib import Path

import ipywidgets as W
import pytest
from openpyxl import load_workbook

from sectorkit.apps.access import MAX_TRIES, AccessPage
from sectorkit.apps.home import HomePage
from sectorkit.cli import main as cli_main
from sectorkit.core.codes import AccessCodeError, hash_code, verify_code
from sectorkit.serve.pages import sheet_page, trainers_only, with_access
from sectorkit.specs import load_spec
from sectorkit.store.workspace import Workspace, workspace_exists
from sectorkit.workspaces import access as A
from sectorkit.workspaces.archive import all_workspaces_zip, restore_workspace, workspace_json, workspace_workbook
from sectorkit.workspaces.regions import create_region

CODE = "riverbend-2026"
OTHER_CODE = "lakeside-2026"
TRAINER_CODE = "trainer-code-77"
SECRET_ANSWER = "Only the Riverbend team may read this"
AAR = load_spec("step1-aar")
QUESTION = next(q for q in AAR.questions() if q.type == "text")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty root, plain Python (no Voila request), and no access settings from the environment."""
    for name in ("VOILA_PREHEAT", "VOILA_KERNEL_ID", "QUERY_STRING", "SECTORKIT_REGION", "JUPYTERHUB_USER",
                 "SECTORKIT_TRAINERS", "SECTORKIT_ACCESS", "SECTORKIT_NEW_ACCESS_CODE", "SECTORKIT_TEMPORARY"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "home"
    monkeypatch.setenv("SECTORKIT_HOME", str(root))
    return root


def make_region(root: Path, rid: str, *, code: str | None = None, members=(), answer: str | None = None) -> None:
    with create_region(rid.title(), root, region_id=rid, access_code=code, members=members) as ws:
        if answer:
            ws.save_answer(AAR.id, QUESTION.id, answer)


def texts(widget: W.Widget) -> str:
    """Every string a widget tree holds (HTML, labels, input values)."""
    found = []
    for attr in ("value", "description", "placeholder", "tooltip"):
        if isinstance(getattr(widget, attr, None), str):
            found.append(getattr(widget, attr))
    for child in getattr(widget, "children", ()):
        found.append(texts(child))
    return "\n".join(found)


def widget_state() -> str:
    """Every live widget's state as the page would receive it (what Voila renders into the page HTML)."""
    return json.dumps(W.Widget.get_manager_state(drop_defaults=False), default=str)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def use(monkeypatch, mode: str, **env: str) -> None:
    monkeypatch.setenv("SECTORKIT_ACCESS", mode)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


# -- codes -----------------------------------------------------------------------------------------------
def test_a_code_is_stored_as_a_salted_scrypt_hash_and_checked():
    one, two = hash_code(CODE), hash_code(CODE)
    assert one != two and CODE not in one  # a new salt each time
    kind, n, r, p, salt, digest = one.split("$")
    assert (kind, int(n), int(r), int(p)) == ("scrypt", 2**15, 8, 1)
    assert verify_code(CODE, one) and verify_code(CODE, two) and verify_code(f"  {CODE} ", one)
    assert not verify_code("riverbend-2025", one) and not verify_code("", one) and not verify_code(None, one)


@pytest.mark.parametrize("stored", ["", "scrypt", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AAAA$AAAA",
                                    "scrypt$16384$8$1$!!!$AAAA", "scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,
                                    "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44, None, 42])
def test_a_malformed_stored_hash_never_verifies_and_never_raises(stored):
    assert verify_code(CODE, stored) is False


@pytest.mark.parametrize("code", ["short", "", "   ", "x" * 201, "tab\there-ok"])
def test_an_unusable_code_is_refused_without_naming_it(code):
    with pytest.raises(AccessCodeError) as err:
        hash_code(code)
    assert code.strip() == "" or code not in str(err.value)


# -- the store ---------------------------------------------------------------------------------------------
def test_the_store_keeps_one_code_and_the_members(backend, home):
    with Workspace.open("riverbend", home) as ws:
        assert not ws.has_access_code and ws.members() == [] and not ws.check_access_code(CODE)
        ws.set_access_code(CODE)
        first = ws.access_code_hash()
        ws.set_access_code(OTHER_CODE)  # replaced, not added
        assert ws.access_code_hash() != first and ws.check_access_code(OTHER_CODE) and not ws.check_access_code(CODE)
        assert [k for k, _ in ws.access_entries()] == ["code"]
        assert ws.add_member("ana") and not ws.add_member(" ana ") and ws.add_member("ben")
        assert ws.members() == ["ana", "ben"] and ws.is_member("ben")
        assert ws.remove_member("ben") and not ws.remove_member("ben") and ws.members() == ["ana"]
        ws.clear_access_code()
        assert not ws.has_access_code and ws.members() == ["ana"]


def test_the_code_and_its_hash_are_in_no_export_workbook_or_zip(backend, home, tmp_path):
    make_region(home, "riverbend", code=CODE, members=["ana"], answer=SECRET_ANSWER)
    with Workspace.open("riverbend", home, create=False) as ws:
        stored = ws.access_code_hash()
        salt, digest = stored.split("$")[4:]
        exported = ws.export_json(tmp_path / "riverbend.json").read_text()
        as_json = workspace_json(ws).decode()
        book = load_workbook(io.BytesIO(workspace_workbook(ws)))
    cells = "\n".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    archive = zipfile.ZipFile(io.BytesIO(all_workspaces_zip(home)))
    zipped = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert SECRET_ANSWER in exported and SECRET_ANSWER in cells and SECRET_ANSWER in zipped  # the exports work
    for text in (exported, as_json, cells, zipped):
        for secret in (CODE, stored, salt, digest, "region_access", "scrypt$"):
            assert secret not in text


def test_a_restore_over_a_region_keeps_its_code_and_members(backend, home, tmp_path):
    make_region(home, "riverbend", code=CODE, members=["ana"], answer="old")
    with Workspace.open("riverbend", home, create=False) as ws:
        data = workspace_json(ws)
    with A.keeping_access("riverbend", home):
        restore_workspace(data, "riverbend.json", home, overwrite=True)
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.check_access_code(CODE) and ws.members() == ["ana"]


# -- the policy ---------------------------------------------------------------------------------------------
def test_open_mode_is_the_default_and_lets_everyone_in(home):
    make_region(home, "riverbend", code=CODE)
    assert A.access_mode() == "open"
    assert A.may_open("riverbend", home).reason == "open" and A.may_oversee(home).allowed


def test_a_misspelt_mode_opens_nothing(home, monkeypatch):
    use(monkeypatch, "Open-ish")
    make_region(home, "riverbend", answer=SECRET_ANSWER)
    page = sheet_page(AAR.id, region="riverbend", root=home)
    assert "SECTORKIT_ACCESS" in texts(page) and SECRET_ANSWER not in texts(page)


def test_code_mode_decisions(backend, home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE)
    make_region(home, "lakeside", code=OTHER_CODE)
    missing = A.may_open("riverbend", home)
    assert (missing.allowed, missing.reason, missing.ask_code) == (False, "ask-code", True)
    assert A.may_open("riverbend", home, code=OTHER_CODE).reason == "wrong-code"  # another region's code
    right = A.may_open("riverbend", home, code=CODE)
    assert right.reason == "code" and right.region_pass.startswith("p1.") and right.trainer_pass is None
    assert A.may_open("riverbend", home, token=right.region_pass).reason == "pass"
    assert not A.may_open("lakeside", home, token=right.region_pass)  # a pass opens only its own region
    assert not A.may_open("riverbend", home, token=right.region_pass + "0")
    assert A.may_open("nowhere", home).reason == "no-such-region" and not (home / "nowhere").exists()
    assert A.may_open("example", home).allowed  # the practice region, until it gets a code


def test_a_pass_stops_working_when_the_code_changes(backend, home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE)
    token = A.may_open("riverbend", home, code=CODE).region_pass
    with Workspace.open("riverbend", home, create=False) as ws:
        ws.set_access_code(CODE)  # even the same code again: a new salt, a new hash
    stale = A.may_open("riverbend", home, token=token)
    assert (stale.allowed, stale.reason) == (False, "stale-pass") and "changed" in stale.message
    assert A.may_open("riverbend", home, code=CODE).region_pass != token


def test_the_trainer_code_opens_every_region_and_the_trainer_view(home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE)
    make_region(home, "no-code-yet")
    assert A.may_oversee(home).reason == "no-trainer-code" and not A.may_oversee(home).ask_code
    path = A.set_trainer_code(TRAINER_CODE, home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and TRAINER_CODE not in path.read_text()
    assert A.may_open("no-code-yet", home, code=CODE).reason == "wrong-code"
    assert "no access code yet" in A.may_open("no-code-yet", home).message
    for rid in ("riverbend", "no-code-yet"):
        assert A.may_open(rid, home, code=TRAINER_CODE).reason == "trainer"
    assert A.may_oversee(home, code=CODE).reason == "wrong-code"  # a region's code is not the trainer's
    trainer = A.may_oversee(home, code=TRAINER_CODE)
    assert trainer.allowed and trainer.trainer_pass
    assert A.may_open("riverbend", home, trainer_token=trainer.trainer_pass).reason == "trainer"
    assert A.may_oversee(home, trainer_token=trainer.trainer_pass).allowed
    assert not A.may_open("riverbend", home, token=trainer.trainer_pass)  # a trainer pass is not a region pass
    secret = home / ".access-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    A.set_trainer_code("a-new-trainer-code", home)
    assert not A.may_oversee(home, trainer_token=trainer.trainer_pass)


def test_hub_mode_members_trainers_and_strangers(backend, home, monkeypatch):
    use(monkeypatch, "hub", SECTORKIT_TRAINERS="tess, trevor")
    make_region(home, "riverbend", members=["ana"])
    make_region(home, "lakeside", members=["lee"])
    assert A.may_open("riverbend", home, user="ana").reason == "member"
    refused = A.may_open("riverbend", home, user="lee")  # a member of another region
    assert (refused.allowed, refused.ask_code, refused.message) == (False, False, A.NOT_MEMBER)
    assert A.may_open("riverbend", home, user="trevor").reason == "trainer"
    assert A.may_open("riverbend", home, user="ana", code=CODE).reason == "member"
    assert A.may_open("riverbend", home).reason == "no-user"  # no JUPYTERHUB_USER
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    assert A.may_open("riverbend", home).allowed and not A.may_open("lakeside", home)
    assert not A.may_oversee(home) and A.may_oversee(home, user="tess").allowed
    assert A.may_open("example", home).allowed


# -- pages ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("given", [None, "a-wrong-guess", OTHER_CODE])
def test_without_the_code_a_page_shows_the_form_reads_nothing_and_creates_nothing(backend, home, monkeypatch, given):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE, answer=SECRET_ANSWER)
    make_region(home, "lakeside", code=OTHER_CODE)
    before = files_under(home)
    with Workspace.open("riverbend", home, create=False) as ws:
        feed = ws.latest_change()
    view = sheet_page(AAR.id, region="riverbend", root=home)
    page = view_page(view)
    assert isinstance(page, AccessPage)
    shown = texts(view)
    assert "Access code" in shown and "This region needs its access code." in shown
    assert SECRET_ANSWER not in shown and QUESTION.label not in shown
    if given is not None:
        page.code.value = given
        page.open_button.click()
        assert page.status_text() == "That code does not open this region." and not page.opened
        assert SECRET_ANSWER not in texts(view) and page.code.value == ""
    assert SECRET_ANSWER not in widget_state()
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.latest_change() == feed  # nothing written
    assert files_under(home) == before
    nowhere = sheet_page(AAR.id, region="nowhere", root=home)
    assert "There is no workspace named" in texts(nowhere) and not (home / "nowhere").exists()


_PAGES: dict[int, AccessPage] = {}


def view_page(view: W.Widget) -> AccessPage:
    """The AccessPage behind a view made by with_access (kept by the spy below)."""
    return _PAGES.get(id(view))


@pytest.fixture(autouse=True)
def _remember_access_pages(monkeypatch):
    W.Widget.close_all()  # widget_state() then holds this test's widgets only
    original = AccessPage.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        _PAGES[id(self.view)] = self
    monkeypatch.setattr(AccessPage, "__init__", init)
    yield
    _PAGES.clear()


def test_the_right_code_opens_the_page_in_place_and_a_pass_opens_the_next_page(backend, home, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE, answer=SECRET_ANSWER)
    view = sheet_page(AAR.id, region="riverbend", root=home)
    page = view_page(view)
    page.code.value = CODE
    page.open_button.click()
    assert page.opened and page.code.value == ""
    assert view.children[0] is not page.form and view.children[1] is page.passes
    token = page.region_pass.value
    assert token.startswith("p1.") and page.region_pass._dom_classes == ("sk-remember", "sk-key-pass-riverbend")
    # the answer is read only now, after the code
    assert SECRET_ANSWER in widget_state()
    # the next page in this browser: the template fills the remembered field, the page opens without the form
    second = sheet_page("step2-aar", region="riverbend", root=home)
    nxt = view_page(second)
    assert not nxt.opened
    nxt.region_pass.value = token
    assert nxt.opened and load_spec("step2-aar").title in texts(second)
    # another region's page is not opened by that pass
    make_region(home, "lakeside", code=OTHER_CODE)
    third = view_page(sheet_page(AAR.id, region="lakeside", root=home))
    third.region_pass.value = token
    assert not third.opened
    # the code is nowhere: not in the widgets, their state, or the log
    for text in (texts(view), texts(second), widget_state(), caplog.text):
        assert CODE not in text
    assert "region riverbend opened (code)" in caplog.text and "region riverbend opened (pass)" in caplog.text


def test_the_code_typed_in_the_box_and_a_stale_pass(home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE)
    old = A.may_open("riverbend", home, code=CODE).region_pass
    with Workspace.open("riverbend", home, create=False) as ws:
        ws.set_access_code("a-brand-new-code")
    page = view_page(sheet_page(AAR.id, region="riverbend", root=home))
    page.region_pass.value = old
    assert not page.opened and "its code has changed" in page.status_text()
    page.code.value = "a-brand-new-code"  # a change of the box (Enter, or leaving it) checks it
    assert page.opened and page.region_pass.value not in ("", old)


def test_too_many_wrong_codes_stop_the_form(home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE)
    page = view_page(sheet_page(AAR.id, region="riverbend", root=home))
    for n in range(MAX_TRIES):
        page.code.value = f"wrong-guess-{n}"
    assert page.code.disabled and page.open_button.disabled and "too many tries" in page.status_text()
    page.try_code()
    assert not page.opened


def test_the_home_page_and_the_trainer_and_state_views_ask_too(home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE, answer=SECRET_ANSWER)
    view = sheet_page(None, region="riverbend", root=home)
    assert "Access code" in texts(view) and "The curriculum" not in texts(view)
    page = view_page(view)
    page.code.value = CODE
    assert page.opened and "The curriculum" in texts(view)
    refused = sheet_page("trainer", region="example", root=home)
    assert "no trainer code is set" in texts(refused) and "Riverbend" not in texts(refused)
    A.set_trainer_code(TRAINER_CODE, home)
    for sheet in ("state", "trainer"):
        view = sheet_page(sheet, region="example", root=home)
        page = view_page(view)
        assert "Trainer code" in texts(view) and "Riverbend" not in texts(view)
        page.code.value = CODE
        assert not page.opened and page.status_text() == A.WRONG_TRAINER_CODE
        page.code.value = TRAINER_CODE
        assert page.opened
    assert "Riverbend" in texts(view)  # the last one: the trainer view, opened with the trainer pass
    assert page.trainer_pass.value.startswith("p1.")


def test_a_home_page_for_a_new_region_needs_no_code_and_creates_nothing(home, monkeypatch):
    use(monkeypatch, "code")
    new_home = sheet_page(None, region="brand-new", root=home)  # no region to protect: the create form
    assert "Create a region" in texts(new_home) and "Access code again" in texts(new_home)
    assert not workspace_exists("brand-new", home) and not (home / "brand-new").exists()


def test_hub_pages_refuse_non_members_with_a_message_and_no_form(home, monkeypatch):
    use(monkeypatch, "hub", JUPYTERHUB_USER="lee", SECTORKIT_TRAINERS="tess")
    make_region(home, "riverbend", members=["ana"], answer=SECRET_ANSWER)
    make_region(home, "lakeside", members=["lee"])
    for sheet in (AAR.id, None):
        shown = texts(sheet_page(sheet, region="riverbend", root=home))
        assert A.NOT_MEMBER in shown and "Access code" not in shown and SECRET_ANSWER not in shown
    assert "trainers only" in texts(sheet_page("trainer", region="example", root=home))
    home_page = sheet_page(None, region="lakeside", root=home)
    assert "id lakeside" in texts(home_page) and "id riverbend" not in texts(home_page)  # the picker: only lee's
    monkeypatch.setenv("JUPYTERHUB_USER", "tess")
    shown = texts(sheet_page(AAR.id, region="riverbend", root=home))
    assert QUESTION.label in shown and SECRET_ANSWER in widget_state()


def test_with_access_and_trainers_only_build_only_when_allowed(home, monkeypatch):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE)
    built = []
    with_access("riverbend", home, lambda: built.append(1) or W.HTML("page"))
    trainers_only(home, lambda: built.append(2) or W.HTML("page"))
    assert built == []
    monkeypatch.setenv("SECTORKIT_ACCESS", "open")
    assert with_access("riverbend", home, lambda: W.HTML("page")).value == "page"


# -- creating regions ----------------------------------------------------------------------------------------
def test_the_create_form_asks_a_code_twice_in_code_mode(home, monkeypatch):
    use(monkeypatch, "code")
    page = HomePage("example", home)
    assert page.new_code is not None and isinstance(page.new_code, W.Password)
    page.new_name.value = "Riverbend Valley"
    page.create_button.click()
    assert "asks for an access code" in page.status_text() and not workspace_exists("riverbend-valley", home)
    page.new_code.value, page.new_code_again.value = CODE, "riverbend-2027"
    page.create_button.click()
    assert "differ" in page.status_text() and not workspace_exists("riverbend-valley", home)
    assert page.new_code.value == "" and CODE not in page.status_text()
    page.new_code.value = page.new_code_again.value = CODE
    page.create_button.click()
    assert workspace_exists("riverbend-valley", home)
    with Workspace.open("riverbend-valley", home, create=False) as ws:
        assert ws.check_access_code(CODE)
    kept = page.passes.children[-1]
    assert kept._dom_classes == ("sk-remember", "sk-key-pass-riverbend-valley")
    assert A.may_open("riverbend-valley", home, token=kept.value).reason == "pass"
    assert CODE not in texts(page.container) and CODE not in widget_state()


def test_in_hub_mode_the_creator_is_the_first_member_and_adds_teammates(home, monkeypatch):
    use(monkeypatch, "hub", JUPYTERHUB_USER="ana")
    page = HomePage("example", home)
    assert page.new_code is None
    page.new_name.value = "Riverbend"
    page.create_button.click()
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.members() == ["ana"]
    team = HomePage("riverbend", home)
    team.member_name.value = "ben"
    team.add_member()
    assert "ben can now open" in team.status_text() and "ben" in team.members_list.value
    team.member_name.value = "ben"
    team.remove_member()
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.members() == ["ana"]


def test_a_restore_from_a_page_cannot_take_over_another_region(home, monkeypatch, tmp_path):
    use(monkeypatch, "code")
    make_region(home, "riverbend", code=CODE, answer=SECRET_ANSWER)
    make_region(home, "lakeside", code=OTHER_CODE)
    with Workspace.open("lakeside", home, create=False) as ws:
        data = workspace_json(ws)
    page = HomePage("lakeside", home)
    page.replace.value = True
    page.restore_id.value = "riverbend"
    page.restore_file("lakeside.json", data)
    assert "only from its own home page" in page.status_text()
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.answers(AAR.id)[QUESTION.id] == SECRET_ANSWER
    page.restore_id.value = "new-copy"
    page.restore_file("lakeside.json", data)
    assert "needs an access code" in page.status_text() and not workspace_exists("new-copy", home)
    page.restore_id.value = ""
    page.restore_file("lakeside.json", data)  # its own region: replaced, and it keeps its code
    with Workspace.open("lakeside", home, create=False) as ws:
        assert ws.check_access_code(OTHER_CODE)


# -- the command line -------------------------------------------------------------------------------------------
def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_access_commands(home, monkeypatch, capsys):
    h = str(home)
    monkeypatch.setenv("SECTORKIT_NEW_ACCESS_CODE", CODE)
    rc, out, err = run_cli(capsys, "--home", h, "init", "riverbend", "--access-code")
    assert rc == 0 and "with its access code" in out and CODE not in out + err
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.check_access_code(CODE)
        stored = ws.access_code_hash()
    assert run_cli(capsys, "--home", h, "init", "riverbend", "--access-code")[0] == 2  # exists: use set-code
    assert run_cli(capsys, "--home", h, "access", "add-member", "riverbend", "ana")[1].strip() == \
        "'ana' can now open 'riverbend'."
    rc, out, _ = run_cli(capsys, "--home", h, "access", "show", "riverbend")
    assert "Access code: set" in out and "Members: ana" in out and stored not in out and CODE not in out
    monkeypatch.setenv("SECTORKIT_NEW_ACCESS_CODE", OTHER_CODE)
    rc, out, _ = run_cli(capsys, "--home", h, "access", "set-code", "riverbend")
    assert rc == 0 and "replaced" in out and OTHER_CODE not in out
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.check_access_code(OTHER_CODE) and not ws.check_access_code(CODE)
    monkeypatch.setenv("SECTORKIT_NEW_ACCESS_CODE", TRAINER_CODE)
    rc, out, _ = run_cli(capsys, "--home", h, "access", "trainer-code")
    assert rc == 0 and A.may_oversee(home, code=TRAINER_CODE, mode="code").allowed
    assert run_cli(capsys, "--home", h, "access", "remove-member", "riverbend", "ana")[1].strip() == \
        "'ana' can no longer open 'riverbend'."
    monkeypatch.setenv("SECTORKIT_NEW_ACCESS_CODE", "short")
    rc, out, err = run_cli(capsys, "--home", h, "access", "set-code", "riverbend")
    assert rc == 2 and err.startswith("sectorkit: An access code needs at least") and "short" not in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    rc, _, err = run_cli(capsys, "--home", h, "access", "show", "nowhere")
    assert rc == 2 and "No workspace for region 'nowhere'" in err and not (home / "nowhere").exists()


def test_cli_never_takes_a_code_as_an_argument_and_asks_at_a_terminal(home, monkeypatch, capsys):
    h = str(home)
    with pytest.raises(SystemExit):
        cli_main(["--home", h, "init", "riverbend", "--access-code", CODE])
    assert CODE not in capsys.readouterr().out and not workspace_exists("riverbend", home)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    rc, _, err = run_cli(capsys, "--home", h, "init", "riverbend", "--access-code")
    assert rc == 2 and "SECTORKIT_NEW_ACCESS_CODE" in err and not workspace_exists("riverbend", home)
    typed = iter([CODE, "not-the-same"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    rc, _, err = run_cli(capsys, "--home", h, "init", "riverbend", "--access-code")
    assert rc == 2 and "differ" in err and not workspace_exists("riverbend", home)
    typed = iter([CODE, CODE])
    assert run_cli(capsys, "--home", h, "init", "riverbend", "--access-code")[0] == 0
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.check_access_code(CODE)


def test_cli_import_over_a_region_keeps_its_access(backend, home, monkeypatch, capsys, tmp_path):
    make_region(home, "riverbend", code=CODE, members=["ana"])
    h = str(home)
    assert run_cli(capsys, "--home", h, "export", "riverbend", str(tmp_path / "r.json"))[0] == 0
    assert CODE not in (tmp_path / "r.json").read_text()
    assert run_cli(capsys, "--home", h, "import", str(tmp_path / "r.json"), "--overwrite")[0] == 0
    with Workspace.open("riverbend", home, create=False) as ws:
        assert ws.check_access_code(CODE) and ws.members() == ["ana"]
