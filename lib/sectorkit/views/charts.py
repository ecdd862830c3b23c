"""Charts and tables for the sector screen: the LQ-vs-growth bubble chart.

Figures are built with matplotlib's object-oriented API on the Agg backend
and returned (never shown), so they work in notebooks, Voila and tests. Every
chart comes with a text alternative from :func:`bubble_chart_alt_text`.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"industry_code": ["31-33", "62", "72"],
...     "industry_title": ["Manufacturing", "Health care", "Food service"],
...     "growth_pct": [4.0, 9.0, -2.0], "lq": [1.6, 1.1, 0.8],
...     "employment": [16000.0, 38000.0, 15000.0], "rank": [1, 2, 3]})
>>> fig = bubble_chart(s, title="Example")
>>> fig.axes[0].get_xlabel()
'Employment growth (%)'
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["QUADRANTS", "bubble_chart", "bubble_chart_alt_text", "quadrant", "ranked_table",
           "ranked_table_html"]

#: Quadrant names: (LQ above 1?, growth above the reference?) -> label
QUADRANTS = {
    (True, True): "Strong and growing",
    (True, False): "Strong but slowing",
    (False, True): "Emerging",
    (False, False): "Weak and slowing",
}


def quadrant(lq: float, growth: float, growth_ref: float = 0.0) -> str:
    """Name the quadrant of one industry (``"unknown"`` if a value is missing).

    Examples
    --------
    >>> quadrant(1.4, 3.0), quadrant(0.7, 5.0), quadrant(float("nan"), 1.0)
    ('Strong and growing', 'Emerging', 'unknown')
    """
    if lq is None or growth is None or pd.isna(lq) or pd.isna(growth):
        return "unknown"
    return QUADRANTS[(bool(lq > 1.0), bool(growth > growth_ref))]


#: Short names of the NAICS sectors for chart labels.
SHORT_NAMES = {
    "11": "Agriculture", "21": "Mining, oil & gas", "22": "Utilities", "23": "Construction",
    "31-33": "Manufacturing", "42": "Wholesale trade", "44-45": "Retail trade",
    "48-49": "Transportation & warehousing", "51": "Information", "52": "Finance & insurance",
    "53": "Real estate", "54": "Professional & technical services",
    "55": "Management of companies", "56": "Administrative & waste services",
    "61": "Educational services", "62": "Health care & social assistance",
    "71": "Arts & recreation", "72": "Accommodation & food services",
    "81": "Other services", "92": "Public administration", "99": "Unclassified",
}


def _chart_label(row) -> str:
    code = str(row["industry_code"])
    return SHORT_NAMES.get(code) or _short(_label(row))


def _label(row) -> str:
    t = row.get("industry_title")
    return str(t) if isinstance(t, str) and t else f"NAICS {row['industry_code']}"


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip(" ,") + "…"


def bubble_chart(screen: pd.DataFrame, *, title: str | None = None, growth_ref: float = 0.0,
                 label_top: int = 8, figsize: tuple[float, float] = (9.0, 6.5)) -> Figure:
    """The standard LQ-vs-growth bubble chart.

    Parameters
    ----------
    screen : pandas.DataFrame
        Needs ``industry_code, growth_pct, lq, employment``; uses
        ``industry_title`` and ``rank`` when present (from
        :func:`sectorkit.lmi.screen.sector_screen`).
    title : str, optional
        Chart title; default names the region and years from ``attrs``.
    growth_ref : float, default 0.0
        Where the vertical reference line goes (growth %, e.g. the region's
        all-industry growth).
    label_top : int, default 8
        Label this many industries (best ranked, else largest).
    figsize : tuple, default (9, 6.5)
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Industries with unknown growth or LQ are left out of the plot and
        named in a footnote.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"industry_code": ["62"], "growth_pct": [3.0], "lq": [1.2],
    ...                   "employment": [100.0]})
    >>> bubble_chart(s).axes[0].get_ylabel()
    'Location quotient (1 = national concentration)'
    """
    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    s = screen.copy()
    known = s["growth_pct"].notna() & s["lq"].notna() & s["employment"].notna()
    plot, left_out = s[known], s[~known]
    x = plot["growth_pct"].to_numpy(dtype=float)
    y = plot["lq"].to_numpy(dtype=float)
    emp = plot["employment"].to_numpy(dtype=float)
    sizes = 40 + 1800 * emp / emp.max() if len(emp) and emp.max() > 0 else np.full(len(emp), 60)
    colors = ["#1b7837" if (yy > 1 and xx > growth_ref) else "#2166ac" if yy > 1 else
              "#b35806" if xx > growth_ref else "#7f7f7f" for xx, yy in zip(x, y)]
    ax.scatter(x, y, s=sizes, c=colors, alpha=0.55, edgecolors="black", linewidths=0.6)
    ax.axhline(1.0, color="black", linewidth=0.9, linestyle="--")
    ax.axvline(growth_ref, color="black", linewidth=0.9, linestyle="--")
    if len(x):
        xpad = max(2.0, 0.12 * (x.max() - x.min()))
        ax.set_xlim(min(x.min(), growth_ref) - xpad, max(x.max(), growth_ref) + xpad)
        ax.set_ylim(0, max(y.max(), 1.0) * 1.18 + 0.1)
    for (hi_lq, hi_g), name in QUADRANTS.items():
        ax.text(0.98 if hi_g else 0.02, 0.97 if hi_lq else 0.03, name,
                transform=ax.transAxes, ha="right" if hi_g else "left",
                va="top" if hi_lq else "bottom", fontsize=10, fontweight="bold",
                color="#444444", bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="#cccccc",
                                           alpha=0.9))
    # label the best-ranked industries, nudging labels apart vertically
    order = plot.sort_values("rank" if "rank" in plot and plot["rank"].notna().any()
                             else "employment", ascending="rank" in plot, na_position="last")
    top = order.head(label_top)
    placed: list[tuple[float, float]] = []
    fig.draw_without_rendering()  # limits and transforms for placing the labels; no pixels
    trans = ax.transData
    for _, r in top.sort_values("lq", ascending=False).iterrows():
        px, py = trans.transform((r["growth_pct"], r["lq"]))
        ty = py + 14
        for _ in range(40):
            if all(abs(ty - qy) > 14 or abs(px - qx) > 170 for qx, qy in placed):
                break
            ty -= 15
        placed.append((px, ty))
        x0, x1 = ax.get_window_extent().x0, ax.get_window_extent().x1
        right_side = px > x0 + 0.6 * (x1 - x0)
        dx, dy = trans.inverted().transform((px - 10 if right_side else px + 10, ty))
        ax.annotate(_chart_label(r), xy=(r["growth_pct"], r["lq"]), xytext=(dx, dy),
                    fontsize=8.5, ha="right" if right_side else "left", va="center",
                    arrowprops=dict(arrowstyle="-", color="#555555", linewidth=0.6),
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    a = screen.attrs
    if title is None:
        where = a.get("region_name") or a.get("region") or "Region"
        years = f", {a['start_year']}-{a['end_year']}" if "start_year" in a else ""
        title = f"{where}: industry concentration vs growth{years}"
    ax.set_title(title, fontsize=12)
    period = f" {a['start_year']}-{a['end_year']}" if "start_year" in a else ""
    ax.set_xlabel("Employment growth (%)" if not period else f"Employment growth{period} (%)")
    ax.set_ylabel("Location quotient (1 = national concentration)")
    note = "Bubble area = jobs. Dashed lines: LQ = 1 and growth = " + f"{growth_ref:g}%."
    if len(left_out):
        names = ", ".join(_short(_label(r), 22) for _, r in left_out.head(4).iterrows())
        more = f" and {len(left_out) - 4} more" if len(left_out) > 4 else ""
        note += f" Not shown (growth or LQ unknown): {names}{more}."
    fig.text(0.01, 0.015, note, fontsize=8, color="#333333", wrap=True)
    ax.grid(True, alpha=0.25)
    fig.subplots_adjust(left=0.09, right=0.97, top=0.93, bottom=0.14)
    return fig


def bubble_chart_alt_text(screen: pd.DataFrame, *, growth_ref: float = 0.0, top: int = 3) -> str:
    """A text alternative for :func:`bubble_chart` (use it as the image's alt text).

    Parameters
    ----------
    screen : pandas.DataFrame
        The same frame given to :func:`bubble_chart`.
    growth_ref : float, default 0.0
        The growth reference used in the chart.
    top : int, default 3
        How many industries to name per quadrant.

    Returns
    -------
    str
        Sentences naming the top-ranked sectors and the quadrants.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"industry_code": ["31-33", "72"],
    ...     "industry_title": ["Manufacturing", "Food service"],
    ...     "growth_pct": [4.0, -2.0], "lq": [1.6, 0.8], "employment": [16000.0, 15000.0]})
    >>> print(bubble_chart_alt_text(s))  # doctest: +NORMALIZE_WHITESPACE
    Bubble chart of 2 industries: location quotient (vertical) against employment growth
    (horizontal), bubble size showing jobs. Largest: Manufacturing (16,000 jobs).
    Strong and growing: Manufacturing (LQ 1.60, +4.0%). Weak and slowing: Food service
    (LQ 0.80, -2.0%).
    """
    s = screen
    known = s[s["growth_pct"].notna() & s["lq"].notna()]
    a = s.attrs
    where = f" for {a.get('region_name') or a.get('region')}" if (a.get("region_name") or
                                                                   a.get("region")) else ""
    period = f", {a['start_year']}-{a['end_year']}" if "start_year" in a else ""
    parts = [f"Bubble chart of {len(known)} industries{where}{period}: location quotient "
             "(vertical) against employment growth (horizontal), bubble size showing jobs."]
    if "rank" in s.columns and s["rank"].notna().any():
        best = s[s["rank"].notna()].sort_values("rank").head(top)
        parts.append("Top-ranked sectors: " + ", ".join(_label(r) for _, r in best.iterrows())
                     + ".")
    else:
        big = known.sort_values("employment", ascending=False).head(1)
        parts += [f"Largest: {_label(r)} ({r['employment']:,.0f} jobs)." for _, r in big.iterrows()]
    for key, name in QUADRANTS.items():
        q = known[[quadrant(lq, g, growth_ref) == name for lq, g in
                   zip(known["lq"], known["growth_pct"])]]
        if q.empty:
            continue
        q = q.sort_values("employment", ascending=False).head(top)
        items = ", ".join(f"{_label(r)} (LQ {r['lq']:.2f}, {r['growth_pct']:+.1f}%)"
                          for _, r in q.iterrows())
        parts.append(f"{name}: {items}.")
    missing = len(s) - len(known)
    if missing:
        parts.append(f"{missing} industries are not shown because growth or LQ is unknown.")
    return " ".join(parts)


def ranked_table(screen: pd.DataFrame, top: int | None = 10) -> pd.DataFrame:
    """A readable ranked table: formatted strings, unknown values shown as "unknown".

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"industry_code": ["62"], "industry_title": ["Health <care>"],
    ...     "employment": [1200.0], "pay_ratio": [1.05], "growth_pct": [None], "lq": [1.3],
    ...     "total_score": [80.0], "rank": [1], "why": ["big"]})
    >>> ranked_table(s).iloc[0]["Growth (%)"]
    'unknown'
    """
    s = screen.copy()
    if "rank" in s.columns:
        s = s.sort_values("rank", na_position="last")
    if top is not None:
        s = s.head(top)

    def f(v, fmt):
        return "unknown" if v is None or pd.isna(v) else fmt.format(v)

    out = pd.DataFrame({
        "Rank": [f(v, "{:.0f}") if not pd.isna(v) else "not ranked" for v in
                 s.get("rank", pd.Series([np.nan] * len(s)))],
        "Industry": [_label(r) for _, r in s.iterrows()],
        "NAICS": s["industry_code"].astype(str).to_numpy(),
        "Jobs": [f(v, "{:,.0f}") for v in s["employment"]],
        "Pay vs region": [f(v, "{:.2f}x") for v in s["pay_ratio"]],
        "Growth (%)": [f(v, "{:+.1f}") for v in s["growth_pct"]],
        "LQ": [f(v, "{:.2f}") for v in s["lq"]],
        "Score": [f(v, "{:.0f}") for v in s.get("total_score", pd.Series([np.nan] * len(s)))],
        "Why": s.get("why", pd.Series([""] * len(s))).astype(str).to_numpy(),
    })
    return out.reset_index(drop=True)


def ranked_table_html(screen: pd.DataFrame, top: int | None = 10, caption: str | None = None
                      ) -> str:
    """The ranked table as accessible HTML; all text is escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"industry_code": ["62"], "industry_title": ["<b>Health</b>"],
    ...     "employment": [1.0], "pay_ratio": [1.0], "growth_pct": [1.0], "lq": [1.0]})
    >>> "&lt;b&gt;Health" in ranked_table_html(s, caption="Top <sectors>")
    True
    """
    t = ranked_table(screen, top)
    body = t.to_html(index=False, escape=True, border=0, classes="sectorkit-ranked")
    if caption:
        body = body.replace(">", f"><caption>{html.escape(caption)}</caption>", 1) \
            if body.startswith("<table") else body
    return body
