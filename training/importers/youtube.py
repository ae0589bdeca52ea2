"""YouTube exports (trending-list CSVs and Data API v3 JSON) turned into the data contract's creators and posts."""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import html
import io
import itertools
import json
import logging
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from creatormatch.dataset import InputError
from training.importers.common import (
    CREATOR_SCHEMA,
    LABEL_SCHEMA,
    POST_SCHEMA,
    ImportedTables,
    ImportResult,
    Rejects,
    check_out_dir,
    frame_from_rows,
    write_import,
)

logger = logging.getLogger(__name__)

PLATFORM = "youtube"
CATEGORIES_FILE = "categories.json"
KAGGLE_CATEGORIES_SUFFIX = "_category_id.json"  # US_category_id.json, beside USvideos.csv
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_TRUE = ("true", "1", "yes", "t", "y")
# Cells that say a count is unknown (pandas writes NaN for a missing number).
_UNKNOWN_COUNTS = frozenset({"nan", "null", "none", "n/a", "na"})
# Commas as thousands separators, in groups of three ("7426393,0" in a semicolon file is a decimal comma: refused).
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")
# A count written by a program as a float: "1000.0", "1.5e6", "2E+3" (not "12.000", a European thousands).
_FLOAT_COUNT = re.compile(r"-?\d+\.0|-?\d+(\.\d+)?[eE]\+?\d+")
# The largest count taken (views, likes, comments, subscribers): far above any real one, and exact in the float64
# that the data contract reads numbers through.
MAX_COUNT = 10**15
# The order key of an API record: above any trending day, because the API's counts are a later snapshot.
_API_YEAR = 10_000
_ITEM_KINDS = {"youtube#video": "video", "youtube#channel": "channel", "youtube#videoCategory": "category"}
_RESPONSE_KINDS = {
    "youtube#videoListResponse": "video", "youtube#channelListResponse": "channel",
    "youtube#videoCategoryListResponse": "category", "youtube#searchListResponse": None,
}


# A spreadsheet's error values where a video id should be: Excel turns ids that start with "-" or "=" into
# formulas, and the 2017-18 Kaggle trending files carry "#NAME?" in place of such ids. Different videos share the
# value, so it cannot identify one: the video is keyed by its channel, title and publish time instead (the same
# video on several trending days still merges).
_SPREADSHEET_ERRORS = frozenset({"#NAME?", "#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NUM!", "#NULL!", "#ERROR!"})
_STAND_IN_PREFIX = "noid-"
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")  # a YouTube video id
_WHOLE_NUMBER = re.compile(r"(\d+)\.0*")
_NUMBER_DATE = re.compile(r"\d{1,2}\.1")  # DD.10 saved by a spreadsheet as a number: 20.1, 1.1

_Order = tuple[int, int, int, int, int]
_ChannelKey = tuple[str | None, str | None]


@dataclass
class _Video:
    """One record of a video, or the video as kept: each field from the latest record that knows it (see
    `_Collected.keep`).

    None is a field the record does not tell (a CSV without the column, an API item without the part), not an empty
    one: a caption or tags list that a record tells is "" or [] when empty. `withheld` names the counts the record
    says are unavailable (comments or ratings disabled, likes hidden): they are null, and told.
    """

    video_id: str
    order: _Order
    channel_id: str | None
    channel_title: str | None
    title: str | None
    caption: str | None
    tags: list[str] | None
    posted_at: datetime | None
    likes: int | None
    comments: int | None
    views: int | None
    category_id: str | None
    language: str | None = None
    withheld: frozenset[str] = frozenset()
    search_result: bool = False  # a search.list result: its description is a snippet cut short


# The fields merged one by one, besides the channel (its id and title, taken together from one record).
_MERGED_FIELDS = ("title", "caption", "tags", "posted_at", "likes", "comments", "views", "category_id", "language")
_COUNT_FIELDS = frozenset({"likes", "comments", "views"})
# How a record ranks for the fields it tells: search results below every other record (a description cut short,
# and nothing a video resource or a trending row would not tell better), then by order.
_Rank = tuple[bool, _Order]


def _told(video: _Video) -> Iterator[str]:
    """The fields a record tells: "channel" when it names one, and each merged field it knows or withholds."""
    if video.channel_id is not None or video.channel_title is not None:
        yield "channel"
    for name in _MERGED_FIELDS:
        if getattr(video, name) is not None or name in video.withheld:
            yield name


@dataclass
class _Held:
    """A video record that names no channel (a part=statistics item), kept aside until every file is read."""

    video: _Video
    file_index: int
    reject_at: int  # where its reject goes among the rejects, should no other record name the video
    reject: tuple[str, int | None, str | None, str, str]


@dataclass
class _Collected:
    """Everything read from the inputs so far."""

    videos: dict[str, _Video] = field(default_factory=dict)
    # The rank of the record each kept video's fields came from, by video id and field (see _told).
    ranks: dict[str, dict[str, _Rank]] = field(default_factory=dict)
    held: list[_Held] = field(default_factory=list)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    category_titles: dict[str, str] = field(default_factory=dict)
    rejects: Rejects = field(default_factory=Rejects)
    video_records: int = 0
    stand_in_ids: int = 0  # records whose video id was a spreadsheet error value (see _STAND_IN_PREFIX)
    number_dates: int = 0  # DD.MM trending dates a spreadsheet saved as numbers (20.1 for 20.10)
    repeated_headers: list[tuple[str, int]] = field(default_factory=list)  # (file, line): exports joined with cat
    # Every (channel, video) pair seen, with the category of its latest record that has one (and that record's
    # order): a channel whose only video was last seen under another channel title (a renamed channel) still
    # becomes a creator with a label, and a search result (no categoryId) does not take a video's label away.
    appearances: dict[tuple[_ChannelKey, str], tuple[_Order, str | None]] = field(default_factory=dict)
    # Each channel id's title, with the order of the record it came from: a renamed channel takes its newest title.
    titles_of_ids: dict[str, tuple[_Order, str]] = field(default_factory=dict)
    # Every channel id each title was seen with: records without an id (the older layouts) under any title a
    # channel ever had, not only its newest, join that channel when no other channel had the title.
    ids_of_titles: dict[str, set[str]] = field(default_factory=dict)

    def keep(self, video: _Video) -> None:
        """Count a valid record of a video and merge it into the video as kept, field by field.

        Each field takes its value from the latest record (by `order`) that tells it, so a record without
        statistics leaves the counts of an older one, and one without a snippet its text; a search result ranks
        below every other record for every field but the channel. A count a newer record withholds (comments or
        ratings disabled, likes hidden) is null even when an older record had it: the newer record says it is no
        longer public, and an old number would pass for a current one. The channel's id and title come together
        from one record, so a post goes to the channel of its latest record that names one.
        """
        self.video_records += 1
        # Who uploaded a video a search result tells as well as any record: the channel goes by order alone.
        told: dict[str, _Rank] = {name: (name == "channel" or not video.search_result, video.order)
                                  for name in _told(video)}
        current = self.videos.get(video.video_id)
        if current is None:
            self.videos[video.video_id] = video  # the first record becomes the video as kept
            self.ranks[video.video_id] = told
        else:
            ranks = self.ranks[video.video_id]
            for name, field_rank in told.items():
                if name in ranks and field_rank < ranks[name]:
                    continue
                ranks[name] = field_rank
                if name == "channel":
                    current.channel_id, current.channel_title = video.channel_id, video.channel_title
                    continue
                setattr(current, name, getattr(video, name))
                if name in _COUNT_FIELDS:
                    current.withheld = current.withheld | {name} if name in video.withheld \
                        else current.withheld - {name}
            current.order = max(current.order, video.order)
        if video.channel_id is None and video.channel_title is None:
            return  # a held record (see hold) adds counts, not an appearance under a channel
        key = (_channel_key(video), video.video_id)
        seen = self.appearances.get(key)
        if seen is None or (video.category_id is not None, video.order) >= (seen[1] is not None, seen[0]):
            self.appearances[key] = (video.order, video.category_id)
        if video.channel_id is not None and video.channel_title is not None:
            titled = self.titles_of_ids.get(video.channel_id)
            if titled is None or video.order >= titled[0]:
                self.titles_of_ids[video.channel_id] = (video.order, video.channel_title)
            self.ids_of_titles.setdefault(video.channel_title, set()).add(video.channel_id)

    def hold(self, video: _Video, file_index: int, reject: tuple[str, int | None, str | None, str, str]) -> None:
        """Keep aside a record that names no channel until every file is read (see `settle`).

        Args:
            video: the record.
            file_index: the position of its file among the inputs, for that file's count of rejects.
            reject: (file, line, id, field, reason) of its reject, should no other record name the video.
        """
        self.held.append(_Held(video, file_index, len(self.rejects), reject))

    def settle(self) -> Counter[int]:
        """Merge the held records of videos another record names; reject the others where they were read.

        Returns:
            The records rejected, by the position of their file among the inputs.
        """
        rejected: Counter[int] = Counter()
        for held in reversed(self.held):  # from the last, so each reject's position is still where it was read
            if held.video.video_id in self.videos:
                self.keep(held.video)
            else:
                # Rejects.add appends; this reject belongs among those of its file, in reading order.
                self.rejects.rows.insert(held.reject_at, held.reject)
                rejected[held.file_index] += 1
        self.held.clear()
        return rejected

    def title_of(self, channel_id: str) -> str | None:
        """The newest title a record gave the channel id, if any did."""
        titled = self.titles_of_ids.get(channel_id)
        return titled[1] if titled is not None else None


