"""The Universe of Connections worksheet: a Voila app over :mod:`sectorkit.universe`.

A support team lists its organizations, people and who knows whom; the page
shows, after every change, how many businesses in the target sector the team
reaches, the diagram, the same facts as a table, and the support team roster
with the convener criteria. Everything saves to the region's workspace the
moment a button is pressed.

The app is a :class:`~sectorkit.apps.base.WorksheetPage` (header, status line,
shared styles, guarded handlers, ``for_region``); it redraws in an ``Output``
and its one public view is ``.container``, so it can be driven without a browser:

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> app = UniverseApp(Workspace.open("demo", root=tempfile.mkdtemp()))
>>> app.org_name.value, app.org_kind.value = "Acme Tools", "business"
>>> app.org_add.click()
>>> app.status_text().startswith("Saved at")
True
>>> app.summary
{'businesses': 1, 'direct': 0, 'within_two': 0, 'gaps': 1}
"""

from __future__ import annotations

import base64

import ipywidgets as W

from sectorkit import universe as nw
from sectorkit.apps.base import WorksheetPage, guarded
from sectorkit.core.ids import slugify
from sectorkit.store.workspace import Workspace
from sectorkit.views import universe as nwv
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc, h2, para, show_html

ATTRIBUTION = (
    "Based on the Next Gen Sector Partnership training toolkit; "
    "sectorkit's own wording. Not official Next Gen material."
)


_e, _h2, _p = esc, h2, para  # the house HTML helpers (views.html), by their short local names


