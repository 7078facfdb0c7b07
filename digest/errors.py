"""The library's own exceptions. The command line turns each into a one-line message."""


class DigestError(Exception):
    """Something the user can fix: the message says what went wrong and what to do next."""


class ConfigError(DigestError):
    """The configuration file or a command-line setting is invalid."""


class InputError(DigestError):
    """No usable article could be read, or a source failed under --strict."""


class SourcesFailedError(InputError):
    """No article was read because every source failed; the message has a line for each."""


class NothingNewError(InputError):
    """The sources were read, and no article in them is news for this day.

    ``read`` is how many articles were read: 0 when the sources held none.
    """

    def __init__(self, message: str, read: int = 0) -> None:
        super().__init__(message)
        self.read = read


class EmptyDigestError(DigestError):
    """The digest would hold no sentence: nothing is written or published."""


class TemplateError(DigestError):
    """A template is missing or does not render."""


class OutputError(DigestError):
    """An output file could not be written."""
