"""`creatormatch import youtube`: trending CSVs and Data API JSON become a data folder the build accepts."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from cli.main import app
from creatormatch.dataset import InputError, load_dataset
from training.importers import IMPORTERS, ImportResult, importer_for
from training.importers.youtube import csv_creator_id, import_youtube, parse_tags

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "youtube_trending"

OLD_HEADER = ["video_id", "title", "channel_title", "category_id", "tags", "views", "likes", "dislikes",
              "comment_total", "thumbnail_link", "date"]
NEW_HEADER = ["video_id", "trending_date", "title", "channel_title", "category_id", "publish_time", "tags", "views",
              "likes", "dislikes", "comment_count", "thumbnail_link", "comments_disabled", "ratings_disabled",
              "video_error_or_removed", "description"]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def old_row(video_id: str, channel: str, date: str, views: int | str = 100, likes: int | str = 10,
            comments: int | str = 1, category: str = "24", tags: str = "a|b", title: str = "A title") -> list[str]:
    return [video_id, title, channel, category, tags, str(views), str(likes), "0", str(comments),
            f"https://i.ytimg.com/vi/{video_id}/default.jpg", date]


def new_row(video_id: str, channel: str, trending_date: str, *, views: int = 100, likes: int = 10,
            comments: int = 1, category: str = "24", tags: str = '"a"|"b"', description: str = "About it",
            publish_time: str = "2017-11-10T17:00:03.000Z", comments_disabled: str = "False",
            ratings_disabled: str = "False", title: str = "A title") -> list[str]:
    return [video_id, trending_date, title, channel, category, publish_time, tags, str(views), str(likes), "0",
            str(comments), f"https://i.ytimg.com/vi/{video_id}/default.jpg", comments_disabled, ratings_disabled,
            "False", description]


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def read_out(out: Path) -> dict[str, pl.DataFrame]:
    tables = {name: pl.read_parquet(out / f"{name}.parquet") for name in ("creators", "posts")}
    if (out / "labels.parquet").exists():
        tables["labels"] = pl.read_parquet(out / "labels.parquet")
    tables["rejects"] = pl.read_csv(out / "import_rejects.csv", schema_overrides={"line": pl.Int64})
    return tables


def post(tables: dict[str, pl.DataFrame], video_id: str) -> dict[str, Any]:
    rows = tables["posts"].filter(pl.col("post_id") == video_id).to_dicts()
    assert len(rows) == 1, f"{video_id}: {len(rows)} posts"
    return rows[0]


def creator(tables: dict[str, pl.DataFrame], creator_id: str) -> dict[str, Any]:
    rows = tables["creators"].filter(pl.col("creator_id") == creator_id).to_dicts()
    assert len(rows) == 1, f"{creator_id}: {len(rows)} creators"
    return rows[0]


def run(inputs: list[Path], out: Path, categories: Path | None = None) -> tuple[ImportResult, dict[str, pl.DataFrame]]:
    result = import_youtube(inputs, out, categories=categories)
    return result, read_out(out)


# --- trending CSVs ----------------------------------------------------------------------------------------------


def test_old_layout_keeps_the_latest_trending_day_of_each_video(tmp_path: Path) -> None:
    rows = [
        old_row("v1", "Cooking Club", "13.09", views=100),
        old_row("v1", "Cooking Club", "02.10", views=300, likes=30),  # October beats September
        old_row("v1", "Cooking Club", "14.09", views=200),
        old_row("v2", "Cooking Club", "20.09", views=5),
        old_row("v2", "Cooking Club", "20.09", views=7),  # same day: the later row wins
        old_row("v3", " Trail Runs ", "15.09", tags='[none]', comments=0),
    ]
    result, tables = run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, rows))], tmp_path / "out")
    assert (result.creators, result.posts, result.duplicates_merged, result.rejected) == (2, 3, 3, 0)
    v1 = post(tables, "v1")
    assert (v1["views"], v1["likes"], v1["posted_at"], v1["caption"]) == (300, 30, None, "")
    assert v1["tags"] == ["a", "b"] and v1["format"] == "video" and v1["creator_id"] == csv_creator_id("Cooking Club")
    assert post(tables, "v2")["views"] == 7
    v3 = post(tables, "v3")
    assert v3["tags"] == [] and v3["comments"] == 0  # no disabled flag in this layout: a 0 is a real 0
    runner = creator(tables, csv_creator_id("Trail Runs"))
    assert runner["creator_id"] == "yt-" + __import__("hashlib").sha1(b"Trail Runs").hexdigest()[:16]
    assert (runner["handle"], runner["display_name"], runner["platform"], runner["bio"]) == (
        "Trail Runs", "Trail Runs", "youtube", "")
    assert runner["followers"] is None and runner["country"] is None


def test_new_layout_maps_text_tags_dates_and_disabled_counts(tmp_path: Path) -> None:
    rows = [
        new_row("n1", "EminemVEVO", "17.14.11", views=10, tags='Eminem|"Walk"|"On"| "" |"Water"',
                description="Line one\\nLine two"),
        new_row("n1", "EminemVEVO", "17.16.11", views=30, tags='Eminem|"Walk"|"On"| "" |"Water"',
                description="Line one\\nLine two"),
        new_row("n1", "EminemVEVO", "17.15.11", views=20),
        new_row("n2", "Quiet Channel", "17.14.11", comments_disabled="True", ratings_disabled="True", description=""),
        new_row("n3", "Quiet Channel", "17.14.11", comments=0, likes=0),
    ]
    result, tables = run([write(tmp_path / "CA.csv", csv_text(NEW_HEADER, rows))], tmp_path / "out")
    assert (result.posts, result.duplicates_merged, result.rejected) == (3, 2, 0)
    n1 = post(tables, "n1")
    assert n1["views"] == 30 and n1["tags"] == ["Eminem", "Walk", "On", "Water"]
    assert n1["caption"] == "Line one\nLine two" and n1["title"] == "A title"
    assert n1["posted_at"] == datetime(2017, 11, 10, 17, 0, 3, tzinfo=UTC)
    n2 = post(tables, "n2")
    assert n2["comments"] is None and n2["likes"] is None and n2["caption"] == ""
    n3 = post(tables, "n3")
    assert n3["comments"] == 0 and n3["likes"] == 0


def test_columns_in_any_order_with_extra_and_missing_optional_ones(tmp_path: Path) -> None:
    header = ["channel_title", "views", "video_id", "trending_date", "extra", "title"]
    text = csv_text(header, [["Chan", "5", "x1", "17.01.12", "?", "Hello"], ["Chan", "9", "x1", "18.01.01", "?", "Hi"]])
    _, tables = run([write(tmp_path / "US.csv", text)], tmp_path / "out")
    x1 = post(tables, "x1")
    assert (x1["views"], x1["title"], x1["likes"], x1["tags"], x1["caption"]) == (9, "Hi", None, [], "")
    assert "labels" not in tables  # no category ids, no labels


# The 2020+ Kaggle layout (one file a country, updated daily): camelCase names, channel ids, ISO dates, "[None]".
LATEST_HEADER = ["video_id", "title", "publishedAt", "channelId", "channelTitle", "categoryId", "trending_date", "tags",
                 "view_count", "likes", "dislikes", "comment_count", "thumbnail_link", "comments_disabled",
                 "ratings_disabled", "description"]


def latest_row(video_id: str, channel_id: str, channel: str, trending_date: str, *, views: int = 100,
               tags: str = "a|b", category: str = "20") -> list[str]:
    return [video_id, "A title", "2020-08-11T19:20:14Z", channel_id, channel, category, trending_date, tags,
            str(views), "10", "0", "1", f"https://i.ytimg.com/vi/{video_id}/default.jpg", "False", "False",
            "First line\nSecond line"]


def test_latest_layout_keys_creators_by_channel_id_and_reads_iso_dates(tmp_path: Path) -> None:
    rows = [
        latest_row("k1", "UC_one", "Old Name", "2020-08-12T00:00:00Z", views=10),
        latest_row("k1", "UC_one", "New Name", "2020-08-13T00:00:00Z", views=30),  # renamed: same creator
        latest_row("k2", "UC_one", "New Name", "2020-08-12T00:00:00Z", tags="[None]"),
        latest_row("k3", "UC_two", "Other", "2020-08-12", category="10"),
    ]
    bad_date = ["k4", "T", "2020-08-11T19:20:14Z", "UC_two", "Other", "10", "12.08.2020", "", "1", "1", "0", "1", "x",
                "False", "False", "d"]
    text = csv_text(LATEST_HEADER, [*rows, bad_date])
    result, tables = run([write(tmp_path / "US_youtube_trending_data.csv", text)], tmp_path / "out")
    assert (result.creators, result.posts, result.duplicates_merged, result.rejected) == (2, 3, 1, 1)
    # each description holds a real line break (this layout's descriptions do), so record 5 starts on line 10
    assert tables["rejects"].select("line", "field").rows() == [(10, "trending_date")]
    k1 = post(tables, "k1")
    assert (k1["creator_id"], k1["views"], k1["tags"], k1["caption"]) == ("UC_one", 30, ["a", "b"],
                                                                        "First line\nSecond line")
    assert k1["posted_at"] == datetime(2020, 8, 11, 19, 20, 14, tzinfo=UTC)
    assert post(tables, "k2")["tags"] == [] and post(tables, "k3")["creator_id"] == "UC_two"
    assert set(tables["creators"].get_column("creator_id")) == {"UC_one", "UC_two"}
    renamed = creator(tables, "UC_one")  # named by its newest record
    assert (renamed["handle"], renamed["display_name"]) == ("New Name", "New Name")
    assert dict(tables["labels"].select("creator_id", "category_id").iter_rows()) == {"UC_one": "20", "UC_two": "10"}
    bad_count = [*rows[0][:8], "many", *rows[0][9:]]
    _, tables = run([write(tmp_path / "counts.csv", csv_text(LATEST_HEADER, [rows[3], bad_count]))], tmp_path / "out2")
    assert tables["rejects"].select("field", "reason").rows() == [
        ("view_count", "view_count is not an integer ('many')")]  # the file's own column name


def test_older_layout_rows_under_a_renamed_channels_old_title_join_its_channel_id(tmp_path: Path) -> None:
    latest = [latest_row("k1", "UC_one", "Old Name", "2020-08-12T00:00:00Z"),
              latest_row("k2", "UC_one", "New Name", "2020-08-13T00:00:00Z"),
              latest_row("k3", "UC_two", "Shared", "2020-08-12T00:00:00Z"),
              latest_row("k4", "UC_three", "Shared", "2020-08-12T00:00:00Z")]
    older = [old_row("o1", "Old Name", "13.09"), old_row("o2", "New Name", "14.09"), old_row("o3", "Shared", "13.09")]
    _, tables = run([write(tmp_path / "US_youtube_trending_data.csv", csv_text(LATEST_HEADER, latest)),
                     write(tmp_path / "GB.csv", csv_text(OLD_HEADER, older))], tmp_path / "out")
    # o1 was trending under the channel's old title, o2 under its new one: both are UC_one's.
    assert post(tables, "o1")["creator_id"] == "UC_one" and post(tables, "o2")["creator_id"] == "UC_one"
    # Two channel ids were titled "Shared": a row with only that title is not given to either.
    assert post(tables, "o3")["creator_id"] not in {"UC_two", "UC_three"}
    assert creator(tables, "UC_one")["display_name"] == "New Name"
    assert tables["creators"].height == 4
    # Read the other way round (the older file first), the channel still takes its newest title.
    _, swapped = run([tmp_path / "GB.csv", tmp_path / "US_youtube_trending_data.csv"], tmp_path / "out2")
    assert post(swapped, "o1")["creator_id"] == "UC_one"
    assert (creator(swapped, "UC_one")["display_name"], creator(swapped, "UC_one")["handle"]) == ("New Name",) * 2


def test_a_video_seen_under_a_renamed_channels_two_titles_leaves_no_creator_without_posts(tmp_path: Path) -> None:
    """Its older record under the old title made a creator with no posts but a label, which search then showed
    with nothing known and evaluation counted as relevant."""
    rows = [old_row("v1", "Chef Anna", "13.09", category="26"), old_row("v1", "Anna Cooks", "14.09", category="26"),
            old_row("v2", "Anna Cooks", "14.09", category="26")]
    result, tables = run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, rows))], tmp_path / "out")
    assert result.creators == 1 and tables["creators"].get_column("display_name").to_list() == ["Anna Cooks"]
    assert tables["labels"].height == 1
    assert json.loads((tmp_path / "out" / "import_report.json").read_text())["channels_without_posts"] == 0


def test_a_channel_title_a_spreadsheet_turned_into_an_error_names_no_channel(tmp_path: Path) -> None:
    """Titles starting with =, + or - become #NAME? in a spreadsheet: unrelated channels merged into one."""
    rows = [old_row("v1", "#NAME?", "13.09"), old_row("v2", "#NAME?", "13.09"), old_row("v3", "Real One", "13.09")]
    result, tables = run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, rows))], tmp_path / "out")
    assert result.creators == 1 and result.rejected == 2
    assert all("spreadsheet error value (#NAME?)" in reason for reason in tables["rejects"].get_column("reason"))
    # With a channel id the channel is still known: the record is kept, its title taken from the id's others.
    latest = [latest_row("k1", "UC_one", "#NAME?", "2020-08-12T00:00:00Z"),
              latest_row("k2", "UC_one", "=LOVE", "2020-08-11T00:00:00Z")]
    result, tables = run([write(tmp_path / "US.csv", csv_text(LATEST_HEADER, latest))], tmp_path / "out2")
    assert (result.creators, result.posts, result.rejected) == (1, 2, 0)
    assert creator(tables, "UC_one")["display_name"] == "=LOVE"


