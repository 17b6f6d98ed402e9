"""Go's regular expressions (RE2 syntax, ``regexp.Compile``) checked and translated in Python.

Traefik compiles HostRegexp, PathRegexp, HeaderRegexp, QueryRegexp and
HostSNIRegexp arguments with Go's ``regexp`` package; a pattern Go rejects
disables the router. Python's ``re`` accepts a different language (look-around,
back-references, ``\\Z``...) and rejects some of Go's (``\\z``, ``\\pL``,
``[[:alpha:]]``), so neither validation nor matching can be delegated to it.

``go_regexp_error`` re-implements the decisions of Go's ``regexp/syntax`` parser
(Perl flags, as ``regexp.Compile`` uses) and returns Go's error text with the
index of the offending character. ``to_python`` builds a Python pattern with
the same meaning from the same parse: character classes become explicit code
point ranges (Go's ``\\d``, ``\\w``, ``\\s``, ``\\b`` are ASCII-only; case folding
follows simple case folding orbits), ``$`` becomes ``\\Z`` and flags become
scoped groups.

Known approximations, all far from real rules: the size and nesting limits
(``expression too large``, ``expression nests too deeply``) are checked on the
finished tree rather than while parsing; Unicode tables come from Python's
``unicodedata`` (Unicode 14 in Python 3.11, Go 1.26 uses 15.0) and scripts such
as ``\\p{Greek}`` are validated but cannot be translated (``ValueError``).
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from dataclasses import dataclass, field

__all__ = ["GoRegexpError", "go_regexp_check", "go_regexp_error", "to_python"]

_MAX_REPEAT = 1000
_MAX_HEIGHT = 1000
_MAX_SIZE = (128 << 20) // 40
_MAX_RUNE = 0x10FFFF

# Flags (Go's names).
_FOLD = 1
_DOT_NL = 2
_ONE_LINE = 4
_NON_GREEDY = 8
_PERL = _ONE_LINE  # regexp.Compile: Perl flags; ClassNL/PerlX/UnicodeGroups are implied here

_ASCII_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_PERL_GROUPS: dict[str, tuple[tuple[int, int], ...]] = {
    "d": ((0x30, 0x39),),
    "s": ((0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)),
    "w": _ASCII_WORD,
}
_POSIX_GROUPS: dict[str, tuple[tuple[int, int], ...]] = {
    "alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "ascii": ((0x00, 0x7F),),
    "blank": ((0x09, 0x09), (0x20, 0x20)),
    "cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "digit": ((0x30, 0x39),),
    "graph": ((0x21, 0x7E),),
    "lower": ((0x61, 0x7A),),
    "print": ((0x20, 0x7E),),
    "punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "space": ((0x09, 0x0D), (0x20, 0x20)),
    "upper": ((0x41, 0x5A),),
    "word": _ASCII_WORD,
    "xdigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
}

# Go's unicode.Categories keys (Go 1.25+ has Cn), and the general category aliases
# of unicode.CategoryAliases, both as Go's canonicalName spells them.


def _words(text: str) -> list[str]:
    return text.split()


_CATEGORIES = frozenset(
    _words(
        "C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No "
        "P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs"
    )
)
_CATEGORY_ALIASES = {
    "Other": "C",
    "Control": "Cc",
    "Cntrl": "Cc",
    "Format": "Cf",
    "Unassigned": "Cn",
    "Privateuse": "Co",
    "Surrogate": "Cs",
    "Letter": "L",
    "Casedletter": "LC",
    "Lowercaseletter": "Ll",
    "Modifierletter": "Lm",
    "Otherletter": "Lo",
    "Titlecaseletter": "Lt",
    "Uppercaseletter": "Lu",
    "Mark": "M",
    "Combiningmark": "M",
    "Spacingmark": "Mc",
    "Enclosingmark": "Me",
    "Nonspacingmark": "Mn",
    "Number": "N",
    "Decimalnumber": "Nd",
    "Digit": "Nd",
    "Letternumber": "Nl",
    "Othernumber": "No",
    "Punctuation": "P",
    "Punct": "P",
    "Connectorpunctuation": "Pc",
    "Dashpunctuation": "Pd",
    "Closepunctuation": "Pe",
    "Finalpunctuation": "Pf",
    "Initialpunctuation": "Pi",
    "Otherpunctuation": "Po",
    "Openpunctuation": "Ps",
    "Symbol": "S",
    "Currencysymbol": "Sc",
    "Modifiersymbol": "Sk",
    "Mathsymbol": "Sm",
    "Othersymbol": "So",
    "Separator": "Z",
    "Lineseparator": "Zl",
    "Paragraphseparator": "Zp",
    "Spaceseparator": "Zs",
}
# Go's unicode.Scripts keys (Unicode 15.0). Go 1.25+ canonicalises the name before
# the lookup ("Old_Italic" -> "Olditalic"), so only the keys that are already in
# canonical form (one capitalised word) can ever be found; verified against
# Traefik 3.7.15 (\p{Greek} compiles, \p{Old_Italic} does not).
_SCRIPTS = frozenset(
    _words(
        """Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah
    Batak Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian
    Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot
    Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs
    Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi
    Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic
    Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana
    Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu
    Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen
    Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs
    Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa
    Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian
    Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage
    Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic
    Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng
    Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil
    Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho
    Warang_Citi Yezidi Yi Zanabazar_Square"""
    )
)


class _GoError(Exception):
    """Go's ``syntax.Error``: code, offending expression, and where it starts."""

    def __init__(self, code: str, expr: str, index: int) -> None:
        super().__init__(code)
        self.code = code
        self.expr = expr
        self.index = index

    @property
    def text(self) -> str:
        return f"{self.code}: `{self.expr}`"


