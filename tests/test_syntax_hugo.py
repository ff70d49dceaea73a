"""Hugo shortcodes in posts: rendered or removed before Markdown, never published raw."""

from __future__ import annotations

import json
import os
import re
import time
from html import unescape
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.build import Site, load_site, write_feeds
from syndicate.config import load_config
from syndicate.content.markdown import Renderer
from syndicate.content.syntax import (
    OWN_MARKDOWN,
    Context,
    Issue,
    LineNumbers,
    Page,
    Setup,
    expand,
    has_syntax,
    syntax_of,
)
from syndicate.content.syntax.templates import Shortcodes
from syndicate.dates import resolve_now
from syndicate.errors import ConfigError
from syndicate.incremental import cache
from syndicate.urls import UrlResolver

from .conftest import NOW, RunCli, SiteDir, bare_post, examples
from .syntax_posts import body, copier, html_of, problems

FIXTURES = Path(__file__).parent / "fixtures" / "syntax" / "hugo"
fixture = copier(FIXTURES)
HUGO = '[markdown]\ntemplate_syntax = "hugo"\n'


def hugo(site: SiteDir, extra: str = "") -> None:
    site.config(HUGO + extra)


# --- built-in shortcodes, from real posts where real posts use them -------------------------


def test_figure_of_a_real_post_becomes_a_figure(site: SiteDir) -> None:
    hugo(site)
    fixture(site, "figure-ananke.md")
    html = html_of(site.load(), "figure-ananke.md")
    assert html.startswith(
        '<figure><img src="https://blog.example.com/images/Victor_Hugo-Hunchback.jpg" '
        'alt="Illustration from Victor Hugo et son temps (1881)">'
        "<figcaption><h4>Illustration from Victor Hugo et son temps (1881)</h4></figcaption>"
        "</figure>"
    )
    assert "{{" not in html and "<em>The Hunchback of Notre-Dame</em>" in html


def test_multi_line_figure_does_not_break_the_markdown(site: SiteDir) -> None:
    hugo(site)
    body(site, '{{< figure src="/a.png"\n  caption="A *cat*"\n  link="/big.png"\n>}}\n\nAfter.\n')
    html = html_of(site.load(), "a.md")
    assert "<blockquote>" not in html and "&gt;" not in html
    assert '<a href="https://blog.example.com/big.png"><img' in html
    assert "<figcaption><p>A <em>cat</em></p></figcaption></figure>" in html
    assert html.endswith("<p>After.</p>")


def test_figure_alt_text_is_the_caption_as_read_not_its_markdown(site: SiteDir) -> None:
    hugo(site)
    body(site, '{{< figure src="/a.png" caption="A *cat* & [Ann](/ann) <3" >}}\n')
    # nh3 may write `<` in an attribute escaped or not (both are HTML): read the value.
    assert _alt(html_of(site.load(), "a.md")) == "A cat & Ann <3"
    body(site, '{{< figure src="/a.png" alt="Plain *text*" caption="A *cat*" >}}\n')
    assert _alt(html_of(site.load(), "a.md")) == "Plain *text*"


def _alt(html: str) -> str | None:
    from lxml import html as lxml_html

    return lxml_html.fragment_fromstring(html, create_parent="div").find(".//img").get("alt")


def test_youtube_of_a_real_post_is_a_linked_thumbnail_never_fetched(site: SiteDir) -> None:
    hugo(site)
    fixture(site, "youtube-hextra.md")
    html = html_of(site.load(), "youtube-hextra.md")
    assert (
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        '<img src="https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg" alt="Video on YouTube">'
        "</a></p>"
    ) in html
    # the escape form in the code block is written out as a shortcode, for the reader to copy
    assert "<pre><code>{{&lt; youtube VIDEO_ID &gt;}}\n</code></pre>" in html


@pytest.mark.parametrize(
    ("call", "link"),
    [
        ("{{< vimeo 146022717 >}}", '<a href="https://vimeo.com/146022717">Video on Vimeo</a>'),
        # Hugo's privacy-friendly variant (the Congo theme's example site uses it)
        (
            "{{< vimeo_simple 48912912 >}}",
            '<a href="https://vimeo.com/48912912">Video on Vimeo</a>',
        ),
        (
            "{{< gist jmooring 23932424365401ffa5e9d9810102a477 list.html >}}",
            '<a href="https://gist.github.com/jmooring/23932424365401ffa5e9d9810102a477'
            '#file-list-html">Gist list.html by jmooring on GitHub</a>',
        ),
        (
            '{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
            '<a href="https://x.com/SanDiegoZoo/status/1453110110599868418">'
            "Post by @SanDiegoZoo on X</a>",
        ),
        (
            '{{< twitter user="SanDiegoZoo" id="1453110110599868418" >}}',
            '<a href="https://x.com/SanDiegoZoo/status/1453110110599868418">',
        ),
        (
            "{{< tweet 1453110110599868418 >}}",
            '<a href="https://x.com/i/status/1453110110599868418">',
        ),
        (
            "{{< instagram CxOWiQNP2MO >}}",
            '<a href="https://www.instagram.com/p/CxOWiQNP2MO/">Post on Instagram</a>',
        ),
        (
            '{{< qr text="https://gohugo.io" />}}',
            '<a href="https://gohugo.io">https://gohugo.io</a>',
        ),
    ],
)
def test_embedded_media_become_links(site: SiteDir, call: str, link: str) -> None:
    hugo(site)
    body(site, f"See:\n\n{call}\n")
    loaded = site.load()
    html = html_of(loaded, "a.md")
    assert link in html and "{{" not in html and "<iframe" not in html and "<script" not in html
    assert problems(loaded) == []


def test_highlight_is_code_with_its_language(site: SiteDir) -> None:
    hugo(site)
    body(
        site,
        '{{< highlight go "linenos=table" >}}\nif a < b {\n\treturn "x"\n}\n{{< /highlight >}}\n',
    )
    html = html_of(site.load(), "a.md")
    assert html == ('<pre><code class="language-go">if a &lt; b {\n\treturn "x"\n}\n</code></pre>')


def test_details_of_a_real_post_renders_its_markdown(site: SiteDir) -> None:
    hugo(site)
    fixture(site, "details-hextra.md")
    html = html_of(site.load(), "details-hextra.md")
    assert (
        "<details><summary>Details</summary><p>This is the content of the details.</p>\n"
        "<p>Markdown is <strong>supported</strong>.</p>\n</details>"
    ) in html
    assert '{{&lt; details title="Details" &gt;}}' in html  # the usage block, written out
    assert "{{&lt; /details &gt;}}" in html


def test_param_prints_a_front_matter_value_escaped(site: SiteDir) -> None:
    hugo(site)
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nrelease: <b>1.2</b>\n---\n"
        'Release {{< param release >}}, {{< param "missing" >}}.\n',
    )
    loaded = site.load()
    assert html_of(loaded, "a.md") == "<p>Release &lt;b&gt;1.2&lt;/b&gt;, .</p>"
    [warning] = problems(loaded)
    assert warning.startswith(f"{site.root / 'content/posts/a.md'}:6: warning: shortcode param")


def test_relref_of_a_real_post_links_to_the_target_posts_permalink(site: SiteDir) -> None:
    hugo(site)
    fixture(site, "relref-hextra.md")
    for name in ("callout", "asciinema"):
        site.post(
            f"docs/guide/shortcodes/{name}.md", f"---\ntitle: {name}\ndate: 2024-01-01\n---\nx\n"
        )
    loaded = site.load()
    html = html_of(loaded, "relref-hextra.md")
    assert '<a href="https://blog.example.com/docs/callout/">Callout</a>' in html
    assert '<a href="https://blog.example.com/docs/asciinema/">Asciinema shortcode</a>' in html
    assert '{{&lt; asciinema id="123456" autoplay=true loop=true &gt;}}' in html
    assert problems(loaded) == []


def test_ref_to_a_missing_post_is_an_error_and_the_link_keeps_its_text(site: SiteDir) -> None:
    hugo(site)
    path = body(site, 'Intro.\n\nRead [the setup]({{< ref "setup.md" >}}) first.\n')
    loaded = site.load()
    assert "Read the setup first." in html_of(loaded, "a.md")  # the text, no `href=""`
    [error] = problems(loaded)
    assert error.startswith(f"{path}:7: error: ref: page not found at 'setup.md'")


# Hugo 0.111.3 and 0.168.0 alike: without `refLinksErrorLevel = "WARNING"` a missing ref stops
# the build; with it the build goes on and the link is `refLinksNotFoundURL` as written, or
# `href=""` without one (digital.gov sets both, to https://digital.gov/resources/).
@pytest.mark.parametrize(
    ("config", "severity", "link"),
    [
        ("", "error", "Read the setup first."),
        ('refLinksErrorLevel = "WARNING"\n', "warning", "Read the setup first."),
        (
            'refLinksErrorLevel = "warning"\nrefLinksNotFoundURL = "/resources/"\n',
            "warning",
            'Read <a href="https://example.org/resources/">the setup</a> first.',
        ),
        (
            'refLinksNotFoundURL = "https://example.net/nf"\n',
            "error",
            'Read <a href="https://example.net/nf">the setup</a> first.',
        ),
    ],
)
def test_a_missing_ref_follows_hugos_ref_links_settings(
    tmp_path: Path, config: str, severity: str, link: str
) -> None:
    (tmp_path / "hugo.toml").write_text(f'baseURL = "https://example.org/"\ntitle = "T"\n{config}')
    post = tmp_path / "content/posts/a.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        '---\ntitle: A\ndate: 2024-01-02\n---\nRead [the setup]({{< ref "setup.md" >}}) first.\n'
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), NOW, {}, use_cache=False)
    assert link in loaded.renderer.html(loaded.posts[0])
    [problem] = [p for p in loaded.report.problems if "ref:" in p.message]
    assert problem.severity == severity and problem.location is not None
    assert problem.location.line == 5
    assert problem.message.startswith("ref: page not found at 'setup.md'; ")


def test_ref_to_a_draft_is_missing_not_a_page_at_its_path(site: SiteDir) -> None:
    # A draft has a file where Hugo would give a page an address: the ref must not take it.
    hugo(site)
    site.post("posts/setup.md", "---\ntitle: Setup\ndate: 2024-01-01\ndraft: true\n---\nSoon.\n")
    site.post("posts/live.md", "---\ntitle: Live\ndate: 2024-01-01\n---\nHere.\n")
    path = body(site, '[setup]({{< ref "setup.md" >}}) [live]({{< ref "live.md" >}})\n')
    loaded = site.load()
    assert '<a href="https://blog.example.com/posts/live/">live</a>' in html_of(loaded, "a.md")
    [error] = problems(loaded)
    assert error.startswith(f"{path}:5: error: ref: page not found at 'setup.md'")


