"""Writes the bulk of the mail corpus (clients, charsets, automatic mail, malformed cases).

Run from tests/data/mail: python3 tools/make_corpus.py. Outputs are committed; the script
records how each file was made. Japanese text goes through iconv (as Unix MTAs and scripts do)
or tools/jis.py (Microsoft-extended ISO-2022-JP, as Outlook and Becky! write it)."""
import base64
import quopri
import subprocess
import sys

sys.path.insert(0, "tools")
from jis import encode_cp50221, encode_lines  # noqa: E402


def iconv(text, charset):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", charset], input=text.encode(),
                          check=True, capture_output=True).stdout


def jis(text):
    return b"\r\n".join(iconv(line, "ISO-2022-JP") for line in text.split("\n"))


def bword(data, charset):
    return b"=?" + charset.encode() + b"?B?" + base64.b64encode(data) + b"?="


def b64lines(data):
    s = base64.b64encode(data)
    return b"\r\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + b"\r\n"


def qp(data):
    return quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


JA_BODY = "株式会社サンプル\nセキュリティ担当者様\n\n貴社製品に脆弱性を発見しましたのでご報告いたします。\n影響: 認証回避（深刻度：高）\n"

# --- Japanese clients -------------------------------------------------------------------------
write("client_thunderbird_ja_flowed.eml",
      b"From: =?UTF-8?B?" + base64.b64encode("鈴木一郎".encode()) + b"?= <ichiro@example.jp>\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: " + bword(iconv("【報告】ログイン画面の脆弱性", "ISO-2022-JP"), "ISO-2022-JP") + b"\r\n"
      b"Message-ID: <a1b2c3d4-tb@example.jp>\r\nDate: Thu, 12 Mar 2026 10:00:00 +0900\r\n"
      b"User-Agent: Mozilla/5.0 Thunderbird/115.0\r\nMIME-Version: 1.0\r\nContent-Language: ja\r\n"
      b"Content-Type: text/plain; charset=ISO-2022-JP; format=flowed; delsp=yes\r\n"
      b"Content-Transfer-Encoding: 7bit\r\n\r\n" +
      iconv("お世話になります。長い行は", "ISO-2022-JP") + b" \r\n" +
      iconv("ここで折り返されています。", "ISO-2022-JP") + b"\r\n\r\n" + jis("よろしくお願いします。") + b"\r\n")

html_ja = "<html><body><p>①ログイン画面</p><p>㈱サンプル～</p></body></html>"
write("client_outlook_ja_alternative.eml",
      b"From: =?iso-2022-jp?B?" + base64.b64encode(encode_cp50221("高橋")) + b"?= <takahashi@vendor.example.jp>\r\n"
      b"To: \"cvd@example.test\" <cvd@example.test>\r\n"
      b"Subject: RE: [CVD#2026-0042] " + bword(encode_cp50221("ご連絡ありがとうございます①"), "iso-2022-jp") + b"\r\n"
      b"Thread-Topic: [CVD#2026-0042]\r\nThread-Index: AQHaBcDeFgHiJkLmNoPqRsTuVwXyZ==\r\n"
      b"Date: Fri, 13 Mar 2026 01:02:03 +0000\r\n"
      b"Message-ID: <TYAPR01MB1234ABCD@TYAPR01MB1234.jpnprd01.prod.outlook.com>\r\n"
      b"References: <ack-42@example.test>\r\nIn-Reply-To: <ack-42@example.test>\r\n"
      b"Accept-Language: ja-JP, en-US\r\nContent-Language: ja-JP\r\nX-MS-Has-Attach:\r\n"
      b"MIME-Version: 1.0\r\n"
      b"Content-Type: multipart/alternative;\r\n\tboundary=\"_000_TYAPR01MB1234_\"\r\n\r\n"
      b"--_000_TYAPR01MB1234_\r\nContent-Type: text/plain; charset=\"iso-2022-jp\"\r\n"
      b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      qp(encode_lines("①ログイン画面\n㈱サンプル～\n\n高橋")) + b"\r\n"
      b"--_000_TYAPR01MB1234_\r\nContent-Type: text/html; charset=\"iso-2022-jp\"\r\n"
      b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(encode_cp50221(html_ja)) + b"\r\n"
      b"--_000_TYAPR01MB1234_--\r\n")

