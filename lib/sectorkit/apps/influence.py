"""The influence map worksheet (Steps 3 and 5): decision-makers, who can reach them, and the next move.

The team lists the decision-makers the partnership needs, rates each one's influence and interest,
links them to their Universe of Connections entry when they have one, and writes the next move,
its owner and a due date. After every save the page shows who on the team can reach each of them
(in words), the influence x interest grid with a text alternative, and the table of every fact.
Data and analysis are in :mod:`sectorkit.universe.influence`; the drawing in
:mod:`sectorkit.views.influence`. Entries save when **Save** is pressed; a bad entry (no name, a
due date that is not a date) is refused with a message and stays in the form.

>>> import tempfile
>>> from sectorkit.store.workspace import Workspace
>>> app = InfluenceMapApp(Workspace.open("demo", root=tempfile.mkdtemp()))
>>> app.name.value, app.influence.value, app.next_move.value = "Pat Lee", "high", "Ask for a meeting"
>>> app.save_button.click()
>>> app.status_text().split(": ", 1)[1]
'Pat Lee; but the next move has no owner: choose who on the team takes it.'
>>> app.due.value = "someday"; app.save_button.click(); app.status_text()
"Not saved: 'Due date' is not a date: 'someday' (type yyyy-mm-dd or m/d/yyyy, for example 2026-03-31)"
"""

from __future__ import annotations

from datetime import date

import ipywidgets as W

from sectorkit import universe as nw
from sectorkit.apps.base import WorksheetPage, guarded, local_time
from sectorkit.store.workspace import Workspace
from sectorkit.universe import influence as inf
from sectorkit.views.figures import figure_html
from sectorkit.views.html import esc, h2, para, show_html
from sectorkit.views.influence import draw_influence_map, influence_alt_text, influence_table_html

__all__ = ["InfluenceMapApp"]

ATTRIBUTION = (
    "Based on the Next Gen Sector Partnership training toolkit's advice on reaching decision-makers; "
    "sectorkit's own wording. Not official Next Gen material."
)
NEW = ""
CAPTION = (
    "Numbers match the table below. Square: on the support team; filled circle: someone on the team knows them; "
    "triangle: reached through someone else; hollow circle: no known path."
)


_e, _h2, _p = esc, h2, para  # the house HTML helpers (views.html), by their short local names


