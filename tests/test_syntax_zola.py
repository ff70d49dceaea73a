"""Zola shortcodes in posts: rendered through the site's own templates or removed, never
published raw."""

from __future__ import annotations

import re
import shutil
from html import escape, unescape
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.build import Site, load_site
from syndicate.config import load_config
from syndicate.content.markdown import Renderer
from syndicate.content.syntax import OWN_MARKDOWN, Context, Page, Setup, expand, syntax_of
from syndicate.content.syntax.templates import Shortcodes
from syndicate.urls import UrlResolver

from .conftest import NOW, REPO, RunCli, SiteDir, bare_post, examples
from .fresh_process import output_within
from .syntax_posts import body, copier, first_lines, html_of, problems
from .test_syntax_hugo import early_records

FIXTURES = Path(__file__).parent / "fixtures" / "syntax" / "zola"
fixture = copier(FIXTURES)
ZOLA = '[markdown]\ntemplate_syntax = "zola"\n'


def zola(site: SiteDir, templates: dict[str, str] | None = None) -> None:
    site.config(ZOLA)
    if templates:
        folder = site.root / "shortcodes"
        folder.mkdir()
        for name, text in templates.items():
            (folder / f"{name}.html").write_text(text, encoding="utf-8")


# --- the site's own shortcodes, from real posts --------------------------------------------------