def _channel_key(video: _Video) -> _ChannelKey:
    """A channel as a record names it: by id when it has one (API, trending CSVs of 2020 on), else by title."""
    return (video.channel_id, None) if video.channel_id is not None else (None, video.channel_title)


def csv_creator_id(channel_title: str) -> str:
    """The creator id of a channel known only by its title (trending CSVs carry no channel id).

    Args:
        channel_title: the channel's title as exported.

    Returns:
        "yt-" and the first 16 hex digits of the sha1 of the stripped title.
    """
    return "yt-" + hashlib.sha1(channel_title.strip().encode("utf-8")).hexdigest()[:16]


def parse_tags(value: str | None) -> list[str]:
    """Tags of a trending CSV cell: `|`-separated, each maybe in double quotes; `[none]` (any case) means none.

    Args:
        value: the cell.

    Returns:
        The tags, stripped of quotes and whitespace, empty ones dropped.
    """
    if value is None or value.strip().lower() in ("", "[none]"):
        return []
    tags = (part.strip().strip('"').strip() for part in value.split("|"))
    return [tag for tag in tags if tag]


def _read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and how it was decoded (see `decode_export`).

    Raises:
        InputError: the file is missing or unreadable, or not text in the encoding given.
    """
    if not path.is_file():
        raise InputError(str(path), "file not found" if not path.exists() else "not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    return decode_export(data, path.name, encoding)


def _cp1252_else_latin1(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the five bytes cp1252 leaves undefined are read as latin-1 (control characters)."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("creatormatch-latin1", _cp1252_else_latin1)


def decode_export(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Text of an export, and the encoding it was read with.

    A gzip file is decompressed first; a zip archive is refused with a message saying to unpack it. With an
    encoding given (`import youtube --encoding`), the file is decoded with it, strictly. Otherwise UTF-16 with
    its byte-order mark (what Windows tools often write) is decoded as such; UTF-16 without one is refused with a
    message saying so. Otherwise UTF-8 (a BOM is dropped), line by line: a line that is not valid UTF-8 is read as
    UTF-8 with its broken bytes replaced when they end a field and other non-ASCII characters decode (a string cut
    in the middle of a character), else as cp1252 (its bytes that cp1252 leaves undefined as latin-1), with one
    warning naming the first such line, so one stray byte changes one line, not the whole file. When most lines
    with non-ASCII bytes are not UTF-8, the file is in another encoding: it is read whole in the encoding
    charset-normalizer finds (a Windows code page where one holds the standard's characters), unless that is a
    Latin one, which stays cp1252; the warning names it and says how to choose another with --encoding. With
    --encoding, a file that is valid UTF-8 is still read as UTF-8 (the option names the other files of a mixed
    import), with a warning.

    Args:
        data: the file's bytes.
        name: the file's name, for the warning.
        encoding: a Python codec name (cp1251, cp932, cp949, ...), or None to detect as above.

    Returns:
        The text, and "utf-8", "utf-16", the encoding given, "<codec> (detected)", "utf-8 (N lines with bytes
        replaced)" or "utf-8 and cp1252 (N lines)" (with ", M with bytes replaced" when both happened).

    Raises:
        InputError: a zip archive, an unknown encoding or bytes that are not in it, or UTF-16 without a
            byte-order mark.
    """
    if data.startswith(b"\x1f\x8b"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(name, f"a damaged gzip file: {exc}") from exc
    if data.startswith(b"PK\x03\x04"):
        raise InputError(name, "a zip archive: unpack it and import the files inside (or the folder they are in)")
    if encoding is not None:
        utf8 = _valid_utf8(data) if not _is_unicode(encoding) else None
        if utf8 is not None:  # --encoding names the other files of a mixed import: this one is UTF-8
            logger.warning("%s is valid UTF-8, so it was read as UTF-8, not %s (--encoding applies to the files "
                           "that are not UTF-8)", name, encoding)
            return utf8, "utf-8"
        return _decode_as(data, name, encoding), encoding
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:  # a BOM-like start that is not UTF-16: read it as bytes, below
            pass
    elif data[:4096].count(b"\x00") * 10 > min(len(data), 4096):  # UTF-16's ASCII: every other byte NUL
        raise InputError(name, "looks like UTF-16 without a byte-order mark (NUL bytes in the text); save it as "
                         "UTF-8, or import it again with --encoding utf-16-le (or utf-16-be)")
    bom = data.startswith(codecs.BOM_UTF8)  # written as UTF-8: bytes that are not are strays, whatever they look like
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    failing: dict[int, str] = {}  # index of a line that is not UTF-8 -> its UTF-8 reading with replacements
    non_ascii = 0
    raw = data.split(b"\n")
    for index, line in enumerate(raw):
        if not line.isascii():
            non_ascii += 1
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            failing[index] = line.decode("utf-8", errors="replace")
            lines.append("")
    # Lines with a character cut at a field's end keep their UTF-8, unless any failing line is plainly cp1252: then
    # the file is cp1252 in places, and a cp1252 line whose bytes happen to pair up as UTF-8 must not be "repaired".
    repair = all(_cut_at_field_ends(text) for text in failing.values())
    fallback: list[int] = []
    for index, text in failing.items():
        if repair:
            lines[index] = text
        else:
            fallback.append(index + 1)
            lines[index] = raw[index].decode("cp1252", errors="creatormatch-latin1")
    repaired = len(failing) - len(fallback)
    if repaired:
        logger.warning("%s: %d line(s) hold bytes that are not UTF-8 among UTF-8 text; those bytes were replaced "
                       "by \ufffd", name, repaired)
    if not fallback:
        return "\n".join(lines), f"utf-8 ({repaired} lines with bytes replaced)"
    if 2 * len(fallback) > non_ascii:
        detected = None if bom else _detected(data)
        if detected is not None:
            text, codec = detected
            logger.warning("%s: %d of the %d lines with non-ASCII bytes are not UTF-8: the file was read as %s, "
                           "the encoding its bytes suggest; if names or titles look wrong, import it again with "
                           "--encoding (%s)", name, len(fallback), non_ascii, codec, ENCODING_HINT)
            return text, f"{codec} (detected)"
        logger.warning("%s: %d of the %d lines with non-ASCII bytes are not UTF-8 (the first is line %d): the file "
                       "is in another encoding. They were read as cp1252; if names or titles look wrong, import it "
                       "again with --encoding (%s)", name, len(fallback), non_ascii, fallback[0], ENCODING_HINT)
    else:
        logger.warning("%s: %d line(s) are not valid UTF-8 (the first is line %d); read those as cp1252, some "
                       "characters may be wrong", name, len(fallback), fallback[0])
    also = f", {repaired} with bytes replaced" if repaired else ""
    return "\n".join(lines), f"utf-8 and cp1252 ({len(fallback)} lines{also})"


# Windows code pages first: exports from Windows tools use them, and each holds the ISO or JIS standard's
# characters plus symbols such as ① and ～ that the standard codecs refuse.
ENCODING_HINT = "cp1252 Western European, cp1250 Central European, cp1251 Cyrillic, cp932 Japanese, cp949 Korean, " \
    "gb18030 Chinese, cp1256 Arabic, cp1255 Hebrew, cp874 Thai"
# The encodings a detected guess may switch to: families whose text cp1252 turns into mojibake and a detector
# tells apart well. Anything else (Latin guesses: on a few accented words a detector names cp1250, where è is č, or
# hp_roman8 for Finnish) stays with the cp1252 reading.
_DETECTABLE = frozenset({"cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp932", "shift_jis",
                         "shift_jis_2004", "shift_jisx0213", "cp949", "euc_kr", "gb18030", "gbk", "gb2312", "big5",
                         "cp950", "cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp874",
                         "tis_620"})
# A detected standard codec -> the Windows code page that holds all of it and more, read instead when it decodes.
_SUPERSETS = {"shift_jis": "cp932", "shift_jis_2004": "cp932", "shift_jisx0213": "cp932", "euc_kr": "cp949",
              "gb2312": "gb18030", "gbk": "gb18030"}


def _is_unicode(encoding: str) -> bool:
    """Whether a codec name is UTF-8 or UTF-16/32 (a file in one of those is read as the user says)."""
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False  # told by _decode_as


def _valid_utf8(data: bytes) -> str | None:
    """The text when the bytes are UTF-8 with at least one non-ASCII character (pure ASCII reads the same in any
    encoding a user would name), else None."""
    if data.isascii():
        return None
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        return None


# Fewest bytes outside ASCII for a guess at a file's encoding: a few stray bytes say too little.
_DETECT_MIN_BYTES = 16


def _detected(data: bytes) -> tuple[str, str] | None:
    """A file that is not UTF-8, decoded with the encoding charset-normalizer finds most likely, when that is one
    of _DETECTABLE and decodes the whole file; with the codec's name. None otherwise, or when fewer than
    _DETECT_MIN_BYTES bytes are not ASCII."""
    if sum(byte > 127 for byte in data[:65536]) < _DETECT_MIN_BYTES:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        found = codecs.lookup(best.encoding).name.replace("-", "_")
    except LookupError:
        return None
    if found not in _DETECTABLE:
        return None
    for codec in dict.fromkeys((_SUPERSETS.get(found, found), found)):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _cut_at_field_ends(replaced: str) -> bool:
    """Whether a line decoded as UTF-8 with replacement is UTF-8 text with characters cut at the end of a field
    (a string truncated by bytes): it holds other non-ASCII characters that decoded, and every U+FFFD is followed
    by a field or line end. cp1252 text fails this, its accented letters being what does not decode."""
    cuts = [m.end() for m in re.finditer("\ufffd+", replaced)]
    decoded = [ch for ch in replaced if ord(ch) > 127 and ch != "\ufffd"]
    return bool(decoded) and all(_plausible(ch) for ch in decoded) and \
        all(at == len(replaced) or replaced[at] in ',;\t"\r' for at in cuts)


def _plausible(ch: str) -> bool:
    """Whether a character decoded from two or more bytes is one real text uses: Latin-1 and Latin Extended-A
    letters, Greek, Cyrillic, Hebrew, Arabic, or anything from three bytes up (CJK, Hangul, Thai, emoji, dashes).
    A cp1252 capital letter followed by a quote or symbol byte (É’ = C9 92) decodes to IPA or a C1 control instead."""
    code = ord(ch)
    return 0xA0 <= code <= 0x17F or 0x370 <= code <= 0x6FF or code >= 0x800


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    """The bytes decoded with the encoding the user named, or InputError naming the first line that is not in it."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r} (give a Python codec name such as utf-8, cp1252, "
                         "cp1251, cp932 or cp949)") from None
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(name, f"not {encoding}: line {line} holds bytes that encoding does not have "
                         f"({exc.reason}); check the --encoding given") from None


def _count(value: object) -> int | None:
    """A count from a CSV cell or an API field (the API sends counts as strings); blank or NaN is unknown.

    A whole number written as a float ("1000.0", what a pandas round trip writes) is that number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an integer ({value!r})")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if _THOUSANDS.fullmatch(text):  # 1,234,567; a comma anywhere else is not a thousands separator
            text = text.replace(",", "")
        if not text or text.lower() in _UNKNOWN_COUNTS:
            return None
        try:
            number = int(text)
        except ValueError:
            number = _whole_float(text, value)
    if number < 0:
        raise ValueError(f"negative ({number})")
    if number > MAX_COUNT:
        raise ValueError(f"implausibly large ({number}; at most {MAX_COUNT:.0e})")
    return number


def _whole_float(text: str, value: object) -> int:
    """The integer a float's text stands for, in the forms a program writes ("1000.0" from pandas, "1.5e6"), or
    ValueError. "12.000" is refused, not read as 12: a spreadsheet in a European locale writes thousands so."""
    if not _FLOAT_COUNT.fullmatch(text):
        raise ValueError(f"not an integer ({str(value)[:40]!r})")
    number = float(text)
    if not math.isfinite(number) or number > MAX_COUNT:
        raise ValueError(f"implausibly large ({str(value)[:40]}; at most {MAX_COUNT:.0e})")
    if not number.is_integer():
        raise ValueError(f"not a whole number ({str(value)[:40]!r})")
    return int(number)


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


def _timestamp(value: object) -> datetime | None:
    """An ISO 8601 date-time in UTC (naive times are taken as UTC); blank is unknown."""
    if value is None or not str(value).strip():
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: a time that leaves years 1-9999 once moved to UTC
        raise ValueError(f"not an ISO 8601 date-time in years 1-9999 ({str(value)[:40]!r})") from None


def _trending_day(value: str) -> tuple[int, int, int]:
    """(year, month, day) of a trending date: YY.DD.MM (2017-18 layout), DD.MM (2017 layout, year 0) or an ISO date
    or timestamp (2020 and later: 2020-08-12T00:00:00Z)."""
    text = value.strip()
    if len(text) >= 10 and text[4] == "-":
        try:
            iso = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a trending date YYYY-MM-DD ({value[:20]!r})") from None
        return iso.year, iso.month, iso.day
    parts = text.split(".")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) == 3:
        year, day, month = 2000 + numbers[0], numbers[1], numbers[2]
    elif len(numbers) == 2:
        year, day, month = 0, numbers[0], numbers[1]
        if len(parts[1]) == 1:  # always two digits as published: a spreadsheet number that lost its trailing 0
            if numbers[1] != 1:  # "20.2" would be 20.20: no such month
                raise ValueError(f"not a trending date DD.MM ({value[:20]!r}: a month of one digit)")
            month = 10
    else:
        raise ValueError(f"not a trending date YY.DD.MM or DD.MM ({value[:20]!r})")
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"not a trending date YY.DD.MM or DD.MM ({value[:20]!r})")
    return year, month, day


