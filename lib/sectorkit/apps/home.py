"""The home page: which region you are in, the curriculum map with its progress, keeping the answers.

What ``sheet.ipynb`` shows without ``?sheet=`` (:func:`sectorkit.serve.pages.sheet_page`):

- the title and attribution, the region (its name escaped) and a picker of every region;
- the **curriculum map** (:func:`sectorkit.apps.registry.curriculum`): each module with its line
  on what it is for, its notebook as a JupyterLab link where JupyterLab runs, its worksheets with
  their state and last change, and the After Action Review's progress
  (:func:`sectorkit.apps.progress.region_progress`); ``module=<id>`` shows that module only;
- **Resources**: the reference pages (FAQ, case studies, facilitator notes;
  :func:`sectorkit.apps.registry.reference_pages`), never in a module's worksheet list;
- **Keep your answers**: "Prepare downloads" makes the workspace (JSON) and every answer (Excel)
  into download links; a ``.json`` file is restored by upload (validated, all or nothing, an
  existing workspace replaced only when asked); on a temporary server a notice at the top says so;
- **Create a region**: name, id (made from the name until it is edited), optional counties and
  state (:func:`sectorkit.workspaces.regions.create_region`), then a link to its home page; on a
  server that asks for codes (``SECTORKIT_ACCESS=code``) also the region's access code, typed twice
  (required; the browser then keeps a pass for the new region), and on a hub the creator becomes its
  first member (:mod:`sectorkit.workspaces.access`). On a hub the picker lists only the regions the
  person may open; a restore may replace only this page's own region, and keeps its access;
- a link to the trainer view.

An address naming a region with no workspace gets "There is no workspace named ... Create it?"
with the form filled in; nothing is created, and no progress is shown for it.

>>> import tempfile
>>> root = tempfile.mkdtemp()
>>> page = HomePage("nowhere", root)
>>> "There is no workspace named" in page.notice.value, page.workspace is None
(True, True)
>>> page.new_name.value = "Nowhere Valley"; page.new_id.value
'nowhere'
>>> page.create_button.click()
>>> "Open Nowhere Valley" in page.create_result.value
True
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from sectorkit.apps.access import pass_field
from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.apps.progress import region_progress
from sectorkit.apps.registry import module_of, reference_pages
from sectorkit.core.clock import now_utc
from sectorkit.core.codes import MIN_LENGTH
from sectorkit.core.errors import SectorkitError, WorkspaceError
from sectorkit.core.ids import suggest_region_id, validate_region_id
from sectorkit.example import EXAMPLE_REGION, open_region
from sectorkit.store.workspace import workspace_exists
from sectorkit.views import home as V
from sectorkit.views.html import NOTICE_STYLE, esc, h2, para
from sectorkit.views.nav import TEMPORARY_TEXT
from sectorkit.views.reference import resources_html
from sectorkit.workspaces.access import (
    access_mode,
    check_restore,
    hub_user,
    keeping_access,
    new_region_access,
    region_pass,
    restore_target,
    visible_regions,
)
from sectorkit.workspaces.archive import download_name, restore_workspace, workspace_json, workspace_workbook
from sectorkit.workspaces.regions import SCOPES, create_region, list_region_summaries

__all__ = ["HomePage"]

LABEL_WIDTH = "13rem"


class HomePage(WorksheetPage):
    """The home page for ``region`` (see the module docstring).

    Parameters
    ----------
    region : str
        The region id from the address (a slug, else :class:`~sectorkit.core.errors.InvalidRegionId`).
    root : path, optional
        Workspace root folder (default ``SECTORKIT_HOME``).
    module : str, optional
        Show this curriculum module only (an unknown id: a message and the whole map).
    create : str, optional
        Fill the create form with this region id (from "There is no workspace named ... Create it?").
    temporary : bool
        The server is temporary (Binder): a notice at the top, with the download there.
    lab_url : str, optional
        Where JupyterLab is (``.../lab``): each module's notebook becomes a link. None: no links.

    Attributes
    ----------
    workspace : Workspace or None
        The region's workspace; None when it has none (nothing is created for an address).
    """

    title = V.HOME_TITLE
    save_hint = "Pick a worksheet below; each one saves as you type."
    max_width = "60rem"
    page_class = "sk-home"

    def __init__(self, region: str, root=None, *, module: str | None = None, create: str | None = None,
                 temporary: bool = False, lab_url: str | None = None):
        self.region = validate_region_id(region)
        self.root = root
        self.module_id = module or None
        self.create_id = create or None
        self.temporary = temporary
        self.lab_url = lab_url
        self._pending: tuple[str, bytes] | None = None
        self._id_edited = False
        self.access = access_mode()  # open, code or hub (SECTORKIT_ACCESS); a bad value stops the page
        self.user = hub_user()
        exists = self.region == EXAMPLE_REGION or workspace_exists(self.region, root)
        if not exists:
            self.save_hint = "Create the region with the form below, or restore it from a downloaded file."
        super().__init__(open_region(self.region, root) if exists else None)

    @classmethod
    def for_region(cls, region: str = EXAMPLE_REGION, root=None, **options: Any) -> HomePage:
        return cls(region, root, **options)

    # -- header ------------------------------------------------------------------------------
    def header_html(self) -> str:
        ws = self.workspace
        if ws is None:
            return V.header_html(None, self.region)
        return V.header_html(ws.name, self.region, illustrative=ws.illustrative)

    # -- widgets -----------------------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        self.notice = self.html_widget(self._notice_html())
        top: list[W.Widget] = [self.notice]
        self.top_prepare = self.top_downloads = None
        if self.temporary and self.workspace is not None:
            self.top_downloads = self.html_widget()
            self.top_prepare = self._button("Prepare downloads of my answers now", self.prepare_top)
            top += [self.top_prepare, self.top_downloads]
        self.regions = self.html_widget()
        self.map = self.html_widget()
        self.refresh()
        body = [*top, self.status]
        create = self._create_widgets()
        keep = self._keep_widgets()
        if self.workspace is None:  # create (or restore) first; there is no map for a region that does not exist
            return [*body, *create, *keep, self.regions, self.html_widget(V.trainer_html())]
        resources = self.html_widget(resources_html(self.region, reference_pages()))  # FAQ, case studies, notes
        return [*body, self.regions, self.map, resources, *keep, *self._members_widgets(), *create,
                self.html_widget(V.trainer_html())]

    # -- members (hub mode) ------------------------------------------------------------------
    def _members_widgets(self) -> list[W.Widget]:
        """On a hub: who may open this region, and adding or removing a hub user (members and trainers only
        see this page)."""
        self.member_name = self.members_list = None
        if self.access != "hub" or self.workspace is None:
            return []
        self.members_list = self.html_widget(V.members_html(self.workspace.members()))
        self.member_name = self._text("Hub user name", "a teammate's hub user name, e.g. ana")
        add = self._button("Add to this region", self.add_member, "Let this hub user open the region")
        remove = self._button("Remove from this region", self.remove_member, "This hub user can no longer open it")
        return [self.members_list, self.member_name, W.HBox([add, remove])]

    @guarded("adding the member", lead="Not added")
    def add_member(self, _button: Any = None) -> None:
        name = self.member_name.value
        added = self.workspace.add_member(name)
        self.members_list.value = V.members_html(self.workspace.members())
        self.say(f"{name.strip()} can now open this region." if added else f"{name.strip()} is already a member.")
        with self.loading():
            self.member_name.value = ""

    @guarded("removing the member", lead="Not removed")
    def remove_member(self, _button: Any = None) -> None:
        name = self.member_name.value
        removed = self.workspace.remove_member(name)
        self.members_list.value = V.members_html(self.workspace.members())
        self.say(f"{name.strip()} can no longer open this region." if removed
                 else f"{name.strip()} is not a member of this region.")
        with self.loading():
            self.member_name.value = ""

    def _button(self, text: str, handler, tip: str = "") -> W.Button:
        button = W.Button(description=text, tooltip=tip or text, style=self.styles.button,
                          layout=self.styles.layout(width="auto", align_self="flex-start", margin="0.3em 0"))
        button.on_click(handler)
        return button

    def _text(self, label: str, placeholder: str = "", value: str = "") -> W.Text:
        return W.Text(value=value, description=label, placeholder=placeholder,
                      style=self.styles.text_label(LABEL_WIDTH),
                      layout=self.styles.layout(width="100%", max_width="40rem"))

    def _create_widgets(self) -> list[W.Widget]:
        filled = self.create_id or (self.region if self.workspace is None else None)
        self.new_name = self._text("Region name", "for example Central Ohio",
                                   value=filled.replace("-", " ").title() if filled else "")
        self.new_id = self._text("Region id", "made from the name", value=filled or "")
        self._id_edited = bool(filled)
        self.new_counties = self._text("Counties (optional)", "5-digit county FIPS codes, e.g. 39049, 39041")
        self.new_state = self._text("State (optional)", "2-letter code, e.g. OH")
        self.new_scope = W.Dropdown(description="Whose workspace", options=[(v, k) for k, v in SCOPES.items()],
                                    value="region", style=self.styles.text_label(LABEL_WIDTH),
                                    layout=self.styles.layout(width="100%", max_width="40rem"))
        self.create_button = self._button("Create the region", self.create, "Create a workspace for this region")
        self.create_result = self.html_widget()
        self.new_code = self.new_code_again = None
        codes: list[W.Widget] = []
        if self.access == "code":  # required here: the region opens with it
            self.new_code = W.Password(description="Access code", placeholder=f"at least {MIN_LENGTH} characters",
                                       style=self.styles.text_label(LABEL_WIDTH),
                                       layout=self.styles.layout(width="100%", max_width="40rem"))
            self.new_code_again = W.Password(description="Access code again", style=self.styles.text_label(LABEL_WIDTH),
                                             layout=self.styles.layout(width="100%", max_width="40rem"))
            codes = [self.new_code, self.new_code_again]
        #: hidden remembered passes for regions created here (the browser keeps them; see apps.access)
        self.passes = W.Box([], layout=W.Layout(display="none"))
        self.new_name.observe(self._name_changed, names="value")
        self.new_id.observe(self._id_changed, names="value")
        intro = ("A region is one partnership's workspace: its answers, records and reports. The id appears in "
                 "page addresses (lowercase letters, digits and hyphens); it is made from the name until you "
                 "change it. Counties and state are optional and can be set later. A state agency's team "
                 "(state self-assessment, the statewide view) gives its state and picks \u201cA state agency's "
                 "team\u201d.")
        intro += V.create_access_text(self.access)
        lead = ""
        if self.create_id:
            lead = (f"<p style='{NOTICE_STYLE}'>The form is filled in with the id \u2018{esc(self.create_id)}\u2019 "
                    "from the address. Check the name, then press \u201cCreate the region\u201d.</p>")
        return [self.html_widget(h2("Create a region") + lead + para(intro)), self.new_name, self.new_id,
                self.new_counties, self.new_state, self.new_scope, *codes, self.create_button, self.create_result,
                self.passes]

    def _keep_widgets(self) -> list[W.Widget]:
        sh = self.styles
        widgets: list[W.Widget] = []
        self.prepare_button = self.downloads = None
        if self.workspace is not None:
            self.downloads = self.html_widget()
            self.prepare_button = self._button("Prepare downloads", self.prepare,
                                               "Make the workspace and all answers into files to download")
            widgets = [self.html_widget(h2("Keep your answers") + para(
                "Download the region's whole workspace to keep it or move it to another server (restore it "
                "below), and every answer as one Excel workbook to read or share.")),
                self.prepare_button, self.downloads]
        self.upload = W.FileUpload(accept=".json", multiple=False, description="Choose a workspace file (.json)",
                                   tooltip="Restore a workspace from a .json file downloaded from a home page",
                                   layout=sh.layout(width="auto", align_self="flex-start", margin="0.3em 0"),
                                   style=sh.button)
        self.upload.observe(self._uploaded, names="value")
        self.replace = W.Checkbox(value=False, description="Replace the existing workspace if one has this id",
                                  indent=False, layout=sh.layout(width="auto", max_width="40rem"), style=sh.check)
        self.restore_id = self._text("Restore under another id", "optional; empty: the id in the file")
        self.restore_button = self._button("Restore the chosen file", self.restore,
                                           "Restore the chosen file with the options above")
        self.restore_result = self.html_widget()
        heading = "h3" if self.workspace is not None else "h2"
        title = "Restore a workspace from a file"
        head = (f"<{heading} style='font-size:{'1.1' if heading == 'h3' else '1.25'}em;margin:1em 0 0.3em'>"
                f"{esc(title)}</{heading}>")
        return [*widgets, self.html_widget(head + para(
            "Choose a workspace file (.json) downloaded from a home page. It is checked first; an existing "
            "workspace is replaced only if you tick the box, and never half-overwritten.")),
            self.replace, self.restore_id, self.upload, self.restore_button, self.restore_result]

    # -- what the page shows -----------------------------------------------------------------
    def _notice_html(self) -> str:
        parts = []
        if self.temporary:
            parts.append(V.notice_temporary(TEMPORARY_TEXT, with_download=self.workspace is not None))
        if self.workspace is None:
            parts.append(V.no_workspace_html(self.region))
        return "".join(parts)

    def refresh(self) -> None:
        """Redraw the region list and the curriculum map from the workspace (after a save elsewhere)."""
        self.regions.value = V.regions_html(visible_regions(list_region_summaries(self.root), self.root,
                                                            user=self.user, mode=self.access),
                                            self.region if self.workspace is not None else None,
                                            heading="Your region" if self.workspace is not None else "Regions")
        if self.workspace is None:
            self.map.value = ""
            return
        only = self.module_id if module_of(self.module_id) else None
        unknown = self.module_id if self.module_id and only is None else None
        self.map.value = V.curriculum_html(region_progress(self.workspace), self.region, lab_url=self.lab_url,
                                           only=only, unknown_module=unknown)

    # -- create ------------------------------------------------------------------------------
    @guarded("filling in the region id")
    def _name_changed(self, change: dict) -> None:
        if self._id_edited:
            return
        with self.loading():
            self.new_id.value = suggest_region_id(change["new"]) if change["new"].strip() else ""

    @guarded("editing the region id")
    def _id_changed(self, change: dict) -> None:
        if not self.is_loading:
            self._id_edited = bool(change["new"].strip())

    @guarded("creating the region", lead="Not created")
    def create(self, _button: Any = None) -> None:
        typed = (self.new_code.value, self.new_code_again.value) if self.new_code is not None else (None, None)
        if self.new_code is not None:
            with self.loading():  # the code never stays in the page
                self.new_code.value = self.new_code_again.value = ""
        try:
            code, members = new_region_access(*typed, user=self.user, mode=self.access)
            ws = create_region(self.new_name.value, self.root, region_id=self.new_id.value.strip() or None,
                               counties=self.new_counties.value, state=self.new_state.value,
                               scope=self.new_scope.value, access_code=code, members=members)
        except SectorkitError as exc:
            again = " Type the access code again (twice)." if self.new_code is not None else ""
            self.create_result.value = V.problem_html(f"Not created: {exc}{again}")
            self.failed(f"{exc}{again}", lead="Not created")
            return
        with ws:
            name, rid = ws.name, ws.region
            stored = ws.access_code_hash()
        if stored is not None and self.access == "code":  # this browser opens the new region without retyping
            kept = pass_field(f"pass-{rid}", region_pass(rid, stored, self.root))
            self.passes.children = (*self.passes.children, kept)
        self.create_result.value = V.created_html(name, rid)
        self.say(f"Created the region {name} ({rid}).")
        with self.loading():
            for box in (self.new_name, self.new_id, self.new_counties, self.new_state):
                box.value = ""
            self.new_scope.value = "region"
        self._id_edited = False
        self._new_region(rid, V.created_html(name, rid))

    def _new_region(self, rid: str, markup: str) -> None:
        """A region was created or restored: list it; if it is this page's region, open it."""
        if rid == self.region:
            if self.workspace is not None:
                self.workspace.close()
            self.workspace = open_region(self.region, self.root)
            self.refresh_header()
            self.notice.value = self._notice_html() + markup
        self.refresh()

    # -- downloads ---------------------------------------------------------------------------
    def _downloads_html(self) -> str:
        ws = self.workspace
        data = workspace_json(ws)
        try:
            book, problem = workspace_workbook(ws), None
        except Exception as exc:  # noqa: BLE001 - the JSON download must still be offered
            book, problem = None, f"{type(exc).__name__}: {exc}"
        return V.downloads_html(data, download_name(self.region, "json"), book,
                                download_name(self.region, "xlsx", what="answers"), now_utc(), problem=problem)

    @guarded("preparing the downloads", lead="")
    def prepare(self, _button: Any = None) -> None:
        self.downloads.value = self._downloads_html()
        self.say("The downloads are ready: press a link below \u201cPrepare downloads\u201d to save the file.")

    @guarded("preparing the downloads", lead="")
    def prepare_top(self, _button: Any = None) -> None:
        self.top_downloads.value = self._downloads_html()
        self.say("The downloads are ready: press a link under the notice to save the file.")

    # -- restore -----------------------------------------------------------------------------
    @guarded("reading the chosen file", lead="Not restored")
    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files or self.is_loading:
            return
        upload = files[0]
        self._pending = (str(upload.get("name") or "the file"), bytes(upload["content"]))
        with self.loading():
            self.upload.value = ()
        self.restore()

    def restore_file(self, name: str, data: bytes) -> None:
        """Restore ``data`` (a file's bytes) as an upload of a file called ``name`` would."""
        self._pending = (name, bytes(data))
        self.restore()

    @guarded("restoring the workspace", lead="Not restored")
    def restore(self, _button: Any = None) -> None:
        if self._pending is None:
            self.restore_result.value = V.problem_html("Choose a workspace file (.json) first.")
            self.failed("choose a workspace file (.json) first.", lead="Not restored")
            return
        name, data = self._pending
        other = self.restore_id.value.strip() or None
        overwrite = bool(self.replace.value)
        try:
            target = restore_target(data, name, other) if self.access != "open" else other
            if target is not None:
                check_restore(target, self.root, page_region=self.region, page_open=self.workspace is not None,
                              user=self.user, mode=self.access)
        except SectorkitError as exc:
            self.restore_result.value = V.problem_html(f"Not restored: {exc}")
            self.failed(str(exc), lead="Not restored")
            return
        if overwrite and self.workspace is not None:
            self.workspace.close()  # the file may be replaced under it: reopen after
        try:
            if self.access == "open":
                result = restore_workspace(data, name, self.root, region=other, overwrite=overwrite)
            else:  # a replace keeps the region's code and members; on a hub a new region is the restorer's
                with keeping_access(target, self.root):
                    result = restore_workspace(data, name, self.root, region=other, overwrite=overwrite)
                if self.access == "hub" and not result.replaced:
                    with open_region(result.region, self.root) as ws:
                        ws.add_member(self.user)
        except WorkspaceError as exc:
            self.restore_result.value = V.problem_html(
                f"Not restored: {exc} The file is still chosen: change the options above and press "
                "\u201cRestore the chosen file\u201d, or choose another file.")
            self.failed(str(exc), lead="Not restored")
            return
        finally:
            if overwrite and self.workspace is not None:
                self.workspace = open_region(self.region, self.root)
        self._pending = None
        self.restore_result.value = V.restored_html(result)
        self.say(result.summary())
        self._new_region(result.region, V.restored_html(result))
