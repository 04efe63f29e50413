"""The ``assistant`` command: thin wrappers over the library (index, corpus, speakers, ask, chat, serve, eval)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable

import click

from assistant.errors import AssistantError, SettingsError
from assistant.settings import Settings
from assistant.types import Answer

EXIT_USER_ERROR = 2
# Control characters a transcript could carry to the terminal (escape sequences clear the screen or
# retitle the window; bidi overrides reorder what is shown): everything but tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print to a terminal: control characters (escape codes included) removed, bad bytes replaced."""
    return _CONTROL.sub("", text).encode("utf-8", "replace").decode("utf-8")


def echo(text: str = "", err: bool = False) -> None:
    """``click.echo`` of corpus-derived text, with control characters removed."""
    click.echo(printable(text), err=err)


def _settings(files: tuple[str, ...], store: str | None) -> Settings:
    s = Settings.load(*files)
    if store:
        s.paths.store = Path(store)
    return s


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print user errors as one line and exit 2; under pytest, let them raise."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssistantError as exc:
            if os.environ.get("ASSISTANT_RAISE"):
                raise
            echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USER_ERROR)

    return wrapper


settings_option = click.option("--settings", "settings_files", multiple=True, type=click.Path(exists=True, dir_okay=False), help="TOML settings file (repeatable; later wins).")
store_option = click.option("--store", type=click.Path(file_okay=False), help="Vector store folder (default vectorstore/, or $ASSISTANT_STORE).")


