"""The errors a user can cause and fix; kept light so the command line imports nothing heavy."""


class UnknownCountryError(LookupError):
    """A country name or code that neither countries.csv nor the aliases know."""


class UnknownRegionError(LookupError):
    """A region name that is no UN M49 sub-region or intermediate region of countries.csv."""


class UpstreamFormatError(Exception):
    """An upstream file is not of the shape its importer expects. Nothing was written."""


class ReportParameterError(ValueError):
    """A parameter the notebook does not declare, or years a report cannot cover."""


class MissingBrowserError(RuntimeError):
    """No Chromium to print PDFs with: found once, before any work starts."""


class OutputFolderError(OSError):
    """The reports folder cannot be written (read-only, no permission)."""


class Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the same clean-up, exit status 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(f"signal {signum}")
        self.signum = signum


from .problems import DataValidationError  # noqa: E402  (light: a dataclass and an exception)

# What the command line reports as "error: ..." with exit status 2, without a traceback.
USER_ERRORS = (UnknownCountryError, UnknownRegionError, UpstreamFormatError, ReportParameterError,
               MissingBrowserError, OutputFolderError, DataValidationError)
