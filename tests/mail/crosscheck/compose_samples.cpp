// Writes composed messages and what they should say, for crosscheck.py: a second,
// independent parser (Python's email package) must read them back the same.
//   mail_compose_samples OUT_DIR

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/composer.hpp"

using namespace cvd::mail;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    std::string long_subject = "[CVD#2026-0042] ";
    for (int i = 0; i < 12; ++i) long_subject += "脆弱性報告の受付 ";
    long_subject += "end";
    struct Sample {
        std::string name, subject, to_name, body, attachment;
    };
    std::vector<Sample> samples{
        {"ack_ja", "[CVD#2026-0042] 脆弱性のご報告を受け付けました（①～㈱）", "山田 太郎",
         "山田様\n\nご報告ありがとうございます。\n受付番号: CVD#2026-0042\n", ""},
        {"ack_en", "[CVD#2026-0042] Your report was received", "Smith, \"Jo\"",
         "Thank you.\n" + std::string(100, 'x') + "\n.dot\nFrom here\n", ""},
        {"long_subject", long_subject, "Café Ops", "Short body with café.\n", ""},
        {"attachment", "鍵の送付", "佐藤", "公開鍵を添付します。\n", "報告書 最終版（確定）とても長いファイル名のテスト.asc"},
    };
    nlohmann::json expected = nlohmann::json::array();
    for (const auto& s : samples) {
        OutgoingMessage m;
        m.from = {"脆弱性調整ボット", "bot@example.test"};
        m.to = {{s.to_name, "to@example.org"}};
        m.subject = s.subject;
        m.message_id = s.name + "@example.test";
        m.in_reply_to = {"report-1@example.org"};
        m.references = {"report-1@example.org"};
        m.date = cvd::core::from_unix(1772534100);
        m.text_body = s.body;
        m.auto_submitted = "auto-replied";
        if (!s.attachment.empty())
            m.attachments.push_back({s.attachment, "application/pgp-keys", "-----BEGIN PGP-----\n"});
        auto bytes = compose_message(m);
        if (!bytes) {
            std::fprintf(stderr, "%s: %s\n", s.name.c_str(), bytes.error().message.c_str());
            return 1;
        }
        std::ofstream(dir / (s.name + ".eml"), std::ios::binary) << *bytes;
        expected.push_back({{"file", s.name + ".eml"},
                            {"subject", s.subject},
                            {"from_name", m.from.display_name},
                            {"to_name", s.to_name},
                            {"body", s.body},
                            {"attachment", s.attachment}});
    }
    std::ofstream(dir / "expected.json") << expected.dump(2);
    return 0;
}