write("client_gmail_ja_utf8.eml",
      b"MIME-Version: 1.0\r\nDate: Sat, 14 Mar 2026 11:22:33 +0900\r\n"
      b"Message-ID: <CAJ+abcDEF123=xyz@mail.gmail.com>\r\n"
      b"Subject: " + bword("脆弱性の報告（XSS）".encode(), "UTF-8") + b"\r\n"
      b"From: =?UTF-8?B?" + base64.b64encode("伊藤 花子".encode()) + b"?= <hanako.ito@gmail.example>\r\n"
      b"To: cvd@example.test\r\n"
      b"Content-Type: multipart/alternative; boundary=\"0000000000001234abcd\"\r\n\r\n"
      b"--0000000000001234abcd\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n"
      b"Content-Transfer-Encoding: base64\r\n\r\n" + b64lines(crlf(JA_BODY)) + b"\r\n"
      b"--0000000000001234abcd\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n"
      b"Content-Transfer-Encoding: base64\r\n\r\n" +
      b64lines(("<div dir=\"ltr\">" + JA_BODY.replace("\n", "<br>") + "</div>").encode()) + b"\r\n"
      b"--0000000000001234abcd--\r\n")

write("client_apple_mail_ja_qp.eml",
      b"From: =?utf-8?B?" + base64.b64encode("中村".encode()) + b"?= <nakamura@icloud.example>\r\n"
      b"Content-Type: multipart/alternative;\r\n\tboundary=\"Apple-Mail=_11111111-2222-3333\"\r\n"
      b"Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))\r\n"
      b"Subject: =?utf-8?B?" + base64.b64encode("Re: 【CVD#2026-0042】追加情報".encode()) + b"?=\r\n"
      b"Date: Sun, 15 Mar 2026 09:09:09 +0900\r\n"
      b"References: <ack-42@example.test>\r\nTo: cvd@example.test\r\n"
      b"In-Reply-To: <ack-42@example.test>\r\nMessage-Id: <A1B2C3D4-E5F6@icloud.example>\r\n"
      b"X-Mailer: Apple Mail (2.3774.600.62)\r\n\r\n"
      b"--Apple-Mail=_11111111-2222-3333\r\nContent-Transfer-Encoding: quoted-printable\r\n"
      b"Content-Type: text/plain;\r\n\tcharset=utf-8\r\n\r\n" +
      qp(crlf("追加の再現手順です〜。\n1. ログイン\n2. 設定画面を開く\n")) + b"\r\n"
      b"--Apple-Mail=_11111111-2222-3333\r\nContent-Transfer-Encoding: quoted-printable\r\n"
      b"Content-Type: text/html;\r\n\tcharset=utf-8\r\n\r\n" +
      qp("<html><body>追加の再現手順です〜。</body></html>".encode()) + b"\r\n"
      b"--Apple-Mail=_11111111-2222-3333--\r\n")

becky_name = encode_cp50221("報告書①.txt")
write("client_becky_ja_attachment.eml",
      b"From: \"" + bword(encode_cp50221("渡辺"), "ISO-2022-JP") + b"\" <watanabe@example.jp>\r\n"
      b"To: cvd@example.test\r\n"
      b"Subject: " + bword(encode_cp50221("資料送付"), "ISO-2022-JP") + b"\r\n"
      b"Message-Id: <20260316100000.ABCD.B2@example.jp>\r\nDate: Mon, 16 Mar 2026 10:00:00 +0900\r\n"
      b"MIME-Version: 1.0\r\nX-Mailer: Becky! ver. 2.81.04 [ja]\r\n"
      b"Content-Type: multipart/mixed;\r\n boundary=\"Boundary_(ID_becky)\"\r\n"
      b"Content-Transfer-Encoding: 7bit\r\n\r\n"
      b"--Boundary_(ID_becky)\r\nContent-Type: text/plain; charset=\"ISO-2022-JP\"\r\n"
      b"Content-Transfer-Encoding: 7bit\r\n\r\n" + encode_lines("資料を添付します。") + b"\r\n\r\n"
      b"--Boundary_(ID_becky)\r\nContent-Type: text/plain;\r\n name=\"" + bword(becky_name, "ISO-2022-JP") + b"\"\r\n"
      b"Content-Transfer-Encoding: base64\r\n"
      b"Content-Disposition: attachment;\r\n filename=\"" + bword(becky_name, "ISO-2022-JP") + b"\"\r\n\r\n" +
      b64lines(iconv("添付ファイルの中身\n", "CP932")) + b"\r\n--Boundary_(ID_becky)--\r\n")