def test_check_lists_a_missing_ref_and_build_strict_fails(site: SiteDir, run_cli: RunCli) -> None:
    hugo(site)
    body(site, '[x]({{< relref "gone.md" >}})\n')
    checked = run_cli("check", "--now", NOW, cwd=site.root)
    assert checked.returncode == 1
    assert "content/posts/a.md:5: error: relref: page not found at 'gone.md'" in checked.stderr
    strict = run_cli("build", "--strict", "--now", NOW, cwd=site.root)
    assert strict.returncode == 1 and "--strict" in strict.stderr
    line = "content/posts/a.md:5: error: relref: page not found at 'gone.md'; the link keeps"
    settle(site.root)  # old enough for the "nothing changed" check to trust the times
    built = run_cli("build", "--now", NOW, cwd=site.root)
    assert built.returncode == 0, built.stderr
    assert line in built.stderr and "(skipped)" not in built.stderr  # the post is published
    assert b'<summary type="text">x</summary>' in (site.root / "public" / "atom.xml").read_bytes()
    quiet = run_cli("build", "--quiet", "--now", NOW, cwd=site.root)  # nothing changed
    assert quiet.returncode == 0 and "skipped" not in quiet.stderr
    again = run_cli("build", "--now", NOW, cwd=site.root)
    assert "nothing changed" in again.stdout and line in again.stderr
    assert "(skipped)" not in again.stderr


def on_one_and_on_two(site: SiteDir, run_real_cli: RunCli) -> tuple[int, str, dict[str, bytes]]:
    """`check` and a cold `build` on one worker and on two, which must report and publish the
    same: check's exit code and report, and the files built."""
    outputs = []
    for workers in ("1", "2"):
        checked = run_real_cli("check", "--workers", workers, "--now", NOW, cwd=site.root)
        built = run_real_cli(
            "build", "--no-cache", "--workers", workers, "--now", NOW, cwd=site.root
        )
        assert built.returncode == 0, built.stderr
        files = sorted(p for p in (site.root / "public").rglob("*") if p.is_file())
        published = {str(p.relative_to(site.root)): p.read_bytes() for p in files}
        outputs.append((checked.returncode, checked.stderr, built.stderr, published))
    assert outputs[0] == outputs[1]
    returncode, stderr, _, published = outputs[0]
    return returncode, stderr, published


def test_shortcodes_read_on_worker_processes_report_and_publish_as_on_one(
    site: SiteDir, run_real_cli: RunCli, tmp_path: Path
) -> None:
    # 80 posts: enough for the pool to fork (MIN_ITEMS), in a real process (one thread).
    hugo(site, "[feeds]\nlimit = 100\n")
    for i in range(80):
        day = 1 + i % 28
        site.post(
            f"posts/p{i}.md",
            f"---\ntitle: Post {i}\ndate: 2024-{1 + i // 28:02d}-{day:02d}\ntags: [t{i % 3}]\n---\n"
            f'See [the next]({{{{< ref "p{i + 1}.md" >}}}}).\n\n'
            f"{{{{< callout >}}}}Note {i}{{{{< /callout >}}}}\n\n"
            f'{{{{< figure src="/img/{i}.png" caption="*Figure* {i}" >}}}}\n',
        )
    returncode, stderr, published = on_one_and_on_two(site, run_real_cli)
    assert returncode == 1 and "p80.md" in stderr and "unknown shortcode 'callout'" in stderr
    assert b"&lt;figcaption&gt;" in published["public/rss.xml"]


def early_records(config_file: Path) -> dict[str, str | None]:
    """Each post file's `early_record`, as a worker makes it while parsing (no index yet)."""
    from syndicate.build import make_renderer
    from syndicate.content.loader import ParseContext, discover, parse_file
    from syndicate.content.syntax.refs import UNRESOLVED
    from syndicate.errors import Report

    config = load_config(config_file)
    renderer = make_renderer(config)
    renderer.use_refs(UNRESOLVED)
    ctx = ParseContext.from_config(config)
    records: dict[str, str | None] = {}
    for source in discover(config, Report()):
        post, _ = parse_file(source, ctx)
        assert post is not None
        records[source.path.name] = renderer.early_record(post)
    return records


def test_a_body_that_looks_a_ref_up_while_parsed_is_read_again_with_every_post_loaded(
    site: SiteDir,
) -> None:
    hugo(site)
    site.post("posts/b.md", '---\ntitle: B\ndate: 2024-01-02\n---\nSee {{< ref "a.md" >}}.\n')
    site.post("posts/c.md", "---\ntitle: C\ndate: 2024-01-03\n---\n{{< callout >}}\n")
    site.post("posts/d.md", "---\ntitle: D\ndate: 2024-01-04\n---\nNo shortcode.\n")
    body(site, "Intro.\n")
    records = early_records(site.root / "config.toml")
    assert records["b.md"] is None  # the ref waits for the index
    assert records["d.md"] is None and records["a.md"] is None  # nothing to expand
    assert records["c.md"] and "callout" in records["c.md"]
    loaded = site.load()
    assert "See https://blog.example.com/posts/a/." in html_of(loaded, "b.md")
    assert [p for p in problems(loaded) if "callout" in p] != []


def test_a_record_made_while_parsing_holds_only_for_the_address_it_was_made_at(
    site: SiteDir,
) -> None:
    """A post whose address moved after parsing (`loader._unique`) is expanded again."""
    from dataclasses import replace

    from syndicate.content.markdown import SyntaxRecord

    hugo(site)
    body(site, "{{< callout >}}\n")
    loaded = site.load()
    [post] = loaded.posts
    renderer = loaded.renderer
    planted = SyntaxRecord([Issue("error", 1, "planted")], {}).encode()
    renderer.remember_early(replace(post, permalink=post.permalink + "moved/"), planted)
    renderer._html.clear()  # as if nothing were cached yet
    [finding] = renderer.syntax_findings([post])
    assert "planted" not in repr(finding) and "callout" in repr(finding)
    renderer.remember_early(post, planted)
    renderer._html.clear()
    [finding] = renderer.syntax_findings([post])
    assert "planted" in repr(finding)


def test_an_early_record_that_found_nothing_is_kept_for_the_next_build(site: SiteDir) -> None:
    """Made while parsing, a record of nothing found is cached as a record (the next build does
    not expand the body again), not as a finding; one that found something is both."""
    from syndicate.content.markdown import SyntaxRecord

    hugo(site)
    body(site, '{{< figure src="/a.png" >}}\n')
    loaded = site.load()
    [post] = loaded.posts
    renderer = loaded.renderer
    clean, planted = SyntaxRecord().encode(), SyntaxRecord([Issue("error", 1, "planted")], {})
    for early, found in ((clean, []), (planted.encode(), ["planted"])):
        renderer._html.clear()  # as if nothing were cached yet: a cold build
        renderer.remember_early(post, early)
        findings = renderer.syntax_findings([post])
        assert [i.message for f in findings for i in f.record.issues] == found
        assert renderer._html == {renderer._record_key(post): early}
        assert renderer.syntax_record(post) == SyntaxRecord.decode(early)  # from the cache


def test_shortcodes_expanded_while_parsing_on_workers_report_and_publish_as_on_one(
    site: SiteDir, run_real_cli: RunCli
) -> None:
    # 300 posts: enough to parse on workers (MIN_PARSED), in a real process (one thread); a
    # third look a ref up (read again once every post is loaded), the last one a missing post.
    hugo(site, "[feeds]\nlimit = 400\n")
    for i in range(300):
        ref = f'See {{{{< ref "p{i + 1}.md" >}}}}.\n\n' if i % 3 == 0 or i == 299 else ""
        site.post(
            f"posts/p{i}.md",
            f"---\ntitle: Post {i}\ndate: 2024-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}T"
            f"{i % 24:02d}:00:00Z\n---\n{ref}{{{{< callout >}}}}Note {i}{{{{< /callout >}}}}\n\n"
            f'{{{{< figure src="/img/{i}.png" caption="*Figure* {i}" >}}}}\n',
        )
    returncode, stderr, published = on_one_and_on_two(site, run_real_cli)
    assert returncode == 1 and "p300.md" in stderr and "unknown shortcode 'callout'" in stderr
    assert b"/posts/p1/" in published["public/rss.xml"]  # p0's ref, resolved


# --- the syntax -------------------------------------------------------------------------------


def test_escape_form_is_written_out_as_a_shortcode(site: SiteDir) -> None:
    hugo(site)
    body(site, 'Write `{{</* figure src="x.png" */>}}` or {{%/* param a */%}}.\n')
    html = html_of(site.load(), "a.md")
    assert html == (
        '<p>Write <code>{{&lt; figure src="x.png" &gt;}}</code> or {{% param a %}}.</p>'
    )


def test_shortcodes_in_code_blocks_are_rendered_as_hugo_does(site: SiteDir) -> None:
    hugo(site)
    site.post("posts/a.md", '---\ntitle: A\ndate: 2024-01-01\n---\n```\n{{< qr "tel:1" >}}\n```\n')
    html = html_of(site.load(), "a.md")
    assert html == "<pre><code>tel:1\n</code></pre>"


def test_nested_shortcodes_and_markdown_shortcodes(site: SiteDir) -> None:
    hugo(site)
    body(
        site,
        '{{% details summary="Outer" %}}\n'
        "Some **bold**.\n\n"
        "{{< details Inner >}}\n{{< youtube abc >}}\n{{< /details >}}\n"
        "{{% /details %}}\n",
    )
    html = html_of(site.load(), "a.md")
    assert html.startswith("<details><summary>Outer</summary><p>Some <strong>bold</strong>.</p>")
    assert "<details><summary>Inner</summary>" in html
    assert 'href="https://www.youtube.com/watch?v=abc"' in html
    assert html.count("</details>") == 2


def _parameters(text: str) -> list[tuple[list[str], dict[str, str]]]:
    """The positional and named parameters of each call of the shortcode `t` in `text`, as a
    template is given them; the expansion must report no problem."""
    seen: list[tuple[list[str], dict[str, str]]] = []

    class Recorder(Shortcodes):
        def __contains__(self, name: object) -> bool:
            return name == "t"

        def render(self, name: str, variables: object) -> str:
            assert isinstance(variables, dict)
            seen.append((variables["params"], variables["named"]))
            return "ok"

    page = Page("T", "https://e.org/t/", {}, "/c/posts/t.md")
    context = Context(page, {}, Recorder(Path("/nonexistent")), None, lambda t: t)
    expansion = expand(text, "hugo", context)
    assert expansion.outputs == ["ok"] * len(seen) and expansion.issues == []
    return seen


def test_self_closing_positional_named_quoted_and_raw_parameters() -> None:
    text = '{{< t one "two 2" `th"ree` k="v \\"q\\"" r=`raw` />}}'
    assert _parameters(text) == [(["one", "two 2", 'th"ree'], {"k": 'v "q"', "r": "raw"})]


