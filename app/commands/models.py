"""``lessonaudio models``: prepare the pinned offline voices and show their state."""

from __future__ import annotations

import typer

from app.commands.columns import table_lines
from i18n import N_, _

app = typer.Typer(help=N_("Prepare and inspect offline voice and ASR models."), no_args_is_help=True)


def _size(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


_STATUSES = {"ok": N_("ok"), "missing": N_("missing"), "corrupt": N_("corrupt")}
"""A file's state against its pin, as ``models list`` shows it."""


@app.command()
def prepare() -> None:
    """Download and convert models that are missing or corrupt; does nothing when all are ok."""
    from config import load_settings
    from models import SPECS, prepare_model
    from models.whisper import WHISPER_BASE, prepare_whisper

    settings = load_settings()
    models_dir = settings.resolved_models_dir
    for spec in (*SPECS.values(), WHISPER_BASE):  # Whisper-base: the ASR back-check
        result = (
            prepare_whisper(models_dir, log=lambda msg: typer.echo(f"  {msg}"))
            if spec is WHISPER_BASE
            else prepare_model(spec, models_dir, log=lambda msg: typer.echo(f"  {msg}"))
        )
        if result.changed:
            done = _("{model}: prepared in {folder} ({actions})")
            typer.echo(
                done.format(model=spec.name, folder=result.directory, actions="; ".join(result.actions))
            )
        else:
            done = _("{model}: already prepared in {folder}, nothing to do")
            typer.echo(done.format(model=spec.name, folder=result.directory))


@app.command("list")
def list_models() -> None:
    """Show each model file with its size, sha256 and status (ok / missing / corrupt)."""
    from config import load_settings
    from models import SPECS, model_status
    from models.whisper import WHISPER_BASE

    settings = load_settings()
    models_dir = settings.resolved_models_dir
    typer.echo(_("models dir: {folder}").format(folder=models_dir))
    header = (_("model"), _("file"), _("size"), "sha256", _("status"))
    rows: list[tuple[str, ...]] = []
    ready = True
    for spec in (*SPECS.values(), WHISPER_BASE):
        state = model_status(models_dir, spec)
        ready = ready and state.status == "ok"
        for f in state.files:
            digest = (f.sha256 or f.expected_sha256)[:16] + ("" if f.sha256 else " " + _("(pinned)"))
            rows.append((spec.name, f.name, _size(f.size), digest, _(_STATUSES[f.status])))
    for line in table_lines((header, *rows)):
        typer.echo(line)
    if not ready:
        typer.echo(_("some models are not ready: run `lessonaudio models prepare`"))
