// The terminal while `ig top` runs: ncurses set up on open, and always put back (normal
// screen, cursor, echo, line mode) by restore() or the destructor, whichever comes first.
#pragma once

#include <string>

#include <ig/result.h>

namespace ig::host::top {

enum ColorPair : short { kHeader = 1, kBar = 2, kAverage = 3, kDim = 4, kAccent = 5 };

class Terminal {
 public:
  // Needs stdin and stdout to be a terminal that TERM describes.
  static Result<Terminal> open();
  ~Terminal() { restore(); }
  Terminal(Terminal&& other) noexcept : open_(other.open_), utf8_(other.utf8_) { other.open_ = false; }
  Terminal& operator=(Terminal&&) = delete;
  Terminal(const Terminal&) = delete;

  void restore();
  // Follow the terminal's new size (after SIGWINCH).
  void resize();
  bool utf8() const { return utf8_; }

 private:
  Terminal(bool utf8) : open_(true), utf8_(utf8) {}
  bool open_;
  bool utf8_;
};

}  // namespace ig::host::top
