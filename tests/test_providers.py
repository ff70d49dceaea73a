"""Each email provider's adapter against a local server that speaks its documented API, with
the delivery core's fault matrix: count what each recipient received, across re-runs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from syndicate.build import choose_period, load_site, make_digest
from syndicate.config import load_config
from syndicate.delivery.run import deliver
from syndicate.digest.outbox import read_outbox
from syndicate.errors import DeliveryError

from .conftest import NOW, RunCli, copy_fixture, shared_copy
from .providers import KEY, Buttondown, Fake, Listmonk, Mailgun, Postmark, Resend, Sendgrid, serve

RECIPIENTS = [f"reader{i}@example.org" for i in range(7)]
OWN_LINK = "https://fixture.example.net/unsubscribe"
SERVER = "http://server.invalid:9"  # the test server's address, in a site shared by tests
FAST = "[delivery.retry]\nattempts = 4\ntotal_seconds = 20\nwait_initial = 0.05\nwait_max = 0.2\n"


@dataclass(frozen=True)
class Provider:
    transport: str
    fake: Callable[[], Fake]
    table: str
    env: str
    owns_list: bool  # one send to the provider's list, rather than one per recipient
    verifiable: bool  # an ambiguous failure can be settled by the adapter alone
    own_link: bool = False  # the provider fills no placeholder: the digest brings its link


PROVIDERS = {
    "postmark": Provider(
        "postmark",
        Postmark,
        'recipients_file = "subscribers.txt"',
        "POSTMARK_SERVER_TOKEN",
        False,
        True,
    ),
    "sendgrid": Provider(
        "sendgrid",
        Sendgrid,
        'recipients_file = "subscribers.txt"\nasm_group_id = 42',
        "SENDGRID_API_KEY",
        False,
        False,
    ),
    "mailgun": Provider(
        "mailgun",
        Mailgun,
        'domain = "mg.example.org"\nrecipients_file = "subscribers.txt"',
        "MAILGUN_API_KEY",
        False,
        True,
    ),
    "mailgun-list": Provider(
        "mailgun",
        Mailgun,
        'domain = "mg.example.org"\nlist_address = "readers@mg.example.org"',
        "MAILGUN_API_KEY",
        True,
        True,
    ),
    "resend": Provider(
        "resend", Resend, 'recipients_file = "subscribers.txt"', "RESEND_API_KEY", False, True, True
    ),
    "resend-broadcast": Provider(
        "resend",
        Resend,
        'segment_id = "78261eea-8f8b-4381-83c6-79fa7120f1cf"',
        "RESEND_API_KEY",
        True,
        True,
    ),
    "buttondown": Provider("buttondown", Buttondown, "", "BUTTONDOWN_API_KEY", True, True),
    "listmonk": Provider(
        "listmonk", Listmonk, 'username = "api"\nlists = [1, 2]', "LISTMONK_API_TOKEN", True, True
    ),
}


def make_site(
    tmp_path: Path,
    provider: Provider,
    url: str,
    extra: str = "",
    recipients: list[str] = RECIPIENTS,
) -> Path:
    """The fixture site sending through `provider` at `url`, with the digest of 2024-W14
    rendered (once per setup: see `shared_copy`)."""

    def make(root: Path) -> None:
        copy_fixture("feedsite", root)
        config = root / "config.toml"
        link = f'unsubscribe_url = "{OWN_LINK}"\n' if provider.own_link else ""
        text = config.read_text().replace('unsubscribe_url = "*|UNSUB|*"\n', link)
        text += (
            f'\n[delivery]\ntransport = "{provider.transport}"\ntimeout = 1\nconnect_timeout = 1\n'
            f'[delivery.{provider.transport}]\napi_base = "{SERVER}"\n{provider.table}\n{extra}\n'
            f"{FAST}"
        )
        config.write_text(text)
        (root / "subscribers.txt").write_text("\n".join(recipients) + "\n")
        render(root)

    key = repr(("providers", provider, extra, recipients))
    return shared_copy(tmp_path / "site", key, make, {SERVER: url})


def render(root: Path) -> None:
    site = load_site(load_config(root / "config.toml"), now=NOW, env={})
    make_digest(site, choose_period(site.config, site.now, week="2024-W14"))


def send(root: Path, provider: Provider, **kwargs: object):  # type: ignore[no-untyped-def]
    config = load_config(root / "config.toml")
    env = {provider.env: KEY}
    return deliver(config, read_outbox(config, "2024-W14"), env=env, **kwargs)  # type: ignore[arg-type]


def exactly_once(fake: Fake, provider: Provider, recipients: list[str] = RECIPIENTS) -> None:
    if provider.owns_list:
        assert fake.broadcasts == 1, fake.broadcasts
        assert not fake.delivered
    else:
        assert dict(fake.delivered) == {r: 1 for r in recipients}


def at_most_once(fake: Fake, provider: Provider) -> None:
    if provider.owns_list:
        assert fake.broadcasts <= 1
    else:
        assert all(count == 1 for count in fake.delivered.values())


@pytest.fixture(params=list(PROVIDERS))
def provider(request: pytest.FixtureRequest) -> Provider:
    return PROVIDERS[request.param]


def test_sends_exactly_once_and_a_rerun_sends_nothing(tmp_path: Path, provider: Provider) -> None:
    fake = provider.fake()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        report = send(root, provider)
        assert report.sent
        again = send(root, provider)
        assert again.sent == [] and again.already == report.sent
    exactly_once(fake, provider)


# 429 and "slow" wait out a real second (Retry-After, the deadline) for each provider; the
# inner loop keeps one of each in test_delivery.py.
@pytest.mark.parametrize("fault", ["500", pytest.param("429", marks=pytest.mark.slow)])
def test_transient_errors_are_retried(tmp_path: Path, provider: Provider, fault: str) -> None:
    fake = provider.fake()
    fake.faults = [fault]
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        send(root, provider)
        send(root, provider)
    exactly_once(fake, provider)


@pytest.mark.parametrize("fault", ["drop", pytest.param("slow", marks=pytest.mark.slow)])
def test_an_answer_that_never_came(tmp_path: Path, provider: Provider, fault: str) -> None:
    fake = provider.fake()
    fake.faults = [fault]
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        if provider.verifiable:
            send(root, provider)
            send(root, provider)
            exactly_once(fake, provider)
            return
        for _ in range(2):  # cannot be verified: stop, never a silent second send
            with pytest.raises(DeliveryError) as caught:
                send(root, provider)
            assert caught.value.exit_code == 4
            assert "syndicate send --mark-sent 2024-W14" in (caught.value.hint or "")
    at_most_once(fake, provider)


def _env(provider: Provider) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return {**env, provider.env: KEY}


def send_and_get_killed(root: Path, fake: Fake, provider: Provider) -> None:
    """`syndicate send`, SIGKILLed by the server after it took the request, before it answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "send"],
        cwd=root,
        env=_env(provider),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    fake.victim = proc.pid
    assert proc.wait(timeout=60) == -9


