#!/usr/bin/env python3
"""Generates unicode_tables.inc, ftfy_tables.inc and html_entities.inc: the Unicode data of the CLIP
tokenizer's text normaliser and of the prompt parser's character classes (tokenizer/unicode.h).

Run from this folder with CPython 3.11 (its unicodedata is Unicode 14.0.0):
    python3 gen_unicode_tables.py
The output is deterministic. Everything here is derived from Python's own unicodedata, str.lower(),
str.isspace(), codecs and html.entities, because the reference tokenizer (transformers' slow
CLIPTokenizer + ftfy) runs on exactly those.
"""
import codecs
import html
import html.entities
import sys
import unicodedata

MAX_CP = 0x110000


def ranges(pred):
    out, start = [], None
    for cp in range(MAX_CP):
        if pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, MAX_CP - 1))
    return out


def emit_rows(items, per_line=6):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("    " + " ".join(items[i:i + per_line]))
    return "\n".join(lines)


def emit_ranges(name, rs):
    items = ["{0x%X, 0x%X}," % r for r in rs]
    return "inline constexpr CodeRange %s[] = {\n%s\n};\n" % (name, emit_rows(items))


def category(cp):
    return unicodedata.category(chr(cp))


def lower_ranges():
    """Python str.lower() as (first, last, delta, stride) runs; U+0130 (two code points) excluded."""
    pairs = []
    for cp in range(MAX_CP):
        low = chr(cp).lower()
        if low != chr(cp):
            if len(low) != 1:
                assert cp == 0x130, hex(cp)
                continue
            pairs.append((cp, ord(low) - cp))
    runs = []
    for cp, delta in pairs:
        if runs:
            first, last, d, stride = runs[-1]
            if d == delta and stride in (0, cp - last) and cp - last in (1, 2):
                runs[-1] = (first, cp, d, cp - last)
                continue
        runs.append((cp, cp, delta, 0))
    return [(f, l, d, s if s else 1) for f, l, d, s in runs]


def sigma_probe(prefix, cp):
    return (prefix + chr(cp) + "\u03a3").lower().endswith("\u03c2")


def composition_tables():
    decomps, comps = [], []
    for cp in range(MAX_CP):
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        assert len(parts) in (1, 2)
        decomps.append((cp, parts[0], parts[1] if len(parts) == 2 else 0))
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(cp)) == chr(cp):
            comps.append((parts[0], parts[1], cp))
    comps.sort()
    return decomps, comps


def ccc_ranges():
    out = []
    for cp in range(MAX_CP):
        c = unicodedata.combining(chr(cp))
        if not c:
            continue
        if out and out[-1][1] == cp - 1 and out[-1][2] == c:
            out[-1] = (out[-1][0], cp, c)
        else:
            out.append((cp, cp, c))
    return out


def width_map():
    m = {0x3000: " "}
    for cp in range(0xFF01, 0xFFF0):
        alt = unicodedata.normalize("NFKC", chr(cp))
        if alt != chr(cp):
            m[cp] = alt
    return sorted(m.items())


CODE_PAGES = [  # ftfy's CHARMAP_ENCODINGS after latin-1, in its order; True = "sloppy"
    ("cp1252", True), ("cp1251", True), ("cp1250", True), ("cp1253", True), ("cp1254", True),
    ("iso8859_2", False), ("mac_roman", False), ("cp437", False),
]


def code_page(name, sloppy):
    out = []
    for b in range(0x80, 0x100):
        ch = bytes([b]).decode(name, errors="replace")
        if ch == "\ufffd":
            assert sloppy, (name, b)
            ch = chr(b)  # ftfy's sloppy codecs pass unassigned bytes through as Latin-1
        out.append(ord(ch))
    return out


def _r(first, last):
    return "".join(chr(c) for c in range(first, last + 1))