class InfluenceMapApp(WorksheetPage):
    """The influence map bound to one region's workspace (see the module docstring).

    Attributes
    ----------
    decision_makers : dict
        ``{id: DecisionMaker}`` as saved.
    routes : dict
        ``{id: Route}``: how the team reaches each one.
    diagram_html, table_html : str
        What the page shows (tests read them).
    """

    title = "Influence map: the decision-makers we need and who can reach them"
    intro = (
        "List the people whose decisions the partnership depends on: an agency head, a college president, an "
        "elected official, a CEO. Rate how much influence each has over what the partnership needs and how "
        "interested they are today. If they are in your Universe of Connections, pick them and the page finds who "
        "on the team knows them, or knows someone who does. Then agree the next move, who takes it, and by when."
    )
    attribution = ATTRIBUTION
    illustrative_detail = "Practise here; use your own region's page for real names."
    save_hint = "Entries save when you press Save."
    max_width = "56rem"

    def __init__(self, workspace: Workspace, *, header: bool = True):
        self.decision_makers: dict[str, inf.DecisionMaker] = {}
        self.routes: dict[str, inf.Route] = {}
        self.diagram_html = ""
        self.table_html = ""
        super().__init__(workspace, header=header)
        self.refresh()
        self._show_route()

    def build(self) -> list[W.Widget]:
        sh = self.styles
        label, text = sh.label("14rem"), sh.text_label("14rem")
        wide = sh.layout(width="36rem", max_width="100%")
        button = sh.layout(width="16rem", margin="0.2em 0 0.2em 14.3rem")
        self.summary_view = self.html_widget()
        self.pick = W.Dropdown(description="Decision-maker to edit", options=[("A new decision-maker", NEW)],
                               value=NEW, style=label, layout=wide)
        self.person = W.Dropdown(description="In the Universe of Connections as",
                                 options=[("Not listed there yet", "")], value="", style=label, layout=wide)
        # these two update "who can reach them" when the person leaves the box, not on every keystroke
        self.name = W.Text(description="Name", continuous_update=False, style=text, layout=wide)
        self.organization = W.Text(description="Organization", continuous_update=False, style=text, layout=wide)
        self.role = W.Text(description="Role (e.g. college president)", style=text, layout=wide)
        levels = [(v, k) for k, v in inf.LEVELS.items()]
        self.influence = W.Dropdown(description="Influence on what we need", options=levels, value="medium",
                                    style=label, layout=wide)
        self.interest = W.Dropdown(description="Interest in the partnership", options=levels, value="medium",
                                   style=label, layout=wide)
        self.route_view = self.html_widget()
        self.next_move = W.Textarea(description="Next move", rows=2, style=text, layout=wide)
        self.owner = W.Combobox(description="Who on the team takes it", options=[], ensure_option=False,
                                placeholder="a name; the team is suggested", style=text, layout=wide)
        self.due = W.Text(description="Due date (yyyy-mm-dd)", placeholder="2027-03-31", style=text, layout=wide)
        self.save_button = W.Button(description="Save", button_style="primary", layout=button, style=sh.button)
        self.new_button = W.Button(description="Start a new entry", layout=button, style=sh.button)
        self.delete_button = W.Button(description="Delete this decision-maker", layout=button, style=sh.button)
        self.diagram_out = W.Output()
        self.table_view = self.html_widget()

        self.pick.observe(self._picked, names="value")
        self.person.observe(self._person_changed, names="value")
        self.name.observe(self._typed, names="value")
        self.organization.observe(self._typed, names="value")
        self.save_button.on_click(lambda _: self.save())
        self.new_button.on_click(lambda _: self.start_new())
        self.delete_button.on_click(lambda _: self.delete())

        def section(title: str, intro: str = "") -> W.HTML:
            return self.html_widget(_h2(title) + (_p(intro) if intro else ""))

        return [
            self.summary_view,
            section("Add or edit a decision-maker",
                    "Pick someone from the list to edit them, or fill the form for someone new. A name is "
                    "required; everything else can wait."),
            self.pick, self.person, self.name, self.organization, self.role, self.influence, self.interest,
            self.route_view,
            self.next_move, self.owner, self.due,
            self.save_button, self.new_button, self.delete_button,
            self.status,  # beside the buttons: a refused entry is said where Save was pressed
            section("The map",
                    "Each decision-maker sits in the cell of their influence (up) and interest (across). Start with "
                    "the top row: high influence and no known path is where to ask around first."),
            self.diagram_out,
            self.table_view,
        ]

    # -- reading and drawing -------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the Universe and the decision-makers; redraw the lists, the numbers, the map and the table."""
        self.universe = nw.load_universe(self.workspace)
        self.graph = nw.build_graph(self.universe)
        self.decision_makers = inf.load_decision_makers(self.workspace)
        dms = inf.ordered(self.decision_makers.values())
        self.routes = inf.routes_for(dms, self.graph)
        u = self.universe
        with self.loading():
            picks = [("A new decision-maker", NEW)] + [(f"{i}. {dm.label}", dm.id) for i, dm in enumerate(dms, 1)]
            self._set_options(self.pick, picks)
            people = sorted(u.people.values(), key=lambda p: (p.name.lower(), p.id))
            self._set_options(self.person, [("Not listed there yet", "")] + [(u.person_label(p.id), p.id)
                                                                             for p in people])
            team = sorted({u.people[pid].name for pid in nw.team_people(self.graph)}, key=str.lower)
            if list(self.owner.options) != team:
                self.owner.options = team
        self._render()

    @staticmethod
    def _set_options(dropdown: W.Dropdown, options: list[tuple[str, str]]) -> None:
        keep = dropdown.value
        if list(dropdown.options) != options:
            dropdown.options = options
        values = [v for _, v in options]
        dropdown.value = keep if keep in values else values[0]

    def _render(self) -> None:
        dms = inf.ordered(self.decision_makers.values())
        s = inf.summary(dms, self.routes)
        n = s["decision_makers"]
        known = n - s["none"]

        def card(key: str, number: int, words: str, color: str) -> str:
            return (f"<div style='border-left:5px solid {color};padding:0.3em 0.8em;margin:0.2em 0.6em 0.2em 0;"
                    f"background:#f7f7f7'><span data-influence='{key}' style='font-size:1.5em;font-weight:700'>"
                    f"{number}</span> <span>{_e(words)}</span></div>")

        self.summary_view.value = (
            "<div role='group' aria-label='Influence map numbers' style='display:flex;flex-wrap:wrap;margin:0.4em 0'>"
            + card("listed", n, "decision-makers listed", "#555555")
            + card("known", known, f"of {n} with a known path", "#0072B2")
            + card("none", s["none"], "with no known path yet", "#9b1c1c")
            + card("owned", s["owned_moves"], "next moves with an owner", "#1d5e20")
            + "</div>"
        )
        title = f"Influence map: {self.workspace.name}"
        fig = draw_influence_map(dms, self.routes, title=title)
        self.diagram_html = figure_html(fig, influence_alt_text(dms, self.routes), caption=CAPTION)
        show_html(self.diagram_out, self.diagram_html, influence_alt_text(dms, self.routes))
        self.table_html = influence_table_html(dms, self.routes, self.graph, today=date.today())
        self.table_view.value = self.table_html

    def _form_entry(self, dm_id: str) -> inf.DecisionMaker:
        """The form as a validated entry (raises InfluenceError naming the problem)."""
        return inf.DecisionMaker.create(
            id=dm_id, name=self.name.value, organization=self.organization.value, role=self.role.value,
            influence=self.influence.value, interest=self.interest.value, person=self.person.value or "",
            next_move=self.next_move.value, owner=self.owner.value, due=self.due.value)

    def _show_route(self) -> None:
        """Who can reach the person in the form (from the Universe pick, or the organization typed)."""
        probe = inf.DecisionMaker(id="?", name=self.name.value.strip() or "this person",
                                  organization=self.organization.value.strip(), person=self.person.value or "")
        if not probe.person and not self.name.value.strip():
            words = "pick them from the Universe list, or type a name and their organization."
        else:
            words = inf.route_words(inf.route_for(probe, self.graph), self.graph, limit=3)
        self.route_view.value = (
            "<div role='region' aria-label='Who can reach them' style='margin:0.4em 0 0.6em 14.3rem;"
            "max-width:36rem;line-height:1.45'><strong>Who can reach them:</strong> " + _e(words) + "</div>")

    # -- handlers ------------------------------------------------------------------------------
    @guarded("showing the decision-maker")
    def _picked(self, change) -> None:
        if self.is_loading:
            return
        dm = self.decision_makers.get(self.pick.value)
        with self.loading():
            if dm is None:
                self._clear()
            else:
                person = dm.person if dm.person in {v for _, v in self.person.options} else ""
                self.person.value = person
                self.name.value, self.organization.value, self.role.value = dm.name, dm.organization, dm.role
                self.influence.value, self.interest.value = dm.influence, dm.interest
                self.next_move.value, self.owner.value, self.due.value = dm.next_move, dm.owner, dm.due
        self._show_route()
        self.say(f"Editing {dm.name}." if dm else self.save_hint)

    @guarded("reading the Universe entry")
    def _person_changed(self, change) -> None:
        if self.is_loading:
            return
        p = self.universe.people.get(self.person.value or "")
        if p is not None:
            org = self.universe.organizations.get(p.organization)
            # fill only what is blank: never overwrite what someone typed
            with self.loading():
                if not self.name.value.strip():
                    self.name.value = p.name
                if not self.organization.value.strip() and org is not None:
                    self.organization.value = org.name
                if not self.role.value.strip():
                    self.role.value = p.title
        self._show_route()

    @guarded("finding who can reach them")
    def _typed(self, change) -> None:
        if not self.is_loading:
            self._show_route()

    def _clear(self) -> None:
        self.person.value = ""
        for w in (self.name, self.organization, self.role, self.next_move, self.owner, self.due):
            w.value = ""
        self.influence.value = self.interest.value = "medium"

    @guarded("saving the decision-maker")
    def save(self) -> None:
        """Validate the form and save it (a new entry gets an id; an edited one keeps its id)."""
        current = self.pick.value or NEW
        dm_id = current if current in self.decision_makers else inf.new_id(self.name.value, self.decision_makers)
        dm = self._form_entry(dm_id)
        at = inf.save_decision_maker(self.workspace, dm)
        self.refresh()
        with self.loading():
            self.pick.value = dm.id
        self._show_route()
        trouble = [f for f in inf.flags(dm, self.routes.get(dm.id)) if f.startswith("the next move has no owner")]
        if trouble:
            # saved, and said in the error colour: the move needs an owner before it happens
            self.failed(f"Saved at {local_time(at)}: {dm.name}; but the next move has no owner: choose who on the "
                        "team takes it.", lead="")
        else:
            self.saved(f"{dm.name}.", at=at)

    @guarded("starting a new entry")
    def start_new(self) -> None:
        with self.loading():
            self.pick.value = NEW
            self._clear()
        self._show_route()
        self.say("A new entry: type a name, then Save.")

    @guarded("deleting the decision-maker")
    def delete(self) -> None:
        dm = self.decision_makers.get(self.pick.value)
        if dm is None:
            raise inf.InfluenceError("pick a saved decision-maker to delete first")
        inf.delete_decision_maker(self.workspace, dm.id)
        with self.loading():
            self.pick.value = NEW
            self._clear()
        self.refresh()
        self._show_route()
        self.saved(f"deleted {dm.name}.")
