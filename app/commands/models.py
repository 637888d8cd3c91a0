"""``lessonaudio models``: prepare the pinned offline voices and show their state."""

from __future__ import annotations

import typer

app = typer.Typer(help="Prepare and inspect offline voice and ASR models.", no_args_is_help=True)


def _size(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


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
            typer.echo(f"{spec.name}: prepared in {result.directory} ({'; '.join(result.actions)})")
        else:
            typer.echo(f"{spec.name}: already prepared in {result.directory}, nothing to do")


@app.command("list")
def list_models() -> None:
    """Show each model file with its size, sha256 and status (ok / missing / corrupt)."""
    from config import load_settings
    from models import SPECS, model_status
    from models.whisper import WHISPER_BASE

    settings = load_settings()
    models_dir = settings.resolved_models_dir
    typer.echo(f"models dir: {models_dir}")
    header = ("model", "file", "size", "sha256", "status")
    rows: list[tuple[str, ...]] = []
    for spec in (*SPECS.values(), WHISPER_BASE):
        state = model_status(models_dir, spec)
        for f in state.files:
            digest = (f.sha256 or f.expected_sha256)[:16] + ("" if f.sha256 else " (pinned)")
            rows.append((spec.name, f.name, _size(f.size), digest, f.status))
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if any(r[4] != "ok" for r in rows):
        typer.echo("some models are not ready: run `lessonaudio models prepare`")
