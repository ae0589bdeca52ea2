"""Validation of input files: whole-file errors name the file and column, bad rows are rejected with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from creatormatch.dataset import InputError, load_dataset

CREATORS_CSV = """creator_id,handle,platform,bio,followers,following,country,language,categories
c1,anna,Instagram,Vegan baker in Leeds,12000,300,gb,en-GB,"[""food"",""baking""]"
c2,bob,tiktok,,-5,10,GB,en,
c3,cat,yt,trail runs,abc,10,US,en,running|fitness
c1,dup,instagram,,100,1,US,en,
,noid,instagram,,100,1,US,en,
c4,dan,snapchat,,"1,500",1,Narnia,english,
"""
POSTS_CSV = """post_id,creator_id,posted_at,caption,likes,comments,format,is_sponsored
p1,c1,2026-01-02T10:00:00Z,sourdough starter day 3 #sourdough,100,5,Carousel,
p2,c1,2026-01-03,oat milk latte art,10,1,reel,no
p3,c9,2026-01-03,orphan post,10,1,reel,
p4,c1,yesterday,bad date,10,1,reel,
p1,c1,2026-01-03 10:00:00,duplicate id,10,1,reel,
p5,c1,2026-01-04T08:30:00+02:00,negative likes,-1,1,photo,
p6,c4,2026-01-05,"another, with comma",5,0,weird_format,yes
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    write(tmp_path, "creators.csv", CREATORS_CSV)
    write(tmp_path, "posts.csv", POSTS_CSV)
    return tmp_path


def reasons(dataset_rejects: pl.DataFrame) -> dict[tuple[str, int], str]:
    return {(r["file"], r["row"]): r["reason"] for r in dataset_rejects.iter_rows(named=True)}


def test_bad_rows_are_rejected_with_reasons_and_good_rows_kept(csv_dir: Path) -> None:
    dataset = load_dataset(csv_dir)
    assert sorted(dataset.creators.get_column("creator_id").to_list()) == ["c1", "c4"]
    got = reasons(dataset.rejects)
    assert got[("creators.csv", 2)] == "followers must be >= 0"
    assert got[("creators.csv", 3)] == "followers is not an integer ('abc')"
    assert got[("creators.csv", 4)] == "duplicate creator_id"
    assert got[("creators.csv", 5)] == "creator_id is empty"
    assert got[("posts.csv", 3)] == "creator_id not found in creators (unknown or rejected creator)"
    assert got[("posts.csv", 4)] == "posted_at is not an ISO 8601 date-time ('yesterday')"
    assert got[("posts.csv", 5)] == "duplicate post_id"
    assert got[("posts.csv", 6)] == "likes must be >= 0"
    assert sorted(dataset.posts.get_column("post_id").to_list()) == ["p1", "p2", "p6"]
    row = dataset.rejects.filter(pl.col("row") == 3, pl.col("file") == "creators.csv").row(0, named=True)
    assert row["id"] == "c3" and row["field"] == "followers"


def test_values_are_normalised(csv_dir: Path) -> None:
    dataset = load_dataset(csv_dir)
    anna = dataset.creators.filter(pl.col("creator_id") == "c1").row(0, named=True)
    assert anna["platform"] == "instagram" and anna["country"] == "GB" and anna["language"] == "en"
    assert anna["categories"] == ["food", "baking"]
    dan = dataset.creators.filter(pl.col("creator_id") == "c4").row(0, named=True)
    assert dan["followers"] == 1500 and dan["platform"] == "other"
    assert dan["country"] is None and dan["language"] is None
    posts = {r["post_id"]: r for r in dataset.posts.iter_rows(named=True)}
    assert posts["p1"]["format"] == "photo" and posts["p6"]["format"] == "other"
    assert posts["p2"]["is_sponsored"] is False and posts["p6"]["is_sponsored"] is True
    assert posts["p1"]["posted_at"].isoformat() == "2026-01-02T10:00:00+00:00"


def test_report_counts_every_row(csv_dir: Path) -> None:
    report = load_dataset(csv_dir).report()
    assert report["creators"] == {"read": 6, "kept": 2, "rejected": 4}
    assert report["posts"] == {"read": 7, "kept": 3, "rejected": 4}


def test_strict_turns_a_rejected_row_into_a_failure(csv_dir: Path) -> None:
    with pytest.raises(InputError, match=r"creators.csv: 8 row\(s\) rejected and --strict is set; first: row 2 "
                                         r"\(id c2\), field 'followers': followers must be >= 0"):
        load_dataset(csv_dir, strict=True)


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    write(tmp_path, "creators.csv", "creator_id,followers\nc1,10\n")
    write(tmp_path, "posts.csv", "post_id,creator_id,caption\np1,c1,hi\n")
    with pytest.raises(InputError) as error:
        load_dataset(tmp_path)
    assert str(error.value) == ("creators.csv: column 'platform': required column is missing "
                                "(required: creator_id, platform)")