@click.group()
@click.version_option(package_name="transcript-assistant")
def cli() -> None:
    """Ask who said what, when and where in political transcripts, with citations to the turns."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail on any file that cannot be indexed.")
@click.option("--rebuild", is_flag=True, help="Delete the index first and embed everything again (for a damaged store).")
@settings_option
@store_option
@_guard
def index(paths: tuple[str, ...], strict: bool, rebuild: bool, settings_files: tuple[str, ...], store: str | None) -> None:
    """Index transcripts (default: seeds/) into the vector store; only changes are embedded.

    One index run at a time per store: a second one stops at once, naming the first one's pid.
    """
    from tqdm import tqdm

    from assistant.api import Assistant

    a = Assistant(_settings(settings_files, store))
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="passage", desc="embedding", file=sys.stderr)
        bar.n = done
        bar.refresh()

    summary = a.index(
        progress=progress, strict=strict, paths=list(paths) or None, rebuild=rebuild, on_wait=lambda m: echo(m + "…", err=True),
    )
    if bar is not None:
        bar.close()
    for s in summary.skipped:
        echo(f"skipped: {s.reason}", err=True)
    click.echo(summary.line())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print documents and turns as JSON.")
@settings_option
@_guard
def corpus(paths: tuple[str, ...], as_json: bool, settings_files: tuple[str, ...]) -> None:
    """Show the parsed corpus: documents and turns with ids, speakers, roles and kinds."""
    from assistant.ingest.corpus import load_corpus

    c = load_corpus(list(paths) or Settings.load(*settings_files).paths.corpus)
    if as_json:
        echo(json.dumps({"documents": [d.to_dict() for d in c.documents], "skipped": [vars(s) for s in c.skipped]}, ensure_ascii=False, indent=1))
        return
    for d in c.documents:
        echo(f"{d.doc_id}  {d.date or '????-??-??'}  {d.title}  ({len(d.turns)} turns, {d.format})")
        for t in d.turns:
            echo(f"  #{t.n:<3} {t.kind:<9} {t.attribution}{' — ' + t.role if t.role else ''}: {t.text[:70]!r}")
    for s in c.skipped:
        echo(f"skipped: {s.reason}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_guard
def speakers(paths: tuple[str, ...], as_json: bool) -> None:
    """List people with their roles, aliases and turn counts."""
    from assistant.ingest.corpus import load_corpus

    c = load_corpus(list(paths) or Settings.load().paths.corpus)
    people = [p.to_dict() for p in c.people]
    if as_json:
        echo(json.dumps(people, ensure_ascii=False, indent=1))
        return
    for p in people:
        echo(f"{p['name']} — {p['role'] or 'no role given'} — {p['turns']} turns in {p['documents']} documents")
        echo(f"    aliases: {', '.join(p['aliases'])}")


def format_answer(ans: Answer) -> str:
    """The human-readable answer: text, then each citation with its quoted sentence."""
    lines = [ans.answer, ""]
    if ans.support_label:
        lines.insert(1, f"({ans.support_label}: confidence {ans.confidence:.2f})")
    if ans.search_question != ans.question:
        lines.insert(0, f"(searched for: {ans.search_question})\n")
    for c in ans.citations:
        role = f" ({c.role})" if c.role else ""
        lines.append(f"[{c.marker}] {c.attribution}{role} — {c.title}, {c.date or 'undated'}, {c.turn_id}")
        lines.append(f"    “{c.quote}”")
    if ans.related:
        lines.append("Related turns (not an answer):")
        for c in ans.related:
            lines.append(f"  - {c.attribution} — {c.title}, {c.date or 'undated'}, {c.turn_id}: “{c.quote[:160]}”")
    return "\n".join(lines).rstrip()


@cli.command()
@click.argument("question")
@click.option("--speaker", help="Only turns by this person (name, surname or alias).")
@click.option("--document", help="Only turns of this document id.")
@click.option("--date-from", help="Only turns on or after this date (YYYY-MM-DD).")
@click.option("--date-to", help="Only turns on or before this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON (the documented schema).")
@settings_option
@store_option
@_guard
def ask(question: str, speaker: str | None, document: str | None, date_from: str | None, date_to: str | None,
        as_json: bool, settings_files: tuple[str, ...], store: str | None) -> None:
    """Answer a question with citations to the turns (or say the transcripts don't)."""
    from assistant.api import Assistant

    a = Assistant(_settings(settings_files, store))
    a.on_wait = lambda m: echo(m + "…", err=True)
    filters = {k: v for k, v in {"speaker": speaker, "document": document, "date_from": date_from, "date_to": date_to}.items() if v is not None}
    ans = a.ask(question, filters=filters)
    echo(json.dumps(ans.to_dict(), ensure_ascii=False, indent=1) if as_json else format_answer(ans))


@cli.command()
@settings_option
@store_option
@_guard
def chat(settings_files: tuple[str, ...], store: str | None) -> None:
    """Chat in the terminal: follow-ups lean on earlier questions; /new starts over, /quit leaves."""
    from assistant.api import Assistant

    a = Assistant(_settings(settings_files, store))
    history: list[dict[str, Any]] = []
    click.echo("Ask about the transcripts. /new starts over, /quit leaves.")
    while True:
        try:
            q = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if q in ("/quit", "/exit"):
            return
        if q == "/new":
            history = []
            click.echo("(new conversation)")
            continue
        if not q:
            continue
        try:
            ans = a.ask(q, history=history)
        except AssistantError as exc:
            echo(f"error: {exc}")
            continue
        echo(format_answer(ans) + "\n")
        history += [{"role": "user", "content": q}, ans.history_message()]


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 7860).")
@click.option("--index/--no-index", "do_index", default=True, help="Bring the index up to date first (default: yes).")
@click.option("--allow-public", is_flag=True, help="Serve on a non-loopback address without a password (anyone who can reach it can read the corpus).")
@settings_option
@store_option
@_guard
def serve(host: str | None, port: int | None, do_index: bool, allow_public: bool, settings_files: tuple[str, ...], store: str | None) -> None:
    """Open the browser chat (Gradio) on 127.0.0.1:7860.

    Binding another address needs a password ($ASSISTANT_UI_PASSWORD) or --allow-public.
    """
    from assistant.api import Assistant

    s = _settings(settings_files, store)
    host = host or s.ui.host
    password = os.environ.get(s.ui.password_env) or None
    if not is_loopback(host) and not password:
        if not allow_public:
            raise SettingsError(
                f"--host {host} would serve the transcripts to anyone who can reach this machine, without a password: "
                f"set ${s.ui.password_env}, or pass --allow-public"
            )
        echo(f"WARNING: serving on {host} without a password: anyone who can reach this machine can read the corpus.", err=True)
    a = Assistant(s)
    if do_index:
        click.echo(a.index().line())
    from assistant.ui.app import serve as serve_ui

    serve_ui(a, host=host, port=port or s.ui.port, password=password)


def is_loopback(host: str) -> bool:
    """Whether an address to bind is reachable from this machine only."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _register_eval() -> None:
    try:
        from assistant.evals.run import eval_command
    except ImportError:  # pragma: no cover - evals module missing
        return
    cli.add_command(eval_command, "eval")


_register_eval()


def main() -> None:
    """Console entry point."""
    cli()
