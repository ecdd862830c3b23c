"""The LMI Review's "1. Data" part: choose the data, upload BLS files, list and remove them.

:class:`DataSources` is a mixin of :class:`~sectorkit.apps.lmi_review.LMIReviewApp` (a
:class:`~sectorkit.apps.base.WorksheetPage`). No field takes a path. The sources
(:mod:`sectorkit.lmi.sources`):

- the bundled illustrative example region;
- **Files uploaded for this region**: an ``ipywidgets.FileUpload`` (several files at once:
  ``.csv``, ``.csv.gz`` or the zip BLS distributes) whose files are checked and stored in the
  region's own folder ``<root>/<region>/lmi/`` (:func:`sectorkit.lmi.uploads.store_upload`), listed
  by name (escaped) with a Remove button each;
- **BLS open data (download by county)**: a state (a Dropdown of the BLS area titles), its
  counties by name (a labelled multi-select), the first and last years and a *Fetch from BLS*
  button that downloads the counties' annual area slices (and the nation's) into the user's cache
  (:func:`sectorkit.lmi.fetch.fetch_areas`) with a progress bar (``IntProgress``), then draws the
  screen from the cached files; the choice is saved in the settings record (``source: "bls"``,
  ``counties``, and ``bls``: ``state``, ``counties``, ``first_year``, ``last_year``);
- the data folder the server's administrator set up (``SECTORKIT_LMI_DIR``), shown by its label
  (``SECTORKIT_LMI_LABEL``), only when it is set.

The counties box takes county FIPS codes (or a region id of an uploaded crosswalk); it is
pre-filled from the saved settings, the saved footprint or the region's profile (the counties
given when the region was created). "Use these files" loads the chosen source for those counties.
"""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_int import ProgressStyle

from sectorkit.apps.base import guarded
from sectorkit.core.errors import DataError, SectorkitError
from sectorkit.lmi.fetch import FetchResult, counties_of, fetch_areas, latest_year, states
from sectorkit.lmi.footprint import saved_counties
from sectorkit.lmi.sources import BLS, EXAMPLE, SERVER, UPLOADS, server_label, source_folder
from sectorkit.lmi.uploads import (
    CROSSWALK_NAME,
    MAX_UPLOAD_BYTES,
    folder_of,
    list_uploads,
    remove_upload,
    store_upload,
)
from sectorkit.views.html import esc, notice
from sectorkit.workspaces.regions import region_profile

__all__ = ["BLS_LABEL", "DataSources", "EXAMPLE_LABEL", "UPLOADS_LABEL", "source_labels"]

EXAMPLE_LABEL = "Illustrative example region"
UPLOADS_LABEL = "Files uploaded for this region"
BLS_LABEL = "BLS open data (download by county)"
#: the most counties and years one fetch takes
MAX_COUNTIES, MAX_YEARS = 60, 10
#: how many uploaded files get a row (with its Remove button); the rest are counted
LISTED = 25
P = "<p style='margin:0.3em 0;line-height:1.45'>{}</p>"
HOW_TO = P.format(
    "Download the <em>annual averages</em> CSV files <em>by area</em> for your counties and at least two "
    "years from the BLS QCEW site (<a href='https://www.bls.gov/cew/downloadable-data-files.htm' "
    "target='_blank' rel='noopener' style='color:#0b5cad;text-decoration:underline'>downloadable data "
    "files</a>), then upload them here: "
    "<code>.csv</code>, <code>.csv.gz</code> or the BLS <code>.zip</code>, several at once, up to "
    f"{MAX_UPLOAD_BYTES // 2**20} MB each. They are kept for this region only. To name a region by id "
    "instead of listing counties, also upload a crosswalk CSV (columns <code>area_fips</code> and "
    "<code>region_id</code>).")


def source_labels() -> dict[str, str]:
    """Label shown on the radio -> source id (the server's folder only when one is set up).

    >>> source_labels()["Files uploaded for this region"]
    'uploads'
    """
    labels = {EXAMPLE_LABEL: EXAMPLE, UPLOADS_LABEL: UPLOADS, BLS_LABEL: BLS}
    server = server_label()
    if server is not None:
        labels[server if server not in labels else f"{server} (server)"] = SERVER
    return labels


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 2**20 else f"{n / 2**20:,.1f} MB"


