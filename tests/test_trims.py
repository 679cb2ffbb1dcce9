"""What site/trims.py skips of Pelican changes nothing it writes: Pelican's own methods and ours,
run on the same generator, make the same writes (so a Pelican release that changes them fails
here)."""

import random
from dataclasses import dataclass
from types import SimpleNamespace

from pelican.generators import ArticlesGenerator

from haokan.site.trims import trim, write_categories


@dataclass(eq=False)  # hashable by identity, as Pelican's URLWrapper is used here
class Named:
    save_as: str
    url: str
    page_name: str
    slug: str


def recorder():
    calls = []
    return calls, lambda *args, **kwargs: calls.append((args, kwargs))


def generator(authors_save_as: str = "", tag_save_as: str = ""):
    """A generator as Pelican leaves it after its context is built: 60 articles in 7
    categories (one without a slug), each with an author and tags."""
    rng = random.Random(3)
    articles = [SimpleNamespace(n=n) for n in range(60)]
    dates = sorted(articles, key=lambda a: rng.random())  # the site's date order
    names = [f"c{k}" for k in range(6)] + [""]
    groups = {name: [] for name in names}
    for article in articles:
        groups[rng.choice(names)].append(article)

    def named(name: str, save_as: str):
        return Named(save_as.format(slug=name) if save_as else "", f"{name}/", name, name)

    return SimpleNamespace(
        settings={"AUTHOR_SAVE_AS": authors_save_as, "TAG_SAVE_AS": tag_save_as},
        articles=articles,
        dates=dates,
        context={"SITENAME": "t"},
        categories=[(named(n, "subscriptions/{slug}/index.html"), g) for n, g in groups.items()],
        authors=[(named(f"a{k}", authors_save_as), articles[k::5]) for k in range(5)],
        tags={named(f"t{k}", tag_save_as): articles[k::3] for k in range(3)},
        get_template=lambda name: f"<template {name}>",
    )


def same(first, second) -> bool:
    """Compare recorded writes, holding the articles by identity (as Pelican's lists do)."""

    def key(value):
        if isinstance(value, list):
            return [id(v) for v in value]
        return id(value) if isinstance(value, SimpleNamespace | Named) else value

    def flat(calls):
        return [
            ([key(a) for a in args], {k: key(v) for k, v in kwargs.items()})
            for args, kwargs in calls
        ]

    return flat(first) == flat(second)


def test_our_category_pages_are_written_exactly_as_pelican_writes_them():
    site = generator()
    theirs, write = recorder()
    ArticlesGenerator.generate_categories(site, write)
    ours, write = recorder()
    write_categories(site, write)
    assert len(ours) == 7 and same(ours, theirs)
    for (_, kwargs), (category, articles) in zip(ours, site.categories, strict=True):
        assert kwargs["category"] is category
        assert {id(a) for a in kwargs["dates"]} == {id(a) for a in articles}


def test_pelican_writes_nothing_for_authors_and_tags_without_a_save_as():
    site = generator()
    for method in (ArticlesGenerator.generate_authors, ArticlesGenerator.generate_tags):
        calls, write = recorder()
        method(site, write)
        assert calls and {args[0] for args, _ in calls} == {""}  # every write: no file


def test_trim_skips_only_pages_never_written():
    skipped = ArticlesGenerator.__new__(ArticlesGenerator)
    skipped.settings = {"AUTHOR_SAVE_AS": "", "TAG_SAVE_AS": ""}
    trim(skipped)
    calls, write = recorder()
    skipped.generate_authors(write)
    skipped.generate_tags(write)
    assert calls == []

    kept = ArticlesGenerator.__new__(ArticlesGenerator)
    kept.settings = {"AUTHOR_SAVE_AS": "author/{slug}.html", "TAG_SAVE_AS": "tag/{slug}.html"}
    trim(kept)
    assert kept.generate_authors.__func__ is ArticlesGenerator.generate_authors
    assert kept.generate_tags.__func__ is ArticlesGenerator.generate_tags
    assert kept.generate_categories.func is write_categories
