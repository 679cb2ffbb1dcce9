"""Friends: content/friends.opml with names, feeds, local avatars and weights."""

import pytest

from haokan.core.errors import OpmlError
from haokan.storage.owner import read_friends


def write(tmp_path, outlines: str):
    path = tmp_path / "friends.opml"
    path.write_text(f'<opml version="2.0"><head/><body>{outlines}</body></opml>', "utf-8")
    return path


def test_friends_with_slugs_initials_weights_and_local_avatars(tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG fake")
    friends = read_friends(
        write(
            tmp_path,
            """
      <outline text="Ann Lee" xmlUrl="https://ann.example/haokan.atom.xml" htmlUrl="https://ann.example/"
               avatar="a.png" weight="2"/>
      <outline text="林小满" xmlUrl="https://xm.example/feed"/>
      <outline text="Ann Lee" xmlUrl="https://other-ann.example/feed"/>""",
        )
    )
    ann, xiaoman, other = friends
    assert (ann.slug, ann.initials, ann.weight, ann.avatar) == (
        "ann-lee",
        "AL",
        2.0,
        tmp_path / "a.png",
    )
    assert ann.avatar_file == "avatar.png"
    assert xiaoman.initials == "林" and xiaoman.slug == "lin-xiao-man" and xiaoman.avatar is None
    assert other.slug == "ann-lee-2"


@pytest.mark.parametrize(
    ("outline", "message"),
    [
        (
            '<outline text="A" xmlUrl="https://a.example/f" avatar="https://a.example/me.png"/>',
            "never a web address",
        ),
        ('<outline text="A" xmlUrl="https://a.example/f" avatar="missing.png"/>', "missing"),
        ('<outline text="A" xmlUrl="https://a.example/f" avatar="a.svg"/>', "local image"),
        ('<outline text="A" xmlUrl="https://a.example/f" weight="heavy"/>', "weight='heavy'"),
        ('<outline text="A" xmlUrl="https://a.example/f" weight="0"/>', "above 0"),
        ('<outline text="A" xmlUrl="javascript:alert(1)"/>', "not an http"),
        (
            '<outline text="A" xmlUrl="https://a.example/f"/><outline text="B" '
            'xmlUrl="https://a.example/f"/>',
            "listed twice",
        ),
    ],
)
def test_mistakes_in_friends_opml_are_one_error_naming_the_file(tmp_path, outline, message):
    with pytest.raises(OpmlError, match=rf"friends\.opml.*{message}"):
        read_friends(write(tmp_path, outline))


def test_no_friends_file_means_no_friends(tmp_path):
    assert read_friends(tmp_path / "friends.opml") == ()
