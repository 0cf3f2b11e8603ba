/* signals.c — the interrupt flag; see signals.h. */
#include "indexer/signals.h"

#include <string.h>
#include <unistd.h>

volatile sig_atomic_t signals_interrupted;
static volatile sig_atomic_t note_quiet;
static volatile sig_atomic_t note_plain; /* stderr is not a terminal */

static void on_signal(int sig)
{
    if (signals_interrupted) {
        /* Asked twice: stop now, as the default action would. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    signals_interrupted = 1;
    if (note_quiet)
        return;
    /* On a terminal the progress line is cleared first. */
    static const char note[] =
        "\r\033[Kkensaku-index: interrupted; finishing the current files and committing "
        "(again to stop at once)\n";
    size_t skip = note_plain ? 4 : 0;
    ssize_t ignored = write(STDERR_FILENO, note + skip, sizeof note - 1 - skip);
    (void)ignored;
}

void signals_install(int quiet)
{
    note_quiet = quiet;
    note_plain = !isatty(STDERR_FILENO);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    signal(SIGPIPE, SIG_IGN);
}