_E_CHAR_RANGE = "invalid character class range"
_E_ESCAPE = "invalid escape sequence"
_E_NAMED = "invalid named capture"
_E_PERL_OP = "invalid or unsupported Perl syntax"
_E_REPEAT_OP = "invalid nested repetition operator"
_E_REPEAT_SIZE = "invalid repeat count"
_E_UTF8 = "invalid UTF-8"
_E_BRACKET = "missing closing ]"
_E_PAREN = "missing closing )"
_E_REPEAT_ARG = "missing argument to repetition operator"
_E_BACKSLASH = "trailing backslash at end of expression"
_E_UNEXPECTED_PAREN = "unexpected )"
_E_DEPTH = "expression nests too deeply"
_E_LARGE = "expression too large"


# -- the parse tree ------------------------------------------------------------------


@dataclass(slots=True)
class _ClassItem:
    kind: str  # "range", "perl", "posix", "unicode"
    lo: int = 0
    hi: int = 0
    name: str = ""
    negated: bool = False


@dataclass(slots=True)
class _Node:
    op: str  # lit class any bol bot eol eot wordb nwordb capture concat alt star plus quest
    #          repeat empty lparen vbar
    subs: list[_Node] = field(default_factory=list)
    rune: int = 0
    flags: int = 0
    items: list[_ClassItem] = field(default_factory=list)
    negated: bool = False
    cap: int = 0
    name: str = ""
    min: int = 0
    max: int = 0
    pos: int = 0  # where a '(' started, for "missing closing )"

    @property
    def pseudo(self) -> bool:
        return self.op in ("lparen", "vbar")


def _canonical_name(name: str) -> str:
    """Go 1.25+ ``canonicalName``: drop ``_ -`` and spaces, capitalise the first letter only."""
    out: list[str] = []
    first = True
    for ch in name:
        if ch in "_- ":
            continue
        if first:
            out.append(ch.upper() if "a" <= ch <= "z" else ch)
            first = False
        else:
            out.append(ch.lower() if "A" <= ch <= "Z" else ch)
    return "".join(out)