class UniverseApp(WorksheetPage):
    """The Universe of Connections worksheet bound to one region's workspace."""

    title = "Step 1: Universe of Connections"
    intro = (
        "List the support partners, the businesses in your target sector, the people at each, and who knows "
        "whom. The page then shows which businesses the team already reaches, and through whom, before anyone "
        "is invited."
    )
    attribution = ATTRIBUTION
    illustrative_detail = "Practise here; use your own region's page for real contacts."
    save_hint = "Changes save when you press a button."
    max_width = "52rem"

    def __init__(self, workspace: Workspace):
        self.universe = nw.Universe()
        self.summary: dict[str, int] = {}
        self.diagram_html = ""
        self.table_html = ""
        self.import_messages: list[str] = []
        super().__init__(workspace)
        self._kind_changed(None)
        self.refresh()

    def build(self) -> list[W.Widget]:
        """The four forms, import/export, the results and the roster; handlers wired."""
        sh = self.styles
        label, text = sh.label("12rem"), sh.text_label("12rem")
        wide = sh.layout(width="34rem", max_width="100%")
        button = sh.layout(width="16rem", margin="0.2em 0 0.2em 12.3rem")
        self.reach_view = self.html_widget()

        # -- organization form
        self.org_name = W.Text(description="Organization name", style=text, layout=wide)
        self.org_kind = W.Dropdown(
            description="Kind", options=[(v, k) for k, v in nw.KINDS.items()], value="partner", style=label, layout=wide
        )
        self.org_system = W.Dropdown(
            description="System (partners)",
            options=[(v[0], k) for k, v in nw.SYSTEMS.items()],
            value="workforce",
            style=label,
            layout=wide,
        )
        self.org_sector = W.Text(description="Sector (businesses)", style=text, layout=wide)
        self.org_size = W.Dropdown(
            description="Size (businesses)",
            options=[("Not known", "")] + [(v, k) for k, v in nw.SIZES.items()],
            value="",
            style=label,
            layout=wide,
        )
        self.org_add = W.Button(description="Add organization", button_style="primary", layout=button, style=sh.button)
        self.org_pick = W.Dropdown(description="Listed organization", options=[], style=label, layout=wide)
        self.org_delete = W.Button(description="Delete this organization", layout=button, style=sh.button)
        self.org_kind.observe(self._kind_changed, names="value")
        self.org_add.on_click(lambda _: self.add_organization())
        self.org_delete.on_click(lambda _: self.delete_organization())

        # -- person form
        self.person_name = W.Text(description="Person's name", style=text, layout=wide)
        self.person_org = W.Dropdown(description="Works at", options=[], style=label, layout=wide)
        self.person_title = W.Text(description="Job title", style=text, layout=wide)
        self.person_csuite = W.Checkbox(
            description="C-suite (owner, CEO, president or other top executive)",
            indent=False,
            layout=sh.layout(width="auto", margin="0 0 0 12.3rem"),
            style=sh.check,
        )
        self.person_add = W.Button(description="Add person", button_style="primary", layout=button, style=sh.button)
        self.person_pick = W.Dropdown(description="Listed person", options=[], style=label, layout=wide)
        self.person_delete = W.Button(description="Delete this person", layout=button, style=sh.button)
        self.person_add.on_click(lambda _: self.add_person())
        self.person_delete.on_click(lambda _: self.delete_person())

        # -- relationship form
        self.rel_a = W.Dropdown(description="This person", options=[], style=label, layout=wide)
        self.rel_b = W.Dropdown(description="knows this person", options=[], style=label, layout=wide)
        self.rel_strength = W.Dropdown(
            description="How well",
            options=[(v, k) for k, v in nw.STRENGTHS.items()],
            value="knows-well",
            style=label,
            layout=wide,
        )
        self.rel_add = W.Button(description="Add relationship", button_style="primary", layout=button, style=sh.button)
        self.rel_pick = W.Dropdown(description="Listed relationship", options=[], style=label, layout=wide)
        self.rel_delete = W.Button(description="Delete this relationship", layout=button, style=sh.button)
        self.rel_add.on_click(lambda _: self.add_relationship())
        self.rel_delete.on_click(lambda _: self.delete_relationship())

        # -- import and export
        self.upload = W.FileUpload(
            description="Upload CSV or Excel files", accept=".csv,.xlsx", multiple=True, layout=button, style=sh.button
        )
        self.upload.observe(self._uploaded, names="value")
        self.import_path = W.Text(description="Or a file path on the server", style=text, layout=wide)
        self.import_button = W.Button(description="Import from that path", layout=button, style=sh.button)
        self.import_button.on_click(lambda _: self.import_from_path())
        self.export_button = W.Button(description="Export as an Excel workbook", layout=button, style=sh.button)
        self.export_button.on_click(lambda _: self.export())
        self.import_view = self.html_widget()

        # -- results
        self.findings_view = self.html_widget()
        self.diagram_out = W.Output()
        self.table_view = self.html_widget()
        self.focus = W.Dropdown(description="Show the paths for", options=[], style=label, layout=wide)
        self.focus.observe(self._focus_changed, names="value")
        self.focus_view = self.html_widget()

        # -- roster
        self.roster_org = W.Dropdown(description="Support partner", options=[], style=label, layout=wide)
        self.roster_role = W.Dropdown(
            description="Role on the team",
            options=[("Not assigned", "")] + [(v, k) for k, v in nw.ROLES.items()],
            value="",
            style=label,
            layout=wide,
        )
        rating_opts = [("Not rated", "")] + [(v, k) for k, v in nw.RATINGS.items()]
        self.roster_criteria = {
            c: W.Dropdown(description=lbl, options=rating_opts, value="", style=sh.label("20rem"), layout=wide)
            for c, lbl in (
                ("credibility", "Convener: credibility with business and public partners"),
                ("capacity", "Convener: capacity (staff time)"),
                ("neutrality", "Convener: neutrality (own agenda set aside)"),
            )
        }
        self.roster_notes = W.Textarea(description="Notes on this choice", rows=2, style=text, layout=wide)
        self.roster_org.observe(self._roster_org_changed, names="value")
        for w in (self.roster_role, *self.roster_criteria.values(), self.roster_notes):
            w.observe(self._roster_changed, names="value")
        self.roster_view = self.html_widget()

        def section(title: str, intro: str = "") -> W.HTML:
            return self.html_widget(_h2(title) + (_p(intro) if intro else ""))

        return [
            self.reach_view,
            section("Add an organization", "Support partners carry their system; businesses their sector and size."),
            self.org_name,
            self.org_kind,
            self.org_system,
            self.org_sector,
            self.org_size,
            self.org_add,
            self.org_pick,
            self.org_delete,
            section("Add a person", "Anyone at a listed organization: team members and business contacts alike."),
            self.person_name,
            self.person_org,
            self.person_title,
            self.person_csuite,
            self.person_add,
            self.person_pick,
            self.person_delete,
            section("Add a relationship", "Who knows whom, and how well. Add each pair once."),
            self.rel_a,
            self.rel_b,
            self.rel_strength,
            self.rel_add,
            self.rel_pick,
            self.rel_delete,
            section(
                "Import or export a spreadsheet",
                "Fill a sheet during a session, then upload it: organizations.csv, people.csv and relationships.csv, "
                "or one Excel workbook with sheets of those names. Good rows are saved; each bad row is listed below.",
            ),
            self.upload,
            self.import_path,
            self.import_button,
            self.export_button,
            self.import_view,
            section("The diagram and what it says"),
            self.findings_view,
            self.diagram_out,
            self.focus,
            self.focus_view,
            self.table_view,
            section(
                "Support team roster",
                "Give each support partner its role. For the convener or co-conveners, rate the three criteria "
                "and note why. Changes here save as you make them.",
            ),
            self.roster_org,
            self.roster_role,
            *self.roster_criteria.values(),
            self.roster_notes,
            self.roster_view,
        ]

    # -- refresh everything from the workspace ----------------------------
    def refresh(self) -> None:
        """Reload the universe and redraw the numbers, lists, diagram, table and roster."""
        u = self.universe = nw.load_universe(self.workspace)
        G = self.graph = nw.build_graph(u)
        self.reached = nw.reach(G)
        self.summary = nw.reach_summary(G, self.reached)
        self._render_reach()
        with self.loading():
            orgs = sorted(u.organizations.values(), key=lambda o: o.name.lower())
            org_opts = [(f"{o.name} ({nw.KINDS[o.kind].lower()})", o.id) for o in orgs]
            people = sorted(u.people.values(), key=lambda p: p.name.lower())
            person_opts = [(u.person_label(p.id), p.id) for p in people]
            rels = sorted(
                u.relationships.values(), key=lambda r: (u.people[r.a].name.lower(), u.people[r.b].name.lower())
            )
            rel_opts = [
                (f"{u.people[r.a].name} and {u.people[r.b].name} ({nw.STRENGTHS[r.strength]})", r.key) for r in rels
            ]
            partner_opts = [(o.name, o.id) for o in orgs if o.kind == "partner"]
            self._set_options(self.org_pick, org_opts)
            self._set_options(self.person_org, org_opts)
            self._set_options(self.person_pick, person_opts)
            self._set_options(self.rel_a, person_opts)
            self._set_options(self.rel_b, person_opts)
            self._set_options(self.rel_pick, rel_opts)
            self._set_options(self.focus, [("(nothing selected)", "")] + org_opts)
            self._set_options(self.roster_org, partner_opts)
        self._load_roster_fields()
        self._render_results()

    @staticmethod
    def _set_options(dropdown: W.Dropdown, options: list[tuple[str, str]]) -> None:
        keep = dropdown.value
        if list(dropdown.options) != options:
            dropdown.options = options
        values = [v for _, v in options]
        dropdown.value = keep if keep in values else (values[0] if values else None)
        dropdown.disabled = not values

    def _render_reach(self) -> None:
        s = self.summary
        n = s["businesses"]

        def card(key: str, number: int, text: str, color: str) -> str:
            return (
                f"<div style='border-left:5px solid {color};padding:0.3em "
                "0.8em;margin:0.2em 0.6em 0.2em 0;background:#f7f7f7'>"
                f"<span data-reach='{key}' style='font-size:1.5em;font-weight:700'>{number}</span> "
                f"<span>{_e(text)}</span></div>"
            )

        self.reach_view.value = (
            "<div aria-label='Reach numbers' role='group' style='display:flex;flex-wrap:wrap;margin:0.4em 0'>"
            + card("direct", s["direct"], f"of {n} businesses reached directly", "#1d5e20")
            + card("within_two", s["within_two"], f"of {n} reached within two steps", "#0072B2")
            + card("gaps", s["gaps"], "not reached (gaps)", "#9b1c1c")
            + "</div>"
        )

    def _render_results(self) -> None:
        from matplotlib import pyplot as _  # noqa: F401  (ensures the font cache exists before drawing)

        G, u = self.graph, self.universe
        title = f"Universe of Connections: {self.workspace.name}"
        if G.graph["organizations"]:
            fig = nwv.draw_universe(G, reached=self.reached, title=title, focus=self.focus.value or None)
            alt = nwv.diagram_alt_text(G, self.reached)
            self.diagram_html = figure_html(
                fig,
                alt,
                caption="Businesses sit on the inner table; support partners around them, "
                "coloured by system; conveners are diamonds.",
            )
        else:
            self.diagram_html = _p("Nothing to draw yet: add organizations, people and relationships above.")
        show_html(self.diagram_out, self.diagram_html, "Universe of Connections diagram")
        self.table_html = nwv.connections_table_html(G, self.reached)
        self.table_view.value = self.table_html
        self.findings_view.value = self._findings_html()
        self._render_focus()
        warnings = nwv.roster_warnings(u)
        self.roster_view.value = nwv.roster_table_html(u) + (
            "<ul style='margin:0.4em 0'>" + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul>" if warnings else ""
        )

    def _findings_html(self) -> str:
        G, u = self.graph, self.universe
        if not u.people:
            return _p("No people listed yet.")
        name = lambda pid: u.person_label(pid)  # noqa: E731
        items = []
        brokers = nw.brokers(G, top=5)
        if brokers:
            items.append(
                "Brokers (most often the link between others): "
                + "; ".join(f"{name(p)} {s:.2f}" for p, s in brokers)
                + "."
            )
        spof = nw.single_points_of_failure(G, self.reached)
        if spof:
            items.append(
                "Reached through one person only: "
                + "; ".join(f"{u.organizations[b].name} through {name(p)}" for b, p in list(spof.items())[:8])
                + (f"; and {len(spof) - 8} more" if len(spof) > 8 else "")
                + "."
            )
        spread = nw.system_spread(G)
        if spread.ties_by_system:
            parts = ", ".join(
                f"{nw.SYSTEMS[s][0].lower()} {n}" for s, n in spread.ties_by_system.items() if s in nw.SYSTEMS
            )
            line = f"Direct ties to businesses by system: {parts}."
            if spread.concentrated and spread.top_org in u.organizations:
                line += (
                    f" One organization, {u.organizations[spread.top_org].name}, holds {spread.top_share:.0%} of them: "
                    "spread the relationships before relying on them."
                )
            items.append(line)
        champs = nw.champion_candidates(G)[:5]
        if champs:
            items.append(
                "Possible champions (C-suite, reachable): "
                + "; ".join(
                    f"{name(c.person)}, "
                    f"{'direct' if c.steps == 1 else 'via ' + ', '.join(u.people[v].name for v in c.via)}"
                    for c in champs
                )
                + "."
            )
        return "<ul style='max-width:46rem;line-height:1.45'>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"

    def _render_focus(self) -> None:
        org = self.focus.value
        if not org:
            self.focus_view.value = _p("Pick an organization to list the paths that run through it.")
            return
        u, nodes = self.universe, self.graph.nodes
        paths = nw.paths_for(self.graph, org, self.reached)
        name = u.organizations[org].name if org in u.organizations else org
        if not paths:
            self.focus_view.value = _p(f"No path from the team to a business runs through {name} yet.")
            return
        lines = []
        for p in paths[:25]:
            steps = " → ".join(f"{nodes[n]['name']} ({u.organizations[nodes[n]['org']].name})" for n in p)
            lines.append(f"<li>{_e(steps)}</li>")
        more = f"<li>and {len(paths) - 25} more</li>" if len(paths) > 25 else ""
        self.focus_view.value = (
            f"<p style='margin:0.3em 0;font-weight:600'>Paths through {_e(name)} ({len(paths)})</p>"
            f"<ul style='margin:0.2em 0'>{''.join(lines)}{more}</ul>"
        )

    @guarded("drawing the paths")
    def _focus_changed(self, change) -> None:
        if self.is_loading:
            return
        self._render_results()

    def _kind_changed(self, change) -> None:
        partner = self.org_kind.value == "partner"
        self.org_system.disabled = not partner
        self.org_sector.disabled = partner
        self.org_size.disabled = partner

    # -- actions -------------------------------------------------------------
    @guarded("adding the organization")
    def add_organization(self) -> None:
        kind = self.org_kind.value
        org = nw.Organization.create(
            name=self.org_name.value,
            kind=kind,
            system=self.org_system.value if kind == "partner" else "",
            sector=self.org_sector.value if kind == "business" else "",
            size=self.org_size.value if kind == "business" else "",
        )
        existed = org.id in self.universe.organizations
        nw.save_organization(self.workspace, org)
        self.org_name.value = ""
        self.refresh()
        self.saved(f"{'updated' if existed else 'added'} organization {org.name}.")

    @guarded("deleting the organization")
    def delete_organization(self) -> None:
        oid = self.org_pick.value
        if not oid:
            raise nw.NetworkError("no organization is selected")
        name = self.universe.organizations[oid].name
        nw.delete_organization(self.workspace, oid)
        self.refresh()
        self.saved(f"deleted organization {name}.")

    @guarded("adding the person")
    def add_person(self) -> None:
        if not self.person_org.value:
            raise nw.NetworkError("add the organization first, then choose it under 'Works at'")
        person = nw.Person.create(
            name=self.person_name.value,
            organization=self.person_org.value,
            title=self.person_title.value,
            c_suite=self.person_csuite.value,
        )
        note, same = "", self.universe.people.get(person.id)
        if same is not None and same.organization != person.organization:  # a namesake: never move silently
            person = nw.Person.create(name=person.name, organization=person.organization, title=person.title,
                                      id=slugify(f"{person.id} {person.organization}")[:60].rstrip("-"),
                                      c_suite=person.c_suite)
            note = (f" {self.universe.person_label(same.id)} stays where they are; this is a second person of "
                    "that name (if it is the same person who moved, delete the old entry).")
        existed = person.id in self.universe.people
        nw.save_person(self.workspace, person, self.universe)
        self.person_name.value = ""
        self.person_title.value = ""
        self.person_csuite.value = False
        self.refresh()
        self.saved(f"{'updated' if existed else 'added'} {self.universe.person_label(person.id)}.{note}")

    @guarded("deleting the person")
    def delete_person(self) -> None:
        pid = self.person_pick.value
        if not pid:
            raise nw.NetworkError("no person is selected")
        label = self.universe.person_label(pid)
        n = nw.delete_person(self.workspace, pid)
        self.refresh()
        self.saved(f"deleted {label}" + (f" and their {n} relationship{'s' if n != 1 else ''}." if n else "."))

    @guarded("adding the relationship")
    def add_relationship(self) -> None:
        if not self.rel_a.value or not self.rel_b.value:
            raise nw.NetworkError("add at least two people first")
        rel = nw.Relationship.create(a=self.rel_a.value, b=self.rel_b.value, strength=self.rel_strength.value)
        existed = rel.key in self.universe.relationships
        nw.save_relationship(self.workspace, rel, self.universe)
        self.refresh()
        u = self.universe
        self.saved(
            f"{'updated' if existed else 'added'}: {u.people[rel.a].name} and {u.people[rel.b].name} "
            f"({nw.STRENGTHS[rel.strength]})."
        )

    @guarded("deleting the relationship")
    def delete_relationship(self) -> None:
        key = self.rel_pick.value
        if not key:
            raise nw.NetworkError("no relationship is selected")
        nw.delete_relationship(self.workspace, key)
        self.refresh()
        self.saved("deleted the relationship.")

    # -- import and export ----------------------------------------------------
    @guarded("importing the files")
    def import_files(self, files) -> nw.ImportReport | None:
        """Import ``(name, bytes)`` pairs or paths; show the per-row messages in the page."""
        report = nw.import_files(self.workspace, files)
        self.import_messages = list(report.messages)
        items = "".join(f"<li>{_e(m)}</li>" for m in report.messages[:200])
        more = f"<li>and {len(report.messages) - 200} more</li>" if len(report.messages) > 200 else ""
        self.import_view.value = (
            "<div role='region' aria-label='Import results'><p "
            f"style='font-weight:600;margin:0.3em 0'>{_e(report.summary())}</p>"
            + (f"<ul style='color:#9b1c1c;margin:0.2em 0'>{items}{more}</ul>" if items else "")
            + "</div>"
        )
        self.refresh()
        if sum(report.saved.values()):
            self.saved(report.summary())
        else:
            self.failed(report.summary())
        return report

    @guarded("reading the uploaded files")
    def _uploaded(self, change) -> None:
        value = change["new"]
        if not value:
            return
        files = [(f["name"], bytes(f["content"])) for f in value]
        self.import_files(files)
        self.upload.value = ()

    def import_from_path(self) -> None:
        path = self.import_path.value.strip()
        if not path:
            self.failed("type the path of a .csv or .xlsx file first")
            return
        self.import_files([path])

    @guarded("exporting the workbook")
    def export(self) -> None:
        data = nw.excel_bytes(self.universe)
        target = self.workspace.path.parent / "universe.xlsx"
        target.write_bytes(data)
        nw.export_csv(self.universe, self.workspace.path.parent / "universe-csv")
        b64 = base64.b64encode(data).decode("ascii")
        self.import_view.value = (
            f"<p>Wrote {_e(target)} and CSV files beside it. "
            f"<a download='universe-{_e(self.workspace.region)}.xlsx' "
            f"href='data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,{b64}'>"
            "Download the workbook</a></p>"
        )
        self.saved(f"exported {len(self.universe.people)} people and {len(self.universe.relationships)} relationships.")

    # -- roster ---------------------------------------------------------------
    def _load_roster_fields(self) -> None:
        org = self.roster_org.value
        entry = self.universe.roster.get(org) if org else None
        entry = entry or nw.RosterEntry(org or "")
        with self.loading():
            self.roster_role.value = entry.role
            for c, w in self.roster_criteria.items():
                w.value = getattr(entry, c)
            self.roster_notes.value = entry.notes
            for w in (self.roster_role, *self.roster_criteria.values(), self.roster_notes):
                w.disabled = not org
        self._criteria_enabled()

    def _criteria_enabled(self) -> None:
        convener = self.roster_role.value in ("convener", "co-convener")
        for w in self.roster_criteria.values():
            w.disabled = not convener or not self.roster_org.value

    @guarded("showing the roster entry")
    def _roster_org_changed(self, change) -> None:
        if not self.is_loading:
            self._load_roster_fields()

    @guarded("saving the roster entry")
    def _roster_changed(self, change) -> None:
        if self.is_loading:
            return
        self._criteria_enabled()
        org = self.roster_org.value
        if not org:
            raise nw.NetworkError("add a support partner first")
        entry = nw.RosterEntry.create(
            organization=org,
            role=self.roster_role.value,
            notes=self.roster_notes.value,
            **{c: w.value for c, w in self.roster_criteria.items()},
        )
        nw.save_roster_entry(self.workspace, entry, self.universe)
        self.universe.roster[org] = entry
        name = self.universe.organizations[org].name
        # conveners change the diagram; notes alone only change the roster table
        if change is not None and change.get("owner") is self.roster_notes:
            warnings = nwv.roster_warnings(self.universe)
            self.roster_view.value = nwv.roster_table_html(self.universe) + (
                "<ul style='margin:0.4em 0'>" + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul>"
                if warnings
                else ""
            )
        else:
            self.refresh()
        self.saved(f"roster entry for {name}.")
