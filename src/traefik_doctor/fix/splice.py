"""Keep every line the edits did not change exactly as the user wrote it.

A round-trip library re-emits a whole document: ``baseline`` is its rendering before the
edits, ``edited`` after them. The lines that differ between the two are the edits' own; they
are spliced into the ``original`` text, and every other line stays byte for byte. Two
touches make the spliced lines look written by hand: a new key is placed above the comment
and blank lines that introduce the next, less indented section (a library hangs those on the
last key before them), and a replaced line keeps the spacing before its end-of-line comment.

``candidates`` returns the texts to try, best first; the caller keeps the first one that
parses to the edited data (so a touch that would change the data is never kept).
"""

from __future__ import annotations

from difflib import SequenceMatcher


def candidates(original: str, baseline: str, edited: str, *, toml: bool = False) -> list[str]:
    """Texts holding the edits, most faithful to ``original`` first; ``edited`` is last."""
    out: list[str] = []
    old = original.splitlines(keepends=True)
    base = baseline.splitlines(keepends=True)
    new = edited.splitlines(keepends=True)
    mapping = _align(old, base)
    if mapping is not None:
        for polish in (True, False):
            lines = _splice(old, base, new, mapping, polish=polish, toml=toml)
            if lines is None:
                break
            text = "".join(lines)
            if original and not original.endswith("\n"):  # keep a file's missing last newline
                text = text.removesuffix("\n")
            if text not in out:
                out.append(text)
    if edited not in out:
        out.append(edited)
    return out


def _align(old: list[str], base: list[str]) -> list[int] | None:
    """For each baseline line, the original line it renders: the same index when the line
    counts agree; else by matching lines (whitespace aside), which works when the library
    only dropped lines (``---``, ``...``) or changed some within themselves. None when the
    two cannot be lined up."""
    if len(old) == len(base):
        return list(range(len(base)))
    mapping: list[int] = []
    matcher = SequenceMatcher(None, [_norm(x) for x in old], [_norm(x) for x in base], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            mapping.extend(range(i1, i2))
        elif tag != "delete":
            return None
    return mapping if len(mapping) == len(base) else None


def _norm(line: str) -> str:
    return " ".join(line.split())


def _splice(
    old: list[str],
    base: list[str],
    new: list[str],
    mapping: list[int],
    *,
    polish: bool,
    toml: bool,
) -> list[str] | None:
    """``old`` with the lines the edits changed taken from ``new``; None when an original
    line the baseline does not render lies inside a changed region."""
    out: list[str] = []
    done = 0  # original lines emitted so far

    def through(index: int) -> None:  # emit original lines up to ``index`` (excluded)
        nonlocal done
        out.extend(old[done:index])
        done = max(done, index)

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, new, autojunk=False).get_opcodes():
        if tag == "equal":
            through(mapping[i2 - 1] + 1)
            continue
        lines = new[j1:j2]
        if tag == "insert":
            if i1 < len(base):
                through(mapping[i1])
            # else: appended at the end, before any trailing line the baseline drops (`...`)
            if polish and lines:
                _place_insert(out, lines, toml=toml)
                continue
        else:
            first, last = mapping[i1], mapping[i2 - 1]
            if last - first != i2 - i1 - 1:
                return None  # an original line the baseline dropped is in the way
            through(first)
            if polish and tag == "replace" and i2 - i1 == j2 - j1:
                lines = [_keep_comment_gap(old[first + k], n) for k, n in enumerate(lines)]
            done = last + 1
        if lines and out and not out[-1].endswith("\n"):
            out[-1] += "\n"
        out.extend(lines)
    through(len(old))
    return out


def _place_insert(out: list[str], lines: list[str], *, toml: bool) -> None:
    """Append ``lines`` to ``out`` above the trailing blank and comment lines that
    introduce the next section."""
    moved = _trailing_trivia(out, _indent(lines[0]), toml=toml)
    kept = out[len(out) - moved :] if moved else []
    del out[len(out) - moved :]
    if toml:
        lines = _toml_indent(out, lines)
        if lines[0].lstrip().startswith("[") and out and out[-1].strip():
            lines = ["\n", *lines]  # a new table gets a blank line above it
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    out.extend(lines)
    out.extend(kept)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _trailing_trivia(lines: list[str], indent: int, *, toml: bool) -> int:
    """How many lines at the end of ``lines`` are blank, or comments less indented than
    ``indent`` (in TOML, any comment): they introduce what follows, not what precedes."""
    count = 0
    for line in reversed(lines):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and (toml or _indent(line) < indent)):
            count += 1
            continue
        break
    return count


def _toml_indent(before: list[str], lines: list[str]) -> list[str]:
    """New ``key = value`` lines indented like the key/value line above them."""
    above = next(
        (line for line in reversed(before) if line.strip() and not line.lstrip().startswith("#")),
        None,
    )
    if above is None or above.lstrip().startswith("["):
        return lines
    pad = above[: _indent(above)]
    return [
        pad + line if line.strip() and not line.startswith((" ", "\t", "[")) else line
        for line in lines
    ]


def _keep_comment_gap(old: str, new: str) -> str:
    """``new`` with the spacing before its end-of-line comment as in ``old``, when both end
    in the same comment."""
    position = old.find("#")
    while position > 0:
        tail = old[position:]
        head = old[:position]
        if head[-1] in " \t" and new.endswith(tail):
            code = new[: len(new) - len(tail)]
            if code.strip() and code[-1] in " \t":
                gap = head[len(head.rstrip()) :]
                return code.rstrip() + gap + tail
        position = old.find("#", position + 1)
    return new
