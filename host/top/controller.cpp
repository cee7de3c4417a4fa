#include "top/controller.h"

#include <curses.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace ig::host::top {
namespace {

int g_signal_pipe[2] = {-1, -1};

void on_signal_caught(int signo) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(signo);
  (void)!::write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

constexpr int kCtrl(char c) { return c & 0x1f; }
constexpr int kEscape = 27;

bool is_back(int key) { return key == kEscape || key == KEY_BACKSPACE || key == 127 || key == 8 || key == KEY_LEFT || key == 'h'; }
bool is_enter(int key) { return key == '\n' || key == '\r' || key == KEY_ENTER || key == KEY_RIGHT || key == 'l'; }

}  // namespace

void catch_signals() {
  if (g_signal_pipe[0] < 0 && ::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
  struct sigaction sa {};
  sa.sa_handler = on_signal_caught;
  sigemptyset(&sa.sa_mask);
  for (int signo : {SIGINT, SIGTERM, SIGHUP, SIGWINCH}) sigaction(signo, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

Outcome Controller::run() {
  while (true) {
    if (dirty_) {
      view_.draw(model_, ui_);
      dirty_ = false;
    }
    pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {client_.fd(), POLLIN, 0}, {g_signal_pipe[0], POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0 && errno != EINTR) return {1, std::string("poll failed: ") + std::strerror(errno)};
    if (fds[2].revents & POLLIN)
      if (auto end = on_signal()) return *end;
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
      if (auto end = on_daemon()) return *end;
    if (fds[0].revents & (POLLHUP | POLLERR)) {  // the terminal went away
      stop_run();
      return {1, "the terminal went away"};
    }
    if (fds[0].revents & POLLIN)
      for (int key = getch(); key != ERR; key = getch())
        if (auto end = on_key(key)) return *end;
  }
}

std::optional<Outcome> Controller::on_signal() {
  unsigned char byte = 0;
  std::optional<Outcome> end;
  while (::read(g_signal_pipe[0], &byte, 1) == 1) {
    if (byte == SIGWINCH) {
      terminal_.resize();
      dirty_ = true;
      continue;
    }
    stop_run();
    end = Outcome{byte == SIGINT ? 0 : 128 + byte, ""};  // Ctrl-C is a way to quit; SIGTERM/SIGHUP are not
  }
  return end;
}

std::optional<Outcome> Controller::on_daemon() {
  while (true) {
    auto message = client_.receive(0);
    if (!message) return Outcome{1, message.error().message + "; ig top stopped"};
    if (!message.value()) return std::nullopt;
    const protocol::Message& m = *message.value();
    switch (m.type()) {
      case protocol::Type::Event: {
        auto record = reader_.read(m.raw().data(), m.raw().size());
        if (!record) {
          stop_run();
          return Outcome{1, record.error().message};
        }
        if (auto batch = batches_.add(std::move(record).value())) {
          model_.apply(std::move(*batch));
          dirty_ = true;
        }
        break;
      }
      case protocol::Type::Log:
        ui_.status = m.get("message");
        dirty_ = true;
        break;
      case protocol::Type::Finished:
        return Outcome{1, m.has("error") ? "bpfstats stopped: " + m.get("error") : "bpfstats stopped; ig top ends"};
      case protocol::Type::Error: return Outcome{1, m.get("message")};
      default: break;
    }
  }
}

std::optional<Outcome> Controller::on_key(int key) {
  dirty_ = true;
  if (ui_.help) {
    ui_.help = false;
    return std::nullopt;
  }
  if (ui_.editing_filter) {
    on_filter_key(key);
    return std::nullopt;
  }
  ui_.status.clear();
  switch (key) {
    case 'q':
    case 'Q':
      stop_run();
      return Outcome{0, ""};
    case KEY_UP: case 'k': model_.move(-1); break;
    case KEY_DOWN: case 'j': model_.move(1); break;
    case KEY_PPAGE: model_.move(-std::max(1, LINES - 14)); break;
    case KEY_NPAGE: model_.move(std::max(1, LINES - 14)); break;
    case KEY_HOME: case 'g': model_.move_to_first(); break;
    case KEY_END: case 'G': model_.move_to_last(); break;
    case 's': case '>': model_.next_sort(); break;
    case 'r': model_.reverse(); break;
    case 'p': case ' ': model_.toggle_pause(); break;
    case '?': case KEY_F(1): ui_.help = true; break;
    case '/':
      ui_.editing_filter = true;
      filter_before_ = model_.filter();
      ui_.filter_draft = model_.filter();
      break;
    case KEY_RESIZE: break;  // ncurses has already taken the new size
    case kCtrl('l'): clearok(curscr, TRUE); break;
    default:
      if (key >= KEY_F(2) && key < KEY_F(2) + static_cast<int>(kSortKeys)) {
        model_.set_sort(static_cast<SortKey>(key - KEY_F(2)));
      } else if (is_enter(key)) {
        model_.enter();
      } else if (is_back(key)) {
        if (!model_.back()) model_.set_filter("");  // at the top, Esc clears the filter
      }
  }
  return std::nullopt;
}

void Controller::on_filter_key(int key) {
  if (key == '\n' || key == '\r' || key == KEY_ENTER) {
    ui_.editing_filter = false;
  } else if (key == kEscape) {
    ui_.editing_filter = false;
    model_.set_filter(filter_before_);
  } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
    if (!ui_.filter_draft.empty()) ui_.filter_draft.pop_back();
    model_.set_filter(ui_.filter_draft);
  } else if (key >= 32 && key < 127) {
    ui_.filter_draft += static_cast<char>(key);
    model_.set_filter(ui_.filter_draft);  // filter as the user types
  }
}

void Controller::stop_run() {
  if (!client_.send(protocol::Message(protocol::Type::Stop))) return;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    auto message = client_.receive(100);
    if (!message) return;  // the daemon closed the connection: the run is gone
    if (message.value() && message.value()->type() == protocol::Type::Finished) return;
  }
}

}  // namespace ig::host::top