def _country(value: object) -> str | None:
    text = str(value).strip().upper() if isinstance(value, str) else ""
    return text if len(text) == 2 and text.isalpha() else None


def _language(value: object) -> str | None:
    """The ISO 639-1 code of a BCP 47 tag (en-GB -> en); None for three-letter or missing codes."""
    if not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


# --- trending CSV -----------------------------------------------------------------------------------------------


# Column names of the published trending layouts, keyed by the name lower-cased without underscores: the 2017-18
# Kaggle files (video_id, channel_title, views, publish_time, ...) and the 2020+ ones (channelId, channelTitle,
# view_count, publishedAt, categoryId, ...).
_TRENDING_COLUMNS = {
    "videoid": "video_id", "channeltitle": "channel_title", "channelid": "channel_id",
    "trendingdate": "trending_date", "date": "date", "title": "title", "tags": "tags", "description": "description",
    "views": "views", "viewcount": "views", "likes": "likes", "likecount": "likes",
    "commentcount": "comment_count", "commenttotal": "comment_total", "categoryid": "category_id",
    "publishtime": "publish_time", "publishedat": "publish_time",
    "commentsdisabled": "comments_disabled", "ratingsdisabled": "ratings_disabled",
}


@dataclass(frozen=True)
class _Layout:
    """Where each column of a trending CSV is (None when the layout has no such column)."""

    name: str
    width: int
    video: int
    channel: int
    channel_id: int | None
    date_column: str | None
    date: int | None
    counts: tuple[tuple[str, int], ...]
    title: int | None
    tags: int | None
    description: int | None
    category: int | None
    published: int | None
    no_comments: int | None
    no_ratings: int | None
    # The file's own name of each column, for the rejects (view_count, not views).
    original: dict[str, str] = field(default_factory=dict)


