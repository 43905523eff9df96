"""Signing in a real browser: what the browser tests share."""
import math
import re

from playwright.sync_api import Locator, Page, expect


def draw_signature(page: Page, pad: Locator) -> None:
    """Choose "Tracer ma signature" and draw a wave with the mouse on the pad's canvas."""
    pad.get_by_label("Tracer ma signature").check()
    canvas = pad.locator("canvas[data-signature-canvas]")
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.5
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, 31):
        page.mouse.move(x0 + box["width"] * 0.8 * i / 30,
                        y0 + box["height"] * 0.3 * math.sin(i / 3), steps=2)
    page.mouse.up()
    expect(pad.locator("input[name=signature_image]")).to_have_value(
        re.compile(r"^data:image/png;base64,"))