# Character sets of ftfy's mojibake heuristics, copied from ftfy 6.1 (badness.py, chardata.py).
MOJIBAKE_SETS = [
    ("kC1", _r(0x80, 0x9F)),
    ("kBad", "\u00a6\u00a4\u00a8\u00ac\u00af\u00b6\u00a7\u00b8\u0192\u02c6\u02c7\u02d8\u02db"
             "\u02dc\u2020\u2021\u2030\u2310\u25ca\ufffd\u00aa\u00ba\u2116"),
    ("kCurrency", "\u00a2\u00a3\u00a5\u20a7\u20ac"),
    ("kStartPunctuation", "\u00a1\u00ab\u00bf\u00a9\u0384\u0385\u2018\u201a\u201c\u201e\u2022"
                          "\u2039\uf8ff"),
    ("kEndPunctuation", "\u00ae\u00bb\u02dd\u201d\u203a\u2122"),
    ("kNumeric", "\u00b2\u00b3\u00b9\u00b1\u00bc\u00bd\u00be\u00d7\u00b5\u00f7\u2044\u2202"
                 "\u2206\u220f\u2211\u221a\u221e\u2229\u222b\u2248\u2260\u2261\u2264\u2265"),
    ("kKaomoji", _r(0xD2, 0xD6) + _r(0xD9, 0xDC) + _r(0xF2, 0xF6) + _r(0xF8, 0xFC) + "\u0150\u00b0"),
    ("kUpperAccented", _r(0xC0, 0xD1) + "ØÜÝĂĄĆČĎĐĘĚĞİĹĽŁŃŇŒŘŚŞŠŢŤŮŰŸŹŻŽҐ"),
    ("kLowerAccented", "ß" + _r(0xE0, 0xF1) + "ăąćčďđęěğĺľłœŕśşšťźżžґﬁﬂ"),
    ("kUpperCommon", "Þ" + _r(0x391, 0x3A9) + "ΆΈΉΊΌΎΏΪΫ" + _r(0x401, 0x42F)),
    ("kLowerCommon", _r(0x3B1, 0x3C6) + "άέήίΰ" + _r(0x430, 0x45F)),
    ("kBox", "─│┌┐┘├┤┬┼" + _r(0x2550, 0x256C) + "▀▄█▌▐░▒▓"),
    ("kUtf8FirstOf2", "ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßĂĆČĎĐĘĚĞİĹŃŇŐŘŞŢŮŰ"
                      "ΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΪΫάέήίВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"),
    ("kUtf8FirstOf3", "àáâãäåæçèéêëìíîïăćčďęěĺŕΰαβγδεζηθικλμνξοабвгдежзийклмноп"),
    ("kUtf8FirstOf4", "ðóđğπσру"),
    ("kUtf8Continuation", _r(0x80, 0xBF) + "ĄąĽľŁłŒœŚśŞşŠšŤťŸŹźŻżŽžƒˆˇ˘˛˜˝΄΅"
                          "ΆΈΉΊΌΎΏЁЂЃЄЅІЇЈЉЊЋЌЎЏёђѓєѕіїјљњћќўџҐґ–—―‘’‚“”„†‡•…‰‹›€№™ "),
]


