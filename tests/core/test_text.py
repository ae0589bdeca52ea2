"""How creators, posts and briefs become text."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.lexical import build_lexical, lexical_scores, query_tokens
from creatormatch.ranking import Ranker
from creatormatch.text import (
    BRIEF_FIELD_WEIGHTS,
    bio_document,
    brief_document,
    brief_fields,
    caption_terms,
    caption_terms_frame,
    term_text,
)


def test_caption_terms_keep_hashtags_and_drop_noise() -> None:
    caption = "Sunday sourdough 🍞 with @bakerben! #Sourdough #wildyeast https://x.co/abc 2026 I'm so happy"
    assert caption_terms(caption) == ["sunday", "sourdough", "#sourdough", "#wildyeast", "happy"]


def test_caption_terms_handle_other_scripts_and_accents() -> None:
    assert caption_terms("Café au lait für alle — こんにちは") == ["café", "au", "lait", "für", "alle", "こんにちは"]


def test_term_text_and_documents() -> None:
    assert term_text("#zero_waste") == "zero waste"
    assert bio_document("Vegan baker", ["food", " "]) == "Vegan baker Topics: food"
    assert bio_document("", None) == ""
    assert brief_document(product="oat milk", keywords=["vegan", "#plantbased"], brand="Oaty") == \
        "oat milk. vegan, #plantbased. Oaty"
    assert brief_document() == ""


# Texts where Python's `re` and polars' Rust regex disagree on what a word character is (combining marks).
OTHER_SCRIPTS = [
    "हिन्दी गाने और संगीत",
    "เพลงไทย ใหม่ล่าสุด",
    "مرحبا بالعالم العربي #طبخ",
    "Loving this 🍕🔥 pizza!! #foodie 😍 @chef_luigi",
    "Crème brûlée à la façade naïve, Ångström und Straße — ¡olé! x² 2026",
    "Ελληνική ΚΟΥΖΙΝΑ και ΟΔΟΣ",
    "हिन्दी #भारतीय_खाना https://example.com/पेज @कोई",
]


@pytest.mark.parametrize("text", OTHER_SCRIPTS)
def test_query_and_index_tokenisers_agree(text: str) -> None:
    assert caption_terms(text) == caption_terms_frame([text]).get_column("term").to_list()


def test_a_hindi_word_with_vowel_signs_stays_one_term() -> None:
    assert caption_terms("हिन्दी गाने और संगीत") == ["हिन्दी", "गाने", "और", "संगीत"]
    assert caption_terms("เพลงไทย ใหม่ล่าสุด") == ["เพลงไทย", "ใหม่ล่าสุด"]


def test_a_search_for_a_hindi_word_finds_the_creator_who_wrote_it(tmp_path: Path) -> None:
    captions = ["हिन्दी गाने और संगीत का नया वीडियो", "sourdough bread at home", "trail running in the alps"]
    retriever = build_lexical(caption_terms_frame(captions), owners=[0, 1, 2], n_creators=3, work=tmp_path)
    scores = lexical_scores(retriever, query_tokens("संगीत"))
    assert scores[0] > 0 and scores[1] == scores[2] == 0
    assert lexical_scores(retriever, query_tokens("हिन्दी गाने"))[0] > 0


def test_brief_fields_weigh_content_over_brand_identity() -> None:
    fields = dict(brief_fields(brand="Glow", values="kind to everyone", product="eyeshadow palette",
                               audience="beauty fans", keywords=["makeup", " ", "tutorial"]))
    assert fields == {"eyeshadow palette": 1.0, "makeup, tutorial": 1.0, "beauty fans": 0.5,
                      "kind to everyone": BRIEF_FIELD_WEIGHTS["values"]}
    assert "Glow" not in fields  # the name says who pays, not what the creators make
    assert brief_fields(brand="Glow") == [("Glow", 1.0)]  # unless it is all the brief has
    assert brief_fields(text="  ") == []


def test_a_long_value_statement_does_not_drown_the_product(ranker: Ranker) -> None:
    from creatormatch.api_models import Brief, MatchRequest

    values = ("We believe in honesty, community, kindness, transparency and joy in everything we do, every day, "
              "for every customer, everywhere in the world, now and always.")
    brief = Brief(product="sourdough starter kit", keywords=["bread baking"], values=values)
    by_fields = ranker.encode_briefs([MatchRequest(brief=brief)])[0]
    whole, product = ranker.encoder.encode([brief_document(**brief.model_dump()), "sourdough starter kit"])
    assert float(by_fields @ product) > float(whole @ product) + 0.05


def test_post_text_is_title_tags_and_caption_with_empty_parts_left_out() -> None:
    import polars as pl

    from creatormatch.text import post_document_expr

    rows = [("Tour vlog", ["travel", " ", "vlog"], "Day one."), (None, None, "Only a caption"), ("", [], ""),
            ("Title only", None, None), (None, ["a", "b"], "  spaced  ")]
    frame = pl.DataFrame(rows, schema={"title": pl.Utf8, "tags": pl.List(pl.Utf8), "caption": pl.Utf8},
                         orient="row")
    assert frame.select(post_document_expr()).to_series().to_list() == [
        "Tour vlog. travel, vlog. Day one.", "Only a caption", "", "Title only", "a, b. spaced"]


def test_the_embedded_document_leaves_out_links_handles_and_calls_to_action() -> None:
    import polars as pl

    from creatormatch.text import clean_document_expr

    description = ("Putting a tablet in the blender! https://youtu.be/x\nSubscribe ➡ http://bit.ly/2lg\n\n"
                   "🔔 Click the bell to be notified 🔔\nINSTA ➡ @Hi5REKT http://bit.ly/2g9\n"
                   "We test whether a tablet survives the blender, then the microwave, then a hydraulic press, and "
                   "explain why glass breaks the way it does http://bit.ly/more\nFollow us on instagram for the "
                   "outtakes and the behind the scenes of every single video we make each week")
    texts = [description, "Title. tag, tag", "", None, "@only_a_handle", "Mixed line @friend with real words here"]
    cleaned = pl.DataFrame({"t": texts}, schema={"t": pl.Utf8}).select(clean_document_expr(pl.col("t")))
    assert cleaned.to_series().to_list() == [
        "Putting a tablet in the blender!\nWe test whether a tablet survives the blender, then the microwave, then a "
        "hydraulic press, and explain why glass breaks the way it does\nFollow us on instagram for the outtakes and "
        "the behind the scenes of every single video we make each week",  # a long line is content: kept
        "Title. tag, tag", "", None, "", "Mixed line with real words here"]
    # Whole words only ("Instant", "Belly" are content); Windows line ends; a long line in a script without
    # spaces is content, a short call to action in it is not.
    others = ["Title\r\nInstant Pot chili for beginners\r\nBelly dance basics\r\nSubscribe here",
              "标题\n这是一个很长的中文段落，讲述了我们今天去公园散步看到的各种花草树木 https://t.cn/a\n订阅我的频道 https://t.cn/x"]
    cleaned = pl.DataFrame({"t": others}).select(clean_document_expr(pl.col("t")))
    assert cleaned.to_series().to_list() == [
        "Title\nInstant Pot chili for beginners\nBelly dance basics",
        "标题\n这是一个很长的中文段落，讲述了我们今天去公园散步看到的各种花草树木"]


def test_stop_words_copy_equals_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as original

    from creatormatch.text import ENGLISH_STOP_WORDS

    assert ENGLISH_STOP_WORDS == frozenset(original)