subject = "【重要】Webアプリケーションの脆弱性に関するお問い合わせフォームからの自動転送ではない報告"
enc = iconv(subject, "ISO-2022-JP")
write("script_php_mb_send_mail.eml",
      b"To: cvd@example.test\r\n"
      b"Subject: " + bword(enc[:40] + b"\x1b(B", "ISO-2022-JP") + b"\r\n " + bword(b"\x1b$B" + enc[40:], "ISO-2022-JP") + b"\r\n"
      b"X-PHP-Originating-Script: 33:form.php\r\nMIME-Version: 1.0\r\n"
      b"Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n"
      b"From: form@site.example.jp\r\nMessage-Id: <20260317000000.123456@site.example.jp>\r\n"
      b"Date: Tue, 17 Mar 2026 00:00:00 +0900 (JST)\r\n\r\n" +
      jis("お名前: 小林\nメール: kobayashi@example.jp\n内容: 検索画面にXSSがあります") + b"\r\n")

write("ja_iso2022jp_so_si_kana.eml",
      b"From: kana@example.jp\r\nTo: cvd@example.test\r\nSubject: kana\r\nMessage-ID: <sosi@example.jp>\r\n"
      b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
      b"\x0e6E\x0f test \x1b$B$\"\x1b(B\r\n")

write("ja_wave_dash_mac.eml",
      b"From: mac@example.jp\r\nTo: cvd@example.test\r\nSubject: " + bword(iconv("10時〜12時", "ISO-2022-JP"), "ISO-2022-JP") +
      b"\r\nMessage-ID: <wave@example.jp>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
      jis("対応時間は10時〜12時です。") + b"\r\n")

write("ja_unlabeled_eucjp.eml",
      b"From: old@example.jp\r\nTo: cvd@example.test\r\nSubject: euc\r\nMessage-ID: <euc-unl@example.jp>\r\n\r\n" +
      iconv("こちらはラベルのないEUC-JPの本文です。\n", "EUC-JP"))

write("ja_utf8_labeled_sjis.eml",
      b"From: x@example.jp\r\nTo: cvd@example.test\r\nSubject: utf8 label\r\nMessage-ID: <lab@example.jp>\r\n"
      b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
      iconv("ラベルはUTF-8ですが中身はシフトJISです。\n", "CP932"))

write("ja_iso2022jp_unterminated.eml",
      b"From: y@example.jp\r\nTo: cvd@example.test\r\nSubject: unterminated\r\nMessage-ID: <unterm@example.jp>\r\n"
      b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n"
      b"\x1b$BF|K\\8l\r\n\x1b(Bascii\r\n")

write("ja_raw_sjis_filename.eml",
      b"From: z@example.jp\r\nTo: cvd@example.test\r\nSubject: raw name\r\nMessage-ID: <rawname@example.jp>\r\n"
      b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=rb\r\n\r\n"
      b"--rb\r\nContent-Type: text/plain; charset=Shift_JIS\r\n\r\n" + iconv("本文\n", "CP932") +
      b"\r\n--rb\r\nContent-Type: application/octet-stream; name=\"" + iconv("資料.zip", "CP932") + b"\"\r\n"
      b"Content-Disposition: attachment; filename=\"" + iconv("資料.zip", "CP932") + b"\"\r\n"
      b"Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--rb--\r\n")