# What Hugo 0.111.3 and 0.168.0 both gave (`{{ .Params | jsonify }}` in the shortcode): space,
# tabs or a line break on either side of a named parameter's `=`. ropensci.org's posts have
# `{{< figure class="center" src= "/img/..." width=400 ... >}}`.
@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ('a= "x"', {"a": "x"}),
        ('a ="x"', {"a": "x"}),
        ('a = "x"', {"a": "x"}),
        ('a=  "x y" b="z"', {"a": "x y", "b": "z"}),
        ("a=x b= y", {"a": "x", "b": "y"}),
        ('a=\n"x"', {"a": "x"}),
        ("a= `raw v`", {"a": "raw v"}),
        ('a=\t"tab"', {"a": "tab"}),
    ],
)
def test_a_named_parameter_may_have_space_around_its_equals_sign_as_in_hugo(
    arguments: str, named: dict[str, str]
) -> None:
    assert _parameters(f"Z {{{{< t {arguments} >}}}}") == [([], named)]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ('{{< figure src="a.png >}}', "a quoted value is not closed before >}}"),
        ("{{< figure src=a.png", "shortcode 'figure' is not closed with >}}"),
        ("{{< /details >}}", "closing tag of 'details' without an opening one; removed"),
        ("{{< >}}", "a shortcode call without a name"),
    ],
)
def test_a_broken_shortcode_gives_file_and_line_and_keeps_the_rest(
    site: SiteDir, broken: str, message: str
) -> None:
    hugo(site)
    path = body(site, f"First *para*.\n\n{broken} tail\n\nLast {{{{< vimeo 1 >}}}}.\n")
    loaded = site.load()
    html = html_of(loaded, "a.md")
    assert html.startswith("<p>First <em>para</em>.</p>")
    assert 'Last <a href="https://vimeo.com/1">Video on Vimeo</a>.</p>' in html
    assert "{{" not in html
    [error] = problems(loaded)
    assert error.startswith(f"{path}:7: error: {message}")


def test_a_comment_is_not_published(site: SiteDir) -> None:
    # opentelemetry.io comments out a stale section with Hugo's embedded `comment`; Hugo
    # 0.168 renders `<p>before</p>` and `<p>after </p>` of this body, nothing else.
    hugo(site)
    body(
        site,
        "before\n\n{{% comment %}}\n## Hidden\n\n{{< nope >}}\n{{% /comment %}}\n\n"
        "after {{< comment >}}cSpell:disable{{< /comment >}}\n",
    )
    loaded = site.load()
    assert html_of(loaded, "a.md") == "<p>before</p>\n<p>after </p>"
    assert problems(loaded) == []


def test_an_unknown_shortcode_keeps_its_content_with_one_warning_per_name(
    site: SiteDir,
) -> None:
    hugo(site)
    path = fixture(site, "callout-hextra.md")
    fixture(site, "callout-hextra.md", "posts/zz-again.md")
    loaded = site.load()
    html = html_of(loaded, "callout-hextra.md")
    assert "{{" not in html and "hextra" not in html
    assert html.count("<p>A <strong>callout</strong> is a short piece of text") == 2
    assert html.endswith("<p>The end.</p>")
    found = problems(loaded)
    assert len(found) == 3, found  # callout, feature-card, feature-grid: once each
    assert found[0] == (
        f"{path}:15: warning: unknown shortcode 'callout' (4 uses, the first here): removed, "
        "its content kept, not the text of its arguments (type)\n  hint: to render it, write shortcodes/callout.html, a Jinja2 "
        "template ([markdown] shortcodes_dir, from the config file's folder): a theme's own "
        "template is its generator's language, which syndicate does not run"
    )
    assert found[1].startswith(
        f"{path}:7: warning: unknown shortcode 'hextra/feature-card' (2 uses"
    )


def test_an_unknown_shortcode_says_the_text_of_its_arguments_is_left_out(
    site: SiteDir,
) -> None:
    """A Hugo shortcode's template gets every argument, and may show its text (`{{< note
    title="Read this" >}}`): the call is removed whole, and the warning said "its content
    kept" only, as Zola's did."""
    hugo(site)
    path = site.post(
        "posts/noted.md",
        """
        ---
        title: Noted
        date: 2024-01-02
        ---
        A {{< note title="Read this" >}} B {{< quote "Ada" "1843" >}} C {{< clear >}}.
        """,
    )
    found = problems(site.load())
    by_name = {p.split("'")[1]: p for p in found}
    assert "removed, its content kept, not the text of its arguments (title)\n" in by_name["note"]
    assert "not the text of its arguments (positional 1, positional 2)" in by_name["quote"]
    assert "its content kept\n" in by_name["clear"] and "arguments" not in by_name["clear"]
    assert str(path) in by_name["note"]


def test_an_inline_shortcode_is_its_text_or_left_out_with_a_warning(site: SiteDir) -> None:
    # Hugo (0.168, enableInlineShortcodes) outputs an inline shortcode without actions as it
    # stands; one with actions is a Go template syndicate cannot run: its text never reaches
    # the feeds. A reuse (`{{< name.inline />}}`) is the definition before it.
    hugo(site)
    path = fixture(site, "inline-papermod.md")
    reuse = body(
        site,
        "{{< a.inline >}}<b>A</b>{{< /a.inline >}} and {{< a.inline />}}.\n{{< b.inline />}}\n",
        "b.md",
    )
    loaded = site.load()
    html = html_of(loaded, "inline-papermod.md")
    assert "{{" not in html and "katex" not in html
    assert "<p>\nInline math: \\(\\varphi" in html and html.endswith("<p>After.</p>")
    assert html_of(loaded, "b.md") == "<p><b>A</b> and <b>A</b>.\n</p>"
    hint = "\n  hint: to show what it makes in feeds, write it as a shortcode template instead"
    assert sorted(problems(loaded)) == [
        f"{reuse}:6: warning: inline shortcode 'b.inline': not defined before; left out{hint}",
        f"{path}:9: warning: inline shortcode 'math.inline': its Go template is not run; left "
        f"out{hint}",
    ]


def test_heading_ids_of_a_real_post(site: SiteDir) -> None:
    hugo(site)
    fixture(site, "headings-nats.md")
    html = html_of(site.load(), "headings-nats.md")
    assert '<h2 id="design-goals">NATS Design Goals and Philosophy</h2>' in html
    assert '<h2 id="community-help">Talking to Other NATS Users and Contributors</h2>' in html
    assert 'href="https://blog.example.com/posts/headings-nats/#design-goals"' in html


def test_without_template_syntax_shortcodes_stay_text(site: SiteDir) -> None:
    site.config('[markdown]\ntemplate_syntax = "none"\n')
    body(site, "## Setup {#setup}\n\n{{< youtube abc >}}\n")
    html = html_of(site.load(), "a.md")
    assert html == "<h2>Setup {#setup}</h2>\n<p>{{&lt; youtube abc &gt;}}</p>"


# --- the site's own shortcodes ---------------------------------------------------------------


def test_a_template_overrides_a_built_in_and_adds_a_shortcode(site: SiteDir) -> None:
    hugo(site)
    folder = site.root / "shortcodes"
    folder.mkdir()
    (folder / "youtube.html").write_text(
        '<p class="v">Watch {{ params[0] }} on {{ page.title }}</p>'
    )
    # A Markdown shortcode's output is Markdown: Hugo renders it with the post.
    (folder / "callout.html").write_text("**{{ type|upper }}:** {{ inner|trim }}")
    text = '{{< youtube abc >}}\n\n{{% callout type="note" %}}\nRead **this**.\n{{% /callout %}}\n'
    body(site, text)
    loaded = site.load()
    html = html_of(loaded, "a.md")
    assert "<p>Watch abc on A</p>" in html
    assert "<p><strong>NOTE:</strong> Read <strong>this</strong>.</p>" in html
    assert problems(loaded) == []


def test_templates_are_autoescaped_and_cannot_add_a_script(site: SiteDir) -> None:
    hugo(site)
    folder = site.root / "shortcodes"
    folder.mkdir()
    (folder / "say.html").write_text("<p>{{ text }}</p><script>alert(1)</script>")
    body(site, '{{< say text="<img src=x onerror=alert(1)>" >}}\n')
    html = html_of(site.load(), "a.md")
    assert html == "<p>&lt;img src=x onerror=alert(1)&gt;</p>"


def test_a_broken_template_is_an_error_naming_its_file_and_line(site: SiteDir) -> None:
    hugo(site, 'shortcodes_dir = "my/codes"\n')
    folder = site.root / "my" / "codes"
    folder.mkdir(parents=True)
    (folder / "x.html").write_text("one\n{% if %}\n")
    path = body(site, "{{< x >}}inside{{< /x >}}\n")
    loaded = site.load()
    assert html_of(loaded, "a.md") == "<p>inside</p>"
    [error] = problems(loaded)
    assert error.startswith(f"{path}:5: error: shortcode 'x': {folder / 'x.html'}:2: ")


def settle(root: Path) -> None:
    old = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))


def build(root: Path) -> bytes:
    config = load_config(root / "config.toml")
    write_feeds(config, load_site(config, now=NOW, env={}))
    return (root / "public" / "atom.xml").read_bytes()


def nothing_changed(root: Path) -> bool:
    config = load_config(root / "config.toml")
    last, _ = cache.unchanged_since_last_build(
        config, resolve_now(NOW, {}, config.tz), False, False
    )
    return last is not None


def test_editing_a_shortcode_template_changes_the_next_build(site: SiteDir) -> None:
    hugo(site)
    folder = site.root / "shortcodes"
    folder.mkdir()
    template = folder / "note.html"
    template.write_text("<p>FIRST {{ inner }}</p>")
    body(site, "{{< note >}}text{{< /note >}}\n")
    settle(site.root)
    assert b"FIRST" in build(site.root)
    build(site.root)
    assert nothing_changed(site.root)
    template.write_text("<p>SECOND {{ inner }}</p>")
    settle(site.root)  # the same times as before: only the bytes differ
    assert not nothing_changed(site.root)
    out = build(site.root)
    assert b"SECOND" in out and b"FIRST" not in out


# --- the setting --------------------------------------------------------------------------------


