#include "decrypt_window.hpp"

namespace cvd::app {

void DecryptWindow::offer_ahead(std::size_t position) {
    if (ahead_ == nullptr) return;
    for (; offered_ < order_.size() && offered_ < position + kDecryptWindow; ++offered_) {
        const auto row_id = order_[offered_];
        if (const std::string* held = held_(row_id)) {
            ahead_->offer(row_id, *held);
        } else if (auto raw = read_(row_id); raw) {
            ahead_->offer(row_id, *raw);
        }  // else: processing reads it again and meets the error there
    }
}

void DecryptWindow::settle_before(std::size_t position) {
    offer_ahead(position);
    if (ahead_ != nullptr && position < order_.size()) ahead_->settle(order_[position]);
}

bool DecryptWindow::waits_for_gpg(std::int64_t row_id) const {
    return ahead_ != nullptr && ahead_->unsettled(row_id);
}

}  // namespace cvd::app
