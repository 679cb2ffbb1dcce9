"""Values remembered by the very objects they were made of (core/memo.py)."""

from dataclasses import dataclass

from haokan.core.memo import Remembered


@dataclass(frozen=True)
class Row:
    slug: str


def test_a_value_is_found_by_the_same_objects_and_equal_extras_only():
    memo: Remembered[str] = Remembered()
    row = Row("a")
    memo.keep((row,), ("name",), "made of a")
    assert memo.get((row,), ("name",)) == "made of a"
    assert memo.get((Row("a"),), ("name",)) is None  # an equal row is not the row it was made of
    assert memo.get((row,), ("renamed",)) is None


def test_it_forgets_everything_past_its_limit():
    memo: Remembered[int] = Remembered(limit=2)
    rows = [Row(str(n)) for n in range(3)]
    for n, row in enumerate(rows):
        memo.keep((row,), (), n)
    assert memo.get((rows[2],)) == 2 and memo.get((rows[0],)) is None