def _unicode_class_known(name: str) -> bool:
    canon = _canonical_name(name)
    if canon in ("Any", "Assigned", "Ascii", "Lc"):
        return True
    return canon in _CATEGORIES or canon in _SCRIPTS or canon in _CATEGORY_ALIASES


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class _Parser:
    """Go's ``regexp/syntax`` parse loop: a stack of nodes and ``(`` / ``|`` markers."""

    def __init__(self, pattern: str) -> None:
        self.src = pattern
        self.flags = _PERL
        self.stack: list[_Node] = []
        self.ncap = 0

    # -- stack operations ---------------------------------------------------------

    def push(self, node: _Node) -> None:
        self.stack.append(node)

    def literal(self, rune: int) -> None:
        self.push(_Node("lit", rune=rune, flags=self.flags))

    def _split_above_marker(self) -> list[_Node]:
        i = len(self.stack)
        while i > 0 and not self.stack[i - 1].pseudo:
            i -= 1
        subs = self.stack[i:]
        del self.stack[i:]
        return subs

    def concat(self) -> None:
        subs = self._split_above_marker()
        if not subs:
            self.push(_Node("empty", flags=self.flags))
        elif len(subs) == 1:
            self.push(subs[0])
        else:
            self.push(_Node("concat", subs=subs, flags=self.flags))

    def alternate(self) -> None:
        subs = self._split_above_marker()
        if not subs:
            self.push(_Node("nomatch"))
        elif len(subs) == 1:
            self.push(subs[0])
        else:
            flat: list[_Node] = []
            for sub in subs:
                flat.extend(sub.subs if sub.op == "alt" else [sub])
            self.push(_Node("alt", subs=flat, flags=self.flags))

    def swap_vertical_bar(self) -> bool:
        n = len(self.stack)
        if n >= 2 and self.stack[n - 2].op == "vbar":
            self.stack[n - 2], self.stack[n - 1] = self.stack[n - 1], self.stack[n - 2]
            return True
        return False

    def vertical_bar(self) -> None:
        self.concat()
        if not self.swap_vertical_bar():
            self.push(_Node("vbar"))

    def right_paren(self, at: int) -> None:
        self.concat()
        if self.swap_vertical_bar():
            self.stack.pop()
        self.alternate()
        if len(self.stack) < 2:
            raise _GoError(_E_UNEXPECTED_PAREN, self.src, at)
        inner = self.stack.pop()
        opener = self.stack.pop()
        if opener.op != "lparen":
            raise _GoError(_E_UNEXPECTED_PAREN, self.src, at)
        self.flags = opener.flags
        if opener.cap == 0:
            self.push(inner)
        else:
            self.push(_Node("capture", subs=[inner], cap=opener.cap, name=opener.name))

    def repeat(
        self, op: str, lo: int, hi: int, *, start: int, after: int, last_repeat: int | None
    ) -> int:
        """Apply a repetition operator spanning ``[start, after)``; return the new position."""
        flags = self.flags
        if after < len(self.src) and self.src[after] == "?":
            after += 1
            flags ^= _NON_GREEDY
        if last_repeat is not None:
            raise _GoError(_E_REPEAT_OP, self.src[last_repeat:after], last_repeat)
        if not self.stack or self.stack[-1].pseudo:
            raise _GoError(_E_REPEAT_ARG, self.src[start:after], start)
        node = _Node(op, subs=[self.stack[-1]], flags=flags, min=lo, max=hi)
        self.stack[-1] = node
        if op == "repeat" and (lo >= 2 or hi >= 2) and not _repeat_is_valid(node, _MAX_REPEAT):
            raise _GoError(_E_REPEAT_SIZE, self.src[start:after], start)
        return after

    # -- the main loop -------------------------------------------------------------

    def parse(self) -> _Node:
        src = self.src
        n = len(src)
        i = 0
        last_repeat: int | None = None
        while i < n:
            repeat_at: int | None = None
            ch = src[i]
            if ch == "(":
                if i + 1 < n and src[i + 1] == "?":
                    i = self.perl_flags(i)
                else:
                    self.ncap += 1
                    self.push(_Node("lparen", cap=self.ncap, flags=self.flags, pos=i))
                    i += 1
            elif ch == "|":
                self.vertical_bar()
                i += 1
            elif ch == ")":
                self.right_paren(i)
                i += 1
            elif ch == "^":
                self.push(_Node("bot" if self.flags & _ONE_LINE else "bol", flags=self.flags))
                i += 1
            elif ch == "$":
                self.push(_Node("eot" if self.flags & _ONE_LINE else "eol", flags=self.flags))
                i += 1
            elif ch == ".":
                self.push(_Node("any", flags=self.flags))
                i += 1
            elif ch == "[":
                i = self.parse_class(i)
            elif ch in "*+?":
                op = {"*": "star", "+": "plus", "?": "quest"}[ch]
                repeat_at = i
                i = self.repeat(op, 0, 0, start=i, after=i + 1, last_repeat=last_repeat)
            elif ch == "{":
                parsed = self.parse_repeat(i)
                if parsed is None:
                    self.literal(ord("{"))
                    i += 1
                else:
                    lo, hi, after = parsed
                    if lo < 0 or lo > _MAX_REPEAT or hi > _MAX_REPEAT or (0 <= hi < lo):
                        raise _GoError(_E_REPEAT_SIZE, src[i:after], i)
                    repeat_at = i
                    i = self.repeat("repeat", lo, hi, start=i, after=after, last_repeat=last_repeat)
            elif ch == "\\":
                i = self.parse_backslash(i)
            else:
                self.check_utf8(i)
                self.literal(ord(ch))
                i += 1
            last_repeat = repeat_at
        self.concat()
        if self.swap_vertical_bar():
            self.stack.pop()
        self.alternate()
        if len(self.stack) != 1:
            opener = next((x for x in reversed(self.stack) if x.op == "lparen"), None)
            raise _GoError(_E_PAREN, src, opener.pos if opener is not None else 0)
        root = self.stack[0]
        _check_limits(root, src)
        return root

    def check_utf8(self, i: int) -> None:
        if 0xD800 <= ord(self.src[i]) < 0xE000:
            raise _GoError(_E_UTF8, self.src[i:], i)

    def parse_backslash(self, i: int) -> int:
        src = self.src
        if i + 1 < len(src):
            nxt = src[i + 1]
            simple = {"A": "bot", "b": "wordb", "B": "nwordb", "z": "eot"}
            if nxt in simple:
                self.push(_Node(simple[nxt], flags=self.flags | _ONE_LINE))
                return i + 2
            if nxt == "C":
                raise _GoError(_E_ESCAPE, src[i : i + 2], i)
            if nxt == "Q":
                end = src.find("\\E", i + 2)
                stop = len(src) if end < 0 else end
                for j in range(i + 2, stop):
                    self.check_utf8(j)
                    self.literal(ord(src[j]))
                return len(src) if end < 0 else end + 2
            if nxt in "pP":
                item, after = self.parse_unicode_class(i)
                self.push(_Node("class", items=[item], flags=self.flags))
                return after
            if nxt in "dDsSwW":
                item = _ClassItem("perl", name=nxt.lower(), negated=nxt.isupper())
                self.push(_Node("class", items=[item], flags=self.flags))
                return i + 2
        rune, after = self.parse_escape(i)
        self.literal(rune)
        return after

    def parse_escape(self, i: int) -> tuple[int, int]:
        """An ordinary escape at ``i`` (the backslash): its rune and the position after it."""
        src = self.src
        n = len(src)
        if i + 1 >= n:
            raise _GoError(_E_BACKSLASH, "", i)
        c = src[i + 1]
        j = i + 2
        if 0xD800 <= ord(c) < 0xE000:
            raise _GoError(_E_UTF8, src[i + 1 :], i + 1)
        if c.isascii() and not c.isalnum():
            return ord(c), j
        if c in "1234567" and not (j < n and src[j] in "01234567"):
            raise _GoError(_E_ESCAPE, src[i:j], i)  # a back-reference
        if c in "01234567":
            value = int(c)
            for _ in range(2):
                if j < n and src[j] in "01234567":
                    value = value * 8 + int(src[j])
                    j += 1
                else:
                    break
            return value, j
        if c == "x":
            return self.parse_hex_escape(i, j)
        controls = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
        if c in controls:
            return controls[c], j
        raise _GoError(_E_ESCAPE, src[i:j], i)

    def parse_hex_escape(self, i: int, j: int) -> tuple[int, int]:
        src = self.src
        n = len(src)
        if j >= n:
            raise _GoError(_E_ESCAPE, src[i:j], i)
        c = src[j]
        j += 1
        if c == "{":
            value = 0
            digits = 0
            while True:
                if j >= n:
                    raise _GoError(_E_ESCAPE, src[i:j], i)
                c = src[j]
                j += 1
                if c == "}":
                    break
                if c not in "0123456789abcdefABCDEF":
                    raise _GoError(_E_ESCAPE, src[i:j], i)
                value = value * 16 + int(c, 16)
                if value > _MAX_RUNE:
                    raise _GoError(_E_ESCAPE, src[i:j], i)
                digits += 1
            if digits == 0:
                raise _GoError(_E_ESCAPE, src[i:j], i)
            return value, j
        hexdigits = "0123456789abcdefABCDEF"
        second = src[j] if j < n else ""
        if second:
            j += 1
        if c not in hexdigits or not second or second not in hexdigits:
            raise _GoError(_E_ESCAPE, src[i:j], i)
        return int(c + second, 16), j

    def parse_unicode_class(self, i: int) -> tuple[_ClassItem, int]:
        """``\\pL``, ``\\p{Greek}``, ``\\P{^Lu}`` at ``i``; the item and the position after."""
        src = self.src
        negated = src[i + 1] == "P"
        j = i + 2
        if j < len(src) and src[j] == "{":
            end = src.find("}", j)
            if end < 0:
                raise _GoError(_E_CHAR_RANGE, src[i:], i)
            name = src[j + 1 : end]
            after = end + 1
        else:
            name = src[j : j + 1]
            after = min(j + 1, len(src))
        seq = src[i:after]
        for k, ch in enumerate(name):
            if 0xD800 <= ord(ch) < 0xE000:
                raise _GoError(_E_UTF8, src[j + k :], j + k)
        if name.startswith("^"):
            negated = not negated
            name = name[1:]
        if not _unicode_class_known(name):
            raise _GoError(_E_CHAR_RANGE, seq, i)
        return _ClassItem("unicode", name=name, negated=negated), after

    def parse_class(self, start: int) -> int:
        src = self.src
        n = len(src)
        i = start + 1
        negated = False
        if i < n and src[i] == "^":
            negated = True
            i += 1
        items: list[_ClassItem] = []
        first = True
        while i >= n or src[i] != "]" or first:
            first = False
            if n - i > 2 and src[i] == "[" and src[i + 1] == ":":
                close = src.find(":]", i + 2)
                if close >= 0:
                    name = src[i : close + 2]
                    body = name[2:-2]
                    neg = body.startswith("^")
                    if neg:
                        body = body[1:]
                    if body not in _POSIX_GROUPS:
                        raise _GoError(_E_CHAR_RANGE, name, i)
                    items.append(_ClassItem("posix", name=body, negated=neg))
                    i = close + 2
                    continue
            if i + 1 < n and src[i] == "\\" and src[i + 1] in "pP":
                item, i = self.parse_unicode_class(i)
                items.append(item)
                continue
            if i + 1 < n and src[i] == "\\" and src[i + 1] in "dDsSwW":
                nxt = src[i + 1]
                items.append(_ClassItem("perl", name=nxt.lower(), negated=nxt.isupper()))
                i += 2
                continue
            range_start = i
            lo, i = self.class_char(i, start)
            hi = lo
            if n - i >= 2 and src[i] == "-" and src[i + 1] != "]":
                hi, i = self.class_char(i + 1, start)
                if hi < lo:
                    raise _GoError(_E_CHAR_RANGE, src[range_start:i], range_start)
            items.append(_ClassItem("range", lo=lo, hi=hi))
        self.push(_Node("class", items=items, negated=negated, flags=self.flags))
        return i + 1

    def class_char(self, i: int, class_start: int) -> tuple[int, int]:
        src = self.src
        if i >= len(src):
            raise _GoError(_E_BRACKET, src[class_start:], class_start)
        if src[i] == "\\":
            return self.parse_escape(i)
        self.check_utf8(i)
        return ord(src[i]), i + 1

    def parse_repeat(self, i: int) -> tuple[int, int, int] | None:
        """``{n}``, ``{n,}``, ``{n,m}`` at ``i``: (min, max, after); None if ``{`` is literal.

        As in Go, a number too large gives min -1 (reported as a bad count) and
        leading zeros make the braces literal.
        """
        src = self.src
        j = i + 1
        lo, j = _parse_int(src, j)
        if lo is None or j >= len(src):
            return None
        if src[j] != ",":
            hi = lo
        else:
            j += 1
            if j >= len(src):
                return None
            if src[j] == "}":
                hi = -1
            else:
                hi_value, j = _parse_int(src, j)
                if hi_value is None:
                    return None
                hi = hi_value
                if hi < 0:
                    lo = -1
        if j >= len(src) or src[j] != "}":
            return None
        return lo, hi, j + 1

    def perl_flags(self, i: int) -> int:
        """``(?`` at ``i``: a named group, a non-capturing group, or a flag change."""
        src = self.src
        rest = src[i:]
        starts_p = len(rest) > 4 and rest[2] == "P" and rest[3] == "<"
        starts_name = len(rest) > 3 and rest[2] == "<"
        if starts_p or starts_name:
            name_start = i + (4 if starts_p else 3)
            end = src.find(">", i)
            if end < 0:
                for k in range(i, len(src)):
                    self.check_utf8(k)
                raise _GoError(_E_NAMED, rest, i)
            name = src[name_start:end]
            for k in range(name_start, end):
                self.check_utf8(k)
            if not name or not all(_is_alnum(c) or c == "_" for c in name):
                raise _GoError(_E_NAMED, src[i : end + 1], i)
            self.ncap += 1
            self.push(_Node("lparen", cap=self.ncap, name=name, flags=self.flags, pos=i))
            return end + 1
        flags = self.flags
        positive = True
        saw_flag = False
        j = i + 2
        while j < len(src):
            c = src[j]
            self.check_utf8(j)
            j += 1
            if c in "imsU":
                bit = {"i": _FOLD, "m": _ONE_LINE, "s": _DOT_NL, "U": _NON_GREEDY}[c]
                # 'm' clears OneLine; the others set their flag ('-' does the opposite).
                setting = positive if c != "m" else not positive
                flags = flags | bit if setting else flags & ~bit
                saw_flag = True
            elif c == "-":
                if not positive:
                    break
                positive = False
                saw_flag = False
            elif c in ":)":
                if not positive and not saw_flag:
                    break
                if c == ":":
                    self.push(_Node("lparen", flags=self.flags, pos=i))
                self.flags = flags
                return j
            else:
                break
        raise _GoError(_E_PERL_OP, src[i:j], i)