def test_template_syntax_defaults_to_the_generator_else_none(site: SiteDir, tmp_path: Path) -> None:
    site.config()
    assert syntax_of(site.load_config()) == "none"
    hugo_root = tmp_path / "hugo"
    (hugo_root / "content" / "posts").mkdir(parents=True)
    (hugo_root / "hugo.toml").write_text('baseURL = "https://h.example.org/"\ntitle = "H"\n')
    (hugo_root / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    assert syntax_of(load_config(hugo_root / "syndicate.toml")) == "hugo"
    (hugo_root / "syndicate.toml").write_text(
        '[site]\ngenerator = "hugo"\n[markdown]\ntemplate_syntax = "none"\n'
    )
    assert syntax_of(load_config(hugo_root / "syndicate.toml")) == "none"


def test_an_unknown_template_syntax_is_a_config_error(site: SiteDir) -> None:
    site.config('[markdown]\ntemplate_syntax = "liquid"\n')
    with pytest.raises(ConfigError) as raised:
        site.load_config()
    assert "markdown.template_syntax" in raised.value.message


# --- properties ---------------------------------------------------------------------------------

POST = bare_post()
RESOLVER = UrlResolver("https://e.org/", Path("/nonexistent/static"))
PLAIN = Renderer(RESOLVER, ())
HUGO_RENDERER = Renderer(
    RESOLVER,
    (),
    # syndicate's own Markdown (its plugins, as PLAIN's): these tests are of the shortcodes
    syntax=Setup("hugo", {"params": {}}, Shortcodes(Path("/nonexistent")), plugins=OWN_MARKDOWN),
)
PIECES = [
    *("{{<", "{{%", ">}}", "%}}", "/>}}", "{{</*", "*/>}}", "{{", "}}", "{", "}", "<", ">", "%"),
    *(" ", "\n", "\n\n", "/", '"', "`", "=", "*", "/*", "*/", "x", "figure", "youtube", "details"),
    *("highlight", "ref", "a.md", "src=", "```\n", "#", "## T {#t}\n", "<p>", "</p>", "\\"),
]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@settings(max_examples=examples(1500), deadline=None)
@example("{{{{< x >}}<b>")
@example("{{< details >}}{{< /details")
@example("{{`%}}`")
def test_no_shortcode_delimiter_survives_unless_escaped(text: str) -> None:
    page = Page("A", "https://e.org/posts/a/", {}, "/nonexistent/content/posts/a.md")
    context = Context(page, {"params": {}}, None, None, lambda t: t)
    expanded = expand(text, "hugo", context).text
    assert "{{<" not in expanded and "{{%" not in expanded
    # The escape form writes `{{<` out on purpose; so does Markdown's `{{\<` (as in Hugo).
    if "/*" not in text and "\\" not in text:
        # in any run of text a reader sees (Markdown may set `{{` and `%` in two elements)
        html = HUGO_RENDERER.render_fragment(text, POST)
        for run in re.split(r"<[^>]*>", html):
            assert "{{<" not in unescape(run) and "{{%" not in unescape(run)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
@settings(max_examples=examples(1500), deadline=None)
@example("www.0.a")  # a `www.` address: both link it
def test_text_without_delimiters_renders_as_before(text: str) -> None:
    text = text.replace("{{<", "").replace("{{%", "").replace("{#", "").replace("{.", "")
    if "{{<" in text or "{{%" in text or "{#" in text or "{." in text:
        return
    assert HUGO_RENDERER.render_fragment(text, POST) == PLAIN.render_fragment(text, POST)


def test_problems_and_refs_of_cached_posts_follow_the_posts_they_name(site: SiteDir) -> None:
    hugo(site)
    path = body(site, 'See [the setup]({{< ref "setup.md" >}}).\n\n{{< mystery >}}\n')
    config = site.load_config()
    first = load_site(config, now=NOW, env={})
    write_feeds(config, first)  # saves the build cache
    again = load_site(config, now=NOW, env={})
    assert again.posts[0].body == ""  # read back from the cache: the body stays in its file
    assert problems(again) == problems(first)
    assert problems(again)[0].startswith(f"{path}:5: error: ref: page not found at 'setup.md'")
    site.post("posts/setup.md", "---\ntitle: Setup\ndate: 2023-12-01\n---\nx\n")
    write_feeds(config, again)
    fixed = load_site(config, now=NOW, env={})
    assert [p for p in problems(fixed) if "error" in p] == []
    assert '<a href="https://blog.example.com/posts/setup/">the setup</a>' in html_of(fixed, "a.md")


@given(st.text(alphabet="{<%}x é", max_size=30), st.sampled_from([("{{<", "{{%"), ("{{", "{%")]))
def test_the_delimiter_check_finds_what_a_substring_test_finds(
    text: str, delimiters: tuple[str, str]
) -> None:
    assert has_syntax(text, delimiters) == any(d in text for d in delimiters)


def test_serve_watches_the_shortcode_templates(site: SiteDir) -> None:
    from syndicate.serve import watched_paths

    hugo(site, 'shortcodes_dir = "codes"\n')
    (site.root / "codes").mkdir()
    assert site.root / "codes" in watched_paths(site.load_config())


def hugo_site_html(root: Path, config: str, post: str) -> str:
    """The HTML of `post`, the only post of a Hugo site whose hugo.toml adds `config`."""
    (root / "hugo.toml").write_text(f'baseURL = "https://example.org/"\ntitle = "T"\n{config}')
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/a.md").write_text(post)
    (root / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    loaded = load_site(load_config(root / "syndicate.toml"), NOW, {}, use_cache=False)
    return loaded.renderer.html(loaded.posts[0])


RAW_HTML_POST = (
    "---\ntitle: A\ndate: 2024-01-02\n---\n"
    'Text with <b>inline</b> HTML and {{< figure src="a.png" >}}.\n\n'
    '<div class="x">\nblock *not* md\n</div>\n\n<!-- a comment -->\n\nEnd <span>x</span>.\n'
)


@pytest.mark.parametrize("unsafe", [True, False])
def test_raw_html_is_left_out_unless_hugos_config_lets_it_through(
    tmp_path: Path, unsafe: bool
) -> None:
    """`markup.goldmark.renderer.unsafe` is false by default: goldmark writes each raw HTML
    block and tag as `<!-- raw HTML omitted -->` (Hugo 0.168 on this post: `<p>Text with
    <!-- raw HTML omitted -->inline<!-- raw HTML omitted --> HTML and <figure>...`, the div
    left out whole), keeping the text between tags and a shortcode's HTML."""
    setting = "\n[markup.goldmark.renderer]\nunsafe = true\n" if unsafe else ""
    html = hugo_site_html(tmp_path, setting, RAW_HTML_POST)
    assert "<figure>" in html and "End " in html
    if unsafe:
        assert "<b>inline</b>" in html and "block *not* md" in html and "<span>x</span>" in html
    else:
        assert "<p>Text with inline HTML and " in html and "<p>End x.</p>" in html
        assert "block" not in html and "<b>" not in html and "<div" not in html


BLOCK_POST = "---\ntitle: A\ndate: 2024-01-02\n---\nA note.\n{.note #first}\n\n- item\n{.list}\n\n> quote\n\n{.after-a-blank-line}\n"


@pytest.mark.parametrize("block", [True, False])
def test_block_attributes_are_read_only_where_hugos_config_turns_them_on(
    tmp_path: Path, block: bool
) -> None:
    """gohugo.io/configuration/markup/#parserattribute: `block` is off by default; then the
    `{.class}` line is text, as Hugo shows it."""
    setting = "\n[markup.goldmark.parser.attribute]\nblock = true\n" if block else ""
    html = hugo_site_html(tmp_path, setting, BLOCK_POST)
    assert ("{.note" in html) is not block and ("{.list}" in html) is not block
    assert "A note." in html and "item" in html and "quote" in html
    assert "{.after-a-blank-line}" in html  # not under a block: text, in Hugo too


EMOJI_POST = (
    "---\ntitle: A\ndate: 2024-01-01\n---\n"
    "Hello :smile: world :rocket: :+1: :nope: `:smile:` a:b:c\n\n    :heart:\n"
)


@pytest.mark.parametrize("enabled", [True, False])
def test_emoji_codes_are_read_where_hugos_config_turns_them_on(
    tmp_path: Path, enabled: bool
) -> None:
    # Hugo 0.168 with enableEmoji = true rendered this post as "Hello 😄 world 🚀 👍 :nope:
    # <code>:smile:</code> a🅱️c" (as character references) and the code block as written.
    setting = "\nenableEmoji = true\n" if enabled else ""
    html = hugo_site_html(tmp_path, setting, EMOJI_POST)
    line = "Hello :smile: world :rocket: :+1: :nope: <code>:smile:</code> a:b:c"
    if enabled:
        line = "Hello \U0001f604 world \U0001f680 \U0001f44d :nope: <code>:smile:</code> a\U0001f171\ufe0fc"
    assert html == f"<p>{line}</p>\n<pre><code>:heart:</code></pre>"


DL_POST = "---\ntitle: A\ndate: 2024-01-01\n---\nTerm\n: Def one\n\nApple\n: A fruit\n: A company\n"


@pytest.mark.parametrize("setting", ["", "definitionList = true\n", "definitionList = false\n"])
def test_definition_lists_are_read_as_hugos_goldmark_reads_them(
    tmp_path: Path, setting: str
) -> None:
    # Hugo 0.168 rendered DL_POST as this <dl> (its goldmark extension is on by default).
    config = f"[markup.goldmark.extensions]\n{setting}" if setting else ""
    html = hugo_site_html(tmp_path, config, DL_POST)
    dl = (
        "<dl>\n<dt>Term</dt>\n<dd>Def one</dd>\n<dt>Apple</dt>\n<dd>A fruit</dd>\n"
        "<dd>A company</dd>\n</dl>"
    )
    assert (html == dl) is ("false" not in setting)


FN_POST = (
    "---\ntitle: A\ndate: 2024-01-01\n---\n"
    "A[^note] b[^x] c[^note], 9mb![^y].\n\n[^note]: N.\n[^x]: X.\n[^y]: Y.\n"
)


def test_footnotes_have_goldmarks_ids_so_their_links_land_on_the_page(tmp_path: Path) -> None:
    # Hugo 0.168 wrote FN_POST's notes so (goldmark numbers them; a further reference to a note
    # is fnref1:1), and read the reference right after "!" as one.
    html = hugo_site_html(tmp_path, "", FN_POST)
    ids = re.findall(r'id="([^"]+)"', html)
    assert ids == ["fnref:1", "fnref:2", "fnref1:1", "fnref:3", "fn:1", "fn:2", "fn:3"]
    page = "https://example.org/posts/a/"
    assert [h.removeprefix(page) for h in re.findall(r'href="([^"]+)"', html)] == [
        "#fn:1", "#fn:2", "#fn:1", "#fn:3", "#fnref:1", "#fnref1:1", "#fnref:2", "#fnref:3",
    ]  # fmt: skip
    assert "9mb!<sup" in html


LAZY_NOTES_POST = (
    "---\ntitle: A\ndate: 2024-01-01\n---\n"
    "T[^1] U[^2] V[^3] W[^4].\n\n[^1]: line one\nline two.\n\n[^2]: first\n\n    second\nlazy\n\n"
    "[^3]: a\n[^4]: b\n- item\n\nAfter\n"
)


def test_a_notes_unindented_lines_go_on_its_paragraph_as_in_goldmark(tmp_path: Path) -> None:
    # opentelemetry.io's `[^1]: {{% param notes.docker-compose-v2 %}}`, a value of two lines:
    # Hugo 0.168 wrote LAZY_NOTES_POST's notes so, "line two" in the first note, "lazy" in the
    # second's second paragraph; a note's definition or a list item starts a block of its own.
    html = hugo_site_html(tmp_path, "", LAZY_NOTES_POST)
    texts = [
        re.sub(r"&nbsp;<a.*?</a>", "", t)
        for t in re.findall(r"<li id=\"fn:\d\">\n(.*?)\n</li>", html, re.S)
    ]
    assert texts == [
        "<p>line one\nline two.</p>",
        "<p>first</p>\n<p>second\nlazy</p>",
        "<p>a</p>",
        "<p>b</p>",
    ]
    assert "<ul>\n<li>item</li>\n</ul>\n<p>After</p>" in html


URL_POST = (
    "---\ntitle: A\ndate: 2024-01-01\n---\nSee https://example.com/x and <https://example.org/y>.\n"
)


@pytest.mark.parametrize("setting", ["", "linkify = true\n", "linkify = false\n"])
def test_a_bare_url_is_a_link_as_hugos_goldmark_makes_it(tmp_path: Path, setting: str) -> None:
    # Hugo 0.168 made links of both URLs of URL_POST (goldmark's linkify, on by default); Jekyll
    # and Zola leave the bare one text (test_syntax_jekyll.py, test_sites_zola.py).
    config = f"[markup.goldmark.extensions]\n{setting}" if setting else ""
    html = hugo_site_html(tmp_path, config, URL_POST)
    bare = "https://example.com/x"
    if "false" not in setting:
        bare = f'<a href="{bare}">{bare}</a>'
    assert (
        html == f'<p>See {bare} and <a href="https://example.org/y">https://example.org/y</a>.</p>'
    )


INLINE_POST = (
    "---\ntitle: A\ndate: 2024-01-01\n---\n"
    "X {{< hi.inline >}}Inline hi{{< /hi.inline >}} and again {{< hi.inline />}}.\n"
)


@pytest.mark.parametrize(
    ("setting", "line"),
    [
        ("", "X  and again ."),
        ("enableInlineShortcodes = true\n", "X Inline hi and again Inline hi."),
        ("[security]\nenableInlineShortcodes = true\n", "X Inline hi and again Inline hi."),
    ],
)
def test_inline_shortcodes_run_only_where_hugos_config_turns_them_on(
    tmp_path: Path, setting: str, line: str
) -> None:
    # Hugo 0.168 rendered INLINE_POST as "X  and again ." without the setting (every inline
    # shortcode left out, hugolib/shortcode.go) and with it as the text, twice.
    html = hugo_site_html(tmp_path, setting, INLINE_POST)
    assert html == f"<p>{line}</p>"


def test_param_falls_back_to_the_sites_params_as_hugo_does(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\n[params]\nsupport = "<b>help</b>"\n'
        "[languages.en.params]\nowner = 'Ana'\n[languages.en]\nweight = 1\n"
    )
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-02\nowner: Bo\n---\n"
        '{{< param "support" >}} {{< param "owner" >}}\n'
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), NOW, {}, use_cache=False)
    html = loaded.renderer.html(loaded.posts[0])
    assert "&lt;b&gt;help&lt;/b&gt; Bo" in html  # the site's, escaped; the page's own wins


