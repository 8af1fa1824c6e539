"""Glyph PBFs for MapLibre labels, rendered from a TrueType font (no internet at run time).

Each glyph is rasterised at 24 px with FreeType (through Pillow) and turned into a signed distance field
the way MapLibre's own tiny-sdf does it (radius 8, cutoff 0.25, 3-pixel buffer), then written in the
glyphs.proto message MapLibre reads from `glyphs` URLs: {fontstack}/{start}-{end}.pbf.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SIZE = 24
BUFFER = 3
RADIUS = 8
CUTOFF = 0.25
INF = 1e20
# Latin, Latin-1, Latin Extended-A/B, combining marks, Vietnamese (Latin Extended Additional), punctuation, and
# the geometric shapes and dingbats the point markers are drawn with (■ ▲ ◆ ✖: tiles.style_layers.marker)
MARKER_RANGES = (9472, 9984)  # ■ ▲ (Geometric Shapes), ✖ (Dingbats)
RANGES = (0, 256, 512, 768, 7680, 8192, 8448, *MARKER_RANGES)


def _edt_1d(grid: np.ndarray, length: int, f: list, v: list, z: list) -> None:
    """Felzenszwalb-Huttenlocher squared distance transform of one row or column, in place."""
    v[0], z[0], z[1] = 0, -INF, INF
    f[0] = grid[0]
    k = 0
    for q in range(1, length):
        f[q] = grid[q]
        q2 = q * q
        while True:
            r = v[k]
            s = (f[q] - f[r] + q2 - r * r) / (q - r) / 2
            if s <= z[k]:
                k -= 1
                if k > -1:
                    continue
            break
        k += 1
        v[k], z[k], z[k + 1] = q, s, INF
    k = 0
    for q in range(length):
        while z[k + 1] < q:
            k += 1
        r = v[k]
        grid[q] = f[r] + (q - r) * (q - r)


def _edt(grid: np.ndarray) -> None:
    height, width = grid.shape
    n = max(width, height)
    f, v, z = [0.0] * n, [0] * n, [0.0] * (n + 1)
    for x in range(width):
        column = grid[:, x].copy()
        _edt_1d(column, height, f, v, z)
        grid[:, x] = column
    for y in range(height):
        row = grid[y, :].copy()
        _edt_1d(row, width, f, v, z)
        grid[y, :] = row


def sdf(alpha: np.ndarray) -> bytes:
    """The 8-bit signed distance field of a coverage bitmap (0..1), as MapLibre's shaders expect it."""
    outer = np.where(alpha >= 1, 0.0, np.where(alpha <= 0, INF, np.square(np.maximum(0.5 - alpha, 0))))
    inner = np.where(alpha >= 1, INF, np.where(alpha <= 0, 0.0, np.square(np.maximum(alpha - 0.5, 0))))
    _edt(outer)
    _edt(inner)
    distance = np.sqrt(outer) - np.sqrt(inner)
    return np.clip(np.round(255 - 255 * (distance / RADIUS + CUTOFF)), 0, 255).astype("uint8").tobytes()


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, value: int | bytes | str, signed: bool = False) -> bytes:
    if isinstance(value, (bytes, str)):
        raw = value.encode() if isinstance(value, str) else value
        return _varint(number << 3 | 2) + _varint(len(raw)) + raw
    if signed:
        value = (value << 1) ^ (value >> 31)  # zigzag (sint32)
    return _varint(number << 3) + _varint(value)


def glyph_message(font: ImageFont.FreeTypeFont, code: int, ascent: int) -> bytes:
    """One `glyph` message: id, SDF bitmap, metrics (top relative to the ascent, as fontnik writes it)."""
    char = chr(code)
    left, top, right, bottom = font.getbbox(char, anchor="ls")
    advance = int(round(font.getlength(char)))
    width, height = right - left, bottom - top
    parts = [_field(1, code)]
    if width > 0 and height > 0:
        image = Image.new("L", (width + 2 * BUFFER, height + 2 * BUFFER), 0)
        ImageDraw.Draw(image).text((BUFFER - left, BUFFER - top), char, font=font, fill=255, anchor="ls")
        parts.append(_field(2, sdf(np.asarray(image, dtype="float64") / 255.0)))
    else:
        width = height = 0
    parts += [
        _field(3, width),
        _field(4, height),
        _field(5, left, signed=True),
        _field(6, -top - ascent, signed=True),
        _field(7, advance),
    ]
    return b"".join(parts)


def glyph_range(font_path: str, stack: str, start: int) -> bytes:
    """The PBF of codepoints start..start+255 that the font has."""
    font = ImageFont.truetype(font_path, SIZE, layout_engine=ImageFont.Layout.BASIC)  # one glyph per codepoint
    ascent = font.getmetrics()[0]
    cmap = _codepoints(font_path)
    glyphs = [glyph_message(font, code, ascent) for code in range(start, start + 256) if code in cmap]
    body = _field(1, stack) + _field(2, f"{start}-{start + 255}") + b"".join(_field(3, g) for g in glyphs)
    return _field(1, body)


def _codepoints(font_path: str) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(font_path)["cmap"].getBestCmap())


def ascent_px(font_path: str) -> int:
    """The font's ascent at the glyph size (for documentation and tests)."""
    return math.ceil(ImageFont.truetype(font_path, SIZE).getmetrics()[0])
