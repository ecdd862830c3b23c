"""Self-assessments over time: rounds, respondents, scores, comparisons, exports.

A **round** is one sitting of an assessment (e.g. the quarterly meeting on
2026-11-20). In a round, each **respondent** fills in the assessment spec
(``kind: assessment``); their answers are stored by the worksheet engine under
the key ``<spec>/<round>/<respondent>``, and a record holds their name and
whether their response is a draft or complete.

Scoring rule (also stated in the spec's intro)
----------------------------------------------
Each scored statement is rated on the item's scale (``min``..``max``). A
dimension's score is the mean of its rated statements; the overall score is
the mean of the dimension scores. A response is scored only when every
scored statement is rated; until then it is a draft and has no scores: blanks
are never counted as zeros. A round's team score per dimension is the mean of
its complete responses' scores; the spread is their range (max - min).

>>> from sectorkit.specs import parse_spec
>>> spec = parse_spec({"id": "mini", "version": 1, "title": "Mini", "kind": "assessment",
...     "dimensions": [{"id": "lead", "title": "Lead"}, {"id": "act", "title": "Act"}],
...     "sections": [{"id": "s", "title": "S", "questions": [
...         {"id": "a", "type": "scale", "min": 1, "max": 4, "label": "Business sets the agenda", "dimension": "lead"},
...         {"id": "b", "type": "scale", "min": 1, "max": 4, "label": "Business chairs meetings", "dimension": "lead"},
...         {"id": "c", "type": "scale", "min": 1, "max": 4, "label": "Actions are followed up", "dimension": "act"}]}]})
>>> score = score_answers(spec, {"a": 4, "b": 3, "c": 2})
>>> score.dimensions, score.overall, score.complete
({'lead': 3.5, 'act': 2.0}, 2.75, True)
>>> draft = score_answers(spec, {"a": 4})
>>> draft.complete, draft.overall, draft.dimensions["lead"], draft.missing
(False, None, None, ['b', 'c'])
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from sectorkit.core.errors import SectorkitError
from sectorkit.specs import WorksheetSpec, available_specs, load_spec
from sectorkit.views.html import illustrative_note
from sectorkit.store.workspace import Workspace, suggest_region_id

ROUND = "assessment_round"
RESPONSE = "assessment_response"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: a change in a team score smaller than this is reported as "about the same"
CHANGE_THRESHOLD = 0.25


@dataclass
class Score:
    """Scores of one response: per dimension, overall, and what is missing."""

    dimensions: dict[str, float | None]
    overall: float | None
    complete: bool
    missing: list[str] = field(default_factory=list)


def scored_questions(spec: WorksheetSpec):
    return [q for q in spec.questions() if q.dimension]


def score_answers(spec: WorksheetSpec, answers: dict[str, Any]) -> Score:
    """Score one response by the rule in the module docstring."""
    items = scored_questions(spec)
    missing = [q.id for q in items if not _is_rating(answers.get(q.id), q)]
    dims: dict[str, float | None] = {}
    for d in spec.dimensions:
        mine = [q for q in items if q.dimension == d.id]
        values = [answers.get(q.id) for q in mine]
        dims[d.id] = (sum(values) / len(values)) if all(_is_rating(v, q) for v, q in zip(values, mine)) else None
    complete = not missing
    overall = sum(dims.values()) / len(dims) if complete and dims else None
    return Score(dims, overall, complete, missing)


def _is_rating(value: Any, question) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and question.min <= value <= question.max


def _slug(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise SectorkitError(f"Please type a {what}.")
    if len(text) > 100:
        raise SectorkitError(f"The {what} is too long (at most 100 characters).")
    return suggest_region_id(text)


# -- rounds and responses ---------------------------------------------------------
def start_round(ws: Workspace, spec_id: str, when: str | None = None, label: str | None = None) -> str:
    """Create (or reuse) the round held on ``when`` (YYYY-MM-DD; default today); return its id."""
    when = when or date.today().isoformat()
    if not DATE_RE.match(when):
        raise SectorkitError(f"'{when}' is not a date; type it as YYYY-MM-DD, for example 2026-11-20.")
    try:
        date.fromisoformat(when)
    except ValueError:
        raise SectorkitError(f"'{when}' is not a real calendar date.") from None
    round_id = when
    key = f"{spec_id}/{round_id}"
    if key not in ws.records(ROUND):
        ws.put_record(ROUND, key, {"spec": spec_id, "round": round_id, "date": when, "label": label or when})
    return round_id


def rounds(ws: Workspace, spec_id: str) -> list[dict]:
    """The rounds of one assessment, oldest first."""
    found = [v for k, v in ws.records(ROUND).items() if k.startswith(f"{spec_id}/")]
    return sorted(found, key=lambda r: r["date"])


def response_key(spec_id: str, round_id: str, respondent_id: str) -> str:
    return f"{spec_id}/{round_id}/{respondent_id}"


def open_response(ws: Workspace, spec_id: str, round_id: str, respondent: str) -> str:
    """Register ``respondent`` in a round (as a draft if new); return the answers key."""
    rid = _slug(respondent, "name for the respondent")
    key = response_key(spec_id, round_id, rid)
    existing = ws.records(RESPONSE)
    if key not in existing:
        ws.put_record(RESPONSE, key, {"spec": spec_id, "round": round_id, "respondent": respondent.strip(),
                                      "respondent_id": rid, "status": "draft", "completed_at": None})
    return key


def complete_response(ws: Workspace, spec: WorksheetSpec, key: str) -> Score:
    """Mark a response complete if every scored statement is rated; else raise with what is missing."""
    score = score_answers(spec, ws.answers(key))
    record = ws.records(RESPONSE).get(key)
    if record is None:
        raise SectorkitError("This response was not started; type a name and start it first.")
    if not score.complete:
        labels = {q.id: q.label for q in spec.questions()}
        listed = "; ".join(labels[m] for m in score.missing[:3]) + (" ..." if len(score.missing) > 3 else "")
        raise SectorkitError(
            f"{len(score.missing)} statement(s) are not rated yet, so this stays a draft: {listed}"
        )
    record.update(status="complete", completed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    ws.put_record(RESPONSE, key, record)
    return score


def responses(ws: Workspace, spec: WorksheetSpec, round_id: str | None = None) -> pd.DataFrame:
    """One row per response: round, respondent, status, overall and dimension scores."""
    rows = []
    for key, rec in ws.records(RESPONSE).items():
        if rec["spec"] != spec.id or (round_id and rec["round"] != round_id):
            continue
        score = score_answers(spec, ws.answers(key))
        scored = rec["status"] == "complete" and score.complete
        row = {"round": rec["round"], "respondent": rec["respondent"], "status": rec["status"],
               "rated": len(scored_questions(spec)) - len(score.missing), "items": len(scored_questions(spec)),
               "overall": score.overall if scored else None}
        for d, v in score.dimensions.items():
            row[d] = v if scored else None
        rows.append(row)
    cols = ["round", "respondent", "status", "rated", "items", "overall", *[d.id for d in spec.dimensions]]
    return pd.DataFrame(rows, columns=cols).sort_values(["round", "respondent"], ignore_index=True)


def round_summary(ws: Workspace, spec: WorksheetSpec, round_id: str) -> pd.DataFrame:
    """Per dimension: the team score (mean of complete responses), min, max, spread, n."""
    df = responses(ws, spec, round_id)
    done = df[df["status"] == "complete"]
    rows = []
    for d in spec.dimensions:
        vals = done[d.id].dropna().astype(float)
        rows.append({"dimension": d.id, "title": d.title, "n": len(vals),
                     "team": vals.mean() if len(vals) else None, "min": vals.min() if len(vals) else None,
                     "max": vals.max() if len(vals) else None,
                     "spread": (vals.max() - vals.min()) if len(vals) else None})
    return pd.DataFrame(rows)


def compare_rounds(ws: Workspace, spec: WorksheetSpec) -> pd.DataFrame | None:
    """The latest round with complete responses against the one before: change per dimension.

    Returns None when fewer than one round has a complete response.
    """
    scored = [r["round"] for r in rounds(ws, spec.id) if round_summary(ws, spec, r["round"])["n"].max() > 0]
    if not scored:
        return None
    latest = round_summary(ws, spec, scored[-1]).set_index("dimension")
    out = latest[["title", "team", "min", "max", "spread", "n"]].rename(columns={"team": "latest"})
    out.insert(0, "latest_round", scored[-1])
    if len(scored) > 1:
        prev = round_summary(ws, spec, scored[-2]).set_index("dimension")
        out["previous_round"] = scored[-2]
        out["previous"] = prev["team"]
        out["change"] = out["latest"] - out["previous"]
        out["trend"] = [
            "improved" if c > CHANGE_THRESHOLD else "slipped" if c < -CHANGE_THRESHOLD else "about the same"
            for c in out["change"].fillna(0)
        ]
    else:
        out["previous_round"] = None
        out["previous"] = None
        out["change"] = None
        out["trend"] = "first assessment"
    return out.reset_index()


# -- charts and views ---------------------------------------------------------------
def comparison_chart(comparison: pd.DataFrame, spec: WorksheetSpec):
    """Horizontal bars per dimension: latest team score (with the respondents' range) and the previous."""
    from matplotlib.figure import Figure

    n = len(comparison)
    fig = Figure(figsize=(8, 0.55 * n + 2.0), layout="constrained")
    ax = fig.subplots()
    y = list(range(n))[::-1]
    top = max(q.max for q in scored_questions(spec))
    low = min(q.min for q in scored_questions(spec))
    has_prev = comparison["previous"].notna().any()
    h = 0.38 if has_prev else 0.6
    latest = comparison["latest"].astype(float)
    err_lo = (latest - comparison["min"].astype(float)).clip(lower=0)
    err_hi = (comparison["max"].astype(float) - latest).clip(lower=0)
    ax.barh([v + (h / 2 if has_prev else 0) for v in y], latest, height=h, color="#1f6f8b",
            xerr=[err_lo, err_hi], error_kw={"ecolor": "#333", "capsize": 3},
            label=f"Latest ({comparison['latest_round'].iloc[0]}); whiskers: lowest to highest respondent")
    if has_prev:
        ax.barh([v - h / 2 for v in y], comparison["previous"].astype(float), height=h, color="#b9b9b9",
                label=f"Previous ({comparison['previous_round'].iloc[0]})")
    ax.set_yticks(y, [t if len(t) < 40 else t[:38] + "…" for t in comparison["title"]])
    ax.set_xlim(low - 0.2 if low > 0 else 0, top + 0.2)
    ax.set_xlabel(f"Team score ({low} = not at all true, {top} = fully true)")
    ax.set_title(f"{spec.title}: score by dimension")
    fig.legend(loc="outside lower center", ncol=1, fontsize=8, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig


def comparison_alt_text(comparison: pd.DataFrame, spec: WorksheetSpec) -> str:
    parts = [f"Bar chart of {spec.title} scores by dimension for the round of {comparison['latest_round'].iloc[0]}."]
    for _, r in comparison.iterrows():
        s = f"{r['title']}: {r['latest']:.2f}"
        if pd.notna(r.get("previous")):
            s += f" (previous {r['previous']:.2f}, {r['trend']})"
        if pd.notna(r["spread"]) and r["n"] > 1:
            s += f", respondents range {r['min']:.2f} to {r['max']:.2f}"
        parts.append(s)
    return "; ".join(parts) + "."


def comparison_html(comparison: pd.DataFrame | None, spec: WorksheetSpec) -> str:
    """The comparison as an escaped HTML table, a chart with alt text, and the disagreements."""
    if comparison is None:
        return ("<p>No complete assessment yet. When every statement of at least one response is rated "
                "and marked complete, its scores and, later, the comparison with the next round appear here.</p>")
    from sectorkit.lessons import figure_html

    rows = []
    for _, r in comparison.iterrows():
        prev = f"{r['previous']:.2f}" if pd.notna(r.get("previous")) else "–"
        change = f"{r['change']:+.2f}" if pd.notna(r.get("change")) else "–"
        spread = f"{r['spread']:.2f}" if pd.notna(r["spread"]) else "–"
        rows.append(f"<tr><th scope='row'>{html.escape(r['title'])}</th><td>{r['latest']:.2f}</td><td>{prev}</td>"
                    f"<td>{change}</td><td>{html.escape(r['trend'])}</td><td>{spread}</td><td>{int(r['n'])}</td></tr>")
    caption = f"Latest round {comparison['latest_round'].iloc[0]}" + (
        f" compared with {comparison['previous_round'].iloc[0]}" if comparison["previous"].notna().any() else "")
    table = ("<table><caption>" + html.escape(caption) + "</caption><thead><tr><th scope='col'>Dimension</th>"
             "<th scope='col'>Latest</th><th scope='col'>Previous</th><th scope='col'>Change</th>"
             "<th scope='col'>Trend</th><th scope='col'>Spread</th><th scope='col'>Respondents</th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>")
    wide = comparison[(comparison["n"] > 1) & (comparison["spread"] >= 1)]
    talk = ""
    if len(wide):
        items = "".join(f"<li>{html.escape(t)} (scores from {lo:.1f} to {hi:.1f})</li>"
                        for t, lo, hi in zip(wide["title"], wide["min"], wide["max"]))
        talk = f"<p><strong>Worth a discussion</strong>: respondents disagree by a point or more on</p><ul>{items}</ul>"
    fig = comparison_chart(comparison, spec)
    alt = comparison_alt_text(comparison, spec)
    return table + talk + figure_html(fig, alt)


# -- export -----------------------------------------------------------------------------
def assessment_frame(ws: Workspace, spec_ids: list[str] | None = None) -> pd.DataFrame:
    """Every answer of every assessment response, one row each (long format)."""
    rows = []
    spec_ids = spec_ids or [s for s in available_specs() if load_spec(s).kind == "assessment"]
    for spec_id in spec_ids:
        spec = load_spec(spec_id)
        dims = {q.id: q.dimension for q in spec.questions()}
        for key, rec in ws.records(RESPONSE).items():
            if rec["spec"] != spec_id:
                continue
            for rec_answer in ws.answer_records(key):
                rows.append({"assessment": spec_id, "round": rec["round"], "respondent": rec["respondent"],
                             "status": rec["status"], "question": rec_answer.question,
                             "dimension": dims.get(rec_answer.question), "value": rec_answer.value,
                             "saved_at": rec_answer.updated_at})
    return pd.DataFrame(rows, columns=["assessment", "round", "respondent", "status", "question", "dimension",
                                       "value", "saved_at"])


def export(ws: Workspace, path: str | Path) -> Path:
    """Write every assessment to ``.xlsx`` (sheets: answers, scores) or ``.csv`` (answers)."""
    path = Path(path)
    answers = assessment_frame(ws)
    if path.suffix == ".csv":
        answers.to_csv(path, index=False)
        return path
    if path.suffix != ".xlsx":
        raise SectorkitError(f"Export to .xlsx or .csv, not '{path.suffix or path.name}'.")
    scores = [responses(ws, load_spec(s)).assign(assessment=s)
              for s in available_specs() if load_spec(s).kind == "assessment"]
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        answers.to_excel(xl, sheet_name="answers", index=False)
        (pd.concat(scores) if scores else pd.DataFrame()).to_excel(xl, sheet_name="scores", index=False)
    return path


# -- apps ---------------------------------------------------------------------------------
class AssessmentApp:
    """Take an assessment in a round as one respondent; see the team's comparison.

    Widgets are built in ``__init__``; ``.container`` is the one public view.
    """

    def __init__(self, spec: WorksheetSpec, workspace: Workspace):
        import ipywidgets as W

        from sectorkit.apps.form import WorksheetApp

        self._WorksheetApp = WorksheetApp
        self.spec, self.workspace = spec, workspace
        self.date = W.Text(value=date.today().isoformat(), description="Date of this round (YYYY-MM-DD)",
                           style={"description_width": "initial"}, layout=W.Layout(width="22rem"))
        self.respondent = W.Text(value="", description="Your name", placeholder="e.g. Ana Ruiz, Riverbend Tools",
                                 style={"description_width": "initial"}, layout=W.Layout(width="22rem"))
        self.start = W.Button(description="Start or continue my response", button_style="primary",
                              layout=W.Layout(width="auto"))
        self.complete = W.Button(description="Mark my response complete", disabled=True,
                                 layout=W.Layout(width="auto"))
        self.message = W.HTML()
        self.form = W.Box()  # holds this respondent's form once started (a Box, not an Output: see ui.show_html)
        self.comparison = W.HTML(value=comparison_html(compare_rounds(workspace, spec), spec))
        self.app = None
        self.key: str | None = None
        self.start.on_click(lambda _b: self.begin())
        self.complete.on_click(lambda _b: self.finish())
        intro = f"<h1 style='font-size:1.6em;line-height:1.3'>{html.escape(spec.title)}</h1>"
        intro += f"<p style='line-height:1.45'>Region: <strong>{html.escape(workspace.name)}</strong></p>"
        if workspace.illustrative:
            intro += illustrative_note("Practise here; use your own region's workspace for real assessments.")
        if spec.intro:
            intro += f"<p style='line-height:1.45'>{html.escape(spec.intro)}</p>"
        self.container = W.VBox([
            W.HTML(value=intro), self.date, self.respondent, W.HBox([self.start, self.complete]), self.message,
            self.form, W.HTML(value="<h2 style='font-size:1.25em'>How the team's scores moved</h2>"), self.comparison,
        ])

    def _say(self, text: str, ok: bool = True) -> None:
        color = "#1d5e20" if ok else "#9b1c1c"
        role = "status" if ok else "alert"
        self.message.value = f"<div role='{role}' style='color:{color};font-weight:600'>{html.escape(text)}</div>"

    def begin(self) -> None:
        """Open (or resume) this respondent's response in the chosen round."""
        try:
            round_id = start_round(self.workspace, self.spec.id, self.date.value.strip())
            self.key = open_response(self.workspace, self.spec.id, round_id, self.respondent.value)
        except SectorkitError as exc:
            self._say(str(exc), ok=False)
            return
        self.app = self._WorksheetApp(self.spec, self.workspace, key=self.key, header=False)
        self.complete.disabled = False
        self.form.children = (self.app.container,)
        status = self.workspace.records(RESPONSE)[self.key]["status"]
        self._say(f"{self.respondent.value.strip()}: response for {round_id} open ({status}). Answers save as you go.")

    def finish(self) -> None:
        if self.key is None:
            self._say("Start your response first.", ok=False)
            return
        try:
            complete_response(self.workspace, self.spec, self.key)
        except SectorkitError as exc:
            self._say(str(exc), ok=False)
            return
        self.comparison.value = comparison_html(compare_rounds(self.workspace, self.spec), self.spec)
        self._say("Marked complete. The team's comparison below now includes your scores.")


def assessment(spec_id: str, region: str = "example", root=None) -> AssessmentApp:
    """The assessment app for ``spec_id`` in ``region``'s workspace."""
    return AssessmentApp(load_spec(spec_id), _open(region, root))


def _open(region: str, root=None) -> Workspace:
    from sectorkit.example import open_region

    return open_region(region, root)


def show_history(region: str, spec_id: str, root=None) -> None:
    """Display the latest round against the previous one (table, chart, disagreements).

    Returns nothing, so a notebook cell shows the view once; the data is :func:`compare_rounds`.
    """
    from IPython.display import HTML, display

    spec = load_spec(spec_id)
    with _open(region, root) as ws:
        comp = compare_rounds(ws, spec)
        display(HTML(comparison_html(comp, spec)))


# -- After Action Reviews across the six steps ------------------------------------------
def aar_specs() -> list[WorksheetSpec]:
    found = [load_spec(s) for s in available_specs()]
    return sorted((s for s in found if s.kind == "after_action_review"), key=lambda s: s.step or 0)


def aar_progress(ws: Workspace) -> pd.DataFrame:
    """Per step's review: questions answered, 'not yet' answers, last save, done or not."""
    rows = []
    for spec in aar_specs():
        saved = ws.answers(spec.id)
        qs = spec.questions()
        answered = [q for q in qs if saved.get(q.id) not in (None, "", [])]
        not_yet = [q.label for q in qs if saved.get(q.id) == "not-yet"]
        rows.append({"step": spec.step, "review": spec.title, "answered": len(answered), "questions": len(qs),
                     "not_yet": len(not_yet), "not_yet_items": not_yet, "last_saved": ws.last_saved(spec.id),
                     "done": len(answered) == len(qs)})
    return pd.DataFrame(rows)


def aar_progress_html(progress: pd.DataFrame) -> str:
    rows = []
    for _, r in progress.iterrows():
        state = "Done" if r["done"] else ("Not started" if r["answered"] == 0 else "In progress")
        items = "".join(f"<li>{html.escape(t)}</li>" for t in r["not_yet_items"])
        when = html.escape(r["last_saved"][:10]) if isinstance(r["last_saved"], str) else "–"
        rows.append(f"<tr><th scope='row'>Step {int(r['step'])}</th><td>{html.escape(state)}</td>"
                    f"<td>{r['answered']} of {r['questions']}</td><td>{when}</td>"
                    f"<td>{r['not_yet']}{'<ul>' + items + '</ul>' if items else ''}</td></tr>")
    return ("<table><caption>After Action Reviews: progress by step</caption><thead><tr>"
            "<th scope='col'>Step</th><th scope='col'>Status</th><th scope='col'>Answered</th>"
            "<th scope='col'>Last saved</th><th scope='col'>'Not yet' answers</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def show_aar_progress(region: str, root=None) -> None:
    """Display which steps' reviews are done (the data is :func:`aar_progress`)."""
    from IPython.display import HTML, display

    with _open(region, root) as ws:
        progress = aar_progress(ws)
    display(HTML(aar_progress_html(progress)))


class AARHubApp:
    """One page for every step's After Action Review, with the progress view."""

    def __init__(self, workspace: Workspace):
        import ipywidgets as W

        from sectorkit.apps.form import WorksheetApp

        self.workspace = workspace
        self.specs = {f"Step {s.step}: {s.title}": s for s in aar_specs()}
        self.choose = W.Dropdown(options=list(self.specs), description="Which review",
                                 style={"description_width": "initial"}, layout=W.Layout(width="auto"))
        self.progress = W.HTML(value=aar_progress_html(aar_progress(workspace)))
        self.apps = {label: WorksheetApp(spec, workspace) for label, spec in self.specs.items()}
        self.form = W.Box([self.apps[self.choose.value].container]) if self.apps else W.Box()
        self.choose.observe(self._switch, names="value")
        for app in self.apps.values():
            app.on_saved.append(self._refresh)
        self.container = W.VBox([
            W.HTML(value=f"<h1 style='font-size:1.6em'>After Action Reviews</h1><p>Region: "
                         f"<strong>{html.escape(workspace.name)}</strong></p>"),
            self.progress, self.choose, self.form])

    def _refresh(self, _app=None) -> None:
        self.progress.value = aar_progress_html(aar_progress(self.workspace))

    def _switch(self, change) -> None:
        self.form.children = [self.apps[change["new"]].container]

    @classmethod
    def for_region(cls, region: str) -> "AARHubApp":
        return cls(_open(region))


def sustainability_page(region: str) -> AssessmentApp:
    """Factory for the Voila page (see :func:`sectorkit.serve.pages.app_page`)."""
    return assessment("sustainability", region=region)
