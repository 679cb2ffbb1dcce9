"""Fetched images made safe to serve from the site (pure: bytes in, bytes out), with Pillow.

An image is decoded once, under pixel limits checked before any pixel is decoded, turned the
way its EXIF says, stripped of every kind of metadata, resized for the page, re-encoded as WebP
(animations kept), and given a square thumbnail for list pages. It runs in the fetch's worker
processes (ingest/containment.py), bounded in memory and time like the feed parser.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from .images import MAX_IMAGE_BYTES

# Raster formats only, recognised by their bytes. SVG is a document that can carry script and
# fetch more: it is never kept, whatever the server calls it.
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF")
MAX_PIXELS = 40_000_000  # one frame, decoded: a 40-megapixel photo is the most we take
MAX_FRAMES = 200  # an animation
MAX_ANIMATION_PIXELS = 100_000_000  # all its frames together
PAGE_WIDTH = 1600  # the copy an article page shows: no wider than a large screen needs
THUMB_SIDE = 192  # the square a list item shows (96 CSS pixels, twice over)
QUALITY = 80
THUMB_QUALITY = 70
# libwebp's effort (0–6). Measured on the benchmark's 640 × 400 photos: 2 encodes 2.3 × faster
# than Pillow's default 4 for 2.5 % more bytes; 0 is faster still but 20 % larger.
EFFORT = 2
LANCZOS = Image.Resampling.LANCZOS


class ImageRefused(Exception):
    """A fetched image we will not keep; the message says why, in words."""


@dataclass(frozen=True)
class Processed:
    """A fetched image made safe: re-encoded WebP with no metadata, and its thumbnail."""

    page: bytes
    thumb: bytes
    width: int
    height: int

    @property
    def digest(self) -> str:
        """Return what names the copy on disk: its own bytes, so equal images share a file."""
        return hashlib.sha256(self.page).hexdigest()[:32]


def _bomb_words(error: Exception) -> str:
    """Return Pillow's decompression-bomb refusal in our words."""
    found = re.search(r"\((\d+) pixels\)", str(error))
    size = f"{int(found.group(1)) / 1_000_000:,.0f} megapixels" if found else "too many pixels"
    return f"{size} is more than {MAX_PIXELS // 1_000_000} megapixels (a decompression bomb?)"


def _refuse_oversized(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageRefused(
            f"{width} × {height} pixels is more than {MAX_PIXELS // 1_000_000} megapixels"
            " (a decompression bomb?)"
        )
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_FRAMES or frames * width * height > MAX_ANIMATION_PIXELS:
        raise ImageRefused(f"an animation of {frames} frames is more than we keep")


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(f"the image is larger than {MAX_IMAGE_BYTES >> 20} MiB")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError as error:
        head = data[:200].lstrip().lower()
        kind = "an SVG document" if b"<svg" in head or b"<?xml" in head else "not an image"
        raise ImageRefused(f"{kind}: only JPEG, PNG, GIF, WebP and AVIF are kept") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(_bomb_words(error)) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # cut short before its size
        raise ImageRefused(f"the image is damaged or cut short ({error})") from error
    _refuse_oversized(image)
    return image


def _flat(image: Image.Image) -> Image.Image:
    """Return a copy in RGB or RGBA, the right way up, with nothing but its pixels."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        clean = image.convert("RGBA")
    else:
        clean = image.convert("RGB")
    clean.info = {}  # no EXIF, GPS, XMP, comments or colour profile goes with it
    return clean


def _fit(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))), LANCZOS)


def _encode(frames: Sequence[Image.Image], durations: Sequence[int], quality: int) -> bytes:
    out = io.BytesIO()
    if len(frames) > 1:
        frames[0].save(
            out,
            "WEBP",
            quality=quality,
            save_all=True,
            append_images=list(frames[1:]),
            duration=list(durations),
            loop=0,
            method=EFFORT,
        )
    else:
        frames[0].save(out, "WEBP", quality=quality, method=EFFORT)
    return out.getvalue()


def process(data: bytes) -> Processed:
    """Return `data` as an image safe to serve from the site: decoded once (under the pixel
    limits), turned the way its EXIF says, stripped of all metadata, no wider than PAGE_WIDTH,
    re-encoded as WebP (animations kept), with a square thumbnail. ImageRefused says why not."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data)
        try:
            if getattr(image, "n_frames", 1) > 1:
                frames, durations = [], []
                for frame in ImageSequence.Iterator(image):
                    frames.append(_fit(_flat(frame), PAGE_WIDTH))
                    durations.append(int(frame.info.get("duration", 100)) or 100)
            else:
                image.load()
                frames, durations = [_fit(_flat(ImageOps.exif_transpose(image)), PAGE_WIDTH)], [0]
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageRefused(_bomb_words(error)) from error
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise ImageRefused(f"the image is damaged or cut short ({error})") from error
    thumb = ImageOps.fit(frames[0], (THUMB_SIDE, THUMB_SIDE), LANCZOS)
    thumb.info = {}
    return Processed(
        _encode(frames, durations, QUALITY),
        _encode([thumb], [0], THUMB_QUALITY),
        frames[0].width,
        frames[0].height,
    )