def _column_key(name: str) -> str:
    """A column name as _TRENDING_COLUMNS keys it: lower case, without underscores, spaces or a byte order mark
    (the second file's, in exports joined with `cat`)."""
    return name.strip().lstrip("\ufeff").lower().replace("_", "").replace(" ", "")


def _trending_layout(path: Path, header: list[str]) -> _Layout:
    """The layout of a trending CSV from its header (any of the published ones, columns in any order, names
    matched without regard to case or underscores).

    Raises:
        InputError: the header lacks video_id or channel_title.
    """
    names = [name.strip() for name in header]
    index: dict[str, int] = {}
    original: dict[str, str] = {}
    for position, name in enumerate(names):
        canonical = _TRENDING_COLUMNS.get(_column_key(name))
        if canonical is not None and canonical not in index:
            index[canonical] = position
            original[canonical] = name
    missing = [name for name in ("video_id", "channel_title") if name not in index]
    if missing:
        raise InputError(str(path), f"not a YouTube trending export: no {' or '.join(missing)} column "
                         f"(header: {', '.join(names[:12])})")
    date_column = next((c for c in ("trending_date", "date") if c in index), None)
    if "channel_id" in index:
        name = "trending CSV (with channel ids)"
    else:
        name = {"trending_date": "trending CSV (YY.DD.MM)", "date": "trending CSV (DD.MM)"}.get(
            date_column or "", "trending CSV (no trending date)")
    return _Layout(
        name=name, width=len(header), video=index["video_id"], channel=index["channel_title"],
        channel_id=index.get("channel_id"), date_column=date_column,
        date=index[date_column] if date_column else None,
        counts=tuple((c, index[c]) for c in ("views", "likes", "comment_count", "comment_total") if c in index),
        title=index.get("title"), tags=index.get("tags"), description=index.get("description"),
        category=index.get("category_id"), published=index.get("publish_time"),
        no_comments=index.get("comments_disabled"), no_ratings=index.get("ratings_disabled"), original=original,
    )


def _read_trending_csv(path: Path, text: str, file_index: int, sink: _Collected) -> tuple[str, int]:
    """Read a trending CSV (either layout) into sink; returns the layout's name and the data rows read.

    A record that runs over several lines (a quoted description may) when the line after its first is a whole
    record by itself (with the right field count, one that starts with a video id) is a stray quote that swallowed
    the records after it: its first line is rejected and reading goes on from the next line, so one broken title
    costs one row, not the rest of the file.
    """
    lines = list(io.StringIO(text, newline=""))  # split as the csv module splits (\n, \r\n, \r)
    # Commas, or what a spreadsheet in another locale saves (semicolons) or a tab-separated export: whichever the
    # header holds most of.
    delimiter = max((",", ";", "\t"), key=lines[0].count) if lines else ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(str(path), "empty file; expected a YouTube trending CSV with a header row") from None
    except csv.Error as exc:
        raise InputError(str(path), f"cannot read the CSV header: {exc}") from exc
    layout = _trending_layout(path, header)
    header_keys = [_column_key(c) for c in header]
    rows_read = 0
    base = reader.line_num  # lines before the ones the current reader reads
    reader = csv.reader(itertools.islice(lines, base, None), delimiter=delimiter)
    while True:
        line = base + reader.line_num + 1  # the file line the next record starts on
        try:
            row = next(reader)
            problem = None
        except StopIteration:
            break
        except csv.Error as exc:
            row, problem = [], f"unreadable CSV record: {exc}"
        last = base + reader.line_num
        if problem is None and not row:
            continue
        if problem is None and [_column_key(c) for c in row] == header_keys:
            sink.repeated_headers.append((path.name, line))  # files joined with `cat`: not a record
            continue
        rows_read += 1
        # Over several lines, and the next line is a record of its own: a stray quote swallowed the records after
        # it. With the wrong field count, any whole record next says so; with the right one (a second stray quote
        # closed the first), a record starting with a YouTube video id does. (A quoted description with its
        # newlines and one field too many is rejected whole, as any malformed record.)
        following = _record_at(lines[line], layout.width, delimiter) if last > line else None
        swallowed = following is not None and (
            len(row) != layout.width or problem is not None
            or _VIDEO_ID.fullmatch(following[layout.video].strip()) is not None
            or following[layout.video].strip().upper() in _SPREADSHEET_ERRORS)
        if swallowed:
            found = f"expected {layout.width} fields, found {len(row)}: " if len(row) != layout.width else ""
            problem = (f"{problem + ': ' if problem else found}an unclosed quote ran this record over lines "
                       f"{line}-{last}, and line {line + 1} is a record of its own; read again from there")
        if problem is not None:
            sink.rejects.add(path.name, line, _record_id(layout, row), "", problem)
        if swallowed:  # read on from the line after the one the record started on
            base = line
            reader = csv.reader(itertools.islice(lines, base, None), delimiter=delimiter)
        if problem is None:
            _trending_row(layout, row, (path.name, line, (file_index, rows_read)), sink)
    return layout.name, rows_read


def _record_at(line: str, width: int, delimiter: str) -> list[str] | None:
    """One physical line read alone, when it is a whole record of `width` fields."""
    try:
        rows = list(csv.reader([line], delimiter=delimiter))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 and len(rows[0]) == width else None


def _record_id(layout: _Layout, row: list[str]) -> str | None:
    """The video id of a malformed record, where it has one (for the rejects)."""
    return (row[layout.video].strip() or None) if len(row) > layout.video else None


