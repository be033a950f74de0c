"""Text repair: undo encoding damage and invisible debris, keep the author's typography.

``repair(text)`` returns the repaired text and how many times each kind of repair applied.
It keeps every line where it was (only line *endings* change), so line numbers reported by the
cleaning stage point into this repaired text. It never raises on any ``str`` and it is
idempotent: repairing repaired text changes nothing.

Order matters and is deliberate:

1. line endings (CRLF, CR, U+2028/2029, VT, FF) become ``\\n``;
2. HTML entities are decoded until none is left, so ``&amp;amp;`` does not survive one pass;
3. ftfy fixes mojibake, only on lines that hold non-ASCII text (pure ASCII cannot be mojibake),
   with a config that leaves curly quotes, dashes, ellipses and full-width forms alone;
4. invisible characters go: soft hyphens, zero-width spaces, word joiners, stray BOMs
   (ZWJ/ZWNJ stay: they change how Persian, Indic scripts and emoji render);
5. control characters go; NBSP and the other fixed-width spaces become plain spaces
   (U+202F, the French narrow no-break space, and U+3000, the CJK ideographic space, are
   typography and stay);
6. runs of spaces collapse and lines are trimmed; text is put in Unicode NFC.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import ftfy

from newsclean.config import RepairConfig

# Encoding fixes only: everything that would change deliberate typography is off.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # we decode entities ourselves, counted, before ftfy runs
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=True,  # "ﬁ" in news text is a PDF artefact, not a style choice
    fix_character_width=False,  # full-width forms are normal CJK typography
    uncurl_quotes=False,  # curly quotes are the author's
    fix_line_breaks=False,  # done before, and counted
    fix_surrogates=True,
    remove_control_chars=False,  # done after, and counted
    normalization=None,  # NFC is done after, and counted; NFKC would flatten typography
    explain=False,
)

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SOFT_HYPHEN = re.compile("\u00ad")
_ZERO_WIDTH = re.compile("[\u200b\u2060-\u2064\ufeff\u180e]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NBSP = re.compile("\u00a0")
_OTHER_SPACE = re.compile("[\t\u2000-\u200a\u205f]")
_SPACE_RUN = re.compile(" {2,}")
_ODD_CHAR = re.compile(
    "[\u00ad\u200b\u2060-\u2064\ufeff\u180e\x00-\x08\x0e-\x1f\x7f-\x9f\u00a0\t\u2000-\u200a\u205f]"
)
# ftfy costs ~200 µs a line, mostly deciding that a line is fine. Mojibake always leaves a
# trace this pattern sees: a UTF-8 lead byte read as a Latin or Cyrillic letter followed by a
# continuation byte read as punctuation or a symbol ("Ã©", "â€™", "Ä…", "Ð¿", "Р»"), a lost
# no-break space after "Ã", C1 controls, ligatures or lone surrogates. Lines without such a
# trace cannot be mojibake, and skip ftfy.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02c7\u02d8-\u02dd"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2116\u2122"
)
_MOJIBAKE_HINT = re.compile(
    "[\u0080-\u009f\ufb00-\ufb06\ud800-\udfff\ufffd]"
    f"|[\u00c2-\u00f4\u0100-\u017f][{_CONTINUATION}]"
    "|[\u00c2\u00c3] "
    f"|[\u0420\u0421\u0432\u0440\u0441\u00d0\u00d1][\u0402-\u040f\u0450-\u045f\u0490\u0491{_CONTINUATION}]"
)
# Cyrillic text saved as windows-1251 and read as windows-1252 turns words into Latin-1
# letters ("Çàðå÷üÿ" for "Заречья"). ftfy cannot tell which single-byte code page was meant;
# inside a line that is otherwise Cyrillic, a whole word of such letters can only be this.
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CP1251_AS_LATIN = re.compile(
    "(?<![^\\W\\d_])[\u00c0-\u00ff\u00a8\u00b8\u00aa\u00ba\u00af\u00bf\u00b2\u00b3\u00a5\u00b4]{3,}(?![^\\W\\d_])"
)
_ENTITY_ROUNDS = 4
_MAX_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class Repaired:
    """Repaired text and the count of each kind of repair (only kinds that applied)."""

    text: str
    counts: tuple[tuple[str, int], ...]


def repair(text: str, config: RepairConfig | None = None) -> Repaired:
    """Repair ``text``; see the module docstring for what is done and why."""
    cfg = config or RepairConfig()
    counts: Counter[str] = Counter()

    text, n = _LINE_BREAKS.subn("\n", text)
    counts["line_endings"] += n

    lines = text.split("\n")
    for i, line in enumerate(lines):
        # Repairs can expose more damage (ftfy sees a mojibake pair only once a stray NBSP
        # is gone), so a changed line is repaired again until it is stable.
        for _ in range(_MAX_ROUNDS):
            if not line:
                break
            fixed = _repair_line(line, cfg, counts)
            if fixed == line:
                break
            line = fixed
        lines[i] = line
    text = "\n".join(lines)
    return Repaired(text=text, counts=tuple(sorted((k, v) for k, v in counts.items() if v)))


def _repair_line(line: str, cfg: RepairConfig, counts: Counter[str]) -> str:
    if _is_clean(line):
        return line
    if cfg.unescape_entities and "&" in line:
        for _ in range(_ENTITY_ROUNDS):
            new, n = _ENTITY.subn(_unescape, line)
            if new == line:
                break
            counts["html_entity"] += n
            line = new
        # "&#10;" and friends would split the line and shift every line number after it.
        line = _LINE_BREAKS.sub(" ", line.replace("\n", " "))
    if not line.isascii():
        if cfg.fix_encoding and _MOJIBAKE_HINT.search(line):
            fixed = ftfy.fix_text(line, _FTFY)
            if fixed != line:
                counts["encoding"] += 1
                line = _LINE_BREAKS.sub(" ", fixed.replace("\n", " "))
        if cfg.fix_encoding and _CYRILLIC.search(line):
            line, n = _CP1251_AS_LATIN.subn(_recode_cp1251, line)
            counts["encoding"] += n
        if not unicodedata.is_normalized("NFC", line):
            line = unicodedata.normalize("NFC", line)
            counts["unicode_normalization"] += 1
    if _ODD_CHAR.search(line):  # one search decides whether the per-kind passes are needed
        if cfg.remove_invisible:
            line, n = _SOFT_HYPHEN.subn("", line)
            counts["soft_hyphen"] += n
            line, n = _ZERO_WIDTH.subn("", line)
            counts["zero_width"] += n
            line, n = _CONTROL.subn("", line)
            counts["control_char"] += n
        if cfg.normalize_spaces:
            line, n = _NBSP.subn(" ", line)
            counts["nbsp"] += n
            line, n = _OTHER_SPACE.subn(" ", line)
            counts["unicode_space"] += n
    if cfg.normalize_spaces:
        stripped = line.strip()
        collapsed = _SPACE_RUN.sub(" ", stripped)
        if collapsed != line:
            counts["whitespace"] += 1
            line = collapsed
    return line


def _is_clean(line: str) -> bool:
    """A plain ASCII line with nothing to repair, told by cheap string tests (the common case
    in English text; other lines take the full path)."""
    return (
        line.isascii()
        and line.isprintable()  # no control characters, no tabs
        and "&" not in line
        and "  " not in line
        and line[0] != " "
        and line[-1] != " "
    )


def _recode_cp1251(match: re.Match[str]) -> str:
    try:
        return match.group(0).encode("cp1252").decode("cp1251")
    except UnicodeError:  # not a byte-for-byte cp1252 reading: leave it as it is
        return match.group(0)


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))
