"""How creators, posts and briefs become text."""

from __future__ import annotations

from creatormatch.text import bio_document, brief_document, caption_terms, term_text


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