def _parse_int(src: str, j: int) -> tuple[int | None, int]:
    start = j
    if j >= len(src) or not ("0" <= src[j] <= "9"):
        return None, j
    if j + 1 < len(src) and src[j] == "0" and "0" <= src[j + 1] <= "9":
        return None, j
    while j < len(src) and "0" <= src[j] <= "9":
        j += 1
    digits = src[start:j]
    # Go stops at 1e8 before taking another digit: ten or more digits overflow.
    return (int(digits) if len(digits) <= 9 else -1), j


def _repeat_is_valid(root: _Node, budget: int) -> bool:
    """Go's ``repeatIsValid``: nested counted repetitions multiply to at most ``budget``."""
    stack: list[tuple[_Node, int]] = [(root, budget)]
    while stack:
        node, n = stack.pop()
        if node.op == "repeat":
            m = node.max
            if m == 0:
                continue
            if m < 0:
                m = node.min
            if m > n:
                return False
            if m > 0:
                n //= m
        stack.extend((sub, n) for sub in node.subs)
    return True


def _check_limits(root: _Node, src: str) -> None:
    """Go's height and size limits, computed on the finished tree (post-order, no recursion)."""
    height: dict[int, int] = {}
    size: dict[int, int] = {}
    order: list[_Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.subs)
    for node in reversed(order):
        subs = node.subs
        if node.op == "concat" and all(s.op == "lit" for s in subs):
            h = 1  # Go merges adjacent literals into one string node
        else:
            h = 1 + max((height[id(s)] for s in subs), default=0)
        height[id(node)] = h
        sub_sizes = [size[id(s)] for s in subs]
        if node.op == "lit":
            value = 1
        elif node.op in ("capture", "star"):
            value = 2 + sub_sizes[0]
        elif node.op in ("plus", "quest"):
            value = 1 + sub_sizes[0]
        elif node.op == "concat":
            value = sum(sub_sizes)
        elif node.op == "alt":
            value = sum(sub_sizes) + len(subs) - 1
        elif node.op == "repeat":
            if node.max == -1:
                value = 2 + sub_sizes[0] if node.min == 0 else 1 + node.min * sub_sizes[0]
            else:
                value = node.max * sub_sizes[0] + (node.max - node.min)
        else:
            value = 1
        size[id(node)] = max(1, value)
        if h > _MAX_HEIGHT:
            raise _GoError(_E_DEPTH, src, 0)
        if size[id(node)] > _MAX_SIZE:
            raise _GoError(_E_LARGE, src, 0)


