#include "top/terminal.h"

#include <curses.h>
#include <langinfo.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <cstring>

namespace ig::host::top {

Result<Terminal> Terminal::open() {
  std::setlocale(LC_ALL, "");
  bool utf8 = std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
  const char* term = std::getenv("TERM");
  // newterm(), unlike initscr(), returns instead of exiting when TERM is unusable.
  if (!term || !*term || !newterm(nullptr, stdout, stdin))
    return make_error(std::string("cannot drive the terminal '") + (term ? term : "") +
                      "': no terminfo entry for it; set TERM (e.g. TERM=xterm-256color)");
  cbreak();  // keys at once; Ctrl-C still raises SIGINT, which the controller handles
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  set_escdelay(25);  // Esc answers at once, not after ncurses' default second
  curs_set(0);
  clear();  // the first refresh clears the whole screen, whatever was printed before
  if (has_colors()) {
    start_color();
    use_default_colors();
    init_pair(kHeader, COLOR_BLACK, COLOR_CYAN);
    init_pair(kBar, COLOR_GREEN, -1);
    init_pair(kAverage, COLOR_YELLOW, -1);
    init_pair(kDim, COLOR_BLUE, -1);
    init_pair(kAccent, COLOR_CYAN, -1);
  }
  return Terminal(utf8);
}

void Terminal::restore() {
  if (!open_) return;
  open_ = false;
  curs_set(1);
  endwin();  // leaves the alternate screen and restores the tty modes
}

void Terminal::resize() {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) resizeterm(ws.ws_row, ws.ws_col);
}

}  // namespace ig::host::top
