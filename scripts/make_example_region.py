"""Generate the ILLUSTRATIVE example region shipped in ``data/example_region/``.

The numbers are invented (fixed random seed, no network) but are laid out exactly
like BLS QCEW annual area files (38 columns, qtr "A", size_code 0, own_codes
0/1/2/3/5, agglvl 70/71/74/75 for counties and 10/11/14/15 for the nation),
with suppressed cells (disclosure_code "N", values published as 0), location
quotients computed against an illustrative nation (area ``US999``, also written)
and over-the-year changes computed against the previous year.

The story: four fictional counties (state FIPS 99) whose economy leans on
manufacturing and health care, with a fast-growing logistics sector, and the
NAICS 2017 -> 2022 break between 2021 and 2022 (452 -> 455, 454 -> 459,
511 -> 513, part of 519 -> 513).

Usage::

    python scripts/make_example_region.py [OUTPUT_DIR]

Running it twice writes byte-identical files.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 20240601
YEARS = (2019, 2020, 2021, 2022, 2023)  # 2019 only feeds the 2020 over-the-year columns
WRITE_YEARS = (2020, 2021, 2022, 2023)
NATION = "US999"

COLUMNS = (
    "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
    "annual_avg_estabs,annual_avg_emplvl,total_annual_wages,taxable_annual_wages,"
    "annual_contributions,annual_avg_wkly_wage,avg_annual_pay,lq_disclosure_code,"
    "lq_annual_avg_estabs,lq_annual_avg_emplvl,lq_total_annual_wages,lq_taxable_annual_wages,"
    "lq_annual_contributions,lq_annual_avg_wkly_wage,lq_avg_annual_pay,oty_disclosure_code,"
    "oty_annual_avg_estabs_chg,oty_annual_avg_estabs_pct_chg,oty_annual_avg_emplvl_chg,"
    "oty_annual_avg_emplvl_pct_chg,oty_total_annual_wages_chg,oty_total_annual_wages_pct_chg,"
    "oty_taxable_annual_wages_chg,oty_taxable_annual_wages_pct_chg,oty_annual_contributions_chg,"
    "oty_annual_contributions_pct_chg,oty_annual_avg_wkly_wage_chg,"
    "oty_annual_avg_wkly_wage_pct_chg,oty_avg_annual_pay_chg,oty_avg_annual_pay_pct_chg"
).split(",")

COUNTIES = [
    # fips, name, jobs in 2019, story
    ("99001", "Riverbend County (illustrative)", 118000),
    ("99003", "Millbrook County (illustrative)", 36000),
    ("99005", "Cedar Plains County (illustrative)", 21000),
    ("99007", "Harlan Ridge County (illustrative)", 7600),
]

# Latent private industries: (key, sector, code 2017, code 2022 split, national share of
# all jobs, national avg pay 2019, avg establishment size, national yearly growth).
# A split maps a 2022 code to the fraction of the latent industry it receives.
PRIVATE = [
    ("crop", "11", "111", {"111": 1}, 0.005, 38000, 8, 0.000),
    ("animal", "11", "112", {"112": 1}, 0.003, 36000, 6, 0.005),
    ("util", "22", "221", {"221": 1}, 0.004, 105000, 30, 0.002),
    ("bldg", "23", "236", {"236": 1}, 0.011, 68000, 9, 0.020),
    ("heavy", "23", "237", {"237": 1}, 0.007, 74000, 20, 0.020),
    ("trades", "23", "238", {"238": 1}, 0.032, 60000, 10, 0.020),
    ("food_mfg", "31-33", "311", {"311": 1}, 0.011, 50000, 60, 0.010),
    ("plastics", "31-33", "326", {"326": 1}, 0.005, 57000, 70, 0.005),
    ("metal", "31-33", "332", {"332": 1}, 0.011, 60000, 25, 0.003),
    ("machinery", "31-33", "333", {"333": 1}, 0.008, 72000, 45, 0.004),
    ("vehicles", "31-33", "336", {"336": 1}, 0.012, 78000, 150, 0.008),
    ("durable_ws", "42", "423", {"423": 1}, 0.022, 80000, 10, 0.008),
    ("nondur_ws", "42", "424", {"424": 1}, 0.014, 78000, 14, 0.006),
    ("motor", "44-45", "441", {"441": 1}, 0.014, 52000, 15, 0.010),
    ("grocery", "44-45", "445", {"445": 1}, 0.022, 29000, 18, 0.005),
    ("genmerch", "44-45", "452", {"455": 1}, 0.025, 28000, 60, 0.012),
    ("nonstore", "44-45", "454", {"459": 0.7, "455": 0.3}, 0.005, 60000, 12, 0.060),
    ("truck", "48-49", "484", {"484": 1}, 0.012, 55000, 8, 0.020),
    ("couriers", "48-49", "492", {"492": 1}, 0.008, 45000, 30, 0.070),
    ("warehouse", "48-49", "493", {"493": 1}, 0.011, 46000, 70, 0.080),
    ("publishing", "51", "511", {"513": 1}, 0.006, 120000, 20, 0.030),
    ("telecom", "51", "517", {"517": 1}, 0.005, 95000, 15, -0.010),
    ("info_other", "51", "519", {"513": 0.6, "519": 0.4}, 0.003, 130000, 12, 0.040),
    ("credit", "52", "522", {"522": 1}, 0.015, 85000, 9, 0.005),
    ("insurance", "52", "524", {"524": 1}, 0.019, 88000, 10, 0.012),
    ("realestate", "53", "531", {"531": 1}, 0.015, 58000, 5, 0.015),
    ("professional", "54", "541", {"541": 1}, 0.068, 98000, 9, 0.030),
    ("management", "55", "551", {"551": 1}, 0.017, 125000, 80, 0.015),
    ("admin", "56", "561", {"561": 1}, 0.058, 44000, 22, 0.015),
    ("waste", "56", "562", {"562": 1}, 0.003, 62000, 20, 0.010),
    ("schools_priv", "61", "611", {"611": 1}, 0.020, 50000, 25, 0.010),
    ("ambulatory", "62", "621", {"621": 1}, 0.057, 70000, 12, 0.025),
    ("hospitals", "62", "622", {"622": 1}, 0.040, 72000, 700, 0.015),
    ("nursing", "62", "623", {"623": 1}, 0.022, 38000, 45, -0.005),
    ("social", "62", "624", {"624": 1}, 0.030, 30000, 12, 0.020),
    ("recreation", "71", "713", {"713": 1}, 0.012, 28000, 20, 0.030),
    ("lodging", "72", "721", {"721": 1}, 0.014, 36000, 25, 0.020),
    ("restaurants", "72", "722", {"722": 1}, 0.078, 24000, 20, 0.015),
    ("repair", "81", "811", {"811": 1}, 0.010, 48000, 6, 0.005),
    ("personal", "81", "812", {"812": 1}, 0.011, 32000, 6, 0.008),
    ("orgs", "81", "813", {"813": 1}, 0.010, 40000, 8, 0.004),
]
# Government: (own_code, sector, code, share, pay, size, growth)
GOVERNMENT = [
    (1, "48-49", "491", 0.004, 60000, 20, -0.010),
    (1, "92", "921", 0.012, 90000, 30, 0.005),
    (2, "61", "611", 0.018, 62000, 800, 0.003),
    (2, "92", "922", 0.014, 64000, 60, 0.002),
    (3, "61", "611", 0.052, 55000, 90, 0.004),
    (3, "62", "622", 0.010, 66000, 300, 0.006),
    (3, "92", "921", 0.030, 58000, 25, 0.004),
]
# Regional tilt: the region's relative concentration by sector per county (1 = nation).
TILT = {
    "99001": {"31-33": 1.3, "62": 1.35, "48-49": 1.2, "52": 1.3, "54": 1.1, "55": 1.4, "11": 0.1},
    "99003": {"31-33": 3.2, "62": 1.1, "48-49": 1.0, "54": 0.5, "51": 0.4, "55": 0.5, "11": 1.5},
    "99005": {"31-33": 1.6, "62": 1.0, "48-49": 3.0, "51": 0.3, "54": 0.4, "52": 0.6, "11": 2.0},
    "99007": {"31-33": 1.8, "62": 1.2, "48-49": 0.8, "51": 0.0, "55": 0.0, "54": 0.3, "52": 0.5,
              "11": 6.0, "22": 0.0, "71": 0.5},
}
# Extra yearly growth of the region above the nation, by sector (logistics boom).
REGION_GROWTH = {"48-49": 0.06, "62": 0.01, "31-33": 0.004, "51": -0.01, "44-45": -0.004}
COVID_2020 = {"72": -0.22, "71": -0.25, "44-45": -0.05, "62": -0.03, "81": -0.08, "56": -0.06}
NATION_JOBS_2019 = 9_500_000


def _levels(rng: np.random.Generator):
    """Employment, pay and establishments for every (area, year, own, latent industry)."""
    latent = []  # (key, own, sector, code17, split, share, pay, size, growth)
    for key, sector, c17, split, share, pay, size, g in PRIVATE:
        latent.append((key, 5, sector, c17, split, share, pay, size, g))
    for own, sector, code, share, pay, size, g in GOVERNMENT:
        latent.append((f"gov{own}-{code}", own, sector, code, {code: 1}, share, pay, size, g))
    out = {}
    areas = [(NATION, None, NATION_JOBS_2019)] + [(f, n, j) for f, n, j in COUNTIES]
    for fips, _, jobs in areas:
        tilt = TILT.get(fips, {})
        noise_level = rng.lognormal(0.0, 0.25 if fips != NATION else 0.0, len(latent))
        pay_factor = 1.0 if fips == NATION else {"99001": 1.02, "99003": 0.95, "99005": 0.93,
                                                  "99007": 0.85}[fips]
        for j, (key, own, sector, c17, split, share, pay, size, g) in enumerate(latent):
            t = tilt.get(sector, 1.0) if own == 5 else 1.0
            level = jobs * share * t * noise_level[j]
            extra = REGION_GROWTH.get(sector, 0.0) if fips != NATION and own == 5 else 0.0
            for year in YEARS:
                if year > YEARS[0]:
                    shock = COVID_2020.get(sector, -0.02) if year == 2020 else 0.0
                    bounce = -0.8 * COVID_2020.get(sector, -0.02) if year == 2021 else 0.0
                    eps = rng.normal(0.0, 0.01 if fips == NATION else 0.025)
                    level *= 1.0 + g + extra + shock + bounce + eps
                emp = int(round(level))
                p = pay * pay_factor * (1.035 ** (year - 2019)) * rng.lognormal(0.0, 0.04)
                est = max(1, int(round(emp / (size * rng.lognormal(0.0, 0.1))))) if emp else 0
                out[(fips, year, own, key)] = (emp, int(round(emp * p)), est, sector, c17, split)
    return out


def _rows_for(levels, fips: str, year: int, rng: np.random.Generator):
    """Aggregate latent industries to 3-digit, 2-digit, ownership and total rows."""
    code_year = 2017 if year <= 2021 else 2022
    cells: dict[tuple[int, str], list[float]] = {}

    def add(own, code, emp, wages, est):
        c = cells.setdefault((own, code), [0.0, 0.0, 0.0])
        c[0] += emp
        c[1] += wages
        c[2] += est

    for (f, y, own, key), (emp, wages, est, sector, c17, split) in levels.items():
        if f != fips or y != year or emp == 0:
            continue
        parts = {c17: 1.0} if code_year == 2017 else split
        for code, frac in parts.items():
            add(own, code, emp * frac, wages * frac, est * frac)
            add(own, sector, emp * frac, wages * frac, est * frac)
        add(own, "10", emp, wages, est)
        add(0, "10", emp, wages, est)
    rows = {}
    for (own, code), (emp, wages, est) in cells.items():
        emp_i, wages_i, est_i = int(round(emp)), int(round(wages)), max(1, int(round(est)))
        rows[(own, code)] = {"emp": emp_i, "wages": wages_i, "est": est_i}
    return rows


def _agglvl(fips: str, own: int, code: str) -> int:
    base = 10 if fips == NATION else 70
    if code == "10":
        return base if own == 0 else base + 1
    return base + (4 if len(code) == 2 or "-" in code else 5)


def _suppress(rows, fips: str) -> set[tuple[int, str]]:
    """Primary suppression of small cells plus one complementary cell per group."""
    if fips == NATION:
        return set()
    hidden = set()
    for (own, code), r in rows.items():
        if code == "10":
            continue
        if r["est"] < 3 or r["emp"] < 25:
            hidden.add((own, code))
    # complementary suppression: a lone hidden cell among siblings is deducible, hide another
    groups: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for own, code in rows:
        if code == "10":
            continue
        parent = "10" if len(code) == 2 or "-" in code else _sector_of(code)
        groups.setdefault((own, parent), []).append((own, code))
    for (own, parent), kids in sorted(groups.items()):
        h = [k for k in kids if k in hidden]
        if len(h) == 1 and len(kids) > 1 and (own, parent) not in hidden:
            others = sorted((k for k in kids if k not in hidden), key=lambda k: rows[k]["emp"])
            hidden.add(others[0])
    # a hidden sector with a single 3-digit child would be revealed by the child
    for (own, parent), kids in groups.items():
        if parent != "10" and (own, parent) in hidden and len(kids) == 1:
            hidden.add(kids[0])
    return hidden


def _sector_of(code3: str) -> str:
    for key, sector, c17, split, *_ in PRIVATE:
        if code3 == c17 or code3 in split:
            return sector
    for own, sector, code, *_ in GOVERNMENT:
        if code3 == code:
            return sector
    raise KeyError(code3)


def _fmt(v: float, nd: int) -> str:
    v = round(float(v), nd)
    if v == 0:
        v = 0.0
    return repr(v)


def _pct(new: float, old: float) -> str:
    return _fmt((new - old) / old * 100.0, 1) if old else "0.0"


def build(out_dir: Path) -> list[Path]:
    """Write the example region into ``out_dir``; return the files written."""
    rng = np.random.default_rng(SEED)
    levels = _levels(rng)
    areas = [NATION] + [c[0] for c in COUNTIES]
    data = {}  # (fips, year) -> rows with derived fields
    for fips in areas:
        for year in YEARS:
            rows = _rows_for(levels, fips, year, rng)
            hidden = _suppress(rows, fips)
            for key, r in sorted(rows.items(), key=lambda kv: kv[0][0] == 0):
                r["hidden"] = key in hidden
                if key[0] == 0:
                    r["taxable"] = sum(x["taxable"] for k, x in rows.items()
                                       if k[1] == "10" and k[0] in (1, 2, 3, 5))
                elif key[0] in (1, 2, 3):
                    r["taxable"] = 0
                else:
                    r["taxable"] = int(round(min(r["wages"], r["emp"] * 9000 * 1.05)))
                r["contrib"] = int(round(r["taxable"] * 0.027))
                r["pay"] = int(round(r["wages"] / r["emp"])) if r["emp"] else 0
                r["wkly"] = int(round(r["pay"] / 52))
            data[(fips, year)] = rows
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fips in areas:
        for year in WRITE_YEARS:
            rows = data[(fips, year)]
            prev = data[(fips, year - 1)]
            nat = data[(NATION, year)]
            tot, ntot = rows[(0, "10")], nat[(0, "10")]
            lines = []
            for own, code in sorted(rows, key=lambda k: (k[0], k[1])):
                r = rows[(own, code)]
                h = r["hidden"]
                n = nat.get((own, code))
                vals = {"est": r["est"], "emp": r["emp"], "wages": r["wages"],
                        "taxable": r["taxable"], "contrib": r["contrib"],
                        "wkly": r["wkly"], "pay": r["pay"]}
                if h:
                    vals.update(emp=0, wages=0, taxable=0, contrib=0, wkly=0, pay=0)

                def lq(k, total_key=None):
                    if n is None:
                        return "0.0"
                    if k in ("wkly", "pay"):
                        return _fmt(r[k] / n[k], 2) if n[k] else "0.0"
                    a = r[k] / tot[k] if tot[k] else 0.0
                    b = n[k] / ntot[k] if ntot[k] else 0.0
                    return _fmt(a / b, 2) if b else "0.0"

                lq_est = lq("est")
                if h:
                    lqs = [lq_est] + ["0.0"] * 6
                else:
                    lqs = [lq_est, lq("emp"), lq("wages"), lq("taxable"), lq("contrib"),
                           lq("wkly"), lq("pay")]
                p = prev.get((own, code))
                oty_hidden = h or p is None or p["hidden"]
                if p is None:
                    oty = [str(r["est"]), "100.0"] + ["0", "0.0"] * 6
                elif oty_hidden:
                    oty = [str(r["est"] - p["est"]), _pct(r["est"], p["est"])] + ["0", "0.0"] * 6
                else:
                    oty = []
                    for k in ("est", "emp", "wages", "taxable", "contrib", "wkly", "pay"):
                        oty += [str(r[k] - p[k]), _pct(r[k], p[k])]
                line = [fips, str(own), code, str(_agglvl(fips, own, code)), "0", str(year), "A",
                        "N" if h else "", str(vals["est"]), str(vals["emp"]), str(vals["wages"]),
                        str(vals["taxable"]), str(vals["contrib"]), str(vals["wkly"]),
                        str(vals["pay"]), "N" if h else "", *lqs,
                        "N" if oty_hidden else "", *oty]
                lines.append(line)
            path = out_dir / f"{year}.annual.{fips}.csv"
            with path.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(COLUMNS)
                w.writerows(lines)
            written.append(path)
    cw = out_dir / "crosswalk.csv"
    with cw.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["area_fips", "county_name", "state_fips", "state", "region_id", "region_name"])
        for fips, name, _ in COUNTIES:
            w.writerow([fips, name, "99", "ZZ", "RIVERBEND4",
                        "Riverbend Valley (4 illustrative counties)"])
    written.append(cw)
    readme = out_dir / "README.md"
    readme.write_text(README, encoding="utf-8")
    written.append(readme)
    return written


README = """# Example region: ILLUSTRATIVE data, not real BLS data

