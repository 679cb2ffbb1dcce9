"""A file read once while it stands: read again as soon as it is rewritten or replaced."""

import os

from haokan.storage.atomic import write_atomically
from haokan.storage.stamped import stamped


def test_a_file_is_read_again_only_when_it_changed(tmp_path):
    reads = []

    @stamped
    def load(path):
        reads.append(path)
        return path.read_text() if path.exists() else None

    record = tmp_path / "record.json"
    assert load(record) is None and load(record) is None and len(reads) == 2  # no file: no memo
    record.write_text("one")
    assert load(record) == "one" and load(record) == "one" and len(reads) == 3
    write_atomically(record, b"two")  # replaced: a new file
    assert load(record) == "two" and len(reads) == 4
    with record.open("w") as same_file:  # rewritten in place, same size, another time
        same_file.write("six")
    status = record.stat()
    os.utime(record, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    assert load(record) == "six" and len(reads) == 5
    assert load(record) == "six" and len(reads) == 5


def test_what_its_writer_remembers_is_not_read_back(tmp_path):
    reads = []

    @stamped
    def load(path):
        reads.append(path)
        return path.read_text()

    record = tmp_path / "record.json"
    write_atomically(record, b"written")
    load.remember(record, "written")
    assert load(record) == "written" and reads == []
    write_atomically(record, b"by another")  # then somebody else writes it: read
    assert load(record) == "by another" and len(reads) == 1
