"""The demo reads `frontoffice import`'s report the way the command prints it."""

from __future__ import annotations

import pytest

from frontoffice.demo.loader import Imported, parse_import_report
from frontoffice.errors import FrontofficeError

# as `frontoffice import` printed it for the demo's Russian receipts, run a second time
REPORT = """
import pos-ru.csv (csv) into demo-ru/pos
┏━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃             ┃ rows                                           ┃
┡━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ rows read   │ 1,028                                          │
│ imported    │ 1,000                                          │
│ duplicates  │ 20 (0 repeated in the file, 20 already stored) │
│ quarantined │ 5 (2 already quarantined by an earlier run)    │
│ suppressed (erased people) │ 2                                 │
│ refused (data must be stored in another country) │ 1           │
└─────────────┴────────────────────────────────────────────────┘
300 rows/s, 0.1 s
"""


def test_the_import_report_counts_every_row_once() -> None:
    assert parse_import_report(REPORT) == Imported(imported=1000, duplicates=20, not_imported=8)


def test_an_output_without_a_report_says_what_was_printed() -> None:
    with pytest.raises(FrontofficeError, match="printed no report: Source demo/pos is disabled"):
        parse_import_report("Source demo/pos is disabled")