# --- Other languages and charsets ---------------------------------------------------------------
for name, charset, text in [
        ("charset_gb2312_chinese.eml", "GB2312", "您好，我发现了一个安全漏洞。"),
        ("charset_euc_kr_korean.eml", "EUC-KR", "안녕하세요, 보안 취약점을 발견했습니다."),
        ("charset_koi8r_russian.eml", "KOI8-R", "Здравствуйте, я нашёл уязвимость."),
        ("charset_utf7.eml", "UTF-7", "Café – ümlaut"),
]:
    write(name, b"From: intl@example.org\r\nTo: cvd@example.test\r\nSubject: " + bword(iconv(text[:8], charset), charset) +
          b"\r\nMessage-ID: <" + name.encode() + b"@example.org>\r\nMIME-Version: 1.0\r\n"
          b"Content-Type: text/plain; charset=" + charset.encode() + b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          iconv(text + "\n", charset))

write("charset_latin1_label_cp1252_bytes.eml",
      b"From: w@example.org\r\nTo: cvd@example.test\r\nSubject: quotes\r\nMessage-ID: <cp1252@example.org>\r\n"
      b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
      b"\x93Smart quotes\x94 and \x80 euro \x96 dash\r\n")

write("utf8_raw_headers_rfc6532.eml",
      "From: José Müller <jose@example.org>\r\nTo: 佐藤 <sato@example.jp>\r\nSubject: Überprüfung – 確認\r\n"
      "Message-ID: <raw8@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nText.\r\n".encode())

# --- International and Western clients ----------------------------------------------------------
write("client_mutt_pgp_signed.eml", crlf("""From: Hacker <hacker@example.net>
To: cvd@example.test
Subject: [CVD#2026-0042] signed follow-up
Message-ID: <20260318120000.GA1234@example.net>
Date: Wed, 18 Mar 2026 12:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/signed; micalg=pgp-sha256;
	protocol="application/pgp-signature"; boundary="sig-bound"
Content-Disposition: inline
User-Agent: Mutt/2.2.9 (2022-11-12)


--sig-bound
Content-Type: text/plain; charset=us-ascii
Content-Disposition: inline

Here is the signed follow-up.

--sig-bound
Content-Type: application/pgp-signature; name="signature.asc"
Content-Description: PGP signature

-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQQexample==
=abcd
-----END PGP SIGNATURE-----

--sig-bound--
"""))

write("client_thunderbird_pgp_encrypted.eml", crlf("""From: reporter@example.net
To: cvd@example.test
Subject: ...
Message-ID: <enc-1@example.net>
Date: Wed, 18 Mar 2026 13:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/encrypted;
 protocol="application/pgp-encrypted";
 boundary="------------enc42"

This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
--------------enc42
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--------------enc42
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

-----BEGIN PGP MESSAGE-----

hF4DexampleAAAA
=wxyz
-----END PGP MESSAGE-----

--------------enc42--
"""))

write("inline_pgp_signed.eml", crlf("""From: old-school@example.net
To: cvd@example.test
Subject: inline signed
Message-ID: <inline-pgp@example.net>
Content-Type: text/plain; charset=utf-8

-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Inline signed text.
-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQQexample==
-----END PGP SIGNATURE-----
"""))

write("client_outlook_en_tnef.eml", crlf("""From: "Smith, John" <jsmith@corp.example>
To: "cvd@example.test" <cvd@example.test>
Subject: RE: [CVD#2026-0042] Vulnerability notification
Thread-Topic: [CVD#2026-0042] Vulnerability notification
Date: Thu, 19 Mar 2026 15:00:00 +0000
Message-ID: <DM6PR11MB0001@DM6PR11MB0001.namprd11.prod.outlook.com>
In-Reply-To: <out-42@example.test>
References: <report-1@example.org> <out-42@example.test>
Content-Language: en-US
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator: <DM6PR11MB0001@DM6PR11MB0001.namprd11.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_004_DM6PR11MB0001_"

--_004_DM6PR11MB0001_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

We have reproduced the issue and are working on a fix.=0D=0A=0D=0ABest regards,=
 John

-----Original Message-----
From: CVD Bot <bot@example.test>=20
Sent: Thursday, March 19, 2026 9:00 AM

--_004_DM6PR11MB0001_
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

eJ8+IgAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADoAAEIgAcAGAAAAElQTS5NaWNy
--_004_DM6PR11MB0001_--
"""))

