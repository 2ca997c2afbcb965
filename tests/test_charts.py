"""Charts: SVG keeps Chinese as text; PNG renders it with the shipped CJK font (no boxes)."""
import io

import numpy as np
from matplotlib import font_manager
from PIL import Image

from govsvc.charts import cjk_font_path, new_figure, to_png, to_svg


def _figure():
    fig, ax = new_figure(4, 2)
    ax.bar(["市场监管局", "税务局"], [92.5, 88.1])
    ax.set_title("满意度得分")
    return fig


def test_svg_keeps_chinese_as_text():
    svg = to_svg(_figure())
    assert "市场监管局" in svg and "满意度得分" in svg and "<text" in svg


def test_png_uses_a_font_with_chinese_glyphs():
    path = cjk_font_path()
    assert path, "no CJK font found: mplfonts should ship Noto Sans CJK SC"
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    assert font.get_char_index(ord("满")) != 0  # the glyph exists, so it is not drawn as a box
    png = to_png(_figure())
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert image.shape[0] > 100 and (image < 128).sum() > 500  # something was drawn
    assert font_manager.FontProperties(fname=path).get_name().startswith("Noto Sans CJK")