@pytest.mark.slow
def test_killed_between_request_and_ledger_update(
    tmp_path: Path, provider: Provider, run_cli: RunCli
) -> None:
    fake = provider.fake()
    fake.faults = ["kill"]
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        send_and_get_killed(root, fake, provider)
        results = [run_cli("send", cwd=root, env={provider.env: KEY}) for _ in range(2)]
    if provider.verifiable:
        assert [r.returncode for r in results] == [0, 0], results[0].stderr
        exactly_once(fake, provider)
    else:
        assert [r.returncode for r in results] == [4, 4]
        assert "pending since" in results[0].stderr
        at_most_once(fake, provider)


@pytest.mark.slow
def test_mailgun_waits_for_its_lagging_event_log(tmp_path: Path, run_cli: RunCli) -> None:
    provider = PROVIDERS["mailgun"]
    fake = Mailgun()
    fake.faults = ["kill"]
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        send_and_get_killed(root, fake, provider)
        lagging, fake.events = fake.events, []  # accepted, but not in the events log yet
        early = run_cli("send", cwd=root, env={provider.env: KEY})
        assert early.returncode == 4 and "run again in 30 minutes" in early.stderr
        fake.events = lagging
        with sqlite3.connect(root / ".syndicate/state.db") as db:
            db.execute("UPDATE sends SET updated_at = '2000-01-01T00:00:00+00:00'")
        later = run_cli("send", cwd=root, env={provider.env: KEY})
        assert later.returncode == 0 and "1 confirmed from an earlier run" in later.stdout
    exactly_once(fake, provider)