def test_param_reads_the_site_params_of_the_posts_own_language(tmp_path: Path) -> None:
    # opentelemetry.io's `{{% param notes.docker-compose-v2 %}}`: Hugo 0.168 printed the
    # Japanese note (`languages.ja.params.notes`) in the Japanese post, the site's elsewhere;
    # a key the language does not set is the site's.
    (tmp_path / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "T"\n[params]\nother = "O"\n'
        "[params.notes]\ndc = 'English'\n[languages.en]\nweight = 1\n"
        "[languages.ja]\nweight = 2\n[languages.ja.params.notes]\ndc = '日本語'\n"
    )
    (tmp_path / "content/posts").mkdir(parents=True)
    text = "---\ntitle: A\ndate: 2024-01-02\n---\n{{% param notes.dc %}} {{% param other %}}\n"
    (tmp_path / "content/posts/a.md").write_text(text)
    (tmp_path / "content/posts/a.ja.md").write_text(text)
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), NOW, {}, use_cache=False)
    html = {p.source.name: loaded.renderer.html(p) for p in loaded.posts}
    assert html == {"a.md": "<p>English O</p>", "a.ja.md": "<p>日本語 O</p>"}


def test_param_finds_the_fields_syndicate_reads_itself_before_the_sites(tmp_path: Path) -> None:
    """`description` and `title` are the post's own: Hugo's `.Params` holds every field."""
    post = (
        "---\ntitle: A & B\ndate: 2024-01-02\ndescription: Its own\n---\n"
        "{{< param description >}} / {{< param title >}}\n"
    )
    html = hugo_site_html(tmp_path, '[params]\ndescription = "Site"\n', post)
    assert html == "<p>Its own / A &amp; B</p>"


@given(
    st.text(alphabet="ab\n\r\u2028", max_size=80),
    st.lists(st.integers(min_value=-3, max_value=90), max_size=12),
)
@settings(max_examples=examples(300))
def test_line_numbers_count_the_newlines_before_an_offset_in_any_order(
    text: str, offsets: list[int]
) -> None:
    # The syntaxes' problems name a body's line: 1 + the newlines before the offset (only
    # "\n" ends a line, as in the editor's count and the loader's), whatever order asked in.
    line = LineNumbers(text)
    for offset in offsets:
        assert line(offset) == text.count("\n", 0, max(offset, 0)) + 1


_BUILT_IN_CALLS = st.sampled_from(
    [
        '{{{{< figure src="{0}" caption="{1}" >}}}}',
        '{{{{< figure caption="{1}" >}}}}',
        '{{{{< figure src="{0}" alt="{1}" title="{1}" >}}}}',
        '{{{{% details summary="{0}" %}}}}{1}{{{{% /details %}}}}',
        "{{{{< details >}}}}{1}{{{{< /details >}}}}",
        '{{{{< youtube "{0}" >}}}}',
        '{{{{< unknown "{0}" >}}}}{1}',
    ]
)
_WORDS = st.text(st.characters(blacklist_characters='"{}<>`\\', codec="utf-8"), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_BUILT_IN_CALLS, _WORDS, _WORDS), max_size=4))
@example([('{{{{< figure src="{0}" caption="{1}" >}}}}', "a.png", "*A* [cat](/c)")])
def test_a_record_finds_what_the_html_expansion_finds_without_rendering_markdown(
    calls: list[tuple[str, str, str]],
) -> None:
    # A record (problems and refs) is made for every post with shortcodes; only the ~400 posts
    # the feeds show need their HTML, so a record leaves the built-ins' Markdown unrendered.
    text = "\n\n".join(call.format(a, b) for call, a, b in calls) or "{{< figure >}}"
    rendered: list[str] = []

    def markdown(source: str) -> str:
        rendered.append(source)
        return f"<p>{source}</p>"

    def expanded(wants_html: bool) -> tuple[list[object], dict[str, str | None]]:
        page = Page("T", "https://e.org/t/", {}, "/c/posts/t.md")
        context = Context(page, {}, None, None, markdown, wants_html=wants_html)
        expansion = expand(text, "hugo", context)
        return list(expansion.issues), expansion.refs

    record = expanded(False)
    assert rendered == []
    assert record == expanded(True)


@pytest.mark.parametrize(
    ("syntax", "text"),
    [
        ("hugo", '{{< unknown >}}{{{< x >}}} {{</* kept */>}} {{< figure src="a.png" >}}{'),
        ("jekyll", "{% include missing.html %} {{ page.title | upcase }} {% if x %} {{ '{' }}{"),
        ("jekyll", "{: .lead}\nText {% raw %}{{ x }}{% endraw %} {{ '{{' }} {% nope %}"),
        ("zola", "{{ unknown(a=1) }} {% body() %}x{% end %} [l](@/missing.md) {{ '{' }}{"),
    ],
)
def test_a_record_leaves_the_final_text_passes_out_and_finds_the_same(
    syntax: str, text: str
) -> None:
    # The passes that keep the expanded text from reading as a call (zero-width spaces) and
    # Jekyll's attribute lists only change the text, which a record does not keep.
    def expanded(wants_html: bool) -> tuple[list[object], dict[str, str | None]]:
        page = Page("T", "https://e.org/t/", {}, "/c/posts/t.md")
        context = Context(page, {}, None, None, lambda s: s, wants_html=wants_html)
        expansion = expand(text, syntax, context)
        return list(expansion.issues), expansion.refs

    record = expanded(False)
    assert record[0], "the text has problems to find"
    assert record == expanded(True)


_ISSUES = st.lists(
    st.builds(
        Issue,
        st.sampled_from(["error", "warning"]),
        st.integers(1, 500),
        st.text(max_size=20),
        st.none() | st.text(max_size=20),
        st.none() | st.text(max_size=10),
        st.none() | st.text(max_size=10),
    ),
    max_size=3,
)


@given(_ISSUES, st.dictionaries(st.text(max_size=10), st.none() | st.text(max_size=20), max_size=3))
def test_a_syntax_record_reads_back_as_it_was_written(
    issues: list[Issue], refs: dict[str, str | None]
) -> None:
    from syndicate.content.markdown import SyntaxRecord

    record = SyntaxRecord(issues, refs)
    assert SyntaxRecord.decode(record.encode()) == record
    # an empty record, most of them, is written without the encoder: as the encoder writes it
    rows = [[i.severity, i.line, i.message, i.hint, i.unknown, i.dropped] for i in issues]
    assert record.encode() == json.dumps({"issues": rows, "refs": refs})


# --- refs on a multilingual Hugo site: the page in the referring page's language --------------
#
# Every expected URL is what Hugo 0.168 wrote for the same site (`hugo` built it, with
# `refLinksNotFoundURL = "NOTFOUND"`, here ""). Hugo looks a ref up in the referring page's own
# site (language) only: hugolib/page__ref.go `decodeRefArgs` picks the page's site,
# hugolib/pagecollections.go `getContentNodeForRef` finds the path, its language code and
# extension taken off (`ParseBaseAndBaseNameNoIdentifier`), in that site's tree (`treePages.Get`,
# no fallback to another language).

_LANGS = """
[languages.en]
weight = 1
[languages.fr]
weight = 2
[languages.fa]
weight = 3
"""
_HOSTS = (
    _LANGS.replace("weight = 1", 'baseURL = "https://example.org/"\nweight = 1')
    .replace("weight = 2", 'baseURL = "https://example.fr/"\nweight = 2')
    .replace("weight = 3", 'baseURL = "https://fa.example.org/"\nweight = 3')
)
_REFS = {
    "a": "about/index.en.md",
    "b": "about/index.fr.md",
    "c": "/about",
    "d": "about",
    "e": "solo",
    "g": "seul",
    "h": "seul.fr.md",
    "i": "farsi.fa.md",
    "j": "farsi",
    "k": "/docs/guide.md",
    "l": "/docs/guide.fr.md",
    "n": "/posts/one.md",
    "o": "/posts/one.fr.md",
    "p": "/posts/only-en",
    "q": "/posts/only-fr",
    "t": "about/index.md",
    "u": "/about/_index.md",
    "v": "about/index.fa.md",
    "w": "/posts/trip",
}