def _trending_row(layout: _Layout, row: list[str], where: tuple[str, int, tuple[int, int]],
                  sink: _Collected) -> None:
    """Check one trending record and keep its video, or reject it with the line it starts on."""
    name, line, (file_index, position) = where
    if len(row) != layout.width:
        sink.rejects.add(name, line, _record_id(layout, row), "", f"expected {layout.width} fields, found "
                         f"{len(row)} (records glued on one line, or a stray quote or comma)")
        return
    video_id, channel = row[layout.video].strip(), row[layout.channel].strip()
    channel_id = (row[layout.channel_id].strip() or None) if layout.channel_id is not None else None
    if not video_id:
        sink.rejects.add(name, line, None, layout.original["video_id"], f"{layout.original['video_id']} is empty")
        return
    if channel.upper() in _SPREADSHEET_ERRORS:  # "=LOVE" saved by a spreadsheet: it names no channel
        if channel_id is None:
            column = layout.original["channel_title"]
            sink.rejects.add(name, line, video_id, column, f"{column} is a spreadsheet error value ({channel}), "
                             "not a channel's title: the file was saved from a spreadsheet that read titles "
                             "starting with =, + or - as formulas")
            return
        channel = ""  # the id names the channel; its title comes from another record, or stays unknown
    if not channel and channel_id is None:  # with an id, the channel is known (its title may come from elsewhere)
        column = layout.original["channel_title"]
        sink.rejects.add(name, line, video_id, column, f"{column} is empty")
        return
    if video_id.upper() in _SPREADSHEET_ERRORS:
        published = row[layout.published].strip() if layout.published is not None else ""
        title = row[layout.title].strip() if layout.title is not None else ""
        key = "\x1f".join((row[layout.channel_id].strip() if layout.channel_id is not None else "", channel, title,
                           published))
        video_id = _STAND_IN_PREFIX + hashlib.sha256(key.encode()).hexdigest()[:16]
    column = ""
    try:
        column = layout.date_column or ""
        year, month, day = _trending_day(row[layout.date]) if layout.date is not None else (0, 0, 0)
        parsed: dict[str, int | None] = {}
        for column, at in layout.counts:
            parsed[column] = _count(row[at])
        column = "publish_time"
        posted_at = _timestamp(row[layout.published]) if layout.published is not None else None
    except ValueError as exc:
        column = layout.original.get(column, column)
        sink.rejects.add(name, line, video_id, column, f"{column} is {exc}")
        return
    # A disabled flag withholds its count: unknown, not 0, and not to be filled from an older row (see keep).
    withheld = set()
    if layout.no_ratings is not None and _flag(row[layout.no_ratings]):
        withheld.add("likes")
    if layout.no_comments is not None and _flag(row[layout.no_comments]):
        withheld.add("comments")
    likes = None if "likes" in withheld else parsed.get("likes")
    comments = None if "comments" in withheld else parsed.get("comment_count", parsed.get("comment_total"))
    if video_id.startswith(_STAND_IN_PREFIX):
        sink.stand_in_ids += 1
    if layout.date is not None and _NUMBER_DATE.fullmatch(row[layout.date].strip()):
        sink.number_dates += 1
    # A text column the layout has tells its text, an empty cell too (as it always has between trending days); a
    # blank count is unknown (_count), so an older row's count stands in for it.
    sink.keep(_Video(
        video_id=video_id, order=(year, month, day, file_index, position), channel_id=channel_id,
        channel_title=channel or None, title=row[layout.title] if layout.title is not None else None,
        caption=row[layout.description].replace("\\n", "\n") if layout.description is not None else None,
        tags=parse_tags(row[layout.tags]) if layout.tags is not None else None, posted_at=posted_at, likes=likes,
        comments=comments, views=parsed.get("views"),
        category_id=_category_id(row[layout.category]) if layout.category is not None else None,
        withheld=frozenset(withheld),
    ))


def _category_id(value: str) -> str | None:
    """A category id as the category files key it: "24" also for "24.0", as pandas writes an integer column
    that has a gap; None when empty."""
    text = value.strip()
    whole = _WHOLE_NUMBER.fullmatch(text)
    return (whole.group(1) if whole else text) or None


# --- Data API JSON ----------------------------------------------------------------------------------------------


