"""matplotlib in one place: figures → SVG for pages (text kept as text, so the browser renders
the Chinese with its own fonts) and PNG for exports (with Noto Sans CJK SC, shipped by the
`mplfonts` package, so the labels never come out as boxes).

    fig, ax = new_figure()
    ax.bar(...)
    svg = to_svg(fig)       # str, for an <img src> endpoint or inline use
    png = to_png(fig)       # bytes, for downloads and XLSX

Use the Agg backend only (no display); figures are closed after rendering.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib costs ~0.5 s to import: only a chart loads it, never the CLI's start
    from matplotlib.figure import Figure

# Colours of the UI (app.css) for consistent charts.
RED = "#b3261e"
BLUE = "#1d5fa8"
GREEN = "#1e7b3c"
AMBER = "#a35c00"
GREY = "#8a929c"
CJK_FAMILY = "Noto Sans CJK SC"


@lru_cache(maxsize=1)
def _matplotlib():
    """matplotlib on the Agg backend (no display), imported on the first chart."""
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


def _font_manager():
    _matplotlib()
    from matplotlib import font_manager

    return font_manager


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """The CJK font file the install brings (mplfonts), else one from the system."""
    try:
        import mplfonts

        path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if path.is_file():
            return str(path)
    except ImportError:
        pass
    for candidate in _font_manager().findSystemFonts():
        if "NotoSansCJK" in candidate or "wqy" in candidate.lower():
            return candidate
    return None


@lru_cache(maxsize=1)
def _register_font() -> str:
    path = cjk_font_path()
    font_manager = _font_manager()
    if path:
        font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path).get_name()
    return "sans-serif"


def new_figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, object]:
    """A figure with one axes, set up for Chinese labels."""
    family = _register_font()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for item in (ax.title, ax.xaxis.label, ax.yaxis.label):
        item.set_fontfamily(family)
    fig.set_facecolor("white")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _apply_family(fig: Figure, family: str) -> None:
    for text in fig.findobj(match=lambda o: hasattr(o, "set_fontfamily")):
        text.set_fontfamily([family, "DejaVu Sans"])


def to_svg(fig: Figure) -> str:
    """SVG with text as <text> elements (svg.fonttype none): the browser draws the Chinese."""
    family = _register_font()
    _apply_family(fig, family)
    buffer = io.StringIO()
    with _matplotlib().rc_context({"svg.fonttype": "none", "svg.hashsalt": "govsvc"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    """PNG with the CJK font embedded in the pixels (exports, XLSX)."""
    family = _register_font()
    _apply_family(fig, family)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def svg_response(svg: str):
    """An SVG for <img src=…>; its own CSP lets matplotlib's inline styles apply, nothing runs."""
    from flask import Response

    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CSP
    return response
