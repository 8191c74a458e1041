#!/usr/bin/env python3
"""Make assets/fonts/wqy-microhei-gbk.ttf, the CJK font embedded in 党务台账.

Source: Debian 12's fonts-wqy-microhei (wqy-microhei.ttc, face 0 "WenQuanYi Micro Hei").
Kept: every character GBK can encode (all 21,886 GBK code points: 21,003 Hanzi, so names such as
喆 堃 昇 玥 珺 彧 render), printable ASCII and Latin-1, general and CJK punctuation, full-width forms.

    apt-get install fonts-wqy-microhei && pip install fonttools
    python3 assets/fonts/make_subset.py
"""
import pathlib
import subprocess
import sys
import tempfile

SRC = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
OUT = pathlib.Path(__file__).with_name("wqy-microhei-gbk.ttf")


def gbk_chars():
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                chars.add(bytes([lead, trail]).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return chars


def main():
    chars = gbk_chars()
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    for lo, hi in ranges:
        chars.update(chr(c) for c in range(lo, hi + 1))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(f"U+{ord(c):04X}" for c in sorted(chars)))
    subprocess.run(
        [
            sys.executable, "-m", "fontTools.subset", SRC,
            "--font-number=0",
            f"--unicodes-file={listing.name}",
            "--layout-features=*",
            "--name-IDs=*",
            "--name-languages=*",
            "--notdef-outline",
            f"--output-file={OUT}",
        ],
        check=True,
    )
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(chars)} characters")


if __name__ == "__main__":
    main()