def _multilingual(root: Path, languages: str = _LANGS, base: str = "https://example.org/") -> Site:
    """A Hugo site in English, French and Farsi whose three translations of posts/one ref the
    same targets (`_REFS`); pages that are no posts at the root, in some languages only."""
    top = "" if "baseURL" in languages else f'baseURL = "{base}"\n'
    files = {
        "hugo.toml": f'{top}title = "T"\ndefaultContentLanguage = "en"\n'
        f'[params]\nmainSections = ["posts"]\n{languages}',
        "syndicate.toml": '[site]\ngenerator = "hugo"\n',
        "content/about/index.en.md": "---\ntitle: About\n---\nx\n",
        "content/about/index.fr.md": "---\ntitle: Apropos\n---\nx\n",
        "content/solo.md": "---\ntitle: Solo\n---\nx\n",
        "content/seul.fr.md": "---\ntitle: Seul\n---\nx\n",
        "content/farsi.fa.md": "---\ntitle: Fa\n---\nx\n",
        "content/docs/guide.md": "---\ntitle: Guide\n---\nx\n",
        "content/docs/guide.fr.md": "---\ntitle: Guide fr\n---\nx\n",
        "content/posts/only-en.md": "---\ntitle: E\ndate: 2024-01-01\n---\nx\n",
        "content/posts/only-fr.fr.md": "---\ntitle: F\ndate: 2024-01-01\n---\nx\n",
        "content/posts/trip.fa.md": "---\ntitle: Trip fa\ndate: 2024-01-01\n---\nx\n",
        "content/posts/trip.fr.md": "---\ntitle: Trip fr\ndate: 2024-01-01\n---\nx\n",
    }
    refs = "".join(f'- {key}: [x]({{{{< ref "{target}" >}}}})\n' for key, target in _REFS.items())
    for name in ("one.md", "one.fr.md", "one.fa.md"):
        files[f"content/posts/{name}"] = f"---\ntitle: One\ndate: 2024-01-01\n---\n{refs}"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return load_site(load_config(root / "syndicate.toml"), NOW, {}, use_cache=False)


def _refs_in(loaded: Site, name: str) -> dict[str, str]:
    """Each ref of posts/`name` by its key: the URL it gave, "" for none."""
    [post] = [p for p in loaded.posts if p.source.as_posix().endswith(f"content/posts/{name}")]
    return dict(re.findall(r"<li>(\w): (?:<a href=\"([^\"]*)\")?", loaded.renderer.html(post)))


def _refs_missing(loaded: Site, name: str) -> list[str]:
    """The targets of the refs reported missing in posts/`name`."""
    found = [
        re.search(r"page not found at '([^']*)'", p.message)
        for p in loaded.report.problems
        if p.location is not None and p.location.path.as_posix().endswith(f"posts/{name}")
    ]
    return sorted(m.group(1) for m in found if m is not None)


def _hugo_gave(host: dict[str, str]) -> dict[str, dict[str, str]]:
    """What Hugo 0.168 made of `_REFS` in each translation of posts/one, each language's site
    at `host[code]`."""
    en, fr, fa = host["en"], host["fr"], host["fa"]
    about = {key: f"{en}about/" for key in "abcdtuv"}
    return {
        "one.md": {
            **about,
            **dict.fromkeys("ghijqw", ""),
            "e": f"{en}solo/",
            "k": f"{en}docs/guide/",
            "l": f"{en}docs/guide/",
            "n": f"{en}posts/one/",
            "o": f"{en}posts/one/",
            "p": f"{en}posts/only-en/",
        },
        "one.fr.md": {
            **{key: f"{fr}about/" for key in about},
            **dict.fromkeys("eijp", ""),
            "g": f"{fr}seul/",
            "h": f"{fr}seul/",
            "k": f"{fr}docs/guide/",
            "l": f"{fr}docs/guide/",
            "n": f"{fr}posts/one/",
            "o": f"{fr}posts/one/",
            "q": f"{fr}posts/only-fr/",
            "w": f"{fr}posts/trip/",
        },
        "one.fa.md": {
            **dict.fromkeys("abcdeghklpqtuv", ""),
            "i": f"{fa}farsi/",
            "j": f"{fa}farsi/",
            "n": f"{fa}posts/one/",
            "o": f"{fa}posts/one/",
            "w": f"{fa}posts/trip/",
        },
    }


_PREFIXED = _hugo_gave(
    {"en": "https://example.org/", "fr": "https://example.org/fr/", "fa": "https://example.org/fa/"}
)
_MULTIHOST = _hugo_gave(
    {"en": "https://example.org/", "fr": "https://example.fr/", "fa": "https://fa.example.org/"}
)


def _picked(expected: dict[str, str], keys: str) -> dict[str, str]:
    return {key: expected[key] for key in keys}


def test_a_ref_to_a_language_suffixed_file_of_a_page_is_that_pages_address(
    tmp_path: Path,
) -> None:
    """`{{< ref "about/index.en.md" >}}` (DoIt's exampleSite) names the page about/, which is
    no post: its address, not "page not found"."""
    loaded = _multilingual(tmp_path)
    assert _refs_in(loaded, "one.md")["a"] == "https://example.org/about/"
    assert _refs_in(loaded, "one.fr.md")["h"] == "https://example.org/fr/seul/"  # seul.fr.md


def test_a_ref_is_looked_up_in_the_referring_pages_language(tmp_path: Path) -> None:
    """From a French post, "/about" is the French page (`/fr/about/`), whatever language code
    the ref's file name has (`about/index.en.md` too): Hugo looks it up in the page's own
    site. From the English post, `about/index.fr.md` is the English page."""
    loaded = _multilingual(tmp_path)
    for name, keys in (("one.fr.md", "abcdtukln"), ("one.md", "bcdlvo"), ("one.fa.md", "no")):
        assert _picked(_refs_in(loaded, name), keys) == _picked(_PREFIXED[name], keys), name


def test_a_ref_without_language_is_not_answered_by_another_translation(tmp_path: Path) -> None:
    """posts/trip is in Farsi and French only: from the French post it is the French one (the
    Farsi one came first alphabetically), from the English post it is missing, as a page that
    has no translation in the referring page's language is."""
    loaded = _multilingual(tmp_path)
    assert _picked(_refs_in(loaded, "one.fr.md"), "wpe") == _picked(_PREFIXED["one.fr.md"], "wpe")
    assert _picked(_refs_in(loaded, "one.md"), "wqgj") == dict.fromkeys("wqgj", "")
    assert _refs_missing(loaded, "one.md") == [
        "/posts/only-fr",
        "/posts/trip",
        "farsi",
        "farsi.fa.md",
        "seul",
        "seul.fr.md",
    ]


def test_a_ref_to_a_translated_page_is_at_its_languages_address(tmp_path: Path) -> None:
    """A page that is no post, in Farsi only (`farsi.fa.md`), under `/fa/` as Hugo publishes
    it; on a multihost site, at its language's own host."""
    loaded = _multilingual(tmp_path / "prefixed")
    assert _picked(_refs_in(loaded, "one.fa.md"), "ij") == _picked(_PREFIXED["one.fa.md"], "ij")
    hosts = _multilingual(tmp_path / "multihost", _HOSTS)
    for name, keys in (("one.fa.md", "ijn"), ("one.fr.md", "cgk"), ("one.md", "cek")):
        assert _picked(_refs_in(hosts, name), keys) == _picked(_MULTIHOST[name], keys), name


@pytest.mark.parametrize("multihost", [False, True])
def test_every_ref_of_a_multilingual_site_is_the_url_hugo_gives(
    tmp_path: Path, multihost: bool
) -> None:
    loaded = _multilingual(tmp_path, _HOSTS if multihost else _LANGS)
    expected = _MULTIHOST if multihost else _PREFIXED
    assert {name: _refs_in(loaded, name) for name in expected} == expected


def test_an_unknown_shortcode_is_said_first_in_a_file_before_its_translations() -> None:
    """The Congo theme's `alert` was said to be used first in `index.de.md`, a translation,
    where the default language's `index.md` beside it uses it too."""
    from syndicate.content.markdown import Finding, SyntaxRecord, problems_found
    from syndicate.content.syntax import Issue

    def finding(source: str, line: int) -> Finding:
        issue = Issue("warning", line, "unknown", unknown="alert")
        return Finding(source, 1, SyntaxRecord([issue]))

    found = problems_found(
        [finding("c/a/index.de.md", 3), finding("c/a/index.md", 9), finding("c/b/index.md", 1)]
    )
    assert [str(p.location) for p in found] == ["c/a/index.md:9"]


# --- refs to pages Hugo makes without a file, by name alone, in another language ------------
#
# Every expected value below is what Hugo 0.168.0 (v0.168.0-e27a6760c5547237f87d353aebe0580feadb20f4)
# wrote for `_lists_site`'s files: the same hugo.toml, each layout `{{ .Content }}`, built as it
# is, with `defaultContentLanguageInSubdir` and with a host for each language (Hugo writes
# `c&#43;&#43;` for the `+` in an HTML attribute: the URL is `tags/c++/`). A ref Hugo reported
# is "": its message follows it.

_LIST_REFS = {
    "a": '"getting-started"',
    "b": '"tags"',
    "c": '"tags/x"',
    "d": '"docs"',
    "e": '"categories"',
    "f": '"tags/c++"',
    "g": '"tags/Tag Zwei"',
    "h": '"x"',  # REF_NOT_FOUND: page reference "x" is ambiguous
    "i": '"docs/sub"',  # REF_NOT_FOUND: page not found
    "j": '"guide"',
    "k": '"installation#top"',
    "l": '"Getting-Started/"',
    "m": '"intro"',  # REF_NOT_FOUND: page reference "intro" is ambiguous
    "n": '"solo"',
    "o": '"img"',  # REF_NOT_FOUND: page not found
    "p": '"../other"',
    "q": '"../other.md"',
    "r": '"./b2"',
    "s": '"topics/über uns"',
    "t": '"tags/draftonly"',  # REF_NOT_FOUND: page not found
    "u": '"lonely"',
    "v": '"/"',
    "w": '"nest"',
    "y": '"drafty"',
    "z": '"sub2"',
}
_LIST_REFS_DE = {
    "a": 'path="docs/installation#icon" lang="en"',
    "b": '"tags"',
    "c": '"tags/y"',
    "d": '"docs"',
    "e": 'path="getting-started" lang="en"',
    "f": 'path="tags/x" lang="en"',
    "g": '"getting-started"',  # REF_NOT_FOUND: page not found
    "h": 'path="b2" lang="fr"',  # REF_NOT_FOUND: no site found with lang "fr"
    "i": 'path="b2" lang="DE"',  # REF_NOT_FOUND: no site found with lang "DE"
    "j": '"guide"',  # REF_NOT_FOUND: page not found
    "k": '"x"',  # REF_NOT_FOUND: page not found
}