def _json_documents(path: Path, text: str, sink: _Collected) -> Iterator[tuple[int | None, str, Any]]:
    """(line, path prefix, document) for each response in a file: one object, an array of them, JSON Lines, or
    responses saved back to back (`curl ... >> pages.json`, pretty-printed)."""
    if not text.strip():
        raise InputError(str(path), "empty file; expected YouTube Data API JSON")
    problem: json.JSONDecodeError | None = None
    if _export_suffix(path) not in _JSONL_SUFFIXES:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = exc
        else:
            yield from _entries(None, document)
            return
    # Pretty-printed (a first line of just "{" or "["): documents back to back, not lines.
    stream = _concatenated(text) if text.lstrip().split("\n", 1)[0].strip() in ("{", "[") else None
    if stream is not None and stream[0]:
        yield from _back_to_back(path, *stream, sink)
        return
    parsed: list[tuple[int, Any]] = []
    broken: list[tuple[int, json.JSONDecodeError | None]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except json.JSONDecodeError as error:
            broken.append((number, error))
            continue
        if isinstance(document, dict | list):
            parsed.append((number, document))
        else:  # a scalar: a piece of a pretty-printed document ("b" of a tags list), not a line of its own
            broken.append((number, None))
    if broken:
        documents, stopped = stream if stream is not None else _concatenated(text)  # read once either way
        if len(documents) > len(parsed):  # more is read as documents back to back than as lines
            yield from _back_to_back(path, documents, stopped, sink)
            return
    if not parsed:  # neither JSON Lines nor documents back to back: say what the whole file's parse found
        first = next((error for _, error in broken if error is not None), None)
        raise InputError(str(path), f"not valid JSON or JSON Lines: {problem or first or 'no JSON object'}")
    for number, failure in broken:  # a broken line (first, last or any) is that line's reject only
        sink.rejects.add(path.name, number, None, "", f"not valid JSON: {failure or 'not an object or array'}")
    for number, document in parsed:
        yield from _entries(number, document)


def _back_to_back(path: Path, documents: list[tuple[int, Any]], stopped: tuple[int, str] | None,
                  sink: _Collected) -> Iterator[tuple[int | None, str, Any]]:
    """The documents read one after the other; what follows the last whole one (a page cut short) is one reject."""
    if stopped is not None:
        sink.rejects.add(path.name, stopped[0], None, "", f"not valid JSON from this line on: {stopped[1]}")
    for number, document in documents:
        yield from _entries(number, document)


def _entries(line: int | None, document: Any) -> Iterator[tuple[int | None, str, Any]]:
    """A parsed document as (line, path prefix, response): an array's responses one by one."""
    if isinstance(document, list):
        yield from ((line, f"[{i}].", d) for i, d in enumerate(document))
    else:
        yield line, "", document


def _concatenated(text: str) -> tuple[list[tuple[int, Any]], tuple[int, str] | None]:
    """The JSON objects and arrays of a text read one after the other (each with the line it starts on), and where
    reading stopped short of the end (line, reason), if it did."""
    decoder = json.JSONDecoder()
    documents: list[tuple[int, Any]] = []
    at, end, line, counted = 0, len(text), 1, 0
    while True:
        while at < end and text[at] in " \t\r\n":
            at += 1
        if at == end:
            return documents, None
        line += text.count("\n", counted, at)  # counted from the last document on, not from the start
        counted = at
        try:
            document, after = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            return documents, (line, exc.msg)
        if not isinstance(document, dict | list):
            return documents, (line, "not an object or array")
        documents.append((line, document))
        at = after


def _kind_of(section: dict[str, Any]) -> str:
    """A section's "kind" when it is text; "" when it is missing or anything else (a list, an object)."""
    kind = section.get("kind")
    return kind if isinstance(kind, str) else ""


def _item_kind(item: dict[str, Any], default: str | None) -> str | None:
    identifier = item.get("id")
    if _kind_of(item) == "youtube#searchResult" or isinstance(identifier, dict):
        return _ITEM_KINDS.get(_kind_of(identifier)) if isinstance(identifier, dict) else None
    kind = _ITEM_KINDS.get(_kind_of(item), default)
    if kind is None:
        # Items saved without their kind: a video's snippet names its channel, a channel has subscribers.
        snippet, statistics = item.get("snippet"), item.get("statistics")
        if isinstance(snippet, dict) and "channelId" in snippet:
            return "video"
        if isinstance(statistics, dict) and "subscriberCount" in statistics:
            return "channel"
    return kind


def _section(item: dict[str, Any], name: str) -> dict[str, Any]:
    value = item.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{name}|{name} is not an object")  # field|reason, as the other item errors
    return value


def _unescaped(item: dict[str, Any], snippet: dict[str, Any]) -> dict[str, Any]:
    """The snippet, with the HTML entities of a search result's texts decoded (search.list sends "&amp;" and
    "&#39;" where videos.list sends "&" and "'")."""
    if _kind_of(item) != "youtube#searchResult":
        return snippet
    return {k: html.unescape(v) if k in ("title", "description", "channelTitle") and isinstance(v, str) else v
            for k, v in snippet.items()}


def _text(section: dict[str, Any], name: str) -> str | None:
    value = section.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _resource_id(item: dict[str, Any], key: str, kind: str) -> str:
    """A resource's id: the item's id, or for a search result its id object's `key` (videoId, channelId)."""
    identifier = item.get("id")
    value = identifier.get(key) if isinstance(identifier, dict) else identifier
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(identifier, dict):  # a search result's id object, without this kind's id in it
        found_kind = identifier.get("kind")
        raise ValueError(f"id.{key}|{kind} id is missing: the id object has no {key} "
                         f"(it holds {', '.join(map(str, identifier)) or 'nothing'}; kind {found_kind!r})")
    if identifier is not None and not isinstance(identifier, str):
        raise ValueError(f"id|{kind} id is not text (found {type(identifier).__name__})")
    raise ValueError(f"id|{kind} id is missing")


def _statistics(statistics: dict[str, Any], names: tuple[str, ...]) -> dict[str, int | None]:
    """The API's counts (strings, or absent when hidden) as integers; a ValueError names the field at fault."""
    counts: dict[str, int | None] = {}
    for name in names:
        try:
            counts[name] = _count(statistics.get(name))
        except ValueError as exc:
            raise ValueError(f"statistics.{name}|{name} is {exc}") from None
    return counts


def _api_video(item: dict[str, Any], order: _Order) -> _Video:
    """A video resource (or a search result for a video); raises ValueError naming the field at fault.

    A record fetched without a part tells nothing of it: no snippet, no text, channel or category; no statistics,
    no counts. Within a snippet the API leaves out `tags` when a video has none, and within statistics `likeCount`
    when the likes are hidden and `commentCount` when comments are disabled: those are told, as none and as withheld.
    A search result has no tags, counts or category, and its description is cut short (see `_Collected.keep`).
    """
    video_id = _resource_id(item, "videoId", "video")
    snippet = _unescaped(item, _section(item, "snippet"))
    statistics = _section(item, "statistics")
    search_result = _kind_of(item) == "youtube#searchResult" or isinstance(item.get("id"), dict)
    channel_id, channel_title = _text(snippet, "channelId"), _text(snippet, "channelTitle")
    counts = _statistics(statistics, ("viewCount", "likeCount", "commentCount"))
    withheld = frozenset(name for name, key in (("likes", "likeCount"), ("comments", "commentCount"))
                         if item.get("statistics") is not None and counts[key] is None)
    try:
        posted_at = _timestamp(snippet.get("publishedAt"))
    except ValueError as exc:
        raise ValueError(f"snippet.publishedAt|publishedAt is {exc}") from None
    tags = snippet.get("tags")
    if not isinstance(tags, list):
        tags = [] if item.get("snippet") is not None and not search_result else None
    description = snippet.get("description")
    category = snippet.get("categoryId")
    return _Video(
        video_id=video_id.strip(), order=order, channel_id=channel_id, channel_title=channel_title,
        title=snippet.get("title") if isinstance(snippet.get("title"), str) else None,
        caption=description if isinstance(description, str) else None,
        tags=[t.strip() for t in tags if isinstance(t, str) and t.strip()] if tags is not None else None,
        posted_at=posted_at, likes=counts["likeCount"], comments=counts["commentCount"], views=counts["viewCount"],
        category_id=_category_id(str(category)) if category is not None else None,
        language=_language(snippet.get("defaultAudioLanguage")) or _language(snippet.get("defaultLanguage")),
        withheld=withheld, search_result=search_result,
    )


def _api_channel(item: dict[str, Any]) -> dict[str, Any]:
    """A channel resource (or a search result for a channel) as creator fields; raises ValueError like _api_video."""
    channel_id = _resource_id(item, "channelId", "channel")
    snippet = _unescaped(item, _section(item, "snippet"))
    statistics = _section(item, "statistics")
    counts = _statistics(statistics, ("subscriberCount", "videoCount"))
    title = _text(snippet, "title")
    custom_url = (_text(snippet, "customUrl") or "").lstrip("@").strip() or None
    description = snippet.get("description")
    return {
        "creator_id": channel_id.strip(), "display_name": title, "handle": custom_url or title,
        "bio": description if isinstance(description, str) else None,
        "followers": None if _flag(statistics.get("hiddenSubscriberCount", False)) else counts["subscriberCount"],
        "posts_count": counts["videoCount"], "country": _country(snippet.get("country")),
        "language": _language(snippet.get("defaultLanguage")),
    }


def _read_api_json(path: Path, text: str, file_index: int, sink: _Collected) -> int:
    """Read Data API responses into sink; returns the items read."""
    name = path.name
    items_read = 0
    recognised = 0
    first_problem = ""
    for line, prefix, document in _json_documents(path, text, sink):
        where = prefix.rstrip(".") or "response"
        if not isinstance(document, dict):
            first_problem = first_problem or f"{where} is not a JSON object"
            sink.rejects.add(name, line, None, where, "not a JSON object")
            continue
        kind = _kind_of(document)
        if isinstance(document.get("error"), dict):  # what the API answers instead of data (quota, bad key)
            message = str(document["error"].get("message", ""))[:120]
            first_problem = first_problem or f"{where} is an API error response ({message})"
            sink.rejects.add(name, line, None, where, f"an API error response, not data ({message})")
            continue
        if isinstance(document.get("items"), list):
            default = _RESPONSE_KINDS.get(kind)
            items = [(f"{prefix}items[{i}]", item) for i, item in enumerate(document["items"])]
        elif kind in _ITEM_KINDS or kind == "youtube#searchResult":
            default, items = None, [(prefix.rstrip(".") or "resource", document)]
        elif document and all(isinstance(k, str) and k.isdigit() and isinstance(v, str) for k, v in document.items()):
            sink.category_titles.update(document)
            recognised += 1
            continue
        else:
            shown = repr(document.get("kind"))[:60]
            first_problem = first_problem or f"{where} has kind {shown}"
            sink.rejects.add(name, line, None, where, f"not a YouTube Data API response or resource (kind {shown})")
            continue
        recognised += 1
        for position, item in items:
            items_read += 1
            _read_api_item(item, default, (name, line, position), (_API_YEAR, 0, 0, file_index, items_read), sink)
    if not recognised:
        raise InputError(str(path), "no YouTube Data API response in the file (expected kind "
                         f"youtube#videoListResponse or youtube#channelListResponse; {first_problem or 'no items'})")
    return items_read


def _read_api_item(item: object, default: str | None, where: tuple[str, int | None, str],
                   order: _Order, sink: _Collected) -> None:
    """Keep one item of a response in sink, or reject it with its file, line and path.

    A video that names no channel (an item of a part=statistics refresh) is held until every file is read: it
    updates a video another record names, and is rejected where it was read otherwise (`_Collected.settle`).
    """
    file, line, position = where
    if not isinstance(item, dict):
        sink.rejects.add(file, line, None, position, "item is not a JSON object")
        return
    kind = _item_kind(item, default)
    identifier = item.get("id")
    if isinstance(identifier, dict):
        shown_id = next((str(identifier[k]) for k in ("videoId", "channelId", "playlistId") if identifier.get(k)), "")
    else:
        shown_id = str(identifier or "")
    try:
        if kind == "video":
            video = _api_video(item, order)
            file_index = order[3]  # (year, month, day, file, position)
            if video.channel_id is not None or video.channel_title is not None:
                sink.keep(video)
            elif item.get("snippet") is None:
                sink.hold(video, file_index, (file, line, shown_id, f"{position}.snippet", "the video's snippet is "
                          "missing (an item of part=statistics only?), and no other record of this video names its "
                          "channel and title; import it with a videos.list response with part=snippet"))
            else:
                sink.hold(video, file_index, (file, line, shown_id, f"{position}.snippet.channelId", "no "
                          "snippet.channelId or snippet.channelTitle, and no other record of this video names them"))
        elif kind == "channel":
            creator = _api_channel(item)
            known = sink.channels.setdefault(creator["creator_id"], {})
            known.update({k: v for k, v in creator.items() if v is not None})
        elif kind == "category":
            title = _section(item, "snippet").get("title")
            if isinstance(identifier, str) and isinstance(title, str):
                sink.category_titles.setdefault(identifier.strip(), title)
        else:
            raise ValueError(f"kind|not a video or channel (kind {item.get('kind')!r}, id {identifier!r})")
    except ValueError as exc:
        field_name, _, reason = str(exc).partition("|")
        sink.rejects.add(file, line, shown_id, f"{position}.{field_name}", reason or field_name)


# --- assembly ---------------------------------------------------------------------------------------------------


def load_category_titles(path: Path) -> dict[str, str]:
    """Category id to title, from a JSON object ({"10": "Music"}) or a youtube#videoCategoryListResponse.

    Args:
        path: the JSON file.

    Returns:
        The titles by category id (as text).

    Raises:
        InputError: when the file is missing or holds neither form.
    """
    text, _ = _read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"categories: not valid JSON: {exc}") from exc
    documents = document if isinstance(document, list) else [document]
    titles: dict[str, str] = {}
    for entry in documents:
        if isinstance(entry, dict) and isinstance(entry.get("items"), list):
            for item in entry["items"]:
                snippet = item.get("snippet") if isinstance(item, dict) else None
                if isinstance(snippet, dict) and isinstance(snippet.get("title"), str) and item.get("id") is not None:
                    titles[str(item["id"]).strip()] = snippet["title"]
        elif isinstance(entry, dict) and "kind" not in entry:
            titles.update({str(k).strip(): v for k, v in entry.items() if isinstance(v, str)})
    if not titles:
        raise InputError(str(path), "categories: expected a JSON object of id -> title or a "
                         "youtube#videoCategoryListResponse")
    return titles


