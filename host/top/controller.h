// `ig top`'s loop: waits on the keyboard, the daemon's socket and signals together,
// so a key is answered at once and not at the next snapshot; feeds whole bpfstats
// batches to the model; redraws when something changed; and ends the run cleanly on
// q, Ctrl-C, SIGTERM or when the daemon goes away.
#pragma once

#include <optional>
#include <string>

#include "client/daemon_client.h"
#include "top/record_reader.h"
#include "top/terminal.h"
#include "top/top_model.h"
#include "top/view.h"

namespace ig::host::top {

struct Outcome {
  int exit_code = 0;
  std::string error;  // one line, printed once the terminal is restored
};

class Controller {
 public:
  Controller(DaemonClient& client, RecordReader reader, TopModel& model, View& view, Terminal& terminal, UiState ui)
      : client_(client), reader_(std::move(reader)), model_(model), view_(view), terminal_(terminal), ui_(std::move(ui)) {}

  // Until the user quits or the run cannot go on. Installs its signal handlers first.
  Outcome run();

 private:
  // Each returns the outcome when the loop must end.
  std::optional<Outcome> on_key(int key);
  std::optional<Outcome> on_daemon();
  std::optional<Outcome> on_signal();
  void on_filter_key(int key);
  // Ask the daemon to stop ig top's bpfstats run and wait (briefly) until it has, so
  // BPF stats are back as they were when ig top exits.
  void stop_run();

  DaemonClient& client_;
  RecordReader reader_;
  BatchAssembler batches_;
  TopModel& model_;
  View& view_;
  Terminal& terminal_;
  UiState ui_;
  std::string filter_before_;  // what Esc puts back while editing the filter
  bool dirty_ = true;
};

// Catch SIGINT, SIGTERM, SIGHUP and SIGWINCH into a pipe the loop polls. Call before
// the terminal opens, so ncurses leaves these signals to us.
void catch_signals();

}  // namespace ig::host::top
