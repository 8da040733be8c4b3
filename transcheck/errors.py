"""Domain errors. Each message names the file or value at fault and says how to fix it."""


class TranscheckError(Exception):
    """Base class: the CLI turns any of these into one `Error: ...` line and exit status 2."""


class InputError(TranscheckError):
    """A user-supplied file is missing, unreadable or of the wrong kind."""


class AudioError(InputError):
    """The recording cannot be decoded or holds no usable audio."""


class OfficialTextError(InputError):
    """The official transcript cannot be read or holds no words."""


class ModelError(TranscheckError):
    """The recognition model is missing, damaged or cannot be loaded."""


class OutputError(TranscheckError):
    """An output path cannot be written safely."""


class PairingError(TranscheckError):
    """The recording and the transcript share too little to be the same briefing."""
