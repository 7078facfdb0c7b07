"""The library's own exceptions. The command line turns each into a one-line message."""


class DigestError(Exception):
    """Something the user can fix: the message says what went wrong and what to do next."""


class ConfigError(DigestError):
    """The configuration file or a command-line setting is invalid."""


class InputError(DigestError):
    """No usable article could be read, or a source failed under --strict."""


class NothingNewError(InputError):
    """Every article was served on an earlier day: there is no news for this one."""


class TemplateError(DigestError):
    """A template is missing or does not render."""


class OutputError(DigestError):
    """An output file could not be written."""