write("ticket_jira_notification.eml", crlf("""From: "Jira (security)" <jira@vendor.example>
To: cvd@example.test
Subject: [JIRA] (SEC-123) [CVD#2026-0042] XSS in search
Message-ID: <JIRA.12345.1710000000000@jira.vendor.example>
Date: Fri, 20 Mar 2026 08:00:00 +0000
Auto-Submitted: auto-generated
Precedence: bulk
X-JIRA-FingerPrint: abcdef
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Issue SEC-123 was updated: status changed to In Progress.
"""))

write("ticket_zendesk_reply.eml", crlf("""From: Vendor Support <support@vendor.zendesk.example>
Reply-To: Vendor Support <support+id123@vendor.zendesk.example>
To: cvd@example.test
Subject: Re: [CVD#2026-0042] Vulnerability notification
Message-ID: <ZXYZ123_abc@zendesk.example>
In-Reply-To: <out-42@example.test>
Date: Fri, 20 Mar 2026 09:00:00 +0000
X-Mailer: Zendesk Mailer
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="--==_mimepart_zd"

----==_mimepart_zd
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

##- Please type your reply above this line -##

Agent Kim (Vendor Support)
We forwarded your report to our security team.

----==_mimepart_zd
Content-Type: text/html; charset=UTF-8

<p>We forwarded your report to our security team.</p>
----==_mimepart_zd--
"""))

write("list_github_notification.eml", crlf("""From: GitHub <notifications@github.example>
To: example/repo <repo@noreply.github.example>
Subject: [example/repo] Security advisory published
Message-ID: <example/repo/advisories/1@github.example>
List-ID: example/repo <repo.example.github.example>
List-Unsubscribe: <https://github.example/unsubscribe>
Precedence: list
Content-Type: text/plain; charset=UTF-8

A security advisory was published.
"""))

write("autoreply_gmail_vacation.eml", crlf("""From: Person <person@gmail.example>
To: cvd@example.test
Subject: Re: [CVD#2026-0042] Vulnerability notification
Message-ID: <CAvacation@mail.gmail.example>
In-Reply-To: <out-42@example.test>
Auto-Submitted: auto-replied
Date: Sat, 21 Mar 2026 10:00:00 +0000
Content-Type: text/plain; charset="UTF-8"

I am travelling until the 30th with limited access to email.
"""))

write("autoreply_x_autoreply.eml", crlf("""From: info@smallshop.example
To: cvd@example.test
Subject: Thank you for your message
Message-ID: <xauto@smallshop.example>
X-Autoreply: yes
Content-Type: text/plain; charset=us-ascii

We have received your message and will reply soon.
"""))

write("autoreply_precedence_auto_reply.eml", crlf("""From: helpdesk@corp.example
To: cvd@example.test
Subject: Your request has been received
Message-ID: <prec@corp.example>
Precedence: auto_reply
Content-Type: text/plain

Ticket #12345 opened.
"""))

write("autoreply_ja_fuzai.eml",
      b"From: ogawa@vendor.example.jp\r\nTo: cvd@example.test\r\n"
      b"Subject: " + bword(iconv("不在通知：Re: 脆弱性のご報告", "ISO-2022-JP"), "ISO-2022-JP") + b"\r\n"
      b"Message-ID: <fuzai@vendor.example.jp>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
      jis("3月23日まで不在にしております。") + b"\r\n")