def _lists_site(root: Path, variant: str = "") -> Site:
    """A Hugo site in English and German whose post blog/a refs, in each language, pages with
    no content file (sections, taxonomies, terms, the home page), pages by name alone and, in
    German, English pages by `lang`; `variant` "subdir": the default language under /en/,
    "hosts": German at a host of its own."""

    def refs(table: dict[str, str]) -> str:
        return "".join(f"- {key}: [{key}]({{{{< ref {ref} >}}}})\n" for key, ref in table.items())

    def page(title: str, more: str = "") -> str:
        return f"---\ntitle: {title}\n{more}---\nx\n"

    top = 'baseURL = "https://example.org/site/"\n' if variant != "hosts" else ""
    top += "defaultContentLanguageInSubdir = true\n" if variant == "subdir" else ""
    en, de = (
        ('baseURL = "https://example.org/site/"\n', 'baseURL = "https://example.de/"\n')
        if variant == "hosts"
        else ("", "")
    )
    files = {
        "hugo.toml": f'{top}title = "T"\ndefaultContentLanguage = "en"\n'
        '[params]\nmainSections = ["blog"]\n'
        '[taxonomies]\ntag = "tags"\ncategory = "categories"\ntopic = "topics"\n'
        f"[languages.en]\n{en}weight = 1\n[languages.de]\n{de}weight = 2\n",
        "syndicate.toml": '[site]\ngenerator = "hugo"\n',
        "content/blog/a/index.md": "---\ntitle: A\ndate: 2024-01-02\n"
        'tags: [x, "C++", "Tag Zwei"]\ntopics: ["Über Uns"]\n---\n' + refs(_LIST_REFS),
        "content/blog/a/index.de.md": "---\ntitle: A de\ndate: 2024-01-02\ntags: [y]\n---\n"
        + refs(_LIST_REFS_DE),
        "content/blog/b2/index.md": page("B2", "date: 2024-01-01\n"),
        "content/blog/b2/index.de.md": page("B2 de", "date: 2024-01-01\n"),
        "content/blog/other.md": page("Blog other", "date: 2024-01-01\n"),
        "content/other.md": page("Root other"),
        "content/docs/getting-started/index.md": page("GS"),
        "content/docs/installation/index.md": page("Inst"),
        "content/docs/installation/index.de.md": page("Inst de"),
        "content/docs/sub/p.md": page("P"),
        "content/docs/sub2/_index.md": page("Sub2"),
        "content/docs/intro.md": page("Docs intro"),
        "content/docs/x.md": page("X page"),
        "content/docs/solo.md": page("Solo draft", "draft: true\ntags: [draftonly]\n"),
        "content/guide/intro.md": page("Guide intro"),
        "content/guide/solo.md": page("Solo"),
        "content/img/pic.png": "x",
        "content/drafty/d.md": page("D", "draft: true\n"),
        "content/nest/inner/_index.md": page("Inner"),
        "content/tags/lonely/_index.md": page("Lonely"),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return load_site(load_config(root / "syndicate.toml"), NOW, {}, use_cache=False)


def _hugo_lists(en: str, de: str) -> dict[str, dict[str, str]]:
    """What Hugo 0.168 made of each ref of blog/a, English pages at `en`, German at `de`."""
    return {
        "index.md": {
            "a": f"{en}docs/getting-started/",
            "b": f"{en}tags/",
            "c": f"{en}tags/x/",
            "d": f"{en}docs/",
            "e": f"{en}categories/",
            "f": f"{en}tags/c++/",
            "g": f"{en}tags/tag-zwei/",
            "j": f"{en}guide/",
            "k": f"{en}docs/installation/#top",
            "l": f"{en}docs/getting-started/",
            "n": f"{en}guide/solo/",
            "p": f"{en}other/",
            "q": f"{en}blog/other/",
            "r": f"{en}blog/b2/",
            "s": f"{en}topics/%C3%BCber-uns/",
            "u": f"{en}tags/lonely/",
            "v": en,
            "w": f"{en}nest/",
            "y": f"{en}drafty/",
            "z": f"{en}docs/sub2/",
            **dict.fromkeys("himot", ""),
        },
        "index.de.md": {
            "a": f"{en}docs/installation/#icon",
            "b": f"{de}tags/",
            "c": f"{de}tags/y/",
            "d": f"{de}docs/",
            "e": f"{en}docs/getting-started/",
            "f": f"{en}tags/x/",
            **dict.fromkeys("ghijk", ""),
        },
    }


_LISTS = _hugo_lists("https://example.org/site/", "https://example.org/site/de/")


def _refs_of(loaded: Site, name: str) -> dict[str, str]:
    """Each ref of blog/a/`name` by its key: the URL it gave, "" for none."""
    [post] = [p for p in loaded.posts if p.source.as_posix().endswith(f"blog/a/{name}")]
    return dict(re.findall(r"<li>(\w): (?:<a href=\"([^\"]*)\")?", loaded.renderer.html(post)))


def _errors_of(loaded: Site, name: str) -> dict[str, str]:
    """Each ref of blog/a/`name` reported, by its key (its line: a key a line from the
    first), as the message and hint."""
    first = 7 if name == "index.md" else 6  # the line of "- a:", after the front matter
    keys = list(_LIST_REFS if name == "index.md" else _LIST_REFS_DE)
    return {
        keys[p.location.line - first]: f"{p.message}\n{p.hint}"
        for p in loaded.report.problems
        if p.location is not None
        and p.location.line is not None
        and p.location.path.as_posix().endswith(f"blog/a/{name}")
    }


def test_a_ref_names_a_page_by_its_name_alone_when_no_other_page_has_it(tmp_path: Path) -> None:
    """`ref "getting-started"` names docs/getting-started/ from anywhere (Congo's docs do
    this): a name without "/" is looked up among every page of the language, a bundle by its
    folder, a section by its own (`sub2`), a term by its (`lonely`); a draft of that name
    (docs/solo.md) is no page."""
    loaded = _lists_site(tmp_path)
    assert _picked(_refs_of(loaded, "index.md"), "alnuz") == _picked(_LISTS["index.md"], "alnuz")


def test_a_ref_names_the_sections_taxonomies_and_terms_hugo_makes_without_a_file(
    tmp_path: Path,
) -> None:
    """A top-level folder with a page of the language is a section (drafts only, `drafty`,
    or nested sections only, `nest`, too); each taxonomy of the config has a page, terms or
    not (`categories`); a term has one once a published page gives it, at its name
    lower-cased with `-` for spaces, escaped in the URL; the home page is "/"."""
    loaded = _lists_site(tmp_path)
    keys = "bcdefgjsvwy"
    assert _picked(_refs_of(loaded, "index.md"), keys) == _picked(_LISTS["index.md"], keys)


def test_what_hugo_makes_no_page_for_stays_a_missing_ref_with_a_hint_that_says_what_is_one(
    tmp_path: Path,
) -> None:
    """A nested folder without `_index` (docs/sub), a folder of resources only (img), a term
    of a draft only (draftonly) are no pages, as in Hugo."""
    loaded = _lists_site(tmp_path)
    assert _picked(_refs_of(loaded, "index.md"), "iot") == dict.fromkeys("iot", "")
    errors = _errors_of(loaded, "index.md")
    hint = (
        "give the path below the content folder (e.g. posts/intro.md, /docs, tags/news) of a "
        "page, section, taxonomy or term Hugo publishes in the post's language (or the one "
        "`lang` names), or a page's name alone; a draft, future or expired page is not "
        "published"
    )
    for key, path in (("i", "docs/sub"), ("o", "img"), ("t", "tags/draftonly")):
        assert errors[key] == f"ref: page not found at {path!r}; the link keeps its text\n{hint}"


def test_a_name_two_pages_have_is_an_error_naming_both_as_hugo_reports_it(tmp_path: Path) -> None:
    """Hugo: `page reference "intro" is ambiguous` (docs/intro.md and guide/intro.md), and so
    is "x", a page's name (docs/x.md) and a term's (tags/x)."""
    loaded = _lists_site(tmp_path)
    assert _picked(_refs_of(loaded, "index.md"), "hm") == dict.fromkeys("hm", "")
    errors = _errors_of(loaded, "index.md")
    assert errors["m"] == (
        "ref: page reference 'intro' is ambiguous: docs/intro, guide/intro have that name; the "
        "link keeps its text\ngive the path of the one meant below the content folder (e.g. "
        "/docs/intro): Hugo finds a page by its name alone only when no other page has it"
    )
    assert errors["h"].startswith("ref: page reference 'x' is ambiguous: docs/x, tags/x have")


def test_a_ref_from_a_leaf_bundle_is_looked_up_from_the_folder_holding_the_bundle(
    tmp_path: Path,
) -> None:
    """From blog/a/index.md, "./b2" is blog/b2 and "../other" the content folder's other.md,
    but "../other.md", with its extension, is blog/other.md: Hugo looks a path up from a
    leaf bundle's container, but for a file path going up (getContentNodeForRef)."""
    loaded = _lists_site(tmp_path)
    assert _picked(_refs_of(loaded, "index.md"), "pqr") == _picked(_LISTS["index.md"], "pqr")


def test_a_refs_lang_names_the_language_its_page_is_looked_up_in(tmp_path: Path) -> None:
    """In German, `lang="en"` gives the English page (Congo's German docs link the English
    ones so), the English term; an unknown code, or one written otherwise than the config's
    (`DE`), is Hugo's "no site found with lang"."""
    loaded = _lists_site(tmp_path)
    refs = _refs_of(loaded, "index.de.md")
    assert _picked(refs, "aefhi") == _picked(_LISTS["index.de.md"], "aefhi")
    errors = _errors_of(loaded, "index.de.md")
    assert errors["h"] == (
        "ref: no site found with lang 'fr' (the site's: de, en); the link keeps its text\n"
        "give `lang` one of the site's language codes, as its config writes them"
    )
    assert errors["i"].startswith("ref: no site found with lang 'DE' (the site's: de, en);")


def test_list_pages_and_names_are_each_languages_own(tmp_path: Path) -> None:
    """In German, the taxonomy and its German term are under /de/, docs/ is a German section
    (docs/installation has a German page), guide/ is none, and neither getting-started nor
    x names a German page."""
    loaded = _lists_site(tmp_path)
    keys = "bcdgjk"
    assert _picked(_refs_of(loaded, "index.de.md"), keys) == _picked(_LISTS["index.de.md"], keys)
    assert set("gjk") <= set(_errors_of(loaded, "index.de.md"))


@pytest.mark.parametrize(
    ("variant", "en", "de"),
    [
        ("", "https://example.org/site/", "https://example.org/site/de/"),
        ("subdir", "https://example.org/site/en/", "https://example.org/site/de/"),
        ("hosts", "https://example.org/site/", "https://example.de/"),
    ],
)
def test_every_ref_to_a_list_page_or_by_name_is_the_url_hugo_gives(
    tmp_path: Path, variant: str, en: str, de: str
) -> None:
    loaded = _lists_site(tmp_path, variant)
    expected = _hugo_lists(en, de)
    assert {name: _refs_of(loaded, name) for name in expected} == expected


def test_a_cached_post_keeps_its_refs_with_lang_and_their_problems(tmp_path: Path) -> None:
    """The build cache keeps each ref a body looked up, its `lang` with it: read back, the
    post links and reports the same."""
    first = _lists_site(tmp_path)
    config = load_config(tmp_path / "syndicate.toml")
    write_feeds(config, first)  # saves the build cache
    again = load_site(config, NOW, {})
    assert [str(p) for p in again.report.problems] == [str(p) for p in first.report.problems]
    assert _refs_of(again, "index.de.md") == _LISTS["index.de.md"]


def test_lang_names_no_language_on_a_site_without_a_generator(site: SiteDir) -> None:
    """syndicate's own site has no languages for `lang` to name: the path is looked up as it
    would be without it."""
    hugo(site)
    site.post("posts/live.md", "---\ntitle: Live\ndate: 2024-01-01\n---\nHere.\n")
    body(site, '[live]({{< ref path="live.md" lang="fr" >}})\n')
    loaded = site.load()
    assert '<a href="https://blog.example.com/posts/live/">live</a>' in html_of(loaded, "a.md")
    assert problems(loaded) == []


def test_a_language_with_no_page_has_its_home_and_taxonomy_pages(tmp_path: Path) -> None:
    """French has no page: Hugo 0.168 still makes its home page and its taxonomies' (these
    URLs are its, for the same refs in `_lists_site`'s German post with `[languages.fr]`
    added)."""
    _lists_site(tmp_path)
    config = tmp_path / "hugo.toml"
    config.write_text(config.read_text() + "[languages.fr]\nweight = 3\n")
    post = tmp_path / "content/blog/a/index.de.md"
    refs = '- fr: [fr]({{< ref path="tags" lang="fr" >}} "{{< ref path="/" lang="fr" >}}")\n'
    post.write_text(post.read_text() + refs)
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), NOW, {}, use_cache=False)
    [post_] = [p for p in loaded.posts if p.source == post]
    assert (
        '<a href="https://example.org/site/fr/tags/" title="https://example.org/site/fr/">fr</a>'
        in loaded.renderer.html(post_)
    )