def _parse(pattern: str) -> _Node:
    return _Parser(pattern).parse()


@dataclass(frozen=True, slots=True)
class GoRegexpError:
    """Why Go rejects a pattern: Go's message, and the span of the culprit in the pattern."""

    message: str
    index: int
    length: int


def go_regexp_check(pattern: str) -> GoRegexpError | None:
    """Like ``go_regexp_error``, with the length of the offending construct too."""
    try:
        _parse(pattern)
    except _GoError as err:
        whole = err.expr == pattern and err.index == 0 and len(pattern) > 1
        if err.code in (_E_PAREN, _E_UNEXPECTED_PAREN) or whole or not err.expr:
            length = 1
        else:
            length = len(err.expr)
        return GoRegexpError(err.text, err.index, length)
    return None


def go_regexp_error(pattern: str) -> tuple[str, int] | None:
    """Go's ``regexp.Compile`` verdict: None if it compiles, else (message, index).

    The message is Go's (``missing closing ): `(abc```); the index is the
    character in ``pattern`` where the offending construct starts (the innermost
    unclosed ``(`` for a missing parenthesis, 0 for whole-pattern limits).
    """
    found = go_regexp_check(pattern)
    return None if found is None else (found.message, found.index)


# -- translation to Python ---------------------------------------------------------------


