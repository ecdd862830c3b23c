"""The Universe of Connections: who on the support team knows whom in the target sector.

Step 1 of building a sector partnership asks the public partners (workforce
development, education, economic development and others) to find out, before
any business is invited, which businesses in the target sector they already
reach and through whom. This package holds that map:

* **Data**: :class:`Organization` (a support partner with its *system*, or a
  business with its sector and size), :class:`Person` (name, organization,
  title, C-suite or not), :class:`Relationship` (two people who know each
  other, ``knows-well`` or ``acquainted``) and :class:`RosterEntry` (a support
  partner's role, and for a convener its rating on credibility, capacity and
  neutrality). They are stored as workspace records (kinds
  ``organization``, ``person``, ``relationship``, ``roster``).
* **Import/export** as CSV files or one Excel workbook (one sheet per table).
  An import keeps every good row and returns one message per bad row.
* **Analysis** as plain functions on a :mod:`networkx` graph of people
  (:func:`build_graph`): :func:`reach`, :func:`reach_summary`, :func:`gaps`,
  :func:`brokers`, :func:`single_points_of_failure`, :func:`system_spread`,
  :func:`champion_candidates`, :func:`paths_for`.
* **Views** live one layer up, in :mod:`sectorkit.views.universe`:
  ``draw_universe`` (businesses on the inner table, partners around them
  coloured by system, conveners marked), its text alternative
  ``diagram_alt_text``, and the same facts as a table, ``connections_table`` /
  ``connections_table_html``; the roster table and checks.

The package's modules, one concern each: :mod:`~sectorkit.universe.vocab`
(vocabularies), :mod:`~sectorkit.universe.model` (the records),
:mod:`~sectorkit.universe.store` (workspace records),
:mod:`~sectorkit.universe.tabular` (CSV/Excel), :mod:`~sectorkit.universe.analysis`
(graph analyses) and :mod:`~sectorkit.universe.examples` (example and generated
universes). This ``__init__`` re-exports their public names.

Definitions used throughout
---------------------------
*Team*: every person who works for a support partner. A business is reached
*directly* when a team member has a relationship with someone who works
there, and *within two steps* when a team member knows someone who knows
someone there (a warm introduction). A business reached neither way is a
*gap*.

Based on the Next Gen Sector Partnership training toolkit; sectorkit's own
wording and method, not official Next Gen material.

>>> G = nx.Graph()
>>> add_person(G, "ana", org="county-board", kind="partner", system="workforce")
>>> add_person(G, "bo", org="acme", kind="business")
>>> add_business(G, "zenith")
>>> G.add_edge("ana", "bo", strength="knows-well")
>>> reach_summary(G)
{'businesses': 2, 'direct': 1, 'within_two': 1, 'gaps': 1}
"""

from __future__ import annotations

import networkx as nx  # noqa: F401 - the examples above use it

from sectorkit.core.errors import DataError  # noqa: F401 - kept importable from here
from sectorkit.universe.analysis import (  # noqa: F401 - also the names outside __all__
    BusinessReach,
    Champion,
    SystemSpread,
    add_business,
    add_person,
    brokers,
    build_graph,
    business_ids,
    champion_candidates,
    gaps,
    organizations_of,
    paths_for,
    reach,
    reach_summary,
    single_points_of_failure,
    system_spread,
    team_people,
)
from sectorkit.universe.examples import example_universe, random_universe
from sectorkit.universe.model import NetworkError, Organization, Person, Relationship, RosterEntry, Universe
from sectorkit.universe.store import (  # noqa: F401 - the record kinds too
    KIND_ORG,
    KIND_PERSON,
    KIND_REL,
    KIND_ROSTER,
    RECORD_KINDS,
    delete_organization,
    delete_person,
    delete_relationship,
    load_universe,
    save_organization,
    save_person,
    save_relationship,
    save_roster_entry,
)
from sectorkit.universe.tabular import (  # noqa: F401 - also the names outside __all__
    REQUIRED,
    TABLES,
    ImportReport,
    Table,
    excel_bytes,
    export_csv,
    export_excel,
    import_files,
    read_tables,
)
from sectorkit.universe.vocab import (  # noqa: F401 - also the names outside __all__
    CRITERIA,
    ID_PATTERN,
    KINDS,
    MAX_TEXT,
    RATINGS,
    ROLES,
    SIZES,
    STRENGTHS,
    SYSTEMS,
    slugify,
)

__all__ = [
    "SYSTEMS", "STRENGTHS", "SIZES", "ROLES", "RATINGS",
    "NetworkError", "Organization", "Person", "Relationship", "RosterEntry", "Universe",
    "ImportReport", "slugify",
    "load_universe", "save_organization", "save_person", "save_relationship", "save_roster_entry",
    "delete_organization", "delete_person", "delete_relationship",
    "read_tables", "import_files", "export_csv", "export_excel", "excel_bytes",
    "build_graph", "add_person", "add_business", "team_people", "business_ids",
    "reach", "reach_summary", "gaps", "brokers", "single_points_of_failure", "system_spread",
    "champion_candidates", "paths_for",
    "example_universe", "random_universe",
]