write("bounce_gmail_dsn.eml", crlf("""Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.example>
To: cvd@example.test
Subject: Delivery Status Notification (Failure)
Message-ID: <gmail-dsn-1@mx.google.example>
Date: Sun, 22 Mar 2026 10:00:00 -0700
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000dsn"; report-type=delivery-status

--000000000000dsn
Content-Type: multipart/related; boundary="000000000000rel"

--000000000000rel
Content-Type: multipart/alternative; boundary="000000000000alt"

--000000000000alt
Content-Type: text/plain; charset="UTF-8"

** Address not found **

Your message wasn't delivered to contact@defunct.example because the domain defunct.example couldn't be found.

--000000000000alt
Content-Type: text/html; charset="UTF-8"

<p>Address not found</p>
--000000000000alt--
--000000000000rel--
--000000000000dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; cvd@example.test
Arrival-Date: Sun, 22 Mar 2026 10:00:00 -0700
X-Original-Message-ID: <out-60@example.test>

Final-Recipient: rfc822; contact@defunct.example
Action: failed
Status: 5.1.2
Diagnostic-Code: smtp; DNS Error: DNS type 'mx' lookup of defunct.example responded with code NXDOMAIN
Last-Attempt-Date: Sun, 22 Mar 2026 10:00:01 -0700

--000000000000dsn
Content-Type: message/rfc822

From: cvd@example.test
To: contact@defunct.example
Subject: [CVD#2026-0060] Vulnerability notification
Message-ID: <out-60@example.test>

Original body.
--000000000000dsn--
"""))

write("bounce_exchange_ndr_ja.eml",
      b"From: postmaster@corp.example.jp\r\nTo: cvd@example.test\r\n"
      b"Subject: =?iso-2022-jp?B?" + base64.b64encode(iconv("配信不能: [CVD#2026-0061] 通知", "ISO-2022-JP")) + b"?=\r\n"
      b"Message-ID: <ndr-1@corp.example.jp>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
      b"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"_ndr_\"\r\n\r\n"
      b"--_ndr_\r\nContent-Type: text/plain; charset=\"iso-2022-jp\"\r\n\r\n" +
      jis("次の受信者またはグループへの配信に失敗しました:\n\nsecurity@corp.example.jp") + b"\r\n\r\n"
      b"--_ndr_\r\nContent-Type: message/delivery-status\r\n\r\n"
      b"Reporting-MTA: dns;EXCH01.corp.example.jp\r\n\r\n"
      b"Final-Recipient: rfc822;security@corp.example.jp\r\nAction: failed\r\nStatus: 5.2.2\r\n"
      b"Diagnostic-Code: smtp;554 5.2.2 mailbox full\r\n\r\n"
      b"--_ndr_\r\nContent-Type: text/rfc822-headers\r\n\r\n"
      b"From: cvd@example.test\r\nMessage-ID: <out-61@example.test>\r\nSubject: [CVD#2026-0061]\r\n\r\n"
      b"--_ndr_--\r\n")

# --- Structure ---------------------------------------------------------------------------------------
write("forwarded_attached_eml.eml", crlf("""From: coordinator@example.test
To: cvd@example.test
Subject: Fwd: [CVD#2026-0042] vendor statement
Message-ID: <fwd-att@example.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fa"

--fa
Content-Type: text/plain; charset=utf-8

See attached.
--fa
Content-Type: message/rfc822; name="statement.eml"
Content-Disposition: attachment; filename="statement.eml"

From: =?UTF-8?B?5L2Q6Jek?= <sato@vendor.example.jp>
To: coordinator@example.test
Subject: =?UTF-8?B?5Zue562U?=
Message-ID: <statement@vendor.example.jp>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

5L+u5q2j54mI44KS5YWs6ZaL44GX44G+44GX44Gf44CC
--inner
Content-Type: application/pdf; name="advisory.pdf"
Content-Disposition: attachment; filename="advisory.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjcK
--inner--
--fa--
"""))

write("forwarded_inline_outlook.eml", crlf("""From: a@example.org
To: cvd@example.test
Subject: FW: report
Message-ID: <fw-inline@example.org>
Content-Type: text/plain; charset=us-ascii

FYI

-----Original Message-----
From: b@example.org
Sent: Monday, March 2, 2026 10:00 AM
Subject: report

Original text.
"""))

write("multipart_digest.eml", crlf("""From: digest@lists.example.org
To: cvd@example.test
Subject: Digest
Message-ID: <digest@lists.example.org>
MIME-Version: 1.0
Content-Type: multipart/digest; boundary="dg"

--dg

From: one@example.org
Subject: first
Message-ID: <d1@example.org>

One.
--dg

From: two@example.org
Subject: second
Message-ID: <d2@example.org>

Two.
--dg--
"""))