def to_python(pattern: str) -> str:
    """Translate a Go (RE2) pattern into a Python ``re`` pattern with the same matches.

    Raises ``ValueError`` if Go would reject the pattern, or if it uses something
    Python's standard library cannot express (Unicode scripts such as ``\\p{Greek}``).
    Capture groups keep their numbers; a group name Python refuses (a duplicate,
    or one starting with a digit) becomes an unnamed group.
    """
    try:
        root = _parse(pattern)
    except _GoError as err:
        raise ValueError(f"error parsing regexp: {err.text}") from None
    emitter = _Emitter()
    return emitter.emit(root)


class _Emitter:
    def __init__(self) -> None:
        self.names: set[str] = set()

    def emit(self, root: _Node) -> str:
        # Post-order without recursion: each node's text from its children's.
        done: dict[int, str] = {}
        stack: list[tuple[_Node, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if not expanded:
                if node.op == "capture":
                    self._reserve_name(node)
                stack.append((node, True))
                stack.extend((sub, False) for sub in reversed(node.subs))
                continue
            done[id(node)] = self._node(node, [done[id(s)] for s in node.subs])
        return done[id(root)]

    def _reserve_name(self, node: _Node) -> None:
        name = node.name
        if name and (not name.isidentifier() or name in self.names):
            node.name = ""
        elif name:
            self.names.add(name)

    def _node(self, node: _Node, subs: list[str]) -> str:
        op = node.op
        if op == "lit":
            if node.flags & _FOLD:
                orbit = _fold_orbit(node.rune)
                if len(orbit) > 1:
                    return _class_text([(r, r) for r in orbit])
            return _escape(node.rune)
        if op == "class":
            return _class_text(_class_ranges(node))
        if op == "any":
            return "(?s:.)" if node.flags & _DOT_NL else "[^\\n]"
        if op == "bot":
            return "\\A"
        if op == "bol":
            return "(?m:^)"
        if op == "eot":
            return "\\Z"
        if op == "eol":
            return "(?m:$)"
        if op == "wordb":
            return "(?a:\\b)"
        if op == "nwordb":
            return "(?a:\\B)"
        if op == "empty":
            return "(?:)"
        if op == "nomatch":
            return "(?!)"
        if op == "concat":
            return "".join(subs)
        if op == "alt":
            return "(?:" + "|".join(subs) + ")"
        if op == "capture":
            if node.name:
                return f"(?P<{node.name}>{subs[0]})"
            return f"({subs[0]})"
        lazy = "?" if node.flags & _NON_GREEDY else ""
        body = f"(?:{subs[0]})"
        if op == "star":
            return f"{body}*{lazy}"
        if op == "plus":
            return f"{body}+{lazy}"
        if op == "quest":
            return f"{body}?{lazy}"
        # repeat
        if node.max == -1:
            return f"{body}{{{node.min},}}{lazy}"
        if node.max == node.min:
            return f"{body}{{{node.min}}}{lazy}"
        return f"{body}{{{node.min},{node.max}}}{lazy}"


def _escape(rune: int) -> str:
    if rune < 0x80 and chr(rune).isalnum():
        return chr(rune)
    if rune <= 0xFF:
        return f"\\x{rune:02x}"
    if rune <= 0xFFFF:
        return f"\\u{rune:04x}"
    return f"\\U{rune:08x}"


def _class_text(ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return "(?!)"
    parts = []
    for lo, hi in ranges:
        parts.append(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}")
    return "[" + "".join(parts) + "]"


def _clean(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and merge overlapping or adjacent ranges."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _negate(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    next_lo = 0
    for lo, hi in _clean(ranges):
        if lo > next_lo:
            out.append((next_lo, lo - 1))
        next_lo = hi + 1
    if next_lo <= _MAX_RUNE:
        out.append((next_lo, _MAX_RUNE))
    return out


def _class_ranges(node: _Node) -> list[tuple[int, int]]:
    fold = bool(node.flags & _FOLD)
    ranges: list[tuple[int, int]] = []
    for item in node.items:
        if item.kind == "range":
            part = [(item.lo, item.hi)]
            ranges.extend(_fold_ranges(part) if fold else part)
            continue
        if item.kind == "perl":
            part = list(_PERL_GROUPS[item.name])
        elif item.kind == "posix":
            part = list(_POSIX_GROUPS[item.name])
        else:
            part = list(_unicode_ranges(item.name))
        if fold:
            part = _fold_ranges(part)
        ranges.extend(_negate(part) if item.negated else part)
    ranges = _clean(ranges)
    return _negate(ranges) if node.negated else ranges


@functools.lru_cache(maxsize=64)
def _unicode_ranges(name: str) -> tuple[tuple[int, int], ...]:
    canon = _canonical_name(name)
    if canon == "Any":
        return ((0, _MAX_RUNE),)
    if canon == "Ascii":
        return ((0, 0x7F),)
    if canon == "Assigned":
        return tuple(_negate(list(_category_ranges(frozenset(("Cn",))))))
    if canon == "Lc":
        return _category_ranges(frozenset(("Lu", "Ll", "Lt")))
    canon = _CATEGORY_ALIASES.get(canon, canon)
    if canon == "LC":
        return _category_ranges(frozenset(("Lu", "Ll", "Lt")))
    if canon in _CATEGORIES:
        if len(canon) == 2:
            return _category_ranges(frozenset((canon,)))
        members = {
            "C": ("Cc", "Cf", "Co", "Cs"),
            "L": ("Lu", "Ll", "Lt", "Lm", "Lo"),
            "M": ("Mn", "Mc", "Me"),
            "N": ("Nd", "Nl", "No"),
            "P": ("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"),
            "S": ("Sm", "Sc", "Sk", "So"),
            "Z": ("Zs", "Zl", "Zp"),
        }[canon]
        return _category_ranges(frozenset(members))
    raise ValueError(
        f"\\p{{{name}}}: Unicode scripts cannot be translated to Python's re "
        "(its standard library has no script data)"
    )


@functools.lru_cache(maxsize=64)
def _category_ranges(categories: frozenset[str]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = -1
    for cp in range(_MAX_RUNE + 2):
        inside = cp <= _MAX_RUNE and unicodedata.category(chr(cp)) in categories
        if inside and start < 0:
            start = cp
        elif not inside and start >= 0:
            out.append((start, cp - 1))
            start = -1
    return tuple(out)


@functools.cache
def _fold_orbits() -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """Simple case folding orbits (like Go's ``unicode.SimpleFold``) for every rune that has one."""
    groups: dict[str, list[int]] = {}
    for cp in range(0x41, 0x1E944):
        ch = chr(cp)
        key = ch.casefold()
        if len(key) != 1:
            key = ch.lower() if len(ch.lower()) == 1 else ch
        groups.setdefault(key, []).append(cp)
    orbits: dict[int, tuple[int, ...]] = {}
    for key, members in groups.items():
        if len(key) == 1 and ord(key) not in members:
            members.append(ord(key))
        if len(members) > 1:
            orbit = tuple(sorted(set(members)))
            for cp in orbit:
                orbits[cp] = orbit
    return sorted(orbits), orbits


def _fold_orbit(rune: int) -> tuple[int, ...]:
    return _fold_orbits()[1].get(rune, (rune,))


def _fold_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    keys, orbits = _fold_orbits()
    out = list(ranges)
    for lo, hi in ranges:
        start = bisect.bisect_left(keys, lo)
        stop = bisect.bisect_right(keys, hi)
        for cp in keys[start:stop]:
            out.extend((r, r) for r in orbits[cp])
    return _clean(out)