def test_category_ids_written_as_floats_and_ids_without_a_title(tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    """pandas writes an integer column with a gap as 24.0: every label lost its title. Ids the category file
    does not hold left creators unlabelled without a word."""
    rows = [old_row("v1", "A", "13.09", category="24.0"), old_row("v2", "B", "13.09", category="29"),
            old_row("v3", "C", "13.09", category="29.0"), old_row("v4", "D", "13.09", category="10")]
    write(tmp_path / "categories.json", json.dumps({"10": "Music", "24": "Entertainment"}))
    with caplog.at_level(logging.WARNING):
        _, tables = run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, rows))], tmp_path / "out")
    labels = dict(tables["labels"].select("creator_id", "category_id").rows())
    assert sorted(labels.values()) == ["10", "24", "29", "29"]
    assert tables["labels"].get_column("category").null_count() == 2
    assert "2 of 4 creators' category ids have no title in the category files (29: 2)" in caplog.text
    report = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert (report["labels"], report["labels_titled"]) == (4, 2)


def test_dd_mm_dates_a_spreadsheet_saved_as_numbers_are_read_as_october(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    """01.10 saved as the number 1.1 was read as January, so October's newer counts lost to September's."""
    rows = [old_row("v1", "A", "13.09", views=100), old_row("v1", "A", "1.1", views=300),
            old_row("v2", "A", "20.1", views=5), old_row("v2", "A", "19.09", views=1), old_row("v3", "A", "20.2")]
    with caplog.at_level(logging.WARNING):
        result, tables = run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, rows))], tmp_path / "out")
    assert post(tables, "v1")["views"] == 300 and post(tables, "v2")["views"] == 5
    assert "2 records have a DD.MM trending date that a spreadsheet saved as a number" in caplog.text
    assert result.rejected == 1 and "a month of one digit" in tables["rejects"].get_column("reason")[0]


def test_a_folder_stands_for_the_exports_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder / "GB.csv", csv_text(OLD_HEADER, [old_row("v1", "A", "13.09", category="10")]))
    write(folder / "CA.csv", csv_text(NEW_HEADER, [new_row("n1", "B", "17.14.11", category="24")]))
    write(folder / "categories.json", json.dumps({"10": "Music", "24": "Entertainment"}))  # the side file
    write(folder / "notes.txt", "not an export")
    write(folder / "._GB.csv", b"\x00\x05\x16\x07 macOS metadata")  # hidden: skipped
    result, tables = run([folder], tmp_path / "out")
    assert (result.creators, result.posts) == (2, 2)
    assert sorted(tables["labels"].get_column("category").to_list()) == ["Entertainment", "Music"]
    assert list(result.rows_read) == [str(folder / "CA.csv"), str(folder / "GB.csv")]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no export in this folder"):
        import_youtube([empty], tmp_path / "out2")


