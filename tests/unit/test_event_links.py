from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from bot.services.event_links import deep_link, event_id_from_payload, qr_png


def test_deep_link_round_trip() -> None:
    link = deep_link("tos_test_bot", 42)
    assert link == "https://t.me/tos_test_bot?start=ev_42"
    assert event_id_from_payload(link.split("start=")[1]) == 42
    for bad in (None, "", "ev_", "ev_x1", "inv_abc", "ev_1;drop", "ev_" + "9" * 13):
        assert event_id_from_payload(bad) is None


def test_qr_code_decodes_back_to_the_link() -> None:
    link = deep_link("tos_test_bot", 1234)
    png = qr_png(link)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [link]