class DataSources:
    """The data-source widgets and handlers of the LMI Review (a mixin; see the module docstring).

    The page provides ``styles``, ``workspace``, ``html_widget``, ``loading``, ``say``/``failed``,
    ``show_message``, ``_clear_results``, ``_activate_source`` and ``_save_settings``.
    """

    def _build_sources(self) -> list[W.Widget]:
        sh = self.styles
        self.region_folder = folder_of(self.workspace)
        self.sources = source_labels()
        self.source = W.RadioButtons(options=list(self.sources), value=EXAMPLE_LABEL, description="Data source",
                                     layout=sh.auto, style=sh.natural)
        self.upload = W.FileUpload(description="Upload BLS files", accept=".csv,.gz,.zip", multiple=True,
                                   tooltip="Choose .csv, .csv.gz or .zip files of BLS QCEW annual area data",
                                   layout=sh.layout(width="auto", align_self="flex-start"), style=sh.button)
        self.files_view = self.html_widget()
        self.file_rows = W.VBox([], layout=W.Layout(margin="0 0 0.4em 0"))
        self.remove_all = W.Button(description="Remove all uploaded files",
                                   tooltip="Delete every file uploaded for this region", style=sh.button,
                                   layout=W.Layout(width="auto", align_self="flex-start", display="none"))
        self.upload_box = W.VBox([self.html_widget(HOW_TO), self.upload, self.files_view, self.file_rows,
                                  self.remove_all], layout=W.Layout())
        self.server_note = self.html_widget()
        self.counties = W.Text(description="Counties",
                               placeholder="FIPS codes, e.g. 39041, 39049; or a crosswalk region id",
                               layout=sh.full, style=sh.text_label("6rem"))
        self.load_button = W.Button(description="Use these files", button_style="primary",
                                    tooltip="Read the files for these counties and draw the screen",
                                    layout=W.Layout(width="auto", align_self="flex-start", margin="0.3em 0 0 6.5rem"),
                                    style=sh.button)
        self.folder_box = W.VBox([self.upload_box, self.server_note, self.counties, self.load_button],
                                 layout=W.Layout(display="none", margin="0 0 0 1rem"))
        self.bls_box = self._build_bls()
        self.legacy_note = self.html_widget()
        self.message = self.html_widget()
        self.source.observe(self._source_changed, names="value")
        self.upload.observe(self._uploaded, names="value")
        self.load_button.on_click(lambda _b: self.use_files())
        self.remove_all.on_click(lambda _b: self.remove_files())
        self._list_files()
        return [self.source, self.folder_box, self.bls_box, self.legacy_note, self.message]

    @property
    def source_id(self) -> str:
        """The chosen source: ``"example"``, ``"uploads"``, ``"bls"`` or ``"server"``."""
        return self.sources[self.source.value]

    # -- restoring ----------------------------------------------------------------------------
    def _restore_source(self, saved: dict) -> bool:
        """Set the source and counties from saved settings; False when an old folder setting needs uploads."""
        legacy = saved.get("source") == "folder" or bool(str(saved.get("folder") or "").strip())
        source = UPLOADS if saved.get("source") == "folder" else saved.get("source")
        label = {v: k for k, v in self.sources.items()}.get(source, EXAMPLE_LABEL)
        self.counties.value = str(saved.get("counties") or "")
        footprint, footprint_at = saved_counties(self.workspace)  # the footprint is the region's county set
        if footprint and (not self.counties.value or (footprint_at or "") > str(saved.get("saved_at") or "")):
            self.counties.value = ", ".join(footprint)
        if not self.counties.value.strip():
            self.counties.value = ", ".join(region_profile(self.workspace)["counties"])
        self.source.value = label
        self._restore_bls(saved.get("bls"))
        self._show_source_box()
        self.legacy_note.value = notice(
            "Saved settings from an earlier version.",
            "They named a folder on the server; this page no longer reads folders by path. Upload the BLS "
            "files for your counties under <em>Files uploaded for this region</em>, then press "
            "<em>Use these files</em>.") if legacy else ""
        return not (legacy and self.source_id == UPLOADS and not list_uploads(self.region_folder))

    # -- source ---------------------------------------------------------------------------------
    def _show_source_box(self) -> None:
        source = self.source_id
        self.folder_box.layout.display = None if source in (UPLOADS, SERVER) else "none"
        self.bls_box.layout.display = None if source == BLS else "none"
        self.upload_box.layout.display = None if source == UPLOADS else "none"
        self.server_note.value = P.format(
            f"The files in <strong>{esc(self.source.value)}</strong> come with this server. Give your counties, "
            "then press Use these files.") if source == SERVER else ""

    @guarded("changing the data source", keep="Try again.")
    def _source_changed(self, change: dict) -> None:
        if self.is_loading:
            return
        self._show_source_box()
        if self.source_id == EXAMPLE:
            self._activate_source({})
            self._save_settings()
            return
        self.show_message(None)
        todo = {UPLOADS: "Upload your BLS files, check the counties, then press Use these files.",
                BLS: "Choose your state, counties and years, then press Fetch from BLS."}.get(
            self.source_id, "Give the counties, then press Use these files.")
        self._clear_results(todo)

    @guarded("loading the files", keep="Nothing was changed; check the files and counties and press Use these files "
                                       "again.")
    def use_files(self) -> bool | None:
        """Load the chosen source for the counties in the box (the Use these files button).

        Returns True if it worked. Any failure is a message in the page, never an exception.
        """
        ok = self._activate_source({})
        if ok:
            self.legacy_note.value = ""
            self._save_settings()
        return ok

    # -- uploads --------------------------------------------------------------------------------
    @guarded("storing the uploaded files", keep="Nothing was stored from the file that failed; upload it again.")
    def _uploaded(self, change: dict) -> None:
        files = change.get("new") or ()
        if self.is_loading or not files:
            return
        stored, problems = [], []
        for item in files:
            try:
                stored += store_upload(self.region_folder, item["name"], bytes(item["content"]))
            except DataError as exc:
                problems.append(str(exc))
        with self.loading():
            self.upload.value = ()
        self.store_report(stored, problems)

    def store_report(self, stored: list, problems: list[str]) -> None:
        """Show what an upload stored and what it refused (file names escaped)."""
        self._list_files()
        self.show_message("\n".join(problems) if problems else None, lead="Some files were not stored."
                          if stored else "The files were not stored.")
        if stored:
            self.say(f"Stored {len(stored)} file{'s' if len(stored) != 1 else ''} for this region. "
                     "Check the counties, then press Use these files.")
        elif problems:
            self.failed("the upload was refused; see the message under Data.", lead="Not stored")

    def _list_files(self) -> None:
        files = list_uploads(self.region_folder)
        if not files:
            self.files_view.value = P.format("No files uploaded for this region yet.")
            self.file_rows.children = ()
            self.remove_all.layout.display = "none"
            return
        total = sum(f.stat().st_size for f in files)
        self.files_view.value = P.format(
            f"<strong>{len(files)} file{'s' if len(files) != 1 else ''} uploaded for this region</strong> "
            f"({_size(total)}):")
        rows = []
        for f in files[:LISTED]:
            kind = " (crosswalk)" if f.name == CROSSWALK_NAME else ""
            label = W.HTML(f"<span style='line-height:2'>{esc(f.name)}{kind}, {_size(f.stat().st_size)}</span>",
                           layout=self.styles.block, style=self.styles.html)
            button = W.Button(description="Remove", tooltip=f"Remove {f.name}", style=self.styles.button,
                              layout=self.styles.layout(width="auto", margin="0 0.6em 0 0"))
            button.on_click(lambda _b, name=f.name: self.remove_file(name))
            row = W.HBox([button, label], layout=self.styles.layout(align_items="center"))
            row.add_class("sk-upload-row")
            rows.append(row)
        if len(files) > LISTED:
            rows.append(self.html_widget(P.format(f"and {len(files) - LISTED} more.")))
        self.file_rows.children = rows
        self.remove_all.layout.display = None if len(files) > 1 else "none"

    @guarded("removing the file", keep="The file is still there.")
    def remove_file(self, name: str) -> None:
        """Delete one uploaded file (its Remove button)."""
        remove_upload(self.region_folder, name)
        self._list_files()
        self.say(f"Removed {name}." + (" Press Use these files to update the screen." if self.data is not None
                                       and self.source_id == UPLOADS else ""))

    @guarded("removing the files", keep="Some files may still be there.")
    def remove_files(self) -> None:
        """Delete every uploaded file of the region (Remove all uploaded files)."""
        files = list_uploads(self.region_folder)
        for f in files:
            remove_upload(self.region_folder, f.name)
        self._list_files()
        self.say(f"Removed {len(files)} uploaded files.")

    # -- BLS open data by county ---------------------------------------------------------------
    def _build_bls(self) -> W.VBox:
        sh = self.styles
        label, field = sh.label("7rem"), sh.layout(width="25rem")
        last = latest_year()
        self.bls_cache = source_folder(BLS, self.region_folder)
        self._bls_saved: dict | None = None  # the picker's choice as of the last fetch (saved in the settings)
        self.bls_state = W.Dropdown(description="State", options=[("Choose a state", "")] + states(), value="",
                                    layout=field, style=label)
        self.bls_counties = W.SelectMultiple(description="Your counties", options=[], rows=10,
                                             layout=sh.layout(width="25rem", margin="0.4em 0 0 0"), style=label)
        self.bls_chosen = self.html_widget()
        years = list(range(last - MAX_YEARS + 1, last + 1))
        self.bls_first = W.Dropdown(description="First year", options=years, value=last - 3, layout=field, style=label)
        self.bls_last = W.Dropdown(description="Last year", options=years, value=last, layout=field, style=label)
        self.fetch_button = W.Button(description="Fetch from BLS", button_style="primary", style=sh.button,
                                     tooltip="Download the counties' BLS files (kept for you) and draw the screen",
                                     layout=W.Layout(width="auto", align_self="flex-start", margin="0.3em 0 0 7.5rem"))
        self.fetch_progress = W.IntProgress(value=0, min=0, max=1, description="Downloaded",
                                            style=ProgressStyle(description_width="7rem"),
                                            layout=W.Layout(width="25rem", display="none"))
        self.fetch_note = self.html_widget()
        self.bls_state.observe(self._bls_state_changed, names="value")
        self.bls_counties.observe(self._bls_counties_changed, names="value")
        self.fetch_button.on_click(lambda _b: self.fetch_bls())
        self._show_chosen()
        intro = P.format(
            "Choose your state, then your counties, and the years: <em>Fetch from BLS</em> downloads the BLS "
            "QCEW annual averages of each county (and of the U.S., for comparison) from "
            "<a href='https://www.bls.gov/cew/additional-resources/open-data/home.htm' target='_blank' "
            "rel='noopener' style='color:#0b5cad;text-decoration:underline'>BLS open data</a>, keeps them on "
            "this server for you, and draws the screen. BLS keeps the most recent five years online.")
        hint = P.format("Hold Ctrl (&#8984; on a Mac) and click, or use Shift with the arrow keys, to choose "
                        "several counties.")
        box = W.VBox([self.html_widget(intro), self.bls_state, self.bls_counties, self.html_widget(hint),
                      self.bls_chosen, self.bls_first, self.bls_last, self.fetch_button, self.fetch_progress,
                      self.fetch_note], layout=W.Layout(display="none", margin="0 0 0 1rem"))
        box.add_class("sk-bls-picker")
        return box

    def bls_choice(self) -> dict | None:
        """The BLS picker's choice as of the last fetch (or as restored): state, counties, years; None if none."""
        return self._bls_saved

    def _restore_bls(self, saved: object) -> None:
        """Set the picker from saved settings (``bls``), else from the counties box (the region's counties)."""
        saved = saved if isinstance(saved, dict) else {}
        counties = [str(c) for c in saved.get("counties") or [] if isinstance(c, str)]
        if not counties or self.source_id == BLS:  # a newer footprint or the fetched counties win
            counties = [c.strip().zfill(5) for c in self.counties.value.split(",") if c.strip().isdigit()]
        state = str(saved.get("state") or (counties[0][:2] if counties else ""))
        with self.loading():
            if state in {v for _, v in self.bls_state.options}:
                self.bls_state.value = state
                self._bls_state_changed({})
                have = {v for _, v in self.bls_counties.options}
                self.bls_counties.value = tuple(c for c in counties if c in have)
            for widget, key in ((self.bls_first, "first_year"), (self.bls_last, "last_year")):
                if saved.get(key) in widget.options:
                    widget.value = saved[key]
        self._show_chosen()
        if saved:
            self._bls_saved = {"state": state, "counties": list(self.bls_counties.value),
                               "first_year": self.bls_first.value, "last_year": self.bls_last.value}

    @guarded("listing the counties", keep="Choose the state again.")
    def _bls_state_changed(self, change: dict) -> None:
        state = self.bls_state.value
        self.bls_counties.options = counties_of(state) if state else []
        self.bls_counties.value = ()
        self._show_chosen()

    @guarded("choosing the counties", keep="Choose the counties again.")
    def _bls_counties_changed(self, change: dict) -> None:
        self._show_chosen()

    def _show_chosen(self) -> None:
        names = {v: k for k, v in self.bls_counties.options}
        chosen = [names.get(c, c) for c in self.bls_counties.value]
        self.bls_chosen.value = P.format(
            f"Chosen: <strong>{esc(', '.join(chosen))}</strong> ({len(chosen)} "
            f"count{'y' if len(chosen) == 1 else 'ies'})." if chosen else "No county chosen yet.")

    @guarded("fetching the BLS files", keep="The files downloaded so far are kept; press Fetch from BLS again.",
             lead="Not fetched")
    def fetch_bls(self) -> bool | None:
        """Download the chosen counties' files (the Fetch from BLS button), then draw the screen from the cache.

        Returns True when the screen was drawn. Every problem is a message in the page.
        """
        counties, first, last = list(self.bls_counties.value), self.bls_first.value, self.bls_last.value
        problem = ("choose a state first." if not self.bls_state.value else
                   "choose at least one county." if not counties else
                   f"choose at most {MAX_COUNTIES} counties at once." if len(counties) > MAX_COUNTIES else
                   f"the screen compares two years: choose a last year after the first year ({first})."
                   if last <= first else None)
        if problem:
            self.failed(problem, lead="Not fetched")
            return False
        bar = self.fetch_progress
        bar.value, bar.max, bar.layout.display, bar.bar_style = 0, (len(counties) + 1) * (last - first + 1), None, ""
        self.fetch_button.disabled = True

        def progress(done: int, total: int, what: str) -> None:
            bar.max, bar.value = max(total, 1), done
            if done < total:
                self.say(f"Downloading {what} ({done + 1} of {total})...")

        try:
            result = fetch_areas(counties, range(first, last + 1), self.bls_cache, progress=progress)
        finally:
            self.fetch_button.disabled = False
        counties_missing = [k for k in result.failed if k[1] != "US000"]
        bar.bar_style = "success" if not counties_missing else "warning" if result.files else "danger"
        self._show_fetch(result)
        self._bls_saved = {"state": self.bls_state.value, "counties": counties, "first_year": first,
                           "last_year": last}
        with self.loading():
            self.counties.value = ", ".join(counties)
        ok = self._activate_source({"start_year": first, "end_year": last})
        if ok:
            self.legacy_note.value = ""
            self._save_settings()
        elif result.offline:
            self.failed("BLS could not be reached and these counties were not downloaded before.", lead="Not fetched")
        return ok

    def _show_fetch(self, result: FetchResult) -> None:
        lq = ("" if not any(a == "US000" for _, a in result.failed) else
              " Without the U.S. file, location quotients are measured against the national shares implied by "
              "the counties' published location quotients.")
        self.fetch_note.value = P.format(esc(result.summary() + lq))

    def _load_chosen(self, load_source) -> tuple:
        """The data and region of the chosen source (the example narrowed to the saved footprint)."""
        if self.source_id != EXAMPLE:
            return load_source(self.source_id, self.region_folder, self.counties.value.strip())
        try:
            return load_source(EXAMPLE, counties=", ".join(saved_counties(self.workspace)[0]))
        except SectorkitError:
            return load_source(EXAMPLE)