def test_an_inline_shortcode_of_a_real_post_runs_the_sites_template(site: SiteDir) -> None:
    zola(site, {"full_width_image": '<figure><img src="{{ src }}" alt="{{ alt }}"></figure>'})
    fixture(site, "project-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "project-tabi.md")
    assert (
        "a fast static site generator.</p>\n"
        '<figure><img src="https://cdn.jsdelivr.net/gh/welpo/tabi@main/light_dark_screenshot.png"'
        ' alt="tabi light and dark mode"></figure>\n<h4>'
    ) in html
    assert "{{" not in html and problems(loaded) == []


def test_an_inline_call_of_a_body_template_has_an_empty_body(site: SiteDir) -> None:
    # A template written for `{% %}` calls, called inline: its `body` is empty, not "None".
    zola(site, {"who": "<span>{{ name }}-{{ nth }}-{{ body }}</span>"})
    site.post("posts/a.md", '---\ntitle: A\ndate: 2024-01-01\n---\nHi {{ who(name="bob") }}.\n')
    loaded = site.load()
    assert "<span>bob-1-</span>" in html_of(loaded, "a.md") and problems(loaded) == []


def test_a_body_shortcode_of_a_real_post_gets_its_body_as_text_and_rendered(
    site: SiteDir,
) -> None:
    # Zola hands the body over as text (`body`, trimmed); `inner` is that body rendered.
    template = '<div class="{{ type }}"><pre>{{ body }}</pre>{{ inner }}</div>'
    zola(site, {"admonition": template})
    fixture(site, "admonition-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "admonition-tabi.md")
    assert (
        "<div><pre>If you're using a custom font, either create your custom subset (see below) "
        "or disable the built-in subsets completely with `enable_subset = false` in your "
        "`config.toml`.</pre>"
        "<p>If you're using a custom font, either create your custom subset (see below) or "
        "disable the built-in subsets completely with <code>enable_subset = false</code> in "
        "your <code>config.toml</code>.</p>\n</div>\n<p>Here's how"
    ) in html
    assert "{%" not in html and problems(loaded) == []


def test_string_and_boolean_arguments_of_a_real_post_reach_the_template(site: SiteDir) -> None:
    template = (
        '{% if full_width %}<p class="wide">{% else %}<p>{% endif %}'
        "{{ nth }}: {{ default_alt }} / {{ toggled_src }}</p>"
    )
    zola(site, {"image_toggler": template})
    fixture(site, "skins-tabi.md")
    html = html_of(site.load(), "skins-tabi.md")
    assert "<p>1: teal skin in light mode / blog/customise-tabi/skins/teal_dark.webp</p>" in html
    assert (
        "<p>2: lavender skin in light mode / blog/customise-tabi/skins/lavender_dark.webp</p>"
        in html
    )


def test_arguments_are_read_as_zola_reads_them() -> None:
    seen: list[dict[str, object]] = []
    text = (
        "{{ t() }} {{t(s=\"a 'b'\", q='c \"d\"', r=`e`, i=-12, f=2.5, yes=true, no=false,\n"
        "   list=[1, 'x', [true],], empty=[]) }} {% t ( n = 0 ) %}\n  the body  \n{%end%}"
    )

    class Recorder(Shortcodes):
        def __contains__(self, name: object) -> bool:
            return name == "t"

        def render(self, name: str, variables: object) -> str:
            assert isinstance(variables, dict)
            seen.append({k: variables.get(k) for k in ("named", "nth", "body")})
            return "ok"

    page = Page("T", "https://e.org/t/", {}, "/c/posts/t.md")
    context = Context(page, {}, Recorder(Path("/nonexistent")), None, lambda t: t)
    expansion = expand(text, "zola", context)
    assert seen == [
        {"named": {}, "nth": 1, "body": None},
        {
            "named": {
                "s": "a 'b'",
                "q": 'c "d"',
                "r": "e",
                "i": -12,
                "f": 2.5,
                "yes": True,
                "no": False,
                "list": [1, "x", [True]],
                "empty": [],
            },
            "nth": 2,
            "body": None,
        },
        {"named": {"n": 0}, "nth": 3, "body": "the body"},
    ]
    assert expansion.outputs == ["ok", "ok", "ok"] and expansion.issues == []


def test_shortcodes_in_code_blocks_and_spans_are_rendered_as_zola_does(site: SiteDir) -> None:
    zola(site, {"v": "{{ n }}"})
    body(site, "```\nversion {{ v(n=3) }}\n```\n\nNow `{{ v(n=4) }}`.\n")
    html = html_of(site.load(), "a.md")
    assert html == "<pre><code>version 3\n</code></pre>\n<p>Now <code>4</code>.</p>"


def test_a_template_sees_the_page_and_is_autoescaped(site: SiteDir) -> None:
    zola(site, {"say": "<p>{{ text }} on {{ page.title }}</p><script>alert(1)</script>"})
    body(site, '{{ say(text="<img src=x onerror=alert(1)>") }}\n')
    html = html_of(site.load(), "a.md")
    assert html == "<p>&lt;img src=x onerror=alert(1)&gt; on A</p>"


def test_a_broken_template_is_an_error_naming_its_file_and_the_body_is_kept(
    site: SiteDir,
) -> None:
    zola(site, {"note": "one\n{% if %}\n"})
    path = body(site, "Intro.\n\n{% note(kind='x') %}\nThe **body**.\n{% end %}\n")
    loaded = site.load()
    assert html_of(loaded, "a.md") == "<p>Intro.</p>\n<p>The <strong>body</strong>.</p>"
    [error] = problems(loaded)
    folder = site.root / "shortcodes"
    assert error.startswith(f"{path}:7: error: shortcode 'note': {folder / 'note.html'}:2: ")


# --- the escape forms ----------------------------------------------------------------------------


def test_escape_forms_in_a_code_block_of_a_real_post_are_written_out(site: SiteDir) -> None:
    zola(site)
    fixture(site, "mermaid-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "mermaid-tabi.md")
    assert '<pre><code class="language-txt">{% mermaid() %}\nclassDiagram\n' in html
    assert "CognitiveDistortions *-- JumpingToConclusions\n{% end %}\n</code></pre>" in html
    # the diagram itself: an unknown shortcode, its body kept as the post's Markdown
    assert html.endswith(
        "<p>The diagram will be rendered as follows:</p>\n<p>classDiagram\n"
        "class CognitiveDistortions {\n+AllOrNothingThinking()\n"
        + html.split("<p>classDiagram\nclass CognitiveDistortions {\n+AllOrNothingThinking()\n")[-1]
    )
    assert html.count("{%") == 2 and "/*" not in html
    [warning] = problems(loaded)
    assert warning.startswith(
        f"{site.root / 'content/posts/mermaid-tabi.md'}:41: warning: unknown shortcode 'mermaid'"
    )


def test_the_inline_escape_form_of_a_real_post_is_written_out(site: SiteDir) -> None:
    zola(site)
    fixture(site, "toc-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "toc-tabi.md")
    assert "<p>You can also use the simple <code>{{ toc() }}</code> shortcode," in html
    assert problems(loaded) == []


# --- unknown names, text Zola leaves alone, headings ------------------------------------------------


def test_toc_of_a_real_post_is_removed_with_a_warning_and_heading_ids_are_read(
    site: SiteDir,
) -> None:
    zola(site)
    path = fixture(site, "privacy-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "privacy-tabi.md")
    assert html.startswith(
        "<p>This privacy policy outlines how we collect and process your data on this website."
        "</p>\n<h2>What data do we collect?</h2>\n"
        '<h3 id="what-general">General browsing</h3>\n'
    )
    assert '<h3 id="what-analytics">Analytics</h3>' in html and "{" not in html
    assert problems(loaded) == [
        f"{path}:7: warning: unknown shortcode 'toc' (1 use, the first here): removed, its "
        "content kept\n  hint: to render it, write shortcodes/toc.html, a Jinja2 template "
        "([markdown] shortcodes_dir, from the config file's folder): a theme's own template is "
        "its generator's language, which syndicate does not run"
    ]


def test_toc_renders_when_the_site_provides_it(site: SiteDir) -> None:
    zola(site, {"toc": '<nav><a href="#what-general">Contents</a></nav>'})
    fixture(site, "privacy-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "privacy-tabi.md")
    assert '<nav><a href="https://blog.example.com/posts/privacy-tabi/#what-general">' in html
    assert problems(loaded) == []


def test_a_heading_class_of_a_real_post_is_taken_off_as_zola_does(site: SiteDir) -> None:
    # Zola's Markdown (pulldown-cmark heading attributes) reads `{.class}` at the end of a
    # heading; it has no block attributes for other elements.
    zola(site)
    body(site, "#### [Try](https://e.org/) {.centered-text}\n\nA paragraph\n{.note}\n")
    html = html_of(site.load(), "a.md")
    assert html == ('<h4><a href="https://e.org/">Try</a></h4>\n<p>A paragraph\n{.note}</p>')


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('Intro.\n\n{{<youtube id="32gyFIWecuw" />}}\n', '{{<youtube id="32gyFIWecuw" />}}'),
        (
            "Math:\n\n{% <katex block={false}> %} e^{i\\pi} {% </katex> %}\n",
            "{% <katex block={false}> %}",
        ),
        ("Usage:\n\n{% raw %}\n`{{ x }}`\n{% endraw %}\n", "{% raw %}"),
    ],
    ids=["component", "component-with-body", "raw"],
)
def test_zola_023_template_syntax_is_reported_at_its_line(
    site: SiteDir, text: str, shown: str
) -> None:
    """Zola 0.23 renders content as a Tera 2 template (jieiku/abridge, min_version 0.23.3:
    `{{<youtube .../>}}`, `{% raw %}`), which syndicate does not run: the post says so at the
    line, rather than publish `{{}}` or a `{% raw %}` paragraph without a word."""
    zola(site)
    path = body(site, "Before.\n\n" + text)
    assert first_lines(site.load()) == [
        f"{path}:9: warning: Zola 0.23's template syntax ({shown}) is not read: the feed shows"
        " it as written"
    ]


def test_text_like_hugos_shortcodes_on_a_zola_site_is_not_taken_for_zola_023(
    site: SiteDir,
) -> None:
    zola(site)
    body(site, 'Hugo writes `{{< figure src="a.png" >}}` and {{< youtube id >}}.\n')
    assert problems(site.load()) == []


# Zola 0.23's syntax as the pattern before found it: exact, but quadratic in a long name (a
# name cut anywhere was read to the line's end from each cut). On short texts the same.
BACKTRACKING_TERA2 = re.compile(
    r"\{\{<[A-Za-z_][\w-]*[^\n]*?/>\}\}|\{%-?\s*</?[A-Za-z_][\w-]*[^\n]*?%\}"
    r"|\{%-?\s*raw\s*-?%\}"
)
PIECES_OF_TERA2 = [*"{}<>/%-_ a\n", "{{<", "/>}}", "{%", "%}", "raw", "x-y"]


@given(st.lists(st.sampled_from(PIECES_OF_TERA2), max_size=16).map("".join))
@settings(max_examples=examples(3000), deadline=None)
@example("{{<x-y a />}} {% </x a> %}")
def test_zola_023_syntax_is_found_where_the_backtracking_pattern_found_it(text: str) -> None:
    from syndicate.content.syntax import zola

    found, expected = zola._TERA2.search(text), BACKTRACKING_TERA2.search(text)
    assert (found and found.span()) == (expected and expected.span())


def test_a_long_name_after_zola_023s_opening_is_read_at_once() -> None:
    """`{{<` or `{%<` and a name of 400,000 characters (the pattern before took 10 s for
    40,000). In a child with a deadline, so that a pattern that backtracks fails here instead of
    hanging."""
    code = (
        "from syndicate.content.syntax import zola\n"
        "for opening in ['{{<', '{% <']:\n"
        "    print(zola._TERA2.search(opening + 'a' * 400_000))\n"
    )
    out = output_within(code)
    assert out.split() == ["None", "None"]


def test_an_unknown_shortcode_keeps_its_body_with_one_warning_per_name(site: SiteDir) -> None:
    zola(site)
    text = (
        "Intro.\n\n{% wide_container() %}\n**Wide** text {{ youtube(id='x') }}.\n{% end %}\n\n"
        "{{ youtube(id='y') }}\n\nEnd.\n"
    )
    path = body(site, text)
    body(site, text, "b.md")
    loaded = site.load()
    html = html_of(loaded, "a.md")
    assert html == "<p>Intro.</p>\n<p><strong>Wide</strong> text .</p>\n<p>End.</p>"
    assert first_lines(loaded) == [
        f"{path}:7: warning: unknown shortcode 'wide_container' (2 uses, the first here): "
        "removed, its content kept",
        f"{path}:8: warning: unknown shortcode 'youtube' (4 uses, the first here): "
        "removed, its content kept, not the text of its arguments (id)",
    ]


def test_an_unknown_shortcode_says_the_text_of_its_arguments_is_left_out(site: SiteDir) -> None:
    # A theme's template shows what a call passes (apollo's `{{ note(header=…, body=…) }}`):
    # removed with the call, so the warning must not say the content is kept, and no more.
    zola(site)
    text = (
        'Intro.\n\n{{ note(header="Note!", body="Read this") }}\n\n'
        '{{ note(clickable=true, body="More") }}\n\n{% aside(wide=true) %}\nKept.\n{% end %}\n'
    )
    path = body(site, text)
    loaded = site.load()
    assert html_of(loaded, "a.md") == "<p>Intro.</p>\n<p>Kept.</p>"
    assert first_lines(loaded) == [
        f"{path}:11: warning: unknown shortcode 'aside' (1 use, the first here): "
        "removed, its content kept",
        f"{path}:7: warning: unknown shortcode 'note' (2 uses, the first here): "
        "removed, its content kept, not the text of its arguments (body, header)",
    ]


def test_an_unknown_shortcodes_hint_names_the_file_to_write(site: SiteDir) -> None:
    # On a Zola site "the shortcodes folder" is templates/shortcodes/, the theme's Tera
    # templates: the hint gives the path of syndicate's own, as [markdown] shortcodes_dir sets it.
    site.config(ZOLA + 'shortcodes_dir = "feed-shortcodes/"\n')
    body(site, "{{ note(body='x') }}\n")
    hint = problems(site.load())[0].split("\n")[1]
    assert hint.startswith("  hint: to render it, write feed-shortcodes/note.html, a Jinja2 ")


def test_text_zola_leaves_alone_stays_text(site: SiteDir) -> None:
    # Zola reads only `name(...)` calls: values, calls without parentheses and Tera comments
    # are text to it, published as written.
    zola(site, {"v": "<b>{{ n }}</b>"})
    body(site, "{{ page.title }} {{ toc }} {# note #} {% if x %} {{ 1 + 2 }} {{ v(n=1) }}\n")
    loaded = site.load()
    assert html_of(loaded, "a.md") == (
        "<p>{{ page.title }} {{ toc }} {# note #} {% if x %} {{ 1 + 2 }} <b>1</b></p>"
    )
    assert problems(loaded) == []


@pytest.mark.parametrize(
    ("info", "kept"),
    [
        *(("rust,linenos", "rust"), ("rust,hl_lines=2 3", "rust"), ("c++", "c++")),
        *((",linenos", None), ("linenos", None), ("name=foo.rs,rust", "rust")),
        *(("linenostart=5,rust", "rust"), ("scss,", "scss")),
    ],
)
def test_a_code_blocks_annotations_leave_its_language(
    site: SiteDir, info: str, kept: str | None
) -> None:
    # Zola's fenced code takes annotations after the language, comma-separated
    # (https://www.getzola.org/documentation/content/syntax-highlighting/): apollo's demo.
    zola(site)
    body(site, f"```{info}\nfn main() {{}}\n```\n")
    html = html_of(site.load(), "a.md")
    opened = f'<pre><code class="language-{kept}">' if kept else "<pre><code>"
    assert html.startswith(opened + "fn main() {}")


# --- broken calls -----------------------------------------------------------------------------------


def test_arguments_without_a_comma_between_them_are_read_as_zola_reads_them(
    site: SiteDir,
) -> None:
    # content.pest: `sc_def = ident "(" kwargs* ")"`, runs of comma-separated arguments one
    # after another; corrode.dev's published page shows `{% info(title="…" icon="info") %}`
    # rendered by Zola.
    zola(site, {"dual_theme_image": '<img src="{{ light_src }}" alt="{{ alt }}">'})
    fixture(site, "royalties-tabi.md")
    loaded = site.load()
    html = html_of(loaded, "royalties-tabi.md")
    assert "Here's a screenshot:</p>\n" in html and "dual_theme_image" not in html
    assert 'calculator_light.webp" alt="Streaming Royalties Calculator">' in html
    assert html.endswith("<h2>Main Features</h2>")
    assert problems(loaded) == []


@pytest.mark.parametrize(
    "written",
    ["{{ /* image(src='a.png') */ }}", "{% /* note() */ %}", "{{ /*image()*/ }}"],
)
def test_an_escape_with_a_space_inside_the_braces_is_text(site: SiteDir, written: str) -> None:
    # `{{/*` is one token of Zola's grammar: with a space after `{{` no call starts, and Zola
    # prints the line as it is (the apollo theme's published configuration page).
    zola(site)
    body(site, f"`{written}`\n")
    loaded = site.load()
    assert html_of(loaded, "a.md") == f"<p><code>{escape(written, quote=False)}</code></p>"
    assert problems(loaded) == []


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ('{{ image(src="a.png) }}', "a quoted value is not closed"),
        ("{{ image(a.png) }}", "expected = after the argument 'a'"),
        ("{{ image(src=) }}", "expected a value: a quoted string, a number, true, false or an"),
        ("{{ image(src='a.png')", "expected }} after the call of 'image'"),
        ("{{ image(src=[1 2]) }}", "expected , or ] in an array"),
        ("{% note() %} never ended", "shortcode 'note' is not closed with {% end %}"),
        ("{% end %}", "{% end %} without a shortcode to close; removed"),
        ("{{/* image( */}}", "expected an argument's name"),
        ("{{ image(src='a.png',) }}", "a comma after the last argument (Zola then reads no call)"),
    ],
)
def test_a_broken_call_gives_file_and_line_and_keeps_the_rest(
    site: SiteDir, broken: str, message: str
) -> None:
    zola(site, {"v": "<b>{{ n }}</b>"})
    path = body(site, f"First *para*.\n\n{broken} tail\n\nLast {{{{ v(n=1) }}}}.\n")
    loaded = site.load()
    html = html_of(loaded, "a.md")
    assert html.startswith("<p>First <em>para</em>.</p>")
    assert html.endswith("<p>Last <b>1</b>.</p>")
    assert "{{" not in html and "{%" not in html
    [error] = problems(loaded)
    assert error.startswith(f"{path}:7: error: {message}")


def test_check_lists_a_broken_call_and_build_strict_fails(site: SiteDir, run_cli: RunCli) -> None:
    zola(site)
    fixture(site, "royalties-tabi.md")
    body(site, "Before.\n\n{{ image(src='a.png) }}\n", "broken.md")
    line = "content/posts/broken.md:7: error: a quoted value is not closed"
    checked = run_cli("check", "--now", NOW, cwd=site.root)
    assert checked.returncode == 1 and line in checked.stderr
    strict = run_cli("build", "--strict", "--now", NOW, cwd=site.root)
    assert strict.returncode == 1 and "--strict" in strict.stderr
    built = run_cli("build", "--now", NOW, cwd=site.root)
    assert built.returncode == 0 and line in built.stderr
    feed = (site.root / "public" / "atom.xml").read_text()
    assert "Streaming Royalties Calculator allows musicians" in feed
    assert "dual_theme_image" not in feed


# --- properties -----------------------------------------------------------------------------------

POST = bare_post()
RESOLVER = UrlResolver("https://e.org/", Path("/nonexistent/static"))
PLAIN = Renderer(RESOLVER, ())
ZOLA_RENDERER = Renderer(
    RESOLVER,
    (),
    # syndicate's own Markdown (its plugins, as PLAIN's): these tests are of the shortcodes
    syntax=Setup("zola", {"params": {}}, Shortcodes(Path("/nonexistent")), plugins=OWN_MARKDOWN),
)
# A call's start as Zola reads it: `{{ name(`, `{% name(`, `{% end %}` (escaped or not).
CALL = re.compile(r"\{[{%]\s*(?:/\*\s*)?(?:[A-Za-z_]\w*\s*\(|end\s*(?:\*/\s*)?%\})")
PIECES = [
    *("{{", "}}", "{%", "%}", "{{/*", "*/}}", "{%/*", "*/%}", "{", "}", "%", "(", ")", "end"),
    *(" ", "\n", "\n\n", ",", "=", '"', "'", "`", "[", "]", "1", "2.5", "true", "x", "toc"),
    *("note", "/*", "*/", "```\n", "`", "#", "## T {#t}\n", "<p>", "\\", "{#", "#}"),
]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@settings(max_examples=examples(1500), deadline=None)
@example("{{{{ x() }}{ y() }}")
@example("{% note() %}{{ x() }}{% end %}")
@example("{{ a( {{ b() }} }}")
@example("{{% w() %}{ x() }}{% end %}")
def test_no_call_survives_unless_escaped(text: str) -> None:
    page = Page("A", "https://e.org/posts/a/", {}, "/nonexistent/content/posts/a.md")
    context = Context(page, {"params": {}}, None, None, lambda t: t)
    expanded = expand(text, "zola", context).text
    assert CALL.search(expanded) is None
    # The escape forms write a call out on purpose.
    if "/*" not in text:
        html = ZOLA_RENDERER.render_fragment(text, POST)
        for run in re.split(r"<[^>]*>", html):
            assert CALL.search(unescape(run)) is None


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
@settings(max_examples=examples(1500), deadline=None)
@example("## Title {#id}")
@example("a {{ b() }}")
@example("www.0.a")  # a `www.` address: both link it
def test_text_without_delimiters_renders_as_with_none(text: str) -> None:
    assert ZOLA_RENDERER.render_fragment("{{ x() }}", POST) == ""  # Zola's syntax is read
    for delimiter in ("{{", "{%", "{#", "{."):
        text = text.replace(delimiter, "")
    if any(d in text for d in ("{{", "{%", "{#", "{.")):
        return
    assert ZOLA_RENDERER.render_fragment(text, POST) == PLAIN.render_fragment(text, POST)


# --- the setting --------------------------------------------------------------------------------


def test_a_zola_site_reads_zola_shortcodes_by_default(tmp_path: Path) -> None:
    root = tmp_path / "zola"
    (root / "content" / "blog").mkdir(parents=True)
    (root / "zola.toml").write_text('base_url = "https://z.example.org"\ntitle = "Z"\n')
    (root / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n')
    (root / "content" / "blog" / "a.md").write_text(
        '+++\ntitle = "A"\ndate = 2024-01-01\n+++\nBefore.\n\n{{ toc() }}\n\nAfter `{{/* toc() */}}`.\n'
    )
    config = load_config(root / "syndicate.toml")
    assert syntax_of(config) == "zola"
    loaded = load_site(config, now=NOW, env={})
    assert html_of(loaded, "a.md") == "<p>Before.</p>\n<p>After <code>{{ toc() }}</code>.</p>"
    [warning] = problems(loaded)
    assert warning.startswith(f"{root / 'content/blog/a.md'}:7: warning: unknown shortcode 'toc'")


def _tabi(tmp_path: Path) -> Site:
    shutil.copytree(REPO / "tests/fixtures/sites/zola/tabi/site", tmp_path / "tabi")
    (tmp_path / "tabi/syndicate.toml").write_text('[site]\ngenerator = "zola"\n')
    return load_site(load_config(tmp_path / "tabi/syndicate.toml"), NOW, {}, use_cache=False)


def test_internal_links_of_a_real_post_are_the_permalinks_of_the_pages_they_name(
    tmp_path: Path,
) -> None:
    """getzola.org/documentation/content/linking/#internal-links: `@/path.md#anchor`."""
    site = _tabi(tmp_path)
    [post] = [p for p in site.posts if p.source.match("blog/javascript/index.es.md")]
    html = site.renderer.html(post)
    base = "https://welpo.github.io/tabi/"
    assert f'href="{base}es/blog/mastering-tabi-settings/#busqueda"' in html
    assert f'href="{base}es/projects/"' in html  # a section in Spanish: under /es/, as Zola
    assert "@/" not in html
    assert not [p for p in site.report.problems if "internal link" in p.message]


def test_an_internal_link_read_while_parsing_waits_for_every_post_to_be_loaded(
    site: SiteDir,
) -> None:
    zola(site)
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nText.\n")
    site.post(
        "posts/b.md",
        "---\ntitle: B\ndate: 2024-01-03\n---\n{{ note() }}\n\n[a](@/posts/a.md), [x](@/x.md)\n",
    )
    site.post("posts/c.md", "---\ntitle: C\ndate: 2024-01-04\n---\n{{ note() }}\n")
    records = early_records(site.root / "config.toml")
    assert records["b.md"] is None and records["c.md"] is not None
    loaded = load_site(load_config(site.root / "config.toml"), NOW, {}, use_cache=False)
    a = next(p for p in loaded.posts if p.source.name == "a.md")
    assert f'<a href="{a.permalink}">a</a>' in html_of(loaded, "b.md")
    errors = [p for p in loaded.report.problems if "internal link" in p.message]
    assert [(e.location.path.name, e.location.line) for e in errors if e.location] == [("b.md", 7)]


def test_an_internal_link_to_no_page_is_an_error_at_its_line_and_keeps_only_its_text(
    site: SiteDir,
) -> None:
    zola(site)
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-02\n---\nText.\n\nSee [there](@/nowhere.md#x) and "
        "[here](@/posts/a.md), [gone][g].\n\n[g]: @/gone.md\n",
    )
    loaded = load_site(load_config(site.root / "config.toml"), NOW, {}, use_cache=False)
    errors = [p for p in loaded.report.problems if "internal link" in p.message]
    assert [e.location.line if e.location else None for e in errors] == [7, 9]
    html = loaded.renderer.html(loaded.posts[0])
    # No `href=""`: an empty reference is this very document, which the feed validator warns of.
    assert "@/" not in html and 'href=""' not in html and "See there and" in html
    assert f'<a href="{loaded.posts[0].permalink}">here</a>, gone.</p>' in html


# --- internal links on a Zola site: the file named, in its language ------------------------------

BUNDLES = REPO / "tests/fixtures/zola-bundles"


def _bundles(tmp_path: Path) -> Site:
    shutil.copytree(BUNDLES, tmp_path / "site")
    (tmp_path / "site/syndicate.toml").write_text('[site]\ngenerator = "zola"\n')
    return load_site(load_config(tmp_path / "site/syndicate.toml"), NOW, {}, use_cache=False)


def _hrefs(loaded: Site, rel: str) -> list[str]:
    [post] = [p for p in loaded.posts if p.source.as_posix().endswith(f"content/{rel}")]
    return re.findall(r'href="([^"]*)"', loaded.renderer.html(post))


def test_an_internal_link_names_the_file_in_its_language_not_a_translation(
    tmp_path: Path,
) -> None:
    """`@/` + the file's path below content/ (getzola.org/documentation/content/linking/;
    components/utils/src/site.rs `resolve_internal_link` looks that path up as it is): a
    bundle's `index.md` is the English page, its folder's `_index.md` the section."""
    loaded = _bundles(tmp_path)
    assert _hrefs(loaded, "guide/01-setup/index.md") == ["https://example.org/kernel/#boot"]
    assert _hrefs(loaded, "guide/03-screen/index.md") == ["https://example.org/kernel/"]
    assert _hrefs(loaded, "guide/02-kernel/index.ar.md") == ["https://example.org/setup/"]
    kernel = _hrefs(loaded, "guide/02-kernel/index.md")
    assert kernel[0] == "https://example.org/setup/"
    assert kernel[2] == "https://example.org/guide/02-kernel/"  # the section, not the page
    assert not [p for p in loaded.report.problems if "internal link" in p.message]


def test_an_internal_link_to_an_untranslated_file_is_missing_not_a_translation(
    site: SiteDir,
) -> None:
    site.root.joinpath("config.toml").write_text(
        'base_url = "https://example.org"\ntitle = "T"\n[languages.ar]\n[languages.ko]\n'
    )
    site.root.joinpath("syndicate.toml").write_text('[site]\ngenerator = "zola"\n')
    for name in ("index.ar.md", "index.ko.md"):
        site.post(f"posts/trip/{name}", "+++\ntitle = 'T'\ndate = 2024-01-01\n+++\nT.\n")
    site.post(
        "posts/a.md", "+++\ntitle = 'A'\ndate = 2024-01-02\n+++\n[t](@/posts/trip/index.md)\n"
    )
    loaded = load_site(load_config(site.root / "syndicate.toml"), NOW, {}, use_cache=False)
    assert _hrefs(loaded, "posts/a.md") == []
    [error] = [p for p in loaded.report.problems if "internal link" in p.message]
    assert "no published page at '@/posts/trip/index.md'" in error.message


def test_an_internal_link_to_a_page_that_is_no_post_is_at_zolas_address_for_it(
    tmp_path: Path,
) -> None:
    """An undated page gets the URL Zola gives it (its `path`, else its sections and slug,
    under its language's prefix), as a post would; a translated one (`index.ko.md`) too."""
    loaded = _bundles(tmp_path)
    assert _hrefs(loaded, "guide/02-kernel/index.md")[1] == "https://example.org/red-zone/"
    assert _hrefs(loaded, "guide/02-kernel/index.ko.md") == [
        "https://example.org/ko/setup/",
        "https://example.org/ko/red-zone/",
    ]
    assert not [p for p in loaded.report.problems if "internal link" in p.message]


def test_a_post_is_marked_templated_wherever_a_parsed_syntax_may_begin() -> None:
    """`Post.templated` lets the problems pass skip bodies: it must cover every syntax's
    delimiters (but kramdown's `{:`, which makes no problem)."""
    from syndicate.content.syntax import MAY_BEGIN, PARSED, parser

    for name in PARSED:
        module = parser(name)
        assert module is not None
        kept = [d for d in module.DELIMITERS if d != "{:"]
        assert all(any(d.startswith(m) for m in MAY_BEGIN) for d in kept), name
