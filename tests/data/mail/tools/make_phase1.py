"""Writes the phase-1 corpus files that need exact non-UTF-8 bytes. Run from this directory:
python3 tools/make_phase1.py. The outputs are committed; this script documents how they were
made. Plain iconv is used where it suffices (ISO-2022-JP without extensions, CP932, EUC-JP)."""
import base64
import subprocess
import sys

sys.path.insert(0, "tools")
from jis import encode_cp50221, encode_lines  # noqa: E402


def iconv(text, charset):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", charset], input=text.encode(),
                          check=True, capture_output=True).stdout


def b_word(data, charset):
    return b"=?" + charset.encode() + b"?B?" + base64.b64encode(data) + b"?="


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


# ISO-2022-JP written by iconv (the classic Unix path): subject as encoded word, body 7bit.
subject = "脆弱性のご報告"
body = "お世話になっております。\nクロスサイトスクリプティングの脆弱性を発見しました。\nよろしくお願いいたします。\n"
write("ja_iso2022jp_iconv.eml",
      b"From: =?ISO-2022-JP?B?" + base64.b64encode(iconv("山田太郎", "ISO-2022-JP")) +
      b"?= <taro@example.jp>\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: " + b_word(iconv(subject, "ISO-2022-JP"), "ISO-2022-JP") + b"\r\n"
      b"Date: Tue, 3 Mar 2026 10:15:00 +0900\r\n"
      b"Message-ID: <20260303101500.1234@mail.example.jp>\r\n"
      b"MIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=ISO-2022-JP\r\n"
      b"Content-Transfer-Encoding: 7bit\r\n\r\n" +
      b"\r\n".join(iconv(line, "ISO-2022-JP") for line in body.rstrip("\n").split("\n")) + b"\r\n")

# ISO-2022-JP with Microsoft extensions (circled digits, ㈱, ～, half-width kana).
ms_subject = "①件目：㈱テスト製品の脆弱性～ｶﾅ"
ms_body = "①ログイン画面\n②管理画面\n㈱サンプル　～　ﾃｽﾄ\n"
write("ja_iso2022jp_ms_ext.eml",
      b"From: =?ISO-2022-JP?B?" + base64.b64encode(encode_cp50221("佐藤")) + b"?= <sato@example.jp>\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: " + b_word(encode_cp50221(ms_subject), "ISO-2022-JP") + b"\r\n"
      b"Date: Wed, 4 Mar 2026 09:00:00 +0900\r\n"
      b"Message-ID: <ms-ext.1@example.jp>\r\n"
      b"MIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=\"ISO-2022-JP\"\r\n"
      b"Content-Transfer-Encoding: 7bit\r\n\r\n" + encode_lines(ms_body.rstrip("\n")) + b"\r\n")

# Shift_JIS (CP932) body in 8bit, subject as a Shift_JIS encoded word.
write("ja_shift_jis.eml",
      b"From: suzuki@example.jp\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: " + b_word(iconv("製品の不具合について①", "CP932"), "Shift_JIS") + b"\r\n"
      b"Date: Thu, 5 Mar 2026 12:00:00 +0900\r\n"
      b"Message-ID: <sjis.1@example.jp>\r\n"
      b"MIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=Shift_JIS\r\n"
      b"Content-Transfer-Encoding: 8bit\r\n\r\n" +
      iconv("表示が崩れます。\r\n髙橋様（①～⑩）\r\n", "CP932"))

# EUC-JP body, quoted-printable.
import quopri  # noqa: E402
write("ja_euc_jp_qp.eml",
      b"From: tanaka@example.jp\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: =?EUC-JP?B?" + base64.b64encode(iconv("報告", "EUC-JP-MS")) + b"?=\r\n"
      b"Date: Fri, 6 Mar 2026 08:30:00 +0900\r\n"
      b"Message-ID: <euc.1@example.jp>\r\n"
      b"MIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=EUC-JP\r\n"
      b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      quopri.encodestring(iconv("日本語のテキストです。\n", "EUC-JP-MS")).replace(b"\n", b"\r\n"))

# Unlabeled Shift_JIS body (no charset parameter at all), as old scripts send it.
write("ja_unlabeled_sjis.eml",
      b"From: script@example.jp\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: report\r\n"
      b"Message-ID: <unlabeled.1@example.jp>\r\n"
      b"Content-Type: text/plain\r\n\r\n" + iconv("ラベルのない日本語です。\r\n", "CP932"))

# ISO-2022-JP label on Shift_JIS bytes.
write("ja_mislabeled_sjis_as_jis.eml",
      b"From: mislabel@example.jp\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: mislabeled\r\n"
      b"Message-ID: <mislabel.1@example.jp>\r\n"
      b"MIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=iso-2022-jp\r\n\r\n" + iconv("こんにちは、世界。\r\n", "CP932"))
