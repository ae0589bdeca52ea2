"""Sponsored-post detection from the documented indicators."""

from __future__ import annotations

import polars as pl
import pytest

from creatormatch.sponsorship import detect_sponsorship


@pytest.mark.parametrize(
    ("caption", "sponsored", "discloses"),
    [
        ("New serum from @glowco #ad", True, True),
        ("#Sponsored by nobody in particular", True, True),
        ("Paid partnership with @trailco: the best boots", True, True),
        ("Ad | my favourite oat milk", True, True),
        ("Neue Schuhe von @laufwerk #werbung", True, True),
        ("Use code SAM15 for 15% off at @beanbox", True, False),
        ("my fave blender, affiliate link in bio", True, False),
        ("Sunday long run, 18k easy #running #adventure", False, False),
        ("Reading about #adhd and #adaptogens", False, False),
        ("Had a bad day, made bread", False, False),
    ],
)
def test_indicators(caption: str, sponsored: bool, discloses: bool) -> None:
    frame = pl.DataFrame({"caption": [caption], "is_sponsored": [None]}, schema={"caption": pl.Utf8,
                                                                               "is_sponsored": pl.Boolean})
    row = detect_sponsorship(frame).collect().row(0, named=True)
    assert (row["is_sponsored"], row["discloses"]) == (sponsored, discloses)


def test_an_explicit_is_sponsored_value_wins_over_detection() -> None:
    frame = pl.DataFrame({"caption": ["#ad bought it myself", "thanks @brand"], "is_sponsored": [False, True]})
    rows = detect_sponsorship(frame).collect()
    assert rows.get_column("is_sponsored").to_list() == [False, True]
    assert rows.get_column("mentions").to_list() == [[], ["brand"]]
