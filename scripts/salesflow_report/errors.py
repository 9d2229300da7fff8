"""The one exception the package raises for an unusable results file."""


class InputError(Exception):
    """The results file cannot be used: not HDF5, not a salesflow results file, or a
    group or table lacks what the layout of docs/results-format.md promises. The
    command line prints it as `report.py: FILE: message` and exits 2."""


class ArgumentError(Exception):
    """An option does not fit the results file (an --x PATH the sweep does not vary, a
    --replication the run does not have): the command line prints `report.py: message`
    (the message starts with the option) and exits 2; nothing is written."""