write("multipart_related_html_image.eml", crlf("""From: html@example.org
To: cvd@example.test
Subject: screenshot inline
Message-ID: <related@example.org>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"; type="text/html"

--rel
Content-Type: text/html; charset=utf-8

<p>See the screenshot:</p><img src="cid:shot@x">
--rel
Content-Type: image/png; name="shot.png"
Content-ID: <shot@x>
Content-Disposition: inline; filename="shot.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel--
"""))

write("calendar_invite.eml", crlf("""From: organizer@vendor.example
To: cvd@example.test
Subject: Invitation: disclosure call
Message-ID: <cal@vendor.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cal"

--cal
Content-Type: text/plain; charset=utf-8

Join the call.
--cal
Content-Type: text/calendar; charset=utf-8; method=REQUEST

BEGIN:VCALENDAR
END:VCALENDAR
--cal--
"""))

write("apple_mail_split_text.eml", crlf("""From: apple@example.org
To: cvd@example.test
Subject: text around an image
Message-ID: <split@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="sp"

--sp
Content-Type: text/plain; charset=us-ascii

Before the image.
--sp
Content-Type: image/jpeg; name="a.jpg"
Content-Disposition: inline; filename="a.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQ
--sp
Content-Type: text/plain; charset=us-ascii

After the image.
--sp--
"""))

refs = " ".join("<ref%d@example.org>" % i for i in range(50))
write("long_references_thread.eml", crlf("From: deep@example.org\nTo: cvd@example.test\nSubject: Re: Re: Re: thread\n"
      "Message-ID: <deep@example.org>\nIn-Reply-To: <ref49@example.org>\nReferences: " +
      refs.replace("> <", ">\n\t<") + "\n\nDeep thread.\n"))

write("message_ids_messy.eml", crlf("""From: messy@example.org
To: cvd@example.test
Subject: ids
Message-ID: no-brackets-123@example.org
In-Reply-To: <a1@example.org> (Your message of "Mon, 2 Mar 2026 10:00:00")
References: junk <r1@example.org>,<r2@example.org>
 <r3
 @example.org>

Body.
"""))

write("date_variants.eml", crlf("""From: dates@example.org
To: cvd@example.test
Subject: date
Message-ID: <date@example.org>
Date: Mon, 2 Mar 26 10:00 EST

Body.
"""))

# --- Malformed, each named for what is wrong -----------------------------------------------------------
write("malformed_empty.eml", b"")
write("malformed_no_headers.eml", crlf("Just a body\nwith two lines\n"))
write("malformed_garbage_binary.eml", bytes(((i * 7919 + 13) * 31) & 0xFF for i in range(2048)))
write("malformed_nul_bytes.eml", b"From: nul@example.org\r\nSubject: a\x00b\r\n\r\nbody\x00with\x00nuls\r\n")
write("malformed_missing_boundary_param.eml", crlf("From: m@example.org\nContent-Type: multipart/mixed\n\n--x\nContent-Type: text/plain\n\ntext\n--x--\n"))
write("malformed_boundary_never_occurs.eml", crlf("From: m@example.org\nContent-Type: multipart/mixed; boundary=\"nothere\"\n\n--other\n\ntext\n"))
write("malformed_unclosed_multipart.eml", crlf("From: m@example.org\nContent-Type: multipart/mixed; boundary=u\n\n--u\nContent-Type: text/plain\n\nfirst\n--u\nContent-Type: text/plain\n\nsecond (no close)\n"))
write("malformed_bad_base64.eml", crlf("From: m@example.org\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n44GC!!44GE*\n44GG=\n====\nAB\n"))
write("malformed_bad_quoted_printable.eml", crlf("From: m@example.org\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nbad =ZZ escape, lower =c3=a9, trailing =\n"))
write("malformed_8bit_header_sjis.eml", b"From: " + iconv("山本", "CP932") + b" <yamamoto@example.jp>\r\nTo: cvd@example.test\r\nSubject: " +
      iconv("件名がそのままシフトJIS", "CP932") + b"\r\nMessage-ID: <raw-sjis-hdr@example.jp>\r\n\r\nbody\r\n")