# --- refs on a site whose languages each have their own content folder -----------------------
#
# Each language's folder is the top of its own page tree: `content/ja/posts/b.md` is the
# Japanese page `posts/b` (https://gohugo.io/content-management/multilingual/
# #translation-by-content-directory), and a ref is looked up in the referring page's site only
# (hugolib/pagecollections.go `getContentNodeForRef`). Every expected URL is what Hugo 0.168.0
# wrote for `_own_folders_site`, built as it is with each layout `{{ .Content }}`; "" is a ref
# Hugo reported as REF_NOT_FOUND ("page not found").

_OWN_FOLDERS = {
    "contentDir": """
[languages.en]
weight = 1
contentDir = "content/en"
[languages.ja]
weight = 2
contentDir = "content/ja"
""",
    # opentelemetry.io's layout: each language's folder mounted at the top of the content.
    "mounts": """
[languages.en]
weight = 1
[languages.ja]
weight = 2
[[module.mounts]]
source = "content/en"
target = "content"
[[module.mounts]]
source = "content/ja"
target = "content"
[module.mounts.sites.matrix]
languages = ["ja"]
""",
}
_OWN_REFS = {
    "b": '"posts/b"',
    "c": '"/posts/c.md"',
    "n": '"c"',
    "s": '"/posts"',
    "p": '"/about"',
    "j": 'path="posts/b" lang="ja"',
    "e": 'path="posts/b" lang="en"',
    "o": '"/posts/only-en"',
    "x": '"../../en/posts/only-en.md"',
    "v": '"../../en/posts/b.md"',
}
_HUGO_OWN_FOLDERS = {
    "en": {
        "b": "https://example.org/posts/b/",
        "c": "https://example.org/posts/c/",
        "n": "https://example.org/posts/c/",
        "s": "https://example.org/posts/",
        "p": "https://example.org/about/",
        "j": "https://example.org/ja/posts/b/",
        "e": "https://example.org/posts/b/",
        "o": "https://example.org/posts/only-en/",
        "x": "https://example.org/posts/only-en/",
        "v": "https://example.org/posts/b/",
    },
    "ja": {
        "b": "https://example.org/ja/posts/b/",
        "c": "https://example.org/ja/posts/c/",
        "n": "https://example.org/ja/posts/c/",
        "s": "https://example.org/ja/posts/",
        "p": "https://example.org/ja/about/",
        "j": "https://example.org/ja/posts/b/",
        "e": "https://example.org/posts/b/",
        "o": "",
        "x": "",
        "v": "https://example.org/ja/posts/b/",
    },
}


def _own_folders_site(root: Path, layout: str) -> Site:
    """English and Japanese, each in its own folder (`content/en`, `content/ja`) as `layout`
    says; `posts/a` in each refs `_OWN_REFS`; `posts/only-en` is in English only."""
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n'
        f'[params]\nmainSections = ["posts"]\n{_OWN_FOLDERS[layout]}',
        "syndicate.toml": '[site]\ngenerator = "hugo"\n',
        "content/en/posts/only-en.md": "---\ntitle: E\ndate: 2024-01-01\n---\nx\n",
    }
    refs = "".join(f"- {key}: [x]({{{{< ref {args} >}}}})\n" for key, args in _OWN_REFS.items())
    for lang in ("en", "ja"):
        files[f"content/{lang}/about.md"] = f"---\ntitle: About {lang}\n---\nx\n"
        for name in ("b", "c"):
            files[f"content/{lang}/posts/{name}.md"] = (
                f"---\ntitle: {name} {lang}\ndate: 2024-01-01\n---\nx\n"
            )
        files[f"content/{lang}/posts/a.md"] = f"---\ntitle: a\ndate: 2024-01-02\n---\n{refs}"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return load_site(load_config(root / "syndicate.toml"), NOW, {}, use_cache=False)


@pytest.mark.parametrize("layout", list(_OWN_FOLDERS))
def test_a_ref_in_a_language_with_its_own_content_folder_names_that_languages_page(
    tmp_path: Path, layout: str
) -> None:
    """From the Japanese `posts/a` (in `content/ja`), `posts/b` is the Japanese page
    (`/ja/posts/b/`), as Hugo 0.168 writes it (`_HUGO_OWN_FOLDERS`), not the English one; a
    page that is in English's folder only is missing. A path with an extension names a file
    from the post's own folder, wherever it is: `../../en/posts/b.md` is `posts/b`, the
    Japanese page from the Japanese post (Hugo's reverse lookup of the file)."""
    loaded = _own_folders_site(tmp_path, layout)
    for lang in ("en", "ja"):
        [post] = [p for p in loaded.posts if p.source.as_posix().endswith(f"{lang}/posts/a.md")]
        found = re.findall(r"<li>(\w): (?:<a href=\"([^\"]*)\")?", loaded.renderer.html(post))
        assert dict(found) == _HUGO_OWN_FOLDERS[lang], lang


@pytest.mark.parametrize("layout", list(_OWN_FOLDERS))
def test_a_ref_to_a_page_in_another_languages_folder_only_is_reported_as_hugo_does(
    tmp_path: Path, layout: str
) -> None:
    """Hugo 0.168 reports `/posts/only-en` and `../../en/posts/only-en.md` of the Japanese
    post as REF_NOT_FOUND ("page not found"), as a page in English's folder only, and
    nothing of the English post's."""
    loaded = _own_folders_site(tmp_path, layout)
    reported = sorted(
        (p.location.path.relative_to(tmp_path).as_posix(), p.message)
        for p in loaded.report.problems
        if p.location is not None
    )
    missing = "ref: page not found at {!r}; the link keeps its text"
    assert reported == [
        ("content/ja/posts/a.md", missing.format("../../en/posts/only-en.md")),
        ("content/ja/posts/a.md", missing.format("/posts/only-en")),
    ]


def test_a_cached_post_in_a_languages_own_folder_keeps_its_refs(tmp_path: Path) -> None:
    """Read back from the build cache, the Japanese post links to the Japanese pages Hugo
    0.168 gave (`_HUGO_OWN_FOLDERS`) and reports the same refs."""
    first = _own_folders_site(tmp_path, "mounts")
    config = load_config(tmp_path / "syndicate.toml")
    write_feeds(config, first)  # saves the build cache
    again = load_site(config, NOW, {})
    assert [str(p) for p in again.report.problems] == [str(p) for p in first.report.problems]
    [post] = [p for p in again.posts if p.source.as_posix().endswith("ja/posts/a.md")]
    found = re.findall(r"<li>(\w): (?:<a href=\"([^\"]*)\")?", again.renderer.html(post))
    assert dict(found) == _HUGO_OWN_FOLDERS["ja"]


# --- a relative ref going up past the top of the content -------------------------------------
#
# Hugo joins a relative path to the referring page's folder as a rooted path (Go's
# `path.Join("/posts", "../../about.md")` is "/about.md": hugolib/pagecollections.go
# `getContentNodeForRef`), so going up stops at the top. Every expected URL is what Hugo 0.168.0
# wrote for `_going_up_site`, each layout `{{ .Content }}`; "" is a ref it reported as
# REF_NOT_FOUND.

_UP_REFS = {
    "u": "../../about.md",
    "y": "../../../about.md",
    "z": "../../about",
    "k": "../../docs/guide",
    "m": "../../nothere.md",
}
_HUGO_UP = {
    "posts/a.md": {
        "u": "https://example.org/about/",
        "y": "https://example.org/about/",
        "z": "https://example.org/about/",
        "k": "https://example.org/docs/guide/",
        "m": "",
    },
    # From a leaf bundle, a path with an extension going up starts at the bundle's folder.
    "posts/bund/index.md": {
        "u": "https://example.org/about/",
        "y": "https://example.org/about/",
        "z": "https://example.org/about/",
        "k": "https://example.org/docs/guide/",
        "m": "",
    },
}


def _going_up_site(root: Path) -> Site:
    """A Hugo site whose posts/a and posts/bund (a leaf bundle) ref `_UP_REFS`."""
    refs = "".join(f'- {key}: [x]({{{{< ref "{path}" >}}}})\n' for key, path in _UP_REFS.items())
    files = {
        "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n'
        '[params]\nmainSections = ["posts"]\n',
        "syndicate.toml": '[site]\ngenerator = "hugo"\n',
        "content/about.md": "---\ntitle: About\n---\nx\n",
        "content/docs/guide.md": "---\ntitle: Guide\n---\nx\n",
    }
    for name in _HUGO_UP:
        files[f"content/{name}"] = f"---\ntitle: {name}\ndate: 2024-01-01\n---\n{refs}"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return load_site(load_config(root / "syndicate.toml"), NOW, {}, use_cache=False)


def test_a_relative_ref_going_up_stops_at_the_top_of_the_content_as_in_hugo(
    tmp_path: Path,
) -> None:
    """`../../about.md` from posts/a.md is the page about/, as Hugo 0.168 gives it
    (`_HUGO_UP`), not a path out of the content folder that names nothing."""
    loaded = _going_up_site(tmp_path)
    for name, expected in _HUGO_UP.items():
        [post] = [p for p in loaded.posts if p.source == tmp_path / "content" / name]
        found = re.findall(r"<li>(\w): (?:<a href=\"([^\"]*)\")?", loaded.renderer.html(post))
        assert dict(found) == expected, name
