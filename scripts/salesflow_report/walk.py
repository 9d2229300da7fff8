"""The walk over a results file shared by the exports (export_csv.py, export_xlsx.py):
every table in the file's order, every attribute, and a table read in slices.

A table is a one-dimensional compound dataset (reading.is_table); any other dataset is
reported by `non_tables` and skipped by the exports.
"""
import json

import h5py
import numpy as np
import pandas as pd

from .reading import decode_frame, is_table


def tables(f):
    """Paths of every table in the file (`/runs/x/summary`), in the file's order (groups
    keep creation order), depth first."""
    out = []

    def walk(g):
        for _, obj in g.items():
            if is_table(obj):
                out.append(obj.name)
            elif isinstance(obj, h5py.Group):
                walk(obj)

    walk(f)
    return out


def non_tables(f):
    """(path, shape, dtype) of every dataset that is not a table."""
    out = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and not is_table(obj):
            out.append((f"/{name}", obj.shape, obj.dtype))

    f.visititems(visit)
    return out


def attr_value(v):
    """An attribute as one cell: text as is, numbers as numbers, arrays as a JSON list."""
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray):
        if v.shape == ():
            return attr_value(v[()])
        return json.dumps([attr_value(x) for x in v.ravel().tolist()], ensure_ascii=False)
    if isinstance(v, np.generic):
        return v.item()
    return v


def attributes(f):
    """(path, name, value) for every attribute of the file, its groups and datasets."""
    rows = [("/", k, attr_value(f.attrs[k])) for k in f.attrs]

    def walk(g):
        for _, obj in g.items():
            rows.extend((obj.name, k, attr_value(obj.attrs[k])) for k in obj.attrs)
            if isinstance(obj, h5py.Group):
                walk(obj)

    walk(f)
    return rows


def table_slices(ds, rows, start=0, end=None):
    """The rows [start, end) of a table as DataFrames of at most `rows` rows, text
    decoded; never the whole table in memory at once."""
    end = ds.shape[0] if end is None else min(end, ds.shape[0])
    for s0 in range(start, end, rows):
        yield decode_frame(pd.DataFrame(ds[s0:min(end, s0 + rows)]))
