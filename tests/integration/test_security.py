"""Orders that must not be obeyed: command mail with a coordinator's From signed by a key that
is not registered for any coordinator (an impostor's key, even one carrying the coordinator's
address) or by a registered key that has since been revoked. Each is refused, changes
nothing, and is recorded in the audit log."""

import os
import subprocess
import unittest

from mailtest import CvdbotTestCase, addr, report, send, wait_count
from test_openpgp import Gpg

T0 = "2026-12-01T01:00:00Z"
TAG = "[CVD#2026-0001]"


class Security(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')
        self.keys = []

    def tearDown(self):
        for gpg in self.keys:
            gpg.close()
        subprocess.run(["gpgconf", "--homedir", os.path.join(self.work, "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True)
        super().tearDown()

    def gpg(self):
        gpg = Gpg("coordinator")
        self.keys.append(gpg)
        return gpg

    def register(self, gpg, data=None):
        keyfile = os.path.join(self.work, f"key{len(self.keys)}.asc")
        with open(keyfile, "wb") as f:
            f.write(data if data is not None else gpg.export())
        return self.cvdbot("key", "import", keyfile, "--for", addr("coordinator"), check=False)

    def signed_order(self, gpg, body="accept\ntrack product\n"):
        signed = gpg.run("--clearsign", data=body.encode()).stdout.decode()
        return report(subject=f"{TAG} orders", body=signed, sender="coordinator")

    def open_case(self):
        send(report(subject="XSS in Example CMS"))
        wait_count("bot", 1)
        self.cvdbot("run", "--once", "--now", T0)
        self.assertEqual(self.db("SELECT state FROM cases"), [("received",)])

    def assert_refused(self, count):
        wait_count("bot", count)
        self.cvdbot("run", "--once", "--now", T0)
        self.assertEqual(self.db("SELECT state FROM cases"), [("received",)])
        self.assertEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'accepted'"), [(0,)])
        verdicts = self.db("SELECT detail FROM audit_log WHERE action = 'command_mail' ORDER BY id")
        self.assertEqual(len(verdicts), count - 1)
        self.assertIn("refused", verdicts[-1][0])
        self.assertIn("0 done", verdicts[-1][0])

    def test_a_key_registered_for_nobody_is_not_a_coordinator(self):
        self.open_case()
        # The impostor's key names the coordinator's address and even comes with the mail.
        impostor = self.gpg()
        send(self.signed_order(impostor))
        self.assert_refused(2)

    def test_a_revoked_coordinator_key_is_refused(self):
        self.open_case()
        coordinator = self.gpg()
        self.assertEqual(self.register(coordinator).returncode, 0)
        # Signed while the key was good (a stolen key's old orders), sent after its revocation.
        order = self.signed_order(coordinator)
        # gpg wrote a revocation certificate at key creation; applying it revokes the key.
        rev_path = os.path.join(coordinator.home, "openpgp-revocs.d", coordinator.fpr + ".rev")
        with open(rev_path) as f:
            certificate = f.read().replace(":-----BEGIN", "-----BEGIN")
        coordinator.run("--import", data=certificate.encode())
        revoked = coordinator.export()
        self.register(coordinator, revoked)
        self.assertIn("revoked", self.cvdbot("key", "list").stdout)
        send(order)
        self.assert_refused(2)


if __name__ == "__main__":
    unittest.main()