def _category_titles(inputs: Sequence[Path], categories: Path | None, from_inputs: dict[str, str]) -> dict[str, str]:
    """Category titles by id: the --categories file, else the category files beside the inputs (categories.json,
    and Kaggle's XX_category_id.json beside a CSV given on its own), over those read as inputs."""
    titles: dict[str, str] = {}
    if categories is not None:
        titles = load_category_titles(categories)
    else:
        given = {path.resolve() for path in inputs}
        for folder in dict.fromkeys(path.parent for path in inputs):
            beside = [folder / CATEGORIES_FILE, *sorted(folder.glob(f"*{KAGGLE_CATEGORIES_SUFFIX}"))]
            for path in beside:
                if not path.is_file() or path.resolve() in given:
                    continue
                try:
                    titles = {**load_category_titles(path), **titles}  # categories.json first, then by name
                except InputError as exc:
                    logger.warning("ignoring %s: %s", path, exc)
    return {**from_inputs, **titles}


@dataclass
class _Creators:
    """The creator rows, the creator of each kept video, and each creator's (video, category) pairs."""

    rows: list[dict[str, Any]]
    creator_of: dict[str, str]
    categories: list[tuple[str, str]]


def _creators(sink: _Collected) -> _Creators:
    """One creator per channel: channel resources first, trending-CSV titles merged onto them by title."""
    by_title: dict[str, str] = {}
    for channel_id, channel in sink.channels.items():
        title = channel.get("display_name")
        if title is None:
            continue
        if title in by_title and by_title[title] != channel_id:
            logger.warning("two channels are titled %r (%s, %s); trending rows of that title go to the first",
                           title, by_title[title], channel_id)
            continue
        by_title[title] = channel_id
    # Any title a channel id had (a renamed channel's old one too) takes the records without an id under it,
    # unless several ids had it: then those records stay a creator of their own rather than join the wrong one.
    for title, ids in sink.ids_of_titles.items():
        if len(ids) == 1:
            by_title.setdefault(title, next(iter(ids)))
        elif title not in by_title:
            logger.warning("channels %s were all titled %r; rows without a channel id under that title stay a "
                           "creator of their own", ", ".join(sorted(ids)), title)

    def creator_id_of(key: _ChannelKey) -> str:
        channel_id, title = key
        if channel_id is not None:
            return channel_id
        assert title is not None  # a record without a channel id has a title (checked when read)
        return by_title.get(title) or csv_creator_id(title)

    rows: dict[str, dict[str, Any]] = {}
    for channel_id, channel in sink.channels.items():
        rows[channel_id] = {"platform": PLATFORM, "bio": "", "categories": [], **channel}
        # A channel fetched without its snippet (part=statistics) is named by its videos' channelTitle.
        title = channel.get("display_name") or sink.title_of(channel_id)
        rows[channel_id]["display_name"] = title
        rows[channel_id]["handle"] = channel.get("handle") or title
    creator_of = {v.video_id: creator_id_of(_channel_key(v)) for v in sink.videos.values()}
    latest: dict[tuple[str, str], tuple[_Order, str | None]] = {}
    moved: set[str] = set()
    for (key, video_id), (order, category_id) in sink.appearances.items():
        creator_id = creator_id_of(key)
        if creator_of[video_id] != creator_id:
            # An older record of a video under another channel (a renamed channel, in the layouts that key
            # channels by title): the post goes with its latest record, and the other title gets neither a
            # creator without posts nor a label from it.
            moved.add(video_id)
            continue
        if creator_id not in rows:
            # Named by the channel id's newest title when the id is known, whichever file was read first.
            title = sink.title_of(creator_id) or key[1]
            rows[creator_id] = {"creator_id": creator_id, "handle": title, "display_name": title,
                                "platform": PLATFORM, "bio": "", "categories": []}
        seen = latest.get((creator_id, video_id))
        if seen is None or (category_id is not None, order) >= (seen[1] is not None, seen[0]):
            latest[(creator_id, video_id)] = (order, category_id)  # the latest category known, as in appearances
    languages: dict[str, Counter[str]] = {}
    for video in sink.videos.values():
        if video.language is not None:
            languages.setdefault(creator_of[video.video_id], Counter())[video.language] += 1
    for creator_id, counter in languages.items():
        if rows[creator_id].get("language") is None:
            rows[creator_id]["language"] = counter.most_common(1)[0][0]
    if moved:
        logger.warning("%d video(s) appear under more than one channel (renamed channels?), e.g. %s; each post "
                       "goes to the channel of its latest record", len(moved), ", ".join(sorted(moved)[:3]))
    categories = [(creator_id, category) for (creator_id, _), (_, category) in latest.items() if category is not None]
    return _Creators(list(rows.values()), creator_of, categories)


def _labels(pairs: list[tuple[str, str]], titles: dict[str, str]) -> pl.DataFrame | None:
    """Each creator's most common category id among its videos (ties: the smallest numeric id), with its title."""
    if not pairs:
        return None
    counts = pl.DataFrame(pairs, schema={"creator_id": pl.Utf8, "category_id": pl.Utf8}, orient="row") \
        .group_by("creator_id", "category_id").len()
    best = (
        counts.with_columns(pl.col("category_id").cast(pl.Int64, strict=False).alias("_numeric"))
        .sort(["creator_id", "len", "_numeric", "category_id"], descending=[False, True, False, False],
              nulls_last=True)
        .group_by("creator_id", maintain_order=True).first()
    )
    return best.select(
        "creator_id", "category_id",
        pl.col("category_id").replace_strict(titles, default=None, return_dtype=pl.Utf8).alias("category"),
    ).cast(LABEL_SCHEMA)  # type: ignore[arg-type]


_EXPORT_SUFFIXES = (".csv", ".tsv", *_JSON_SUFFIXES)