def test_malformed_rows_are_rejected_with_their_line_and_the_rest_imports(tmp_path: Path) -> None:
    good = [old_row(f"g{i}", "Chan", "13.09") for i in range(3)]
    lines = csv_text(OLD_HEADER, good).splitlines()
    glued = ",".join(old_row("b1", "Chan", "13.09")) + ",".join(old_row("b2", "Chan", "14.09"))
    lines.insert(2, glued)  # line 3 of the file
    lines.append(",".join(old_row("", "Chan", "13.09")))  # line 6
    lines.append(",".join(old_row("b3", "", "13.09")))  # line 7
    lines.append(",".join(old_row("b4", "Chan", "13.09", views="lots")))  # line 8
    lines.append(",".join(old_row("b5", "Chan", "31.13")))  # line 9
    result, tables = run([write(tmp_path / "GB.csv", "\n".join(lines) + "\n")], tmp_path / "out")
    assert result.posts == 3 and result.rejected == 5
    rejects = tables["rejects"].select("file", "line", "id", "field").rows()
    assert rejects == [("GB.csv", 3, "b1", ""), ("GB.csv", 6, None, "video_id"), ("GB.csv", 7, "b3", "channel_title"),
                       ("GB.csv", 8, "b4", "views"), ("GB.csv", 9, "b5", "date")]
    reasons = tables["rejects"].get_column("reason").to_list()
    assert "expected 11 fields, found 21" in reasons[0] and "'lots'" in reasons[3]


