"""The HTML pages: index.html (the report) and present.html (one chart per screen).

Every value written into a page goes through `esc` (HTML-escaped, quotes included);
markup is only ever built here from escaped parts. Chart file names come from
`Names.file`, which keeps them unique within the report (scenarios `a` and `_a` get
different files), and anchors from `Names.anchor`.
"""
import hashlib
import html
import re

CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: .2em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
h3 { margin-top: 1.6em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
th, td { padding: .25em .7em; border-bottom: 1px solid #e3e3e3; text-align: right; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #444; max-width: 900px; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .4em .8em; margin: .8em 0; }
.meta { color: #555; font-size: .92em; }
.answer { font-size: 1.25em; background: #eef6ee; border-left: 5px solid #2e7d32; padding: .6em 1em; }
.answer.unsure { background: #f4f4f4; border-left-color: #8a8a8a; }
.better { color: #2e7d32; font-weight: 600; } .worse { color: #c62828; font-weight: 600; }
.changed { color: inherit; } .nodiff { color: #777; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: .85em; }
details { margin: .8em 0; } summary { cursor: pointer; color: #1f4f8b; }
"""

PRESENT_CSS = """
html { scroll-snap-type: y mandatory; }
body { margin: 0; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; background: #fff; }
section.slide { height: 100vh; box-sizing: border-box; scroll-snap-align: start; padding: 1.5vh 2vw;
                display: flex; flex-direction: column; align-items: center; }
section.slide h2 { font-size: 40px; margin: 0 0 .3em 0; }
section.slide .chart { flex: 1; display: flex; align-items: center; justify-content: center; min-height: 0; }
section.slide svg { height: 82vh; width: auto; max-width: 96vw; }
section.slide nav { font-size: 24px; color: #555; }
section.slide nav a { color: #1f4f8b; margin: 0 1em; }
section.title { justify-content: center; }
section.title h1 { font-size: 64px; } section.title p { font-size: 32px; max-width: 70vw; text-align: center; }
section.title ol { font-size: 30px; }
"""


def esc(s):
    return html.escape(str(s), quote=True)


def slug(s):
    return re.sub(r"[^A-Za-z0-9_-]+", "_", str(s)).strip("_") or "x"


class Names:
    """Unique, readable names: the slug of the text, and when the slug differs from the
    text or is taken already, a short hash of the exact text (then a counter)."""

    def __init__(self):
        self.taken = set()

    def _unique(self, base, exact, suffix=""):
        cand = base + suffix
        if cand.lower() in self.taken:
            h = hashlib.sha1(exact.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
            cand = f"{base}-{h}{suffix}"
            i = 2
            while cand.lower() in self.taken:
                cand = f"{base}-{h}-{i}{suffix}"
                i += 1
        self.taken.add(cand.lower())
        return cand

    def file(self, prefix, name, kind, ext):
        """PREFIX-NAME[-KIND].EXT; NAME is the slug of the name, followed by a hash of
        the exact name when characters were replaced or the file name is taken already
        (compared without case: a zipped report may land on a case-insensitive disk)."""
        s = slug(name)
        tail = (f"-{kind}" if kind else "") + "." + ext

        def cand(n):
            return f"{prefix}-{n}{tail}"
        if s != str(name) or cand(s).lower() in self.taken:
            s = f"{s}-{hashlib.sha1(str(name).encode('utf-8', errors='surrogatepass')).hexdigest()[:8]}"
        base, i = s, 2
        while cand(s).lower() in self.taken:
            s = f"{base}-{i}"
            i += 1
        self.taken.add(cand(s).lower())
        return cand(s)

    def anchor(self, prefix, name):
        return self._unique(f"{prefix}-{slug(name)}", f"{prefix}\0{name}")


class Page:
    """The report page: a title, a lead paragraph, the table of contents and sections."""

    def __init__(self, title):
        self.title = title
        self.lead = []
        self.parts = []
        self.toc = []
        self.footer = []

    def add(self, markup):
        self.parts.append(markup)

    def h2(self, text, anchor):
        self.toc.append((anchor, text))
        self.add(f'<h2 id="{esc(anchor)}">{esc(text)}</h2>')

    def h3(self, text):
        self.add(f"<h3>{esc(text)}</h3>")

    def p(self, text, cls=None):
        self.add(f'<p class="{esc(cls)}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>")

    def note(self, text):
        self.add(f'<p class="note">{esc(text)}</p>')

    def figure(self, src, alt, caption):
        self.add(f'<figure><img src="{esc(src)}" alt="{esc(alt)}"><figcaption>{esc(caption)}</figcaption></figure>')

    def render(self, present_link=None):
        toc = "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in self.toc)
        pres = (f'<p class="meta"><a href="{esc(present_link)}">Presentation mode</a>: one chart per screen, '
                "large type; Page Down, Space or the arrow keys move between charts.</p>") if present_link else ""
        return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                f"<title>{esc(self.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
                f"<h1>{esc(self.title)}</h1>\n" + "\n".join(self.lead) + pres + f"\n<ul>{toc}</ul>\n"
                + "\n".join(self.parts) + "\n" + "\n".join(self.footer) + "\n</body>\n</html>\n")


def table(headers, rows, left=1):
    """rows: lists of cells; a cell is text (escaped here) or Raw markup. The first
    `left` columns are left-aligned."""
    th = "".join(f'<th class="l">{esc(h)}</th>' if i < left else f"<th>{esc(h)}</th>" for i, h in enumerate(headers))
    body = []
    for r in rows:
        tds = "".join((f'<td class="l">{cell(c)}</td>' if i < left else f"<td>{cell(c)}</td>") for i, c in enumerate(r))
        body.append(f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class Raw(str):
    """Markup built from escaped parts."""


def cell(c):
    return c if isinstance(c, Raw) else esc(c)


def span(cls, text):
    return Raw(f'<span class="{esc(cls)}">{esc(text)}</span>')


def present_page(title, subtitle, slides, back="index.html", back_words="full report"):
    """present.html: a title screen listing the charts, then one chart per screen. No
    script: the page snaps to whole screens, so Page Down, Space and the arrow keys move
    one chart; each screen also links to the previous and next one. slides: (title,
    svg) or (title, svg, [(href, words), ...]) for further links under the chart."""
    n = len(slides)
    items = "".join(f'<li><a href="#s{i + 1}">{esc(sl[0])}</a></li>' for i, sl in enumerate(slides))
    out = [f'<section class="slide title" id="s0"><h1>{esc(title)}</h1><p>{esc(subtitle)}</p><ol>{items}</ol>'
           f'<nav><a href="{esc(back)}">{esc(back_words)}</a>' + (f'<a href="#s1">next</a>' if n else "") + "</nav></section>"]
    for i, sl in enumerate(slides, start=1):
        t, svg = sl[0], sl[1]
        extra = "".join(f'<a href="{esc(h)}">{esc(w)}</a>' for h, w in (sl[2] if len(sl) > 2 else ()))
        nav = f'<a href="#s{i - 1}">previous</a>' + (f'<a href="#s{i + 1}">next</a>' if i < n else "") + extra + \
              f'<a href="{esc(back)}">{esc(back_words)}</a>'
        out.append(f'<section class="slide" id="s{i}"><h2>{esc(t)}</h2><div class="chart">{svg}</div>'
                   f"<nav>{i} / {n} {nav}</nav></section>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(title)} (presentation)</title>\n<style>{PRESENT_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(out) + "\n</body>\n</html>\n")