@pytest.mark.slow
def test_two_runs_at_once(tmp_path: Path, provider: Provider) -> None:
    fake = provider.fake()
    fake.faults = ["slow"]
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        config = root / "config.toml"
        config.write_text(config.read_text().replace("timeout = 1\n", "timeout = 5\n"))
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "syndicate", "send"],
                cwd=root,
                env=_env(provider),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        codes = sorted(p.wait(timeout=60) for p in procs)
    assert codes == [0, 5]
    exactly_once(fake, provider)


def test_permanent_error_says_what_to_fix_and_hides_the_key(
    tmp_path: Path, provider: Provider, run_cli: RunCli
) -> None:
    fake = provider.fake()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        result = run_cli("send", cwd=root, env={provider.env: "wrong-key-123456"})
    assert result.returncode == 4, result.stderr
    assert "failed permanently" in result.stderr and "answered 40" in result.stderr
    assert "wrong-key-123456" not in result.stderr + result.stdout
    assert len([r for r in fake.requests if r["method"] != "GET"]) <= 1  # never retried


def test_dry_run_prints_the_request_with_the_key_masked(
    tmp_path: Path, provider: Provider, run_cli: RunCli
) -> None:
    fake = provider.fake()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        result = run_cli("send", "--dry-run", cwd=root, env={provider.env: KEY})
    assert result.returncode == 0, result.stderr
    assert f"{url}/" in result.stdout and "***" in result.stdout
    assert KEY not in result.stdout
    assert fake.requests == []
    assert not (root / f"outbox/2024-W14/recipients-{provider.transport}.json").exists()


def test_test_send_reaches_one_address_only(tmp_path: Path, provider: Provider) -> None:
    fake = provider.fake()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        send(root, provider, test_address="me@example.org")
    assert fake.broadcasts == 0
    if isinstance(fake, Buttondown | Listmonk):
        assert fake.test_sends == ["me@example.org"]
    else:
        assert dict(fake.delivered) == {"me@example.org": 1}


# --- provider specifics ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "limit", "requests"),
    [
        ("postmark", 500, 3),
        pytest.param("resend", 100, 13, marks=pytest.mark.slow),
        ("sendgrid", 1000, 2),
        ("mailgun", 1000, 2),
    ],
)
def test_recipients_are_chunked_within_the_provider_limits(
    tmp_path: Path, name: str, limit: int, requests: int
) -> None:
    provider = PROVIDERS[name]
    fake = provider.fake()
    many = [f"r{i:04d}@example.org" for i in range(1201)]
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url, recipients=many)
        report = send(root, provider)
    assert len(report.sent) == requests
    assert len([r for r in fake.requests if r["method"] == "POST"]) == requests
    exactly_once(fake, provider, many)


def test_a_retry_never_widens_the_audience(tmp_path: Path) -> None:
    provider = PROVIDERS["postmark"]
    fake = provider.fake()
    fake.faults = ["500"] * 10
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        with pytest.raises(DeliveryError):
            send(root, provider)
        (root / "subscribers.txt").write_text("\n".join([*RECIPIENTS, "late@example.org"]) + "\n")
        fake.faults.clear()
        send(root, provider)
    exactly_once(fake, provider)  # the newcomer gets next week's digest, not a resend of this one


@pytest.mark.parametrize("name", ["postmark", "sendgrid"])
def test_an_address_suppressed_after_the_freeze_is_never_mailed(tmp_path: Path, name: str) -> None:
    provider = PROVIDERS[name]
    fake = provider.fake()
    fake.faults = ["500"] * 10
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url, extra='suppression_file = "suppressed.txt"')
        (root / "suppressed.txt").write_text("")
        with pytest.raises(DeliveryError):
            send(root, provider)
        (root / "suppressed.txt").write_text(RECIPIENTS[0].upper() + "\n")  # unsubscribed
        fake.faults.clear()
        report = send(root, provider)
    assert report.sent == ["batch-0001"]
    exactly_once(fake, provider, RECIPIENTS[1:])


