"""Stop strings in streamed text: found across chunk borders, never emitted, tails held back safely."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from punie.engine.base import StopScanner


def feed(pieces: list[str], stop: list[str]) -> tuple[str, bool]:
    scanner = StopScanner(stop)
    out = ""
    for piece in pieces:
        out += scanner.push(piece)
        if scanner.stopped:
            break
    out += scanner.flush()
    return out, scanner.stopped


def test_stop_split_across_pieces() -> None:
    assert feed(["Hello <|en", "d|> more"], ["<|end|>"]) == ("Hello ", True)


def test_held_tail_released_when_it_is_not_a_stop() -> None:
    scanner = StopScanner(["STOP"])
    assert scanner.push("abc ST") == "abc "
    assert scanner.push("ART") == "START"
    assert scanner.flush() == ""


def test_flush_releases_a_partial_stop_at_the_end() -> None:
    assert feed(["the end ST"], ["STOP"]) == ("the end ST", False)


def test_earliest_of_several_stops_wins() -> None:
    assert feed(["a b c d"], ["d", "b"]) == ("a ", True)


def test_no_stop_strings_passes_everything() -> None:
    assert feed(["x", "y"], []) == ("xy", False)


@given(st.text(alphabet="abcXY", max_size=40), st.lists(st.integers(1, 5), max_size=20))
def test_chunking_does_not_change_the_result(text: str, cuts: list[int]) -> None:
    pieces, rest = [], text
    for size in cuts:
        pieces.append(rest[:size])
        rest = rest[size:]
    pieces.append(rest)
    expected = text.split("XY")[0]
    assert feed(pieces, ["XY"]) == (expected, "XY" in text)