def _export_suffix(path: Path) -> str:
    """The file's export suffix, looking through a .gz one (US.csv.gz -> .csv)."""
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def export_files(inputs: Sequence[Path]) -> list[Path]:
    """The export files named by inputs: files as given, folders as the exports directly inside them (.csv, .tsv,
    .json, .jsonl, .ndjson, each also .gz, sorted by name; hidden files are skipped, and a plain categories.json is
    the category side file, not an export).

    Raises:
        InputError: a folder holds no export file.
    """
    files: list[Path] = []
    for path in inputs:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.is_file() and _export_suffix(p) in _EXPORT_SUFFIXES
                       and p.name != CATEGORIES_FILE and not p.name.startswith("."))  # ._x.csv: macOS metadata
        if not found:
            raise InputError(str(path), "no export in this folder (expected .csv, .tsv, .json, .jsonl or .ndjson "
                             "files, or any of them .gz)")
        files.extend(found)
    return files


def import_youtube(inputs: Sequence[Path], out_dir: Path, *, categories: Path | None = None,
                   encoding: str | None = None) -> ImportResult:
    """Import YouTube trending CSVs and Data API JSON into creators.parquet and posts.parquet in out_dir.

    Args:
        inputs: trending CSVs (any published layout) and API JSON files (videos, channels, search results,
            category lists), mixed; a folder stands for the exports in it (`export_files`).
        out_dir: the folder to write; replaced as a whole, refused if it holds other files.
        categories: category id -> title JSON for labels.parquet (default: categories.json, and Kaggle's
            XX_category_id.json, beside the inputs).
        encoding: the exports' text encoding, a Python codec name (default: UTF-8, with UTF-16 and cp1252 lines
            detected; see `decode_export`).

    Returns:
        What was written.

    Raises:
        InputError: a file is missing or unreadable or not a YouTube export, out_dir holds other files, or
            nothing importable was found.
    """
    inputs = export_files(inputs)
    if not inputs:
        raise InputError("--input", "give at least one export file")
    check_out_dir(out_dir)
    sink = _Collected()
    report_inputs = [_read_input(path, file_index, sink, encoding) for file_index, path in enumerate(inputs)]
    for file_index, rejected in sink.settle().items():
        report_inputs[file_index]["rejected"] += rejected
        logger.info("%s: %d more rejected: video records without a snippet, of videos no other record names",
                    inputs[file_index].name, rejected)
    if sink.number_dates:
        logger.warning("%d records have a DD.MM trending date that a spreadsheet saved as a number (20.1 for "
                       "20.10); read as October, the only month such a date can come from", sink.number_dates)
    if sink.repeated_headers:
        file, line = sink.repeated_headers[0]
        logger.warning("skipped %d repeated header rows (first: %s line %d): exports joined together; each is read "
                       "as the header it repeats, not as a video", len(sink.repeated_headers), file, line)
    if sink.stand_in_ids:
        logger.warning("%d records have a spreadsheet error value (such as #NAME?) for a video id; each such video "
                       "is identified by its channel, title and publish time instead", sink.stand_in_ids)
    creators = _creators(sink)
    if not creators.rows:
        first = sink.rejects.rows[0] if sink.rejects.rows else None
        where = f"{first[0]} line {first[1]}" if first and first[1] is not None else (first[0] if first else "")
        detail = f"; first rejected: {where}: {first[4]}" if first else ""
        raise InputError(", ".join(p.name for p in inputs), f"nothing to import: no valid video or channel "
                         f"({len(sink.rejects)} records rejected{detail})")
    posts = [{
        "post_id": v.video_id, "creator_id": creators.creator_of[v.video_id], "posted_at": v.posted_at,
        "caption": v.caption or "", "title": v.title, "tags": v.tags or [], "likes": v.likes, "comments": v.comments,
        "views": v.views, "format": "video",
    } for v in sink.videos.values()]
    titles = _category_titles(inputs, categories, sink.category_titles)
    labels = _labels(creators.categories, titles)
    if labels is not None:
        _warn_untitled(labels, titles)
    report = _import_report(sink, creators, report_inputs, labels, titles)
    tables = ImportedTables(creators=frame_from_rows(creators.rows, CREATOR_SCHEMA),
                            posts=frame_from_rows(posts, POST_SCHEMA), labels=labels, rejects=sink.rejects,
                            report=report)
    write_import(tables, out_dir)
    return ImportResult(
        platform=PLATFORM, out_dir=out_dir, creators=len(creators.rows), posts=len(posts),
        duplicates_merged=report["duplicates_merged"], rejected=len(sink.rejects), labels=report["labels"],
        rows_read={entry["file"]: entry["rows_read"] for entry in report_inputs},
    )


def _warn_untitled(labels: pl.DataFrame, titles: dict[str, str]) -> None:
    """Say which labels hold a category id without its title, and what to do."""
    untitled = labels.filter(pl.col("category").is_null())
    if not untitled.height:
        return
    if not titles:
        logger.warning("no category titles for the videos' category ids, so the labels hold ids only: put "
                       "categories.json (id -> title) or Kaggle's XX_category_id.json beside the exports, or pass "
                       "--categories FILE")
        return
    ids = untitled.get_column("category_id").value_counts(sort=True).rows()
    known = ", ".join(sorted(titles, key=lambda k: (len(k), k))[:8])
    logger.warning("%d of %d creators' category ids have no title in the category files (%s), so their labels hold "
                   "the id only; ids with titles: %s%s", untitled.height, labels.height,
                   ", ".join(f"{category_id}: {count}" for category_id, count in ids[:8]), known,
                   ", …" if len(titles) > 8 else "")


def _read_input(path: Path, file_index: int, sink: _Collected, encoding: str | None = None) -> dict[str, Any]:
    """Read one export file into sink, whichever kind it is; returns its line of the import report.

    Raises:
        InputError: the file is unreadable or neither kind of export.
    """
    text, decoded_as = _read_text(path, encoding)
    rejected_before = len(sink.rejects)
    suffix = _export_suffix(path)
    if suffix in _JSON_SUFFIXES or (suffix not in (".csv", ".tsv") and text.lstrip()[:1] in ("{", "[")):
        kind, read = "Data API JSON", _read_api_json(path, text, file_index, sink)
    elif suffix in (".csv", ".tsv") or "videoid" in _column_key(text.split("\n", 1)[0]):
        kind, read = _read_trending_csv(path, text, file_index, sink)
    else:
        raise InputError(str(path), "neither a YouTube trending CSV nor YouTube Data API JSON "
                         "(expected .csv, .tsv, .json, .jsonl or .ndjson, or any of them .gz)")
    rejected = len(sink.rejects) - rejected_before
    logger.info("%s: %s, %d records read, %d rejected", path.name, kind, read, rejected)
    return {"file": str(path), "kind": kind, "encoding": decoded_as, "rows_read": read, "rejected": rejected}


def _import_report(sink: _Collected, creators: _Creators, report_inputs: list[dict[str, Any]],
                   labels: pl.DataFrame | None, titles: dict[str, str]) -> dict[str, Any]:
    with_posts = set(creators.creator_of.values())
    return {
        "platform": PLATFORM,
        "inputs": report_inputs,
        "rows_read": sum(entry["rows_read"] for entry in report_inputs),
        "videos_kept": len(sink.videos),
        "duplicates_merged": sink.video_records - len(sink.videos),
        "video_ids_replaced": sink.stand_in_ids,
        "repeated_headers_skipped": len(sink.repeated_headers),
        "channels": len(creators.rows),
        "channels_without_posts": sum(1 for row in creators.rows if row["creator_id"] not in with_posts),
        "channel_resources": len(sink.channels),
        "rejected": len(sink.rejects),
        "labels": labels.height if labels is not None else None,
        "labels_titled": labels.height - labels.get_column("category").null_count() if labels is not None else None,
        "categories_titled": len(titles),
    }