def main():
    assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
    head = ("// Generated by gen_unicode_tables.py from CPython %s unicodedata (Unicode %s).\n"
            "// Do not edit by hand.\n" % (sys.version.split()[0], unicodedata.unidata_version))

    out = [head]
    out.append("// \\p{L} and \\p{N} (general categories L* and N*).\n")
    out.append(emit_ranges("kLetterRanges", ranges(lambda c: category(c).startswith("L"))))
    out.append(emit_ranges("kNumberRanges", ranges(lambda c: category(c).startswith("N"))))
    # re's \d on str is category Nd; every Nd block is a contiguous run 0-9 (a Unicode stability
    # guarantee, checked here), so the zeros suffice.
    zeros = [c for c in range(MAX_CP) if category(c) == "Nd" and unicodedata.decimal(chr(c)) == 0]
    for c in range(MAX_CP):
        if category(c) == "Nd":
            assert unicodedata.decimal(chr(c - unicodedata.decimal(chr(c)))) == 0, hex(c)
    out.append("// Python re's \\d (general category Nd): the code points of value 0 of each run 0-9.\n")
    items = ["0x%X," % c for c in zeros]
    out.append("inline constexpr char32_t kDigitZeros[] = {\n%s\n};\n" % emit_rows(items, 12))
    # Final-sigma context as CPython's str.lower() implements it, probed from str.lower() itself:
    # "A" c "Σ" ends in ς iff c is case-ignorable or cased; "1" c "Σ" iff c is cased, not ignorable.
    cased = ranges(lambda c: sigma_probe("1", c))
    ignorable = ranges(lambda c: sigma_probe("A", c) and not sigma_probe("1", c))
    out.append("// Cased (and not case-ignorable) / case-ignorable, for Python's final-sigma rule.\n")
    out.append(emit_ranges("kCasedRanges", cased))
    out.append(emit_ranges("kCaseIgnorableRanges", ignorable))
    out.append("// str.lower(): code points first..last (every `stride`-th) map to cp + delta.\n")
    items = ["{0x%X, 0x%X, %d, %d}," % r for r in lower_ranges()]
    out.append("inline constexpr LowerRange kLowerRanges[] = {\n%s\n};\n" % emit_rows(items, 4))
    out.append("// Canonical combining classes (non-zero only).\n")
    items = ["{0x%X, 0x%X, %d}," % r for r in ccc_ranges()]
    out.append("inline constexpr ClassRange kCombiningClasses[] = {\n%s\n};\n" % emit_rows(items, 4))
    decomps, comps = composition_tables()
    out.append("// One level of canonical decomposition (second = 0 for singletons).\n")
    items = ["{0x%X, 0x%X, 0x%X}," % r for r in decomps]
    out.append("inline constexpr Decomposition kDecompositions[] = {\n%s\n};\n" % emit_rows(items, 4))
    out.append("// Primary composites (first, second) -> composed, sorted by (first, second).\n")
    items = ["{0x%X, 0x%X, 0x%X}," % r for r in comps]
    out.append("inline constexpr Composition kCompositions[] = {\n%s\n};\n" % emit_rows(items, 4))
    with open("unicode_tables.inc", "w", encoding="ascii") as f:
        f.write("".join(out))

    ftfy = [head]
    ftfy.append("// ftfy fix_character_width: U+3000 and U+FF01..U+FFEF -> NFKC form.\n")
    items = []
    for cp, alt in width_map():
        assert len(alt) <= 2
        items.append("{0x%X, 0x%X, 0x%X}," % (cp, ord(alt[0]), ord(alt[1]) if len(alt) > 1 else 0))
    ftfy.append("inline constexpr Decomposition kWidthMap[] = {\n%s\n};\n" % emit_rows(items, 4))
    ftfy.append("// Bytes 0x80..0xFF of ftfy's single-byte encodings after latin-1, in its order:\n")
    ftfy.append("// %s.\n" % ", ".join(("sloppy-" if s else "") + n for n, s in CODE_PAGES))
    ftfy.append("inline constexpr char32_t kCodePages[%d][128] = {\n" % len(CODE_PAGES))
    for name, sloppy in CODE_PAGES:
        items = ["0x%X," % c for c in code_page(name, sloppy)]
        ftfy.append("  {  // %s\n%s\n  },\n" % (name, emit_rows(items, 12)))
    ftfy.append("};\n")
    ftfy.append("inline constexpr bool kCodePageSloppy[] = {%s};\n"
               % ", ".join("true" if s else "false" for _, s in CODE_PAGES))
    ftfy.append("// ftfy badness.py MOJIBAKE_CATEGORIES and chardata.py UTF8_CLUES (6.1 era).\n")
    for name, chars in MOJIBAKE_SETS:
        items = ["0x%X," % c for c in sorted(set(ord(ch) for ch in chars))]
        ftfy.append("inline constexpr char32_t %s[] = {\n%s\n};\n" % (name, emit_rows(items, 12)))
    with open("ftfy_tables.inc", "w", encoding="ascii") as f:
        f.write("".join(ftfy))

    # ftfy's HTML_ENTITIES: every html5 entity that ends in ';', plus upper-cased names of the
    # lower-case ones when the upper-case name is not itself an entity.
    ents = {}
    for name, ch in html.entities.html5.items():
        if name.endswith(";"):
            ents[name] = ch
            if name == name.lower():
                up = name.upper()
                if html.unescape("&" + up) == "&" + up:
                    ents[up] = ch.upper()
    items = []
    for name in sorted(ents, key=lambda n: n.encode("ascii")):
        cps = [ord(c) for c in ents[name]] + [0, 0]
        assert len(ents[name]) <= 3
        items.append('{"%s", {0x%X, 0x%X, 0x%X}},' % (name[:-1], cps[0], cps[1], cps[2]))
    with open("html_entities.inc", "w", encoding="ascii") as f:
        f.write(head)
        f.write("// ftfy HTML_ENTITIES: name (without '&' and ';') -> up to 3 code points; sorted.\n")
        f.write("inline constexpr HtmlEntity kHtmlEntities[] = {\n%s\n};\n" % emit_rows(items, 3))


if __name__ == "__main__":
    main()