def test_exports_joined_with_cat_skip_the_repeated_header(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`cat GB.csv CA.csv > all.csv` repeats the header mid-file (with the second file's byte order mark, if any):
    it is not a video, so it is skipped and counted, not rejected as a bad date."""
    first = csv_text(NEW_HEADER, [new_row("v1", "Cooking Club", "17.14.11")])
    second = "\ufeff" + csv_text([c.upper() for c in NEW_HEADER], [new_row("v2", "Trail Runs", "17.15.11")])
    with caplog.at_level(logging.WARNING):
        result, tables = run([write(tmp_path / "all.csv", first + second)], tmp_path / "out")
    assert (result.posts, result.rejected) == (2, 0), tables["rejects"].to_dicts()
    report = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert report["repeated_headers_skipped"] == 1 and report["rows_read"] == 2
    assert "skipped 1 repeated header rows (first: all.csv line 3)" in caplog.text


def test_line_numbers_count_physical_lines_after_a_multi_line_field(tmp_path: Path) -> None:
    rows = [new_row("m1", "Chan", "17.14.11", description="first\nsecond\nthird"),
            new_row("m2", "Chan", "17.14.11", title="Title\non two lines")]
    text = csv_text(NEW_HEADER, rows) + ",".join(new_row("bad", "Chan", "17.14.11"))[:-3] + ",x,y\n"
    # header: line 1; m1: lines 2-4; m2: lines 5-6; the bad record: line 7.
    result, tables = run([write(tmp_path / "CA.csv", text)], tmp_path / "out")
    assert result.posts == 2 and post(tables, "m1")["caption"] == "first\nsecond\nthird"
    assert tables["rejects"].select("line", "id").rows() == [(7, "bad")]


def test_a_file_that_is_not_utf8_is_read_as_cp1252_with_a_warning(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    text = csv_text(NEW_HEADER, [new_row("e1", "Café Olé", "17.14.11", description="Crème brûlée – 5 €")])
    with caplog.at_level(logging.WARNING):
        _, tables = run([write(tmp_path / "FR.csv", text.encode("cp1252"))], tmp_path / "out")
    assert post(tables, "e1")["caption"] == "Crème brûlée – 5 €"
    assert creator(tables, csv_creator_id("Café Olé"))["display_name"] == "Café Olé"
    # Every line with non-ASCII bytes failed UTF-8: the file is in another encoding, and the warning says how to
    # name it.
    assert "are not UTF-8" in caplog.text and "cp1252" in caplog.text and "--encoding" in caplog.text


def test_a_file_wholly_in_a_non_latin_encoding_is_read_in_the_one_its_bytes_suggest(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """It was read as cp1252 with a warning: mojibake with C1 control characters ("ƒ‰\x81[")."""
    for name, codec, channel, title in (("JP.csv", "cp932", "料理チャンネル", "簡単な料理①～今日はラーメン"),
                                        ("KR.csv", "cp949", "요리왕", "맛있는 김치찌개 오늘의 레시피"),
                                        ("RU.csv", "cp1251", "Кухня Анны", "Борщ за 10 минут")):
        text = csv_text(NEW_HEADER, [new_row("j1", channel, "17.14.11", title=title, description=title)])
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            _, tables = run([write(tmp_path / name, text.encode(codec))], tmp_path / f"out-{codec}")
        assert post(tables, "j1")["title"] == title, name
        assert creator(tables, csv_creator_id(channel))["display_name"] == channel, name
        assert f"the file was read as {codec}, the encoding its bytes suggest" in caplog.text, name
        report = json.loads((tmp_path / f"out-{codec}" / "import_report.json").read_text())
        assert report["inputs"][0]["encoding"] == f"{codec} (detected)"


def test_western_files_that_are_not_utf8_stay_cp1252_whatever_a_detector_guesses(tmp_path: Path) -> None:
    """charset-normalizer names hp_roman8 or mac_iceland for Finnish and Icelandic cp1252 text ("Hyvðð")."""
    for name, title in (("FI.csv", "Hyvää päivää, tämä on äänitys"), ("IS.csv", "Þetta er íslenska og ærlegt")):
        rows = [new_row(f"w{i}", "Pohjoinen Ääni", "17.14.11", title=title, description=title) for i in range(20)]
        _, tables = run([write(tmp_path / name, csv_text(NEW_HEADER, rows).encode("cp1252"))], tmp_path / f"out-{name}")
        assert post(tables, "w3")["title"] == title, name
        assert creator(tables, csv_creator_id("Pohjoinen Ääni"))["display_name"] == "Pohjoinen Ääni"


def test_encoding_names_the_files_that_are_not_utf8_in_a_mixed_import(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    """--encoding cp1251 for a Russian export turned a UTF-8 export beside it into mojibake ("EstГ©e")."""
    russian = csv_text(NEW_HEADER, [new_row("r1", "Кухня Анны", "17.14.11", title="Борщ")])
    utf8 = csv_text(NEW_HEADER, [new_row("u1", "Estée Lalonde", "17.14.11", title="Café")])
    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "RU.csv", russian.encode("cp1251"))
    write(tmp_path / "in" / "GB.csv", utf8.encode("utf-8"))
    with caplog.at_level(logging.WARNING):
        import_youtube([tmp_path / "in"], tmp_path / "out", encoding="cp1251")
    tables = read_out(tmp_path / "out")
    assert post(tables, "r1")["title"] == "Борщ" and post(tables, "u1")["title"] == "Café"
    assert creator(tables, csv_creator_id("Estée Lalonde"))["display_name"] == "Estée Lalonde"
    assert "GB.csv is valid UTF-8, so it was read as UTF-8, not cp1251" in caplog.text


def test_one_stray_byte_changes_only_its_own_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = csv_text(NEW_HEADER, [new_row("u1", "Beyoncé Fans", "17.14.11", description="Crème brûlée"),
                                 new_row("u2", "Other", "17.14.11", description="STRAY")])
    data = text.encode("utf-8").replace(b"STRAY", b"caf\xe9")  # one cp1252 byte on u2's line
    with caplog.at_level(logging.WARNING):
        result, tables = run([write(tmp_path / "mixed.csv", data)], tmp_path / "out")
    assert post(tables, "u1")["caption"] == "Crème brûlée"  # the UTF-8 lines stay UTF-8
    assert creator(tables, csv_creator_id("Beyoncé Fans"))["display_name"] == "Beyoncé Fans"
    assert post(tables, "u2")["caption"] == "café"
    assert "1 line(s) are not valid UTF-8 (the first is line 3)" in caplog.text
    report = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert report["inputs"][0]["encoding"] == "utf-8 and cp1252 (1 lines)" and result.rejected == 0


def test_the_cp1252_fallback_keeps_a_bom_out_and_reads_only_undefined_bytes_as_latin1(tmp_path: Path) -> None:
    text = csv_text(NEW_HEADER, [new_row("q1", "Quotes", "17.14.11", description="STRAY")])
    data = b"\xef\xbb\xbf" + text.encode("utf-8").replace(b"STRAY", b"\x93quoted\x94 \x81")
    _, tables = run([write(tmp_path / "bom.csv", data)], tmp_path / "out")  # BOM and a bad byte: header intact
    assert post(tables, "q1")["caption"] == "\u201cquoted\u201d \x81"


def test_utf16_without_a_byte_order_mark_is_refused_with_a_reason(tmp_path: Path) -> None:
    text = csv_text(NEW_HEADER, [new_row("w1", "Chan", "17.14.11")])
    with pytest.raises(InputError, match="looks like UTF-16 without a byte-order mark"):
        import_youtube([write(tmp_path / "nobom.csv", text.encode("utf-16-le"))], tmp_path / "out")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_files_with_a_byte_order_mark_are_read(tmp_path: Path, codec: str) -> None:
    text = csv_text(NEW_HEADER, [new_row("w1", "Café", "17.14.11", description="Olé 🎉")])
    data = text.encode(codec) if codec == "utf-16" else "\ufeff".encode(codec) + text.encode(codec)
    _, tables = run([write(tmp_path / "win.csv", data)], tmp_path / "out")
    assert post(tables, "w1")["caption"] == "Olé 🎉"
    videos = json.dumps(response("video", [api_video("j1", "UC_J", channel_title="Jay")]))
    _, tables = run([write(tmp_path / "win.json", videos.encode(codec) if codec == "utf-16"
                           else "\ufeff".encode(codec) + videos.encode(codec))], tmp_path / "out2")
    assert post(tables, "j1")["creator_id"] == "UC_J"


def test_out_of_range_counts_and_dates_reject_only_their_row(tmp_path: Path) -> None:
    rows = [new_row("ok", "Fine", "17.14.11"),
            new_row("big", "Fine", "17.14.11", views=2**63),
            new_row("big2", "Fine", "17.14.11", likes=2**63 - 1),
            new_row("early", "Fine", "17.14.11", publish_time="0001-01-01T00:00:00+01:00"),
            new_row("late", "Fine", "17.14.11", publish_time="9999-12-31T23:59:59-05:00")]
    result, tables = run([write(tmp_path / "odd.csv", csv_text(NEW_HEADER, rows))], tmp_path / "out")
    assert result.posts == 1 and post(tables, "ok")["views"] == 100
    assert tables["rejects"].select("id", "field").rows() == [
        ("big", "views"), ("big2", "likes"), ("early", "publish_time"), ("late", "publish_time")]
    assert all("implausibly large" in r or "years 1-9999" in r for r in tables["rejects"].get_column("reason"))
    huge = json.dumps(response("video", [api_video("a1", "UC_A"), api_video("a2", "UC_A", views=str(10**20))]))
    result, tables = run([write(tmp_path / "huge.json", huge)], tmp_path / "out2")
    assert result.posts == 1 and tables["rejects"].get_column("id").to_list() == ["a2"]


def test_parse_tags() -> None:
    assert parse_tags('Eminem|"Walk"|"On"') == ["Eminem", "Walk", "On"]
    assert parse_tags("[none]") == [] and parse_tags("") == [] and parse_tags(' "" | a ') == ["a"]


# --- Data API JSON ----------------------------------------------------------------------------------------------


def api_video(video_id: str | dict[str, str], channel_id: str, *, views: str | None = "1000",
              likes: str | None = "50", comments: str | None = "5", category: str = "26",
              channel_title: str = "Channel", language: str | None = None) -> dict[str, Any]:
    statistics = {k: v for k, v in (("viewCount", views), ("likeCount", likes), ("commentCount", comments)) if v}
    snippet: dict[str, Any] = {"channelId": channel_id, "channelTitle": channel_title, "title": f"Video {video_id}",
                               "description": "Desc", "tags": ["diy", " home "], "categoryId": category,
                               "publishedAt": "2024-03-01T10:00:00Z"}
    if language:
        snippet["defaultAudioLanguage"] = language
    return {"kind": "youtube#video", "id": video_id, "snippet": snippet, "statistics": statistics}


def api_channel(channel_id: str, title: str, *, subscribers: str = "12000", hidden: bool = False,
                custom_url: str | None = "@handyhome", language: str | None = "en-GB") -> dict[str, Any]:
    snippet: dict[str, Any] = {"title": title, "description": f"{title} bio", "country": "gb"}
    if custom_url:
        snippet["customUrl"] = custom_url
    if language:
        snippet["defaultLanguage"] = language
    return {"kind": "youtube#channel", "id": channel_id, "snippet": snippet,
            "statistics": {"subscriberCount": subscribers, "hiddenSubscriberCount": hidden, "videoCount": "42",
                           "viewCount": "999999"}}


def response(kind: str, items: list[Any]) -> dict[str, Any]:
    return {"kind": f"youtube#{kind}ListResponse", "etag": "x", "items": items}


def test_api_videos_and_channels_in_object_array_and_jsonl_forms(tmp_path: Path) -> None:
    videos = write(tmp_path / "videos.json", json.dumps(response("video", [
        api_video("a1", "UC_A", likes=None),  # hidden likes
        api_video("a2", "UC_B", comments=None, channel_title="No Resource", language="de-DE"),
        api_video("a3", "UC_A", views="12x"),  # bad count: rejected with its position
    ])))
    search = write(tmp_path / "search.json", json.dumps([response("search", [
        {"kind": "youtube#searchResult", "id": {"kind": "youtube#video", "videoId": "s1"},
         "snippet": {"channelId": "UC_A", "channelTitle": "Handy Home", "title": "Found", "description": "",
                     "publishedAt": "2024-02-01T08:00:00Z"}},
        {"kind": "youtube#searchResult", "id": {"kind": "youtube#playlist", "playlistId": "PL1"}},
    ])]))
    channels = write(tmp_path / "channels.jsonl", "\n".join(json.dumps(r) for r in (
        response("channel", [api_channel("UC_A", "Handy Home")]),
        response("channel", [api_channel("UC_C", "Secretive", hidden=True, custom_url=None, language=None)]),
    )) + "\n")
    result, tables = run([videos, search, channels], tmp_path / "out")
    assert (result.creators, result.posts, result.rejected) == (3, 3, 2)
    a1 = post(tables, "a1")
    assert (a1["views"], a1["likes"], a1["comments"]) == (1000, None, 5)
    assert a1["tags"] == ["diy", "home"] and a1["caption"] == "Desc" and a1["title"] == "Video a1"
    assert a1["posted_at"] == datetime(2024, 3, 1, 10, tzinfo=UTC) and a1["creator_id"] == "UC_A"
    assert post(tables, "a2")["comments"] is None
    s1 = post(tables, "s1")
    assert s1["creator_id"] == "UC_A" and s1["views"] is None
    handy = creator(tables, "UC_A")
    assert (handy["handle"], handy["display_name"], handy["bio"], handy["followers"], handy["posts_count"],
            handy["country"], handy["language"]) == ("handyhome", "Handy Home", "Handy Home bio", 12000, 42, "GB", "en")
    secretive = creator(tables, "UC_C")
    assert secretive["followers"] is None and secretive["handle"] == "Secretive" and secretive["posts_count"] == 42
    no_resource = creator(tables, "UC_B")
    assert (no_resource["display_name"], no_resource["handle"], no_resource["followers"], no_resource["language"]) == (
        "No Resource", "No Resource", None, "de")
    rejects = tables["rejects"].select("file", "line", "id", "field").rows()
    assert rejects == [("videos.json", None, "a3", "items[2].statistics.viewCount"),
                       ("search.json", None, "PL1", "[0].items[1].kind")]


def test_an_id_that_is_an_object_or_a_number_says_so(tmp_path: Path) -> None:
    """A channel item with a search result's id object (no channelId in it) or a numeric id used to be told
    "channel id is missing", which sent one looking for a field that is there."""
    channels = [api_channel("UC_A", "Handy Home"), {**api_channel("x", "Odd"), "id": {"kind": "youtube#channel",
                                                                                      "playlistId": "PL9"}},
                {**api_channel("x", "Numbered"), "id": 12345}]
    result, tables = run([write(tmp_path / "channels.json", json.dumps(response("channel", channels))),
                          write(tmp_path / "videos.json", json.dumps(response("video", [api_video("a1", "UC_A")])))],
                         tmp_path / "out")
    reasons = dict(zip(tables["rejects"].get_column("field"), tables["rejects"].get_column("reason"), strict=True))
    assert result.rejected == 2, reasons
    assert "the id object has no channelId (it holds kind, playlistId; kind 'youtube#channel')" in \
        reasons["items[1].id.channelId"]
    assert reasons["items[2].id"] == "channel id is not text (found int)"


def test_jsonl_lines_are_located_by_line_number(tmp_path: Path) -> None:
    text = json.dumps(response("video", [api_video("j1", "UC_J")])) + "\n\n{not json\n" + json.dumps(
        response("video", [{"kind": "youtube#video", "snippet": {"channelId": "UC_J"}}])) + "\n"
    _, tables = run([write(tmp_path / "videos.jsonl", text)], tmp_path / "out")
    assert tables["rejects"].select("line", "id", "field").rows() == [(3, None, ""), (4, None, "items[0].id")]
    assert tables["posts"].height == 1


def test_trending_channels_merge_onto_the_channel_resource_of_the_same_title(tmp_path: Path) -> None:
    trending = write(tmp_path / "GB.csv", csv_text(OLD_HEADER, [old_row("t1", "Handy Home", "13.09"),
                                                                old_row("t2", "Other", "13.09")]))
    channels = write(tmp_path / "channels.json", json.dumps(response("channel", [api_channel("UC_A", "Handy Home")])))
    result, tables = run([trending, channels], tmp_path / "out")
    assert result.creators == 2
    assert post(tables, "t1")["creator_id"] == "UC_A" and creator(tables, "UC_A")["followers"] == 12000
    assert post(tables, "t2")["creator_id"] == csv_creator_id("Other")
    assert set(tables["labels"].get_column("creator_id")) == {"UC_A", csv_creator_id("Other")}


# --- one video in several records -------------------------------------------------------------------------------


def search_result(video_id: str, channel_id: str, description: str) -> dict[str, Any]:
    return {"kind": "youtube#searchResult", "id": {"kind": "youtube#video", "videoId": video_id},
            "snippet": {"channelId": channel_id, "channelTitle": "Channel", "title": f"Video {video_id}",
                        "description": description, "publishedAt": "2024-03-01T10:00:00Z"}}


def test_a_search_result_takes_nothing_from_a_video_resource_whichever_file_comes_first(tmp_path: Path) -> None:
    full = api_video("m1", "UC_M")
    full["snippet"]["description"] = "Step one: measure twice. Step two: cut once. Links and credits below."
    videos = write(tmp_path / "videos.json", json.dumps(response("video", [full])))
    search = write(tmp_path / "search.json", json.dumps(response("search", [
        search_result("m1", "UC_M", "Step one: measure twice. Step two: cut ..."),
        search_result("m2", "UC_M", "Only found by search"),
    ])))
    for first, second in ((videos, search), (search, videos)):
        out = tmp_path / f"out-{first.stem}-first"
        result, tables = run([first, second], out)
        m1 = post(tables, "m1")
        assert (m1["views"], m1["likes"], m1["comments"]) == (1000, 50, 5), first.name
        assert m1["tags"] == ["diy", "home"] and m1["caption"] == full["snippet"]["description"], first.name
        assert m1["title"] == "Video m1" and m1["creator_id"] == "UC_M"
        assert post(tables, "m2")["caption"] == "Only found by search"  # alone, a search result is still a post
        assert tables["labels"].select("creator_id", "category_id").rows() == [("UC_M", "26")], first.name
        assert (result.posts, result.duplicates_merged, result.rejected) == (2, 1, 0)


def test_a_search_result_still_says_which_channel_a_video_went_to(tmp_path: Path) -> None:
    """Search results rank lowest for text and counts, not for the channel: a renamed channel's newer search
    result took the post away from its channel id, to an older trending title (a reviewer's find)."""
    trending = write(tmp_path / "GB.csv", csv_text(OLD_HEADER, [old_row("v1", "Old Name", "13.09")]))
    found = search_result("v1", "UC_X", "Found today")
    found["snippet"]["channelTitle"] = "New Name"
    search = write(tmp_path / "search.json", json.dumps(response("search", [found])))
    _, tables = run([trending, search], tmp_path / "out")
    assert post(tables, "v1")["creator_id"] == "UC_X"
    assert post(tables, "v1")["caption"] == "Found today"  # the trending row has no description column
    assert tables["creators"].height == 1


def test_a_video_resource_without_statistics_keeps_the_trending_counts_and_gives_its_text(tmp_path: Path) -> None:
    trending = write(tmp_path / "CA.csv", csv_text(NEW_HEADER, [
        new_row("t1", "Channel", "17.14.11", views=500, likes=40, comments=3, description="Old text", title="Old"),
        new_row("t2", "Channel", "17.14.11", views=70, comments=7),
        new_row("t2", "Channel", "17.15.11", views=90, comments_disabled="True"),  # newer: comments now disabled
    ]))
    snippet_only = [{k: v for k, v in api_video(v, "UC_T").items() if k != "statistics"} for v in ("t1", "t2")]
    videos = write(tmp_path / "videos.json", json.dumps(response("video", snippet_only)))
    result, tables = run([trending, videos], tmp_path / "out")
    t1 = post(tables, "t1")
    assert (t1["views"], t1["likes"], t1["comments"]) == (500, 40, 3)
    assert (t1["title"], t1["caption"], t1["tags"]) == ("Video t1", "Desc", ["diy", "home"])
    assert t1["posted_at"] == datetime(2024, 3, 1, 10, tzinfo=UTC) and t1["creator_id"] == "UC_T"
    t2 = post(tables, "t2")
    assert (t2["views"], t2["likes"], t2["comments"]) == (90, 10, None)  # disabled stays unknown, not the old 7
    assert (result.posts, result.duplicates_merged, result.rejected) == (2, 3, 0)


def test_a_statistics_only_refresh_updates_known_videos_and_rejects_unknown_ones(tmp_path: Path) -> None:
    videos = write(tmp_path / "videos.json", json.dumps(response("video", [api_video("r1", "UC_R")])))
    refresh = write(tmp_path / "stats.json", json.dumps(response("video", [
        {"kind": "youtube#video", "id": "r9", "statistics": {"viewCount": "10"}},  # no other record of r9
        {"kind": "youtube#video", "id": "r1", "statistics": {"viewCount": "2500", "commentCount": "9"}},  # likes hidden
        {"kind": "youtube#video", "id": "r2", "statistics": {"viewCount": "12x"}},
    ])))
    result, tables = run([videos, refresh], tmp_path / "out")
    r1 = post(tables, "r1")
    assert (r1["views"], r1["likes"], r1["comments"]) == (2500, None, 9)  # hidden likes: not the older 50
    assert (r1["title"], r1["caption"], r1["tags"], r1["creator_id"]) == ("Video r1", "Desc", ["diy", "home"], "UC_R")
    assert (result.posts, result.duplicates_merged, result.rejected) == (1, 1, 2)
    rejects = tables["rejects"].select("file", "id", "field").rows()
    assert rejects == [("stats.json", "r9", "items[0].snippet"), ("stats.json", "r2", "items[2].statistics.viewCount")]
    assert "the video's snippet is missing" in tables["rejects"].get_column("reason")[0]
    report = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert [entry["rejected"] for entry in report["inputs"]] == [0, 2]
    _, tables = run([refresh, videos], tmp_path / "out2")  # the refresh read first is the older record
    assert (post(tables, "r1")["views"], post(tables, "r1")["likes"]) == (1000, 50)
    with pytest.raises(InputError, match="nothing to import.*first rejected: stats.json: the video's snippet is miss"):
        import_youtube([refresh], tmp_path / "out3")


# --- labels -----------------------------------------------------------------------------------------------------


def test_labels_take_the_most_common_category_and_break_ties_by_smallest_id(tmp_path: Path) -> None:
    rows = [old_row("l1", "Tie", "13.09", category="24"), old_row("l2", "Tie", "13.09", category="10"),
            old_row("l3", "Majority", "13.09", category="28"), old_row("l4", "Majority", "13.09", category="2"),
            old_row("l5", "Majority", "13.09", category="28"),
            old_row("l6", "Repeat", "13.09", category="24"), old_row("l6", "Repeat", "14.09", category="24"),
            old_row("l6", "Repeat", "15.09", category="24"), old_row("l7", "Repeat", "13.09", category="17"),
            old_row("l8", "Repeat", "13.09", category="17")]
    write(tmp_path / "categories.json", json.dumps({"10": "Music", "24": "Entertainment", "28": "Science & Tech"}))
    _, tables = run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, rows))], tmp_path / "out")
    labels = {r["creator_id"]: (r["category_id"], r["category"]) for r in tables["labels"].to_dicts()}
    assert labels[csv_creator_id("Tie")] == ("10", "Music")
    assert labels[csv_creator_id("Majority")] == ("28", "Science & Tech")
    assert labels[csv_creator_id("Repeat")] == ("17", None)  # videos count once, not once per trending day


