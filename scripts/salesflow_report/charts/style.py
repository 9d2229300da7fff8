"""Colours, fonts and the Canvas every chart draws on.

A chart is drawn once for the page (a PNG, 110 dpi) and once for the presentation
(an SVG with text kept as text, figure 16 x 8.4 in, type large enough that axis labels
are at least 24 px on a 1920 x 1080 screen). All text sizes in the plot functions are
relative ("small", "medium", "large"), so both follow the mode's base size.
"""
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PALETTE = ["#1f6fb4", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac"]
GOOD, BAD, NEUTRAL, CHANGED, INK = "#2e7d32", "#c62828", "#8a8a8a", "#1f6fb4", "#222222"
OUTCOME_COLOURS = {"won": GOOD, "lost": "#e15759", "disqualified": "#9e9e9e", "abandoned": "#f28e2b"}

PAGE_RC = {"figure.dpi": 110, "savefig.dpi": 110, "font.size": 11, "axes.titlesize": "large",
           "axes.labelsize": "medium", "xtick.labelsize": "medium", "ytick.labelsize": "medium",
           "legend.fontsize": "small", "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
           "grid.alpha": 0.3, "legend.frameon": False, "svg.fonttype": "none", "svg.hashsalt": "salesflow"}
PRESENT_RC = dict(PAGE_RC, **{"font.size": 22, "legend.fontsize": "small", "lines.linewidth": 2.5,
                              "lines.markersize": 10})
PRESENT_SIZE = (16.0, 8.4)


class Canvas:
    """Makes figures for one chart in one mode ("page" or "present") and keeps the
    result: `png` bytes or `svg` text."""

    def __init__(self, mode="page"):
        self.mode = mode
        self.png = None
        self.svg = None
        self.info = {}  # what the plot wants known about the chart (scales), for tests

    @property
    def present(self):
        return self.mode == "present"

    def subplots(self, nrows=1, ncols=1, size=(9, 5), **kw):
        figsize = PRESENT_SIZE if self.present else size
        return plt.subplots(nrows, ncols, figsize=figsize, **kw)

    def save(self, fig, tight=True):
        if tight:
            fig.tight_layout()
        if self.present:
            buf = io.StringIO()
            fig.savefig(buf, format="svg", bbox_inches="tight")
            self.svg = clean_svg(buf.getvalue())
        else:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
            self.png = buf.getvalue()
        plt.close(fig)


def clean_svg(svg):
    """An SVG document as markup to inline in HTML: no XML prolog or doctype."""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    return svg.strip()


def draw(plot, *args, mode="page", **kw):
    """Runs plot(canvas, *args, **kw) under the mode's style; returns the canvas."""
    c = Canvas(mode)
    with plt.rc_context(PRESENT_RC if mode == "present" else PAGE_RC):
        plot(c, *args, **kw)
    return c


def shade_warmup(ax, warmup_w):
    if warmup_w > 0:
        ax.axvspan(0, warmup_w, color="#000000", alpha=0.06, lw=0)
        ax.text(warmup_w / 2, 0.98, "warm-up\n(not measured)", transform=ax.get_xaxis_transform(),
                ha="center", va="top", fontsize="small", color="#555555")


def money_axis(ax, display, axis="y"):
    """Tick labels of a money axis as 50 k, 1.2 M."""
    if getattr(display, "kind", "") != "money":
        return
    from matplotlib.ticker import FuncFormatter

    from ..units import fmt_money
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(lambda v, _: fmt_money(v)))
