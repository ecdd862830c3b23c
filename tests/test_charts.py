"""Tests of sectorkit.views.charts."""

import matplotlib

from sectorkit.lmi import measures as lmi
from sectorkit.lmi import qcew, screen
from sectorkit.views import charts


def _screen():
    data = qcew.read_area_files(qcew.example_region_path())
    r = lmi.Region.from_crosswalk(qcew.example_region_path() / "crosswalk.csv", "RIVERBEND4")
    return screen.build_sector_screen(data, r, 2020, 2023)


def test_bubble_chart_title_labels_and_png(tmp_path):
    s = _screen()
    fig = charts.bubble_chart(s)
    ax = fig.axes[0]
    assert "Riverbend" in ax.get_title()
    assert "%" in ax.get_xlabel() and "Location quotient" in ax.get_ylabel()
    texts = [t.get_text() for t in ax.texts]
    assert "Strong and growing" in texts and "Emerging" in texts
    assert "Manufacturing" in texts
    out = "/tmp/sectorkit_bubble.png"
    fig.savefig(out)
    assert open(out, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend() is not None


def test_alt_text_mentions_sectors():
    s = _screen()
    alt = charts.bubble_chart_alt_text(s)
    assert "Top-ranked sectors:" in alt
    assert s.iloc[0]["industry_title"] in alt
    assert "Strong and growing" in alt


def test_ranked_table_and_html_escape():
    s = _screen()
    s.loc[0, "industry_title"] = "<script>alert(1)</script>"
    t = charts.ranked_table(s, top=5)
    assert len(t) == 5 and t.iloc[0]["Rank"] == "1"
    h = charts.ranked_table_html(s, top=5, caption="Top <5>")
    assert "<script>" not in h and "&lt;script&gt;" in h and "Top &lt;5&gt;" in h


def test_charts_are_embedded_as_svg_with_their_words_as_text_and_the_same_bytes_each_time():
    """A chart is a vector drawing whose title and labels are text (sharp in the PDF, found by a
    search in it), drawn once per call; the same figure gives the same bytes (no date, fixed ids)."""
    import base64

    from matplotlib.figure import Figure

    from sectorkit.views.figures import IMG_PREFIX, figure_html

    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.bar(["Manufacturing", "Health care"], [15959, 36888])
    ax.set_title("Jobs by sector & <year>")
    ax.set_ylabel("Jobs")
    page = figure_html(fig, "Bar chart of jobs")
    assert page.startswith(f'<figure style="margin:0.5em 0">{IMG_PREFIX}') and 'alt="Bar chart of jobs"' in page
    svg = base64.b64decode(page.split("base64,", 1)[1].split('"', 1)[0]).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert ">Jobs by sector &amp; &lt;year&gt;</text>" in svg
    assert ">Manufacturing</text>" in svg and ">Jobs</text>" in svg
    assert figure_html(fig, "Bar chart of jobs") == page
    uncropped = base64.b64decode(figure_html(fig, "x", crop=False).split("base64,", 1)[1].split('"', 1)[0]).decode()
    assert 'width="288pt" height="216pt"' in uncropped  # the figure's own 4 x 3 inches