def test_category_titles_from_an_api_category_list(tmp_path: Path) -> None:
    categories = write(tmp_path / "cats.json", json.dumps(response("videoCategory", [
        {"kind": "youtube#videoCategory", "id": "26", "snippet": {"title": "Howto & Style", "assignable": True}}])))
    videos = write(tmp_path / "videos.json", json.dumps(response("video", [api_video("c1", "UC_A")])))
    _, tables = run([videos], tmp_path / "out", categories=categories)
    assert tables["labels"].rows() == [("UC_A", "26", "Howto & Style")]


# --- output folder ----------------------------------------------------------------------------------------------


def test_output_loads_strictly_and_the_report_counts_everything(tmp_path: Path) -> None:
    trending = write(tmp_path / "GB.csv", csv_text(OLD_HEADER, [old_row("v1", "A", "13.09"),
                                                                old_row("v1", "A", "14.09"), "x,y".split(",")]))
    out = tmp_path / "out"
    run([trending], out)
    dataset = load_dataset(out, strict=True)
    assert dataset.rejects.height == 0 and dataset.creators.height == 1 and dataset.posts.height == 1
    report = json.loads((out / "import_report.json").read_text())
    assert report["inputs"][0]["rows_read"] == 3 and report["inputs"][0]["rejected"] == 1
    assert (report["videos_kept"], report["duplicates_merged"], report["channels"], report["rejected"]) == (1, 1, 1, 1)
    assert sorted(p.name for p in out.iterdir()) == ["creators.parquet", "import_rejects.csv", "import_report.json",
                                                     "labels.parquet", "posts.parquet"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_rejects_file_is_written_with_a_header_when_nothing_is_rejected(tmp_path: Path) -> None:
    run([write(tmp_path / "GB.csv", csv_text(OLD_HEADER, [old_row("v1", "A", "13.09")]))], tmp_path / "out")
    assert (tmp_path / "out" / "import_rejects.csv").read_text().strip() == "file,line,id,field,reason"


def test_a_previous_import_is_replaced_but_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write(tmp_path / "first.csv", csv_text(OLD_HEADER, [old_row("v1", "A", "13.09")]))
    second = write(tmp_path / "second.json", json.dumps(response("video", [api_video("a1", "UC_A", category="")])))
    run([first], out)
    result, tables = run([second], out)
    assert result.posts == 1 and tables["posts"].get_column("post_id").to_list() == ["a1"]
    assert not (out / "labels.parquet").exists()  # the earlier import's labels went with it
    mine = tmp_path / "mine"
    mine.mkdir()
    write(mine / "notes.txt", "keep me")
    with pytest.raises(InputError, match="notes.txt"):
        import_youtube([first], mine)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_what_a_killed_import_left_is_put_back_or_removed_by_the_next_one(tmp_path: Path) -> None:
    """Killed between its two renames, an import left the previous one only in a hidden folder beside the output
    (and its staging folder for good): the next import puts the previous one back, then tidies up."""
    from training.importers.common import _recover_killed_import

    out = tmp_path / "out"
    run([write(tmp_path / "first.csv", csv_text(OLD_HEADER, [old_row("v1", "A", "13.09")]))], out)
    held = tmp_path / ".out.previous-999999999-ab12cd34"
    held.mkdir()
    out.replace(held / "previous")  # as a run killed outright (pid 999999999 is gone) left it
    staged = tmp_path / ".out.importing-999999999-ef56ab78"
    staged.mkdir()
    (staged / "posts.parquet").write_bytes(b"half")
    running = tmp_path / f".out.importing-{os.getpid()}-0a0a0a0a"  # a live process's: left alone
    running.mkdir()
    _recover_killed_import(out)
    assert pl.read_parquet(out / "posts.parquet").get_column("post_id").to_list() == ["v1"]
    assert not held.exists() and not staged.exists() and running.exists()
    result, _ = run([write(tmp_path / "second.csv", csv_text(OLD_HEADER, [old_row("v2", "B", "13.09")]))], out)
    assert result.posts == 1 and running.exists()


def test_a_channel_fetched_without_its_snippet_keeps_the_title_its_videos_give(tmp_path: Path) -> None:
    videos = write(tmp_path / "videos.json", json.dumps(response("video", [api_video("c1", "UC_A",
                                                                                     channel_title="Chef A")])))
    stats_only = {"kind": "youtube#channel", "id": "UC_A", "statistics": {"subscriberCount": "15000"}}
    channels = write(tmp_path / "channels.json", json.dumps(response("channel", [stats_only])))
    _, tables = run([videos, channels], tmp_path / "out")
    chef = creator(tables, "UC_A")
    assert (chef["display_name"], chef["handle"], chef["followers"]) == ("Chef A", "Chef A", 15000)


def test_api_error_responses_and_odd_kinds_are_named_not_crashed_on(tmp_path: Path) -> None:
    error = {"error": {"code": 403, "message": "The request cannot be completed because you have exceeded your quota."}}
    with pytest.raises(InputError, match="API error response .The request cannot be completed"):
        import_youtube([write(tmp_path / "quota.json", json.dumps(error))], tmp_path / "out")
    with pytest.raises(InputError, match=r"has kind \['x'\]"):
        import_youtube([write(tmp_path / "kind.json", json.dumps({"kind": ["x"]}))], tmp_path / "out")
    odd_item = {**api_video("k2", "UC_K"), "kind": {"not": "text"}}  # still a video by its snippet
    videos = json.dumps(response("video", [api_video("k1", "UC_K"), odd_item]))
    result, _ = run([write(tmp_path / "videos.json", videos)], tmp_path / "out")
    assert result.posts == 2
    flat = json.dumps(response("video", [api_video("s1", "UC_S"), {**api_video("s2", "UC_S"), "snippet": "text"}]))
    _, tables = run([write(tmp_path / "flat.json", flat)], tmp_path / "out3")
    assert tables["rejects"].select("id", "field", "reason").rows() == [
        ("s2", "items[1].snippet", "snippet is not an object")]


def test_unusable_files_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        import_youtube([tmp_path / "missing.csv"], tmp_path / "out")
    with pytest.raises(InputError, match="not a YouTube trending export"):
        import_youtube([write(tmp_path / "other.csv", "a,b\n1,2\n")], tmp_path / "out")
    with pytest.raises(InputError, match="not valid JSON"):
        import_youtube([write(tmp_path / "broken.json", "{oops")], tmp_path / "out")
    with pytest.raises(InputError, match="no YouTube Data API response"):
        import_youtube([write(tmp_path / "other.json", '{"kind": "something#else"}')], tmp_path / "out")
    with pytest.raises(InputError, match="neither a YouTube trending CSV"):
        import_youtube([write(tmp_path / "notes.txt", "hello")], tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- what real exports carry (found by feeding the importer other countries' files) ------------------------------


def test_an_unclosed_quote_costs_its_own_row_not_the_rest_of_the_file(tmp_path: Path) -> None:
    lines = csv_text(NEW_HEADER, [new_row(f"s{i}", "Chan", "17.14.11", title=f"title {i}", tags="a|b")
                                  for i in range(12)]).splitlines()
    lines[6] = lines[6].replace("title 5", '"title 5 with a stray quote', 1)  # line 7 of the file
    result, tables = run([write(tmp_path / "US.csv", "\n".join(lines) + "\n")], tmp_path / "out")
    assert result.posts == 11 and result.rejected == 1
    assert tables["rejects"].select("line", "id").rows() == [(7, "s5")]
    assert "unclosed quote ran this record over lines 7-13" in tables["rejects"].get_column("reason")[0]
    assert post(tables, "s11")["title"] == "title 11"  # the last row after the quote is read
    # A well-quoted description over several lines, with one field too many, is one reject: its own lines are not
    # records, so nothing is read again from inside it.
    text = csv_text(NEW_HEADER, [new_row("m1", "Chan", "17.14.11", description="first, line\nsecond, line") + ["x"],
                                 new_row("m2", "Chan", "17.14.11")])
    result, tables = run([write(tmp_path / "CA.csv", text)], tmp_path / "out2")
    assert (result.posts, result.rejected) == (1, 1) and tables["rejects"].select("line", "id").rows() == [(2, "m1")]
    assert "records glued on one line" in tables["rejects"].get_column("reason")[0]


def test_spreadsheet_error_ids_never_merge_different_videos(tmp_path: Path) -> None:
    # Excel writes #NAME? for ids that start with "-" or "=": three videos of three channels, each on two days.
    rows = [new_row("#NAME?", channel, day, title=f"{channel} video", views=views)
            for day, views in (("17.14.11", 10), ("17.15.11", 20)) for channel in ("Chan A", "Chan B", "Chan C")]
    rows.append(new_row("#name?", "Chan A", "17.15.11", title="another A video"))
    rows.append(new_row("#NAME?", "Chan D", "99.99.99", title="a rejected row"))  # not counted as replaced
    result, tables = run([write(tmp_path / "US.csv", csv_text(NEW_HEADER, rows))], tmp_path / "out")
    posts = tables["posts"]
    assert result.posts == 4 and result.duplicates_merged == 3 and result.rejected == 1  # days merged, no more
    assert posts.get_column("post_id").str.starts_with("noid-").all()
    assert posts.filter(pl.col("title") != "another A video").get_column("views").to_list() == [20, 20, 20]
    assert posts.group_by("creator_id").len().height == 3
    report = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert report["video_ids_replaced"] == 7


def test_counts_written_as_floats_or_nan_are_read(tmp_path: Path) -> None:
    rows = [new_row("f1", "Chan", "17.14.11"), new_row("f2", "Chan", "17.14.11"), new_row("f3", "Chan", "17.14.11")]
    rows[0][7], rows[0][8], rows[0][10] = "1000.0", "nan", "NaN"  # views, likes, comment_count (a pandas round trip)
    rows[1][7] = "1.5e6"
    rows[2][7] = "12.5"  # not a whole number: that row only
    rows.append(new_row("f4", "Chan", "17.14.11"))
    rows[3][7] = "12.000"  # twelve thousand in a European spreadsheet, not twelve: refused
    result, tables = run([write(tmp_path / "US.csv", csv_text(NEW_HEADER, rows))], tmp_path / "out")
    assert (post(tables, "f1")["views"], post(tables, "f1")["likes"], post(tables, "f1")["comments"]) == (1000, None,
                                                                                                          None)
    assert post(tables, "f2")["views"] == 1_500_000
    reasons = tables["rejects"].get_column("reason").to_list()
    assert result.rejected == 2 and "not an integer ('12.5')" in reasons[0] and "('12.000')" in reasons[1]
    videos = response("video", [api_video("j1", "UC_J"), api_video("j2", "UC_J")])
    videos["items"][0]["statistics"] = {"viewCount": 1000.0, "likeCount": 5.0}
    videos["items"][1]["statistics"] = {"viewCount": "12x"}
    _, tables = run([write(tmp_path / "videos.json", json.dumps(videos))], tmp_path / "out2")
    assert (post(tables, "j1")["views"], post(tables, "j1")["likes"]) == (1000, 5)
    with pytest.raises(InputError) as refused:  # nothing importable: the message has no "line None"
        import_youtube([write(tmp_path / "bad.json", json.dumps(response("video", [videos["items"][1]])))],
                       tmp_path / "out3")
    assert "line None" not in str(refused.value) and "first rejected: bad.json" in str(refused.value)


def test_a_kaggle_category_file_beside_a_single_csv_titles_the_labels(tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    csv_file = write(tmp_path / "USvideos.csv", csv_text(NEW_HEADER, [new_row("k1", "Chan", "17.14.11",
                                                                              category="10")]))
    with caplog.at_level(logging.WARNING):
        _, tables = run([csv_file], tmp_path / "out")
    assert tables["labels"].get_column("category").to_list() == [None]
    assert "no category titles" in caplog.text and "XX_category_id.json beside the exports" in caplog.text
    write(tmp_path / "US_category_id.json", json.dumps({
        "kind": "youtube#videoCategoryListResponse",
        "items": [{"kind": "youtube#videoCategory", "id": "10", "snippet": {"title": "Music"}}]}))
    _, tables = run([csv_file], tmp_path / "out")
    assert tables["labels"].get_column("category").to_list() == ["Music"]


def test_files_in_another_encoding_are_read_with_encoding_and_refused_when_it_is_wrong(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = csv_text(NEW_HEADER, [new_row("r1", "Канал Один", "17.14.11", title="Обзор нового телефона")])
    path = write(tmp_path / "RU.csv", text.encode("cp1251"))
    with caplog.at_level(logging.WARNING):
        run([path], tmp_path / "out")
    assert "the file was read as cp1251, the encoding its bytes suggest" in caplog.text  # detected, and said
    assert "--encoding" in caplog.text
    result = import_youtube([path], tmp_path / "out", encoding="cp1251")
    assert result.posts == 1 and post(read_out(tmp_path / "out"), "r1")["title"] == "Обзор нового телефона"
    with pytest.raises(InputError, match=r"RU.csv: not shift_jis: line 2 holds bytes"):
        import_youtube([path], tmp_path / "out", encoding="shift_jis")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        import_youtube([path], tmp_path / "out", encoding="klingon")


def test_a_truncated_utf8_character_leaves_the_rest_of_its_line_utf8(tmp_path: Path) -> None:
    text = csv_text(NEW_HEADER, [new_row("t1", "방탄소년단", "17.14.11", description="음악"),
                                 new_row("t2", "방탄소년단", "17.14.11", description="CUT")])
    data = text.encode("utf-8").replace(b"CUT", "설명".encode()[:-1])  # a character cut in half
    result, tables = run([write(tmp_path / "KR.csv", data)], tmp_path / "out")
    assert result.creators == 1  # not a second channel with a cp1252-garbled name
    assert post(tables, "t2")["caption"] == "설\ufffd"


def test_gzip_exports_are_read_and_zip_archives_refused_with_advice(tmp_path: Path) -> None:
    text = csv_text(NEW_HEADER, [new_row("z1", "Chan", "17.14.11")])
    result, _ = run([write(tmp_path / "US.csv.gz", gzip.compress(text.encode()))], tmp_path / "out")
    assert result.posts == 1
    with pytest.raises(InputError, match="a zip archive: unpack it"):
        import_youtube([write(tmp_path / "archive.csv", b"PK\x03\x04" + b"\x00" * 40)], tmp_path / "out")


def test_search_results_are_unescaped_and_a_titleless_channel_id_is_kept(tmp_path: Path) -> None:
    found = {"kind": "youtube#searchResult", "id": {"kind": "youtube#video", "videoId": "h1"},
             "snippet": {"channelId": "UC_H", "channelTitle": "Tom &amp; Jerry", "title": "Cats &amp; &quot;dogs&quot;",
                         "description": "It&#39;s here", "publishedAt": "2024-03-01T10:00:00Z"}}
    _, tables = run([write(tmp_path / "search.json", json.dumps(response("search", [found])))], tmp_path / "out")
    assert post(tables, "h1")["title"] == 'Cats & "dogs"' and post(tables, "h1")["caption"] == "It's here"
    assert creator(tables, "UC_H")["display_name"] == "Tom & Jerry"
    rows = [latest_row("n1", "UC_N", "", "2020-08-12T00:00:00Z"), latest_row("n2", "UC_N", "Named", "2020-08-13")]
    result, tables = run([write(tmp_path / "US.csv", csv_text(LATEST_HEADER, rows))], tmp_path / "out2")
    assert result.posts == 2 and result.rejected == 0
    assert creator(tables, "UC_N")["display_name"] == "Named"


def test_pages_saved_back_to_back_and_a_broken_first_jsonl_line_are_read(tmp_path: Path) -> None:
    pages = "\n".join(json.dumps(response("video", [api_video(v, "UC_P")]), indent=2) for v in ("p1", "p2"))
    result, _ = run([write(tmp_path / "pages.json", pages)], tmp_path / "out")  # curl ... >> pages.json
    assert (result.posts, result.rejected) == (2, 0)
    lines = "{broken\n" + "\n".join(json.dumps(api_video(v, "UC_P")) for v in ("q1", "q2")) + "\n"
    result, tables = run([write(tmp_path / "videos.jsonl", lines)], tmp_path / "out2")
    assert (result.posts, result.rejected) == (2, 1) and tables["rejects"].get_column("line").to_list() == [1]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_headers_with_spaces_and_other_delimiters_are_read(tmp_path: Path, delimiter: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([name.replace("_", " ").title() for name in NEW_HEADER])  # "Video Id", "Channel Title", ...
    writer.writerow(new_row("d1", "Kanal", "17.14.11", title="Titel; mit Semikolon, und Komma"))
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder / ("DE.tsv.gz" if delimiter == "\t" else "DE.csv"), gzip.compress(out.getvalue().encode())
          if delimiter == "\t" else out.getvalue())
    result, tables = run([folder], tmp_path / "out")
    assert result.posts == 1 and post(tables, "d1")["title"] == "Titel; mit Semikolon, und Komma"


def test_two_stray_quotes_that_close_each_other_do_not_hide_the_rows_between(tmp_path: Path) -> None:
    ids = [f"{c * 11}" for c in "abcdef"]  # YouTube video ids are 11 characters
    lines = csv_text(OLD_HEADER, [old_row(v, f"Chan {v[0]}", "13.09", title=f"title {v[0]}") for v in ids]
                     ).splitlines()
    for at in (2, 5):  # the rows of bbb... and eee...: each title opens a quote it never closes
        lines[at] = lines[at].replace("title ", '"title ', 1)
    result, tables = run([write(tmp_path / "GB.csv", "\n".join(lines) + "\n")], tmp_path / "out")
    # Before: 3 videos, 0 rejects, and bbb's title held the text of the rows of ccc and ddd.
    assert (result.posts, result.rejected) == (4, 2)
    assert sorted(tables["posts"].get_column("post_id")) == ["a" * 11, "c" * 11, "d" * 11, "f" * 11]
    assert tables["rejects"].select("line", "id").rows() == [(3, "b" * 11), (6, "e" * 11)]


def test_a_decimal_comma_is_refused_not_read_as_ten_times_the_count(tmp_path: Path) -> None:
    rows = [new_row("c1", "Kanal", "17.14.11"), new_row("c2", "Kanal", "17.14.11"), new_row("c3", "Kanal", "17.14.11")]
    rows[0][7], rows[1][7], rows[2][7] = "7426393,0", "1,234,567", "1,5"
    result, tables = run([write(tmp_path / "DE.csv", csv_text(NEW_HEADER, rows))], tmp_path / "out")
    assert result.posts == 1 and post(tables, "c2")["views"] == 1_234_567  # thousands in groups of three
    assert tables["rejects"].get_column("id").to_list() == ["c1", "c3"]


def test_cp1252_lines_whose_bytes_pair_up_as_utf8_stay_cp1252(tmp_path: Path) -> None:
    # In cp1252, "É’" is C9 92: valid UTF-8 (U+0252). The line must not be "repaired" into "BEYONCɒS" and
    # "Beyonc\ufffd", which made one channel two creators.
    text = csv_text(NEW_HEADER, [new_row("b1", "Beyoncé", "17.14.11", title="BEYONCÉ’S NEW VIDEO"),
                                 new_row("b2", "Beyoncé", "17.14.11", title="Live")])
    result, tables = run([write(tmp_path / "GB.csv", text.encode("cp1252"))], tmp_path / "out")
    assert result.creators == 1 and post(tables, "b1")["title"] == "BEYONCÉ’S NEW VIDEO"


def test_a_page_cut_short_keeps_the_pages_before_it_and_a_nul_byte_is_not_utf16(tmp_path: Path) -> None:
    pages = [json.dumps(response("video", [api_video(v, "UC_P")]), indent=2) for v in ("p1", "p2", "p3")]
    text = "\n".join(pages)[:-60]  # curl >> pages.json interrupted in the third page
    result, tables = run([write(tmp_path / "pages.json", text)], tmp_path / "out")
    assert (result.posts, result.rejected) == (2, 1)
    assert "not valid JSON from this line on" in tables["rejects"].get_column("reason")[0]
    assert tables["rejects"].get_column("line")[0] == 1 + pages[0].count("\n") + 1 + pages[1].count("\n") + 1
    csv_file = csv_text(NEW_HEADER, [new_row("n1", "Chan", "17.14.11", title="a\x00b"), new_row("n2", "Chan",
                                                                                                 "17.14.11")])
    result, _ = run([write(tmp_path / "GB.csv", csv_file)], tmp_path / "out2")
    assert result.posts >= 1  # one NUL is a damaged title at most, not a UTF-16 file


def test_the_registry_names_the_youtube_importer() -> None:
    assert importer_for("youtube") is import_youtube and "youtube" in IMPORTERS
    with pytest.raises(ValueError, match="available: youtube"):
        importer_for("myspace")


# --- command line -----------------------------------------------------------------------------------------------


def test_cli_prints_one_summary_line(tmp_path: Path) -> None:
    trending = write(tmp_path / "GB.csv", csv_text(OLD_HEADER, [old_row("v1", "A", "13.09"),
                                                                old_row("v1", "A", "14.09")]))
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["import", "youtube", "--input", str(trending), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().splitlines() == [
        f"imported 1 creators and 1 videos into {out} (1 duplicate rows merged); 0 rejected "
        f"(see {out / 'import_rejects.csv'})"]


def test_cli_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    done = CliRunner().invoke(app, ["import", "youtube", "--input", str(missing), "--out", str(tmp_path / "out")])
    assert done.exit_code == 2
    assert done.stderr.strip().splitlines() == [f"error: {missing}: file not found"]


# --- the real trending files ------------------------------------------------------------------------------------


@pytest.mark.skipif(not (REAL / "GB_2017.csv").is_file(), reason="shared real data not present")
def test_real_trending_files_import(tmp_path: Path) -> None:
    out = tmp_path / "real"
    result, tables = run(sorted(REAL.glob("*.csv")), out)
    # 778 channel titles, two of them only under a renamed channel's older title (their videos go to the new one).
    assert (result.creators, result.posts, result.rejected) == (776, 1059, 2)
    assert tables["rejects"].select("file", "line").rows() == [("GB_2017.csv", 930), ("GB_2017.csv", 1072)]
    labels = tables["labels"]
    assert labels.height == 776 and labels.get_column("category").null_count() == 0
    assert set(labels.get_column("creator_id")) == set(tables["creators"].get_column("creator_id"))
    dataset = load_dataset(out, strict=True)
    assert dataset.creators.height == 776 and dataset.posts.height == 1059