def test_column_of_wrong_type_fails_the_file(tmp_path: Path) -> None:
    write(tmp_path, "creators.csv", "creator_id,platform,followers\nc1,instagram,lots\nc2,tiktok,many\n")
    write(tmp_path, "posts.csv", "post_id,creator_id,caption\np1,c1,hi\n")
    with pytest.raises(InputError, match=r"^creators.csv: column 'followers': expected an integer, found values "
                                         r"such as 'lots'$"):
        load_dataset(tmp_path)


def test_parquet_list_where_a_number_belongs_fails_the_file(tmp_path: Path) -> None:
    pl.DataFrame({"creator_id": ["c1"], "platform": ["instagram"], "followers": [[1, 2]]}).write_parquet(
        tmp_path / "creators.parquet")
    write(tmp_path, "posts.csv", "post_id,creator_id,caption\np1,c1,hi\n")
    with pytest.raises(InputError, match="creators.parquet: column 'followers': expected a single int value"):
        load_dataset(tmp_path)


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="data folder does not exist"):
        load_dataset(tmp_path / "nowhere")
    write(tmp_path, "posts.csv", "post_id,creator_id,caption\n")
    with pytest.raises(InputError, match=r"creators\.\*: required file not found"):
        load_dataset(tmp_path)
    (tmp_path / "creators.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(InputError, match="creators.parquet: cannot read as PARQUET"):
        load_dataset(tmp_path)


def test_two_files_for_one_table_are_ambiguous(csv_dir: Path) -> None:
    pl.read_csv(csv_dir / "posts.csv").write_parquet(csv_dir / "posts.parquet")
    with pytest.raises(InputError, match=r"posts: more than one file holds this table \(posts.parquet, posts.csv\)"):
        load_dataset(csv_dir)


def test_jsonl_and_parquet_give_the_same_result_as_csv(csv_dir: Path, tmp_path: Path) -> None:
    from_csv = load_dataset(csv_dir)
    jsonl_dir = tmp_path / "jsonl"
    jsonl_dir.mkdir()
    creators = [
        {"creator_id": "c1", "platform": "instagram", "followers": 12000, "bio": "Vegan baker",
         "categories": ["food", "baking"]},
        {"creator_id": "c2", "platform": "tiktok", "followers": -5},
        {"creator_id": "c1", "platform": "instagram", "followers": 3},
    ]
    (jsonl_dir / "creators.jsonl").write_text("\n".join(json.dumps(c) for c in creators))
    posts = [{"post_id": "p1", "creator_id": "c1", "caption": "x", "posted_at": "2026-01-02T10:00:00Z",
              "comments_sample": ["@a: nice", "@b: wow"]}]
    (jsonl_dir / "posts.jsonl").write_text("\n".join(json.dumps(p) for p in posts))
    from_jsonl = load_dataset(jsonl_dir)
    assert from_jsonl.creators.get_column("creator_id").to_list() == ["c1"]
    assert from_jsonl.creators.get_column("categories").to_list() == [["food", "baking"]]
    assert reasons(from_jsonl.rejects) == {("creators.jsonl", 2): "followers must be >= 0",
                                           ("creators.jsonl", 3): "duplicate creator_id"}
    assert from_jsonl.posts.get_column("comments_sample").to_list() == [["@a: nice", "@b: wow"]]
    parquet_dir = tmp_path / "parquet"
    parquet_dir.mkdir()
    from_csv.creators.write_parquet(parquet_dir / "creators.parquet")
    from_csv.posts.write_parquet(parquet_dir / "posts.parquet")
    again = load_dataset(parquet_dir)
    assert again.creators.equals(from_csv.creators)
    assert again.posts.equals(from_csv.posts)


def test_optional_tables_are_validated(csv_dir: Path) -> None:
    write(csv_dir, "follower_history.csv",
          "creator_id,date,followers\nc1,2026-01-01,100\nc1,2026-01-01,120\nc1,not-a-date,1\nc7,2026-01-01,5\n")
    write(csv_dir, "brands.csv",
          "brand_id,name,values,keywords,tiers,min_followers,max_followers\n"
          "b1,Oatly,Plant-based for all,oat|vegan,nano|micro,,\n"
          "b2,,,,,,\n"
          "b3,Big,Big brand,,huge,,\n"
          "b4,Odd,Odd range,,,5000,100\n")
    dataset = load_dataset(csv_dir)
    got = reasons(dataset.rejects)
    assert got[("follower_history.csv", 2)] == "duplicate creator_id and date"
    assert got[("follower_history.csv", 3)] == "date is not an ISO 8601 date (YYYY-MM-DD) ('not-a-date')"
    assert got[("follower_history.csv", 4)].startswith("creator_id not found in creators")
    assert got[("brands.csv", 2)] == "brand has no text (name, values, product, audience or keywords)"
    assert got[("brands.csv", 3)] == ("unknown tier in huge "
                                      "(allowed: sub_nano, nano, micro, mid, macro, mega, unknown)")
    assert got[("brands.csv", 4)] == "min_followers is greater than max_followers"
    assert dataset.brands is not None and dataset.brands.get_column("brand_id").to_list() == ["b1"]
    assert dataset.brands.get_column("tiers").to_list() == [["nano", "micro"]]
