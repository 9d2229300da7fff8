"""An index across several reports (the workshop demos): DIR/index.html links every
report and its presentation, with each report's answer and one chart; DIR/present.html
shows that chart of every report, one per screen, for a projector (docs/report.md,
"An index across reports").

The reports are folders written by report.py under DIR. What is shown of each is read
back from its own pages: the answer paragraph and the figures of its index.html (the
`alt` text of a figure is its chart's title) and the slides of its present.html (the
inline SVG of each chart with its title). Nothing else is needed.
"""
import os
import re
import tempfile
from html.parser import HTMLParser

from .page import CSS, esc, present_page


class IndexBuildError(Exception):
    """The index cannot be written (exit 2)."""


class _ReportPage(HTMLParser):
    """The title, the first answer paragraph (text) and the figures (src, alt) of a
    report's index.html."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.answer, self.figures = "", "", []
        self._in_title, self._in_answer = False, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "p" and "answer" in (a.get("class") or "").split() and not self.answer:
            self._in_answer = 1
        elif self._in_answer:
            self._in_answer += 1
        if tag == "img" and a.get("src"):
            self.figures.append((a["src"], a.get("alt") or ""))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif self._in_answer:
            self._in_answer -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_answer:
            self.answer += data


SLIDE = re.compile(r'<section class="slide" id="s\d+"><h2>(.*?)</h2><div class="chart">(.*?)</div><nav>', re.S)


# A page of report.py is at most a few MB; a larger file is not one (and is not read).
MAX_PAGE_BYTES = 64 << 20


def _read_page(path):
    """The text of a report page; IndexBuildError when it is too large or not UTF-8 (a
    foreign or damaged file: it ended in a UnicodeDecodeError traceback, exit 1)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise IndexBuildError(f"{path}: larger than {MAX_PAGE_BYTES >> 20} MiB: not a page of report.py")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IndexBuildError(f"{path}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}): not a page "
                              "of report.py") from None


def read_report(folder):
    """What the index shows of one report folder: {"title", "answer", "figures": [(src,
    alt)], "slides": [(title, svg)]}; None when the folder has no index.html."""
    page = os.path.join(folder, "index.html")
    if not os.path.isfile(page):
        return None
    p = _ReportPage()
    p.feed(_read_page(page))
    slides = []
    pres = os.path.join(folder, "present.html")
    if os.path.isfile(pres):
        import html
        slides = [(html.unescape(t), svg) for t, svg in SLIDE.findall(_read_page(pres))]
    return {"title": " ".join(p.title.split()), "answer": " ".join(p.answer.split()), "figures": p.figures,
            "slides": slides}


def pick(items, wanted, key):
    """The first item whose key contains `wanted` (case-insensitive), else the first."""
    if wanted:
        for it in items:
            if wanted.lower() in key(it).lower():
                return it
    return items[0] if items else None


def index_data(outdir, demos):
    """One dict per demo (folder relative to outdir, title, chart wanted): folder,
    title, built (the report exists), answer, report_title, figure (src relative to
    outdir, alt) and slide ((title, svg)) of the chosen chart, present (the folder has
    present.html)."""
    out = []
    for d in demos:
        folder, title = d[0], d[1]
        wanted = d[2] if len(d) > 2 else None
        rep = read_report(os.path.join(outdir, folder))
        row = {"folder": folder, "title": title, "built": rep is not None, "answer": "", "report_title": "",
               "figure": None, "slide": None, "present": os.path.isfile(os.path.join(outdir, folder, "present.html"))}
        if rep:
            fig = pick(rep["figures"], wanted, lambda x: x[1])
            sl = pick(rep["slides"], wanted, lambda x: x[0])
            row.update(answer=rep["answer"], report_title=rep["title"],
                       figure=(f"{folder}/{fig[0]}", fig[1]) if fig else None, slide=sl)
        out.append(row)
    return out


def render_index(title, rows, present_link):
    parts = [f"<h1>{esc(title)}</h1>"]
    if present_link:
        parts.append(f'<p class="meta"><a href="{esc(present_link)}">Presentation mode</a>: one chart per demo, one '
                     "per screen, large type; Page Down, Space or the arrow keys move between them.</p>")
    parts.append("<ul>" + "".join(f'<li><a href="#d{i}">{esc(r["title"])}</a></li>' for i, r in enumerate(rows, 1))
                 + "</ul>")
    for i, r in enumerate(rows, 1):
        parts.append(f'<h2 id="d{i}">{esc(r["title"])}</h2>')
        if not r["built"]:
            parts.append(f'<p class="note">No report in {esc(r["folder"])}/ (run the demo with its report).</p>')
            continue
        links = [f'<a href="{esc(r["folder"])}/index.html">the full report</a>']
        if r["present"]:
            links.append(f'<a href="{esc(r["folder"])}/present.html">its slides</a>')
        if r["report_title"]:
            parts.append(f'<p class="meta">{esc(r["report_title"])}: ' + ", ".join(links) + ".</p>")
        else:
            parts.append('<p class="meta">' + ", ".join(links) + ".</p>")
        if r["answer"]:
            parts.append(f'<p class="answer">{esc(r["answer"])}</p>')
        if r["figure"]:
            src, alt = r["figure"]
            parts.append(f'<figure><a href="{esc(r["folder"])}/index.html"><img src="{esc(src)}" alt="{esc(alt)}">'
                         f"</a><figcaption>{esc(alt)}</figcaption></figure>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(parts)
            + "\n</body>\n</html>\n")


def _write(path, textual):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.tmp-", dir=d)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(textual)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build_index(outdir, demos, title="Workshop demos", present=True):
    """Writes outdir/present.html (unless present is False or no demo has a slide) and
    outdir/index.html, each to a temporary file renamed into place; returns the file
    names written, index.html last. demos: (folder, title[, chart]) with folder
    relative to outdir and chart a text the chosen chart's title contains (default:
    the report's first chart)."""
    if not os.path.isdir(outdir):
        raise IndexBuildError(f"{outdir}: not a folder")
    for d in demos:
        if os.path.isabs(d[0]) or ".." in d[0].replace("\\", "/").split("/"):
            raise IndexBuildError(f"{d[0]}: a report folder must be inside {outdir}")
    rows = index_data(outdir, demos)
    files = []
    slides = []
    for r in rows:
        if r["slide"]:
            t, svg = r["slide"]
            slides.append((f"{r['title']}: {t}", svg, [(f"{r['folder']}/present.html", "this demo's slides"),
                                                      (f"{r['folder']}/index.html", "its report")]))
    link = None
    if present and slides:
        link = "present.html"
        _write(os.path.join(outdir, link), present_page(title, "One chart per demo; the links under each open the "
                                                               "demo's own slides and report.", slides,
                                                  back_words="the index"))
        files.append(link)
    _write(os.path.join(outdir, "index.html"), render_index(title, rows, link))
    files.append("index.html")
    return files