@pytest.mark.parametrize("name", ["postmark", "sendgrid"])
def test_a_retry_keeps_each_batch_when_an_earlier_batch_loses_a_reader(
    tmp_path: Path, name: str
) -> None:
    # Batches are cut from the frozen list before suppressions are removed: cut after, an
    # unsubscribe in a batch already sent would move a reader of the next one into it.
    provider = PROVIDERS[name]
    fake = provider.fake()
    many = [f"r{i:04d}@example.org" for i in range(1201)]
    with serve(fake) as url:
        root = make_site(
            tmp_path, provider, url, extra='suppression_file = "suppressed.txt"', recipients=many
        )
        (root / "suppressed.txt").write_text("")
        fake.faults = ["ok", *["500"] * 10]  # the first batch goes out, the second fails
        with pytest.raises(DeliveryError):
            send(root, provider)
        sent_first = dict(fake.delivered)
        (root / "suppressed.txt").write_text(f"{many[0]}\n")
        fake.faults.clear()
        send(root, provider)
    assert sent_first and dict(fake.delivered) == {r: 1 for r in many}


def test_buttondown_draft_mode_never_sends(tmp_path: Path) -> None:
    provider = PROVIDERS["buttondown"]
    fake = Buttondown()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url, extra="draft = true")
        send(root, provider)
    assert fake.broadcasts == 0 and fake.emails[0]["status"] == "draft"
    assert "x-buttondown-live-dangerously" not in fake.requests[0]["headers"]
    assert not fake.emails[0]["body"].startswith("---")


def test_sendgrid_puts_text_before_html_and_one_recipient_per_envelope(tmp_path: Path) -> None:
    import json

    provider = PROVIDERS["sendgrid"]
    fake = Sendgrid()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        send(root, provider)
    body = json.loads(fake.requests[0]["body"])
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert body["personalizations"] == [{"to": [{"email": r}]} for r in RECIPIENTS]
    assert body["asm"] == {"group_id": 42}
    assert "&lt;%asm_group_unsubscribe_raw_url%&gt;" not in body["content"][1]["value"]
    assert "<%asm_group_unsubscribe_raw_url%>" in body["content"][1]["value"]


def test_mailgun_eu_region_and_list_unsubscribe_placeholder(tmp_path: Path) -> None:
    provider = PROVIDERS["mailgun-list"]
    root = make_site(tmp_path, provider, "https://unused.example/", extra='region = "eu"')
    config = root / "config.toml"
    config.write_text(config.read_text().replace('api_base = "https://unused.example/"\n', ""))
    render(root)
    outcome = read_outbox(load_config(config), "2024-W14")
    assert 'href="%mailing_list_unsubscribe_url%"' in outcome.html
    result = deliver(load_config(config), outcome, env={provider.env: KEY}, dry_run=True)
    assert result.planned[0].startswith(
        "POST https://api.eu.mailgun.net/v3/mg.example.org/messages"
    )


@pytest.mark.parametrize("suffix", ["", "/api", "/api/"])
def test_listmonk_api_base_with_or_without_api(tmp_path: Path, suffix: str) -> None:
    provider = PROVIDERS["listmonk"]
    fake = Listmonk()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url + suffix)
        send(root, provider)
    assert fake.broadcasts == 1
    assert {r["path"].split("/")[1] for r in fake.requests} == {"api"}
    assert not any(r["path"].startswith("/api/api/") for r in fake.requests)


@pytest.mark.parametrize(
    ("name", "version"), [("buttondown", "/v1"), ("sendgrid", "/v3"), ("mailgun", "/v3")]
)
def test_an_api_base_given_with_its_version_is_not_doubled(
    tmp_path: Path, name: str, version: str
) -> None:
    """Providers' docs write their URLs with the version (`https://api.buttondown.com/v1`):
    such an `api_base` sent every request to `/v1/v1/emails`, which no provider answers."""
    provider = PROVIDERS[name]
    fake = provider.fake()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url + version + "/")
        send(root, provider)
    posts = [r["path"] for r in fake.requests if r["method"] == "POST"]
    assert posts and all(p.startswith(version + "/") for p in posts), posts
    assert not any(p.startswith(version + version) for p in posts)


def hostile_site(tmp_path: Path, provider: Provider, url: str, title: str) -> Path:
    root = make_site(tmp_path, provider, url)
    post = root / "content/posts/second.md"
    post.write_text(post.read_text().replace("title: Second, with an excerpt", f"title: '{title}'"))
    render(root)
    return root


