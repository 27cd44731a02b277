"""Storyline's exceptions. The native module raises these by name, so each one can also be the
built-in exception a Python user would catch (``FileNotFoundError``, ``ValueError``,
``LookupError``). Messages are the CLI's."""


class StorylineError(Exception):
    """Every error Storyline raises; alone, the store or the pipeline failed."""


class StoreNotFoundError(StorylineError, FileNotFoundError):
    """A path to ingest, a store file or its folder does not exist."""


class InvalidInputError(StorylineError, ValueError):
    """The caller's input is malformed: a record without a body, a bad story id, a folder
    given as a store file."""


class NotFoundError(StorylineError, LookupError):
    """The store holds no such story or report."""


__all__ = ["StorylineError", "StoreNotFoundError", "InvalidInputError", "NotFoundError"]
