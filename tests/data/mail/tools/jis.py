"""ISO-2022-JP with the Microsoft extensions (CP50221-like), as Outlook and Becky! write it.

Python's iso2022_jp codecs reject NEC row 13 (①, ㈱) and the IBM extensions, so text is
encoded as CP932 and each double-byte character mapped arithmetically back to JIS rows.
"""


def sjis_to_jis(s1, s2):
    if s1 >= 0xE0:
        s1 -= 0x40
    row = (s1 - 0x81) * 2 + 0x21
    if s2 >= 0x9F:
        return row + 1, s2 - 0x7E
    return row, s2 - (0x20 if s2 >= 0x80 else 0x1F)


def encode_cp50221(text):
    out = bytearray()
    mode = "ascii"
    for ch in text:
        b = ch.encode("cp932")
        if len(b) == 1 and b[0] < 0x80:
            if mode != "ascii":
                out += b"\x1b(B"
                mode = "ascii"
            out += b
        elif len(b) == 1:  # half-width katakana
            if mode != "kana":
                out += b"\x1b(I"
                mode = "kana"
            out.append(b[0] - 0x80)
        else:
            if mode != "jis":
                out += b"\x1b$B"
                mode = "jis"
            j1, j2 = sjis_to_jis(b[0], b[1])
            out += bytes([j1, j2])
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def encode_lines(text):
    """Every line returns to ASCII before its end, as RFC 1468 requires."""
    return b"\r\n".join(encode_cp50221(line) for line in text.split("\n"))