Everything in this folder is **made up**. It was generated by
`scripts/make_example_region.py` (fixed random seed, no network) so that the
sectorkit notebooks, doctests and tests can run offline. **Do not use these
numbers for any real decision.** They are not BLS data and describe no real place.

- Four fictional counties with state FIPS code 99 (which no real state uses):
  99001 Riverbend, 99003 Millbrook, 99005 Cedar Plains and 99007 Harlan Ridge
  County, each marked "(illustrative)". `crosswalk.csv` groups them into the
  region `RIVERBEND4`.
- An illustrative nation, area code `US999` (the real U.S. code is US000), in
  `<year>.annual.US999.csv`. The counties' location quotients are computed
  against it.
- Years 2020-2023, one file per area and year, named `<year>.annual.<area>.csv`.
- The files use the **exact layout of the BLS QCEW annual area files**
  (38 columns: `area_fips, own_code, industry_code, agglvl_code, size_code,
  year, qtr, disclosure_code, annual_avg_estabs, annual_avg_emplvl, ...,
  lq_*, oty_*`), with `qtr` "A", `size_code` 0, ownership codes 0/1/2/3/5 and
  aggregation levels 70 (county total), 71 (ownership total), 74 (NAICS sector)
  and 75 (3-digit NAICS); the nation uses 10, 11, 14 and 15.
- Small cells are suppressed as BLS does: `disclosure_code` "N" with the values
  published as 0 (the establishment count stays published). sectorkit reads them
  as unknown, never as zero.
- `oty_*` columns are the changes from the previous year (2019 was generated
  but is not written). Codes follow NAICS 2017 in 2020-2021 and NAICS 2022 in
  2022-2023, so 452 becomes 455, 454 becomes mostly 459, 511 becomes 513 and
  part of 519 moves to 513, as in the real break.
- The story: a region heavy in manufacturing and health care, with a logistics
  (transportation and warehousing) sector growing fast.

Regenerate with:

    python scripts/make_example_region.py data/example_region
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "data" / "example_region"
    files = build(out)
    print(f"wrote {len(files)} files to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