write("malformed_broken_encoded_words.eml", crlf(
    "From: \"=?utf-8?B?5bGx55Sw?=\" <quoted-ew@example.jp>\nTo: cvd@example.test\n"
    "Subject: =?utf-8?B?44OG44K544OI?=glued =?utf-8?X?bad?= =?utf-8?Q?no_end\n"
    "Message-ID: <broken-ew@example.jp>\n\nbody\n"))
write("malformed_unknown_charset.eml", b"From: m@example.org\r\nSubject: =?x-klingon?Q?qapla=E9?=\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nnuqneH \xe9\r\n")
write("malformed_unknown_transfer_encoding.eml", crlf("From: m@example.org\nContent-Type: text/plain\nContent-Transfer-Encoding: x-rot13\n\nuryyb\n"))
deep = "From: m@example.org\n"
for i in range(100):
    deep += "Content-Type: multipart/mixed; boundary=d%d\n\n--d%d\n" % (i, i)
write("malformed_deep_nesting.eml", crlf(deep + "\ninnermost\n"))
many = "From: m@example.org\nContent-Type: multipart/mixed; boundary=p\n\n" + "--p\nContent-Type: text/plain\n\npart\n" * 600 + "--p--\n"
write("malformed_many_parts.eml", crlf(many))
write("malformed_long_header_line.eml", b"From: m@example.org\r\nSubject: " + b"x" * 100000 + b"\r\n\r\nbody\r\n")
write("malformed_header_no_blank_line.eml", crlf("From: m@example.org\nSubject: no blank\nThis line is the body.\n"))
write("malformed_continuation_first.eml", crlf(" leading continuation\nFrom: m@example.org\n\nbody\n"))
write("malformed_cr_only_line_ends.eml", b"From: m@example.org\rSubject: cr only\r\rbody\r")
write("malformed_content_type_garbage.eml", crlf("From: m@example.org\nContent-Type: ;;;===\n\nbody\n"))
write("malformed_duplicate_headers.eml", crlf("From: first@example.org\nFrom: second@example.org\nSubject: one\nSubject: two\n\nbody\n"))
write("malformed_address_lists.eml", crlf("From: \"Unterminated <u@example.org>\nTo: a@example.org, <b@example.org, team: c@example.org;, \"Doe, J\" <d@example.org>\nCc: <@relay.example:e@example.org>, (only comment)\n\nbody\n"))
write("malformed_date.eml", crlf("From: m@example.org\nDate: 32 Foo 20x6 99:99\n\nbody\n"))
write("malformed_mbox_from_line.eml", crlf("From m@example.org Mon Mar  2 10:00:00 2026\nFrom: m@example.org\nSubject: mbox\n\nbody\n"))
write("malformed_space_before_colon.eml", crlf("From : m@example.org\nSubject : spaced\n\nbody\n"))
write("malformed_rfc2231_broken.eml", crlf(
    "From: m@example.org\nContent-Type: multipart/mixed; boundary=r\n\n--r\nContent-Type: text/plain\n\nx\n"
    "--r\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*1*=%E6%9B%B8.pdf; filename*0*=utf-8''%E5%A0%B1%E5%91%8A%ZZ\n\nAA\n--r--\n"))
nested = "Subject: level 0\nFrom: m@example.org\n\nbottom\n"
for i in range(1, 30):
    nested = "From: m@example.org\nSubject: level %d\nContent-Type: message/rfc822\n\n" % i + nested
write("malformed_nested_rfc822_chain.eml", crlf(nested))
write("malformed_html_unclosed.eml", crlf("From: m@example.org\nContent-Type: text/html\n\n<p>unclosed <b>bold <a href=\"x\n<script>never closed"))
write("malformed_whitespace_separator_line.eml", crlf("From: m@example.org\nSubject: ws\n   \nbody after a line of spaces\n"))
