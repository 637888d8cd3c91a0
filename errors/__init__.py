"""The project's exceptions: one tree, so callers catch by what a user can do about a failure.

Every exception lessonaudio raises on purpose derives from :class:`LessonaudioError`, through one of
four kinds that say what helps. A layer raises its own subclass with a message that names the thing
and the fix, so a caller that shows errors to people can catch the root and show the message as it
is: anything else that escapes is a bug.

    LessonaudioError
    ├── InputError: what a user wrote or set is wrong; fixing it is the fix
    │   ├── SpecError (lesson_specs): a script, with every diagnostic found
    │   ├── RoundTripError, EditError (lesson_specs.roundtrip): a script the editor cannot read or
    │   │   write back, or an edit it cannot take
    │   ├── LexiconUnavailable (lesson_specs.course_lexicon)
    │   ├── PinyinError, DurationError, TermTableError (text_frontend)
    │   ├── SettingsError (config): a bad LESSONAUDIO_* variable
    │   ├── DatabaseUrlError (storage.db): also a CatalogUnavailable
    │   ├── PublishInputError, InboxError (storage)
    │   ├── ScheduleError (flows.deployments)
    │   ├── SayInputError (app.commands.say)
    │   └── TokenError, TargetRefused, DeploymentUnavailable (web)
    ├── NotFoundError: a named thing does not exist
    │   ├── CatalogError, CatalogMissing (storage.catalog)
    │   └── UnknownPool (flows.warm_runs): a work pool the server does not have
    ├── UnavailableError: something the work needs cannot be reached now; start it, free it, retry
    │   ├── CatalogUnavailable (storage.db)
    │   ├── ObjectStoreError, ChecksumMismatch, ObjectExists (storage.objects)
    │   ├── InboxAccessError (storage.inbox_files)
    │   ├── ModelError: ModelMissingError, ModelCorruptError, ModelPrepareError (models)
    │   ├── EngineUnavailableError (engines): also an EngineError
    │   ├── WriteError (audio.export): also an OSError
    │   └── PrefectServerError (app.prefect_server)
    └── WorkFailedError: the work itself failed; the message says which paragraph or file
        ├── EngineError (engines): UnknownVoiceError, UnknownEmotionError, UnsupportedPinyinError,
        │   RemoteTTSError, VoiceFailedError (FramesOverLimitError)
        ├── SynthesisError, AssemblyError, PublishFailed (tasks)
        ├── RenderError (flows.synthesis)
        ├── RecognizerError (asr)
        ├── Mp3Error (audio.mp3)
        └── QAReportError, SnippetError (qa)

Private exceptions used for control flow inside one module (their names start with ``_``) never
leave it and stay outside the tree.

The kinds become exit codes in one place, ``app.exit_codes``, and HTTP statuses in one place,
``web.errors``; commands and routes let these exceptions propagate there.
"""

from __future__ import annotations

__all__ = ["InputError", "LessonaudioError", "NotFoundError", "UnavailableError", "WorkFailedError"]


class LessonaudioError(Exception):
    """Raised on purpose by lessonaudio; anything else reaching a user is a bug."""


class InputError(LessonaudioError):
    """What a user wrote or set is wrong; the message says where and how to fix it."""


class NotFoundError(LessonaudioError):
    """A thing named by the user (a render id, a file) does not exist."""


class UnavailableError(LessonaudioError):
    """Something the work needs (a database, a bucket, a model, a disk) cannot be used right now."""


class WorkFailedError(LessonaudioError):
    """The work itself failed although its input was accepted (the voice, assembly, a check)."""
