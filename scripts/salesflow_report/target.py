"""Checks of a file a script is about to replace (export_xlsx.py's workbook, the CSV files
of export_csv.py), as salesflow checks its results files (docs/limits.md): never a
device, FIFO, socket or folder, never a write-protected file, never the results file
being read. They replaced /dev/null (as root), a FIFO or the input itself."""
import os
import stat


class TargetError(Exception):
    """The output named cannot be replaced; the scripts print `SCRIPT: -o NAME: reason`
    and exit 2, writing nothing."""


def check_target(dest, inputs=()):
    """TargetError when `dest` exists and is not a regular file (after symbolic links),
    is write-protected, or is one of `inputs` (compared by device and inode)."""
    try:
        st = os.stat(dest)
    except FileNotFoundError:
        return
    except OSError as e:
        raise TargetError(f"cannot be examined ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise TargetError("is a folder, not a file name")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a character device" if stat.S_ISCHR(st.st_mode) else "a block device" if stat.S_ISBLK(st.st_mode)
                else "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "not a regular file")
        raise TargetError(f"is {kind}, not a regular file: refusing to replace it")
    for p in inputs:
        try:
            if os.path.samefile(p, dest):
                raise TargetError(f"is the results file being read ({p}): refusing to overwrite it")
        except OSError:
            pass
    if not os.access(dest, os.W_OK) or not (st.st_mode & 0o222):
        raise TargetError("is write-protected: refusing to replace it (remove it or make it writable first)")


def umask_mode():
    """The mode a new file gets (0666 less the umask): mkstemp's files are 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