def test_listmonk_go_template_syntax_in_posts_is_escaped(tmp_path: Path) -> None:
    provider = PROVIDERS["listmonk"]
    fake = Listmonk()
    with serve(fake) as url:
        root = hostile_site(tmp_path, provider, url, "Using {{ .Subscriber.Email }} safely")
        send(root, provider)  # the fake rejects a body with {{ it would evaluate
    body = fake.campaigns[0]["body"]
    assert "&#123;{ .Subscriber.Email }}" in body
    assert 'href="{{ UnsubscribeURL }}"' in body
    assert "{\u200c{ .Subscriber.Email }}" in fake.campaigns[0]["altbody"]
    assert fake.broadcasts == 1


@pytest.mark.parametrize(
    ("name", "title", "escaped"),
    [
        ("mailgun", "Hi %recipient.name%!", "&#37;recipient.name%"),
        ("postmark", "The {{{ pm:unsubscribe }}} trick", "&#123;{{ pm:unsubscribe }}}"),
        ("resend", "Hello {{{FIRST_NAME|there}}}", "&#123;{{FIRST_NAME|there}}}"),
        ("buttondown", "Django {% if x %} tags", "&#123;% if x %}"),
        ("sendgrid", "The <%asm_preferences_raw_url%> tag", "&lt;%asm_preferences_raw_url%&gt;"),
    ],
)
def test_provider_syntax_in_post_text_shows_literally(
    tmp_path: Path, name: str, title: str, escaped: str
) -> None:
    provider = PROVIDERS[name]
    root = hostile_site(tmp_path, provider, "https://unused.example/", title)
    mail = read_outbox(load_config(root / "config.toml"), "2024-W14")
    assert escaped in mail.html
    assert title not in mail.html.replace("&amp;", "&")
    assert title not in mail.text  # an invisible joiner breaks it up
    assert title.replace("\u200c", "") == title  # (the source itself is untouched)


# --- unsubscribe links and headers that work -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "table", "unfilled", "fix"),
    [
        (
            "resend",
            'recipients_file = "subscribers.txt"',
            "{{{RESEND_UNSUBSCRIBE_URL}}}",
            "delivery.resend.segment_id",
        ),
        (
            "sendgrid",
            'recipients_file = "subscribers.txt"',
            "<%asm_group_unsubscribe_raw_url%>",
            "delivery.sendgrid.asm_group_id",
        ),
        (
            "postmark",
            'recipients_file = "subscribers.txt"\nmessage_stream = "outbound"',
            "{{{ pm:unsubscribe }}}",
            "Broadcast stream",
        ),
    ],
)
def test_a_send_to_subscribers_refuses_a_placeholder_the_provider_leaves_unfilled(
    tmp_path: Path, name: str, table: str, unfilled: str, fix: str, run_cli: RunCli
) -> None:
    provider = replace(PROVIDERS[name], table=table, own_link=False)
    fake = provider.fake()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        assert unfilled in read_outbox(load_config(root / "config.toml"), "2024-W14").text
        result = run_cli("send", cwd=root, env={provider.env: KEY})
        dry = run_cli("send", "--dry-run", cwd=root, env={provider.env: KEY})
        test = run_cli("send", "--test", "me@example.org", cwd=root, env={provider.env: KEY})
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"placeholder {unfilled}, which {name} does not fill in" in result.stderr
    assert "digest.unsubscribe_url" in result.stderr and fix in result.stderr
    assert dry.returncode == 2
    assert "warning:" in test.stderr and unfilled in test.stderr  # a test only warns
    if name != "postmark":  # (the fake, set up for broadcasts, refuses the `outbound` stream)
        assert test.returncode == 0, test.stderr
    assert fake.broadcasts == 0 and set(fake.delivered) <= {"me@example.org"}


def test_resend_from_a_recipients_file_sends_the_digests_own_link_and_headers(
    tmp_path: Path,
) -> None:
    import json

    provider = PROVIDERS["resend"]
    fake = Resend()
    with serve(fake) as url:
        root = make_site(tmp_path, provider, url)
        send(root, provider)
    [batch] = [json.loads(r["body"]) for r in fake.requests if r["path"] == "/emails/batch"]
    for email_ in batch:
        assert f'href="{OWN_LINK}"' in email_["html"] and OWN_LINK in email_["text"]
        assert "RESEND_UNSUBSCRIBE_URL" not in email_["html"] + email_["text"]
        assert email_["headers"]["List-Unsubscribe"] == (
            "<https://fixture.example.net/unsubscribe/abc>, <mailto:leave@fixture.example.net>"
        )
        assert email_["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    exactly_once(fake, provider)
