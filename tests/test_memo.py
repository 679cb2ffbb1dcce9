"""Values remembered by the very objects they were made of (core/memo.py): what the warm
builder's press reuses from its rehearsal, never a value made of other, equal objects."""

from dataclasses import dataclass

from haokan.core.memo import Remembered


@dataclass(frozen=True)
class Row:
    slug: str


def test_a_value_is_found_by_the_very_objects_and_equal_extras_only():
    memo: Remembered[str] = Remembered()
    row, other = Row("a"), Row("b")
    memo.keep((row, other), ("name",), "made")
    assert memo.get((row, other), ("name",)) == "made"
    assert memo.get((Row("a"), other), ("name",)) is None  # equal, but not the same row
    assert memo.get((row, other), ("another name",)) is None
    assert memo.get((other, row), ("name",)) is None


def test_objects_stay_kept_so_their_ids_cannot_come_to_mean_another():
    memo: Remembered[int] = Remembered()
    for n in range(1000):  # made and dropped by the caller at once, as a build's rows are
        memo.keep((Row(str(n)),), (), n)
    fresh = [Row(str(n)) for n in range(1000)]  # new objects: none may find an old value
    assert all(memo.get((row,)) is None for row in fresh)


def test_past_its_limit_it_forgets_everything_at_once():
    memo: Remembered[int] = Remembered(limit=3)
    rows = [Row(str(n)) for n in range(4)]
    for n, row in enumerate(rows[:3]):
        memo.keep((row,), (), n)
    memo.keep((rows[3],), (), 3)
    assert [memo.get((row,)) for row in rows] == [None, None, None, 3]
