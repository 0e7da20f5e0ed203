#!/usr/bin/python3
"""Checks or strips the outputs of committed notebooks (Recurrent4j stores notebooks without outputs).

    nbclean.py check NOTEBOOK...   exit 1 and name every notebook (and cell) that has outputs
    nbclean.py strip NOTEBOOK...   remove outputs, execution counts and execution metadata, in place

"Clean" means: every code cell has no outputs and execution_count null, and no cell carries the
"execution" timing metadata that nbclient adds. Stripping also drops the kernel's JDK version from the
notebook's language_info. The check also rejects `import java.util.*;` (it hides display() in rapaio 3.0.1).
Uses Debian's python3-nbformat (run with /usr/bin/python3).
"""
import os
import re
import sys
import tempfile

import nbformat


def dirty_cells(nb):
    """Returns (index, reason) for every cell that is not clean."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell.get("outputs"):
                found.append((i, "%d output(s)" % len(cell.outputs)))
            if cell.get("execution_count") is not None:
                found.append((i, "execution_count %s" % cell.execution_count))
        if "execution" in cell.get("metadata", {}):
            found.append((i, "execution metadata"))
    return found


def hidden_display_cells(nb):
    """Cells that import java.util.*: in rapaio-jupyter-kernel 3.0.1 that hides the kernel's display(...)."""
    return [i for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and re.search(r"^\s*import\s+java\.util\.\*\s*;", cell.source, re.M)]


def strip(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.get("language_info", {}).pop("version", None)   # the JDK of whoever ran it last
    return nb


def write_atomically(nb, path):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".nbclean-", suffix=".ipynb", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.chmod(tmp, os.stat(path).st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv):
    if len(argv) < 3 or argv[1] not in ("check", "strip"):
        sys.stderr.write("usage: nbclean.py check|strip NOTEBOOK...\n")
        return 2
    command, paths = argv[1], argv[2:]
    failed = False
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if command == "strip":
            if dirty_cells(nb):
                write_atomically(strip(nb), path)
                print("stripped outputs: %s" % path)
        else:
            dirty = dirty_cells(nb)
            if dirty:
                cells = sorted({index for index, _ in dirty})
                sys.stderr.write("%s: cells %s have outputs or execution counts (first: cell %d, %s); committed "
                                 "notebooks are stored without outputs, strip them with: notebooks/run-notebooks.sh "
                                 "--strip\n" % (path, ", ".join(map(str, cells)), dirty[0][0], dirty[0][1]))
                failed = True
            for index in hidden_display_cells(nb):
                sys.stderr.write("%s: cell %d imports java.util.*, which hides display(...) in rapaio-jupyter-kernel "
                                 "3.0.1; the kernel already imports java.util.*, remove the line\n" % (path, index))
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
