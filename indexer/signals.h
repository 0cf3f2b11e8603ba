/* signals.h — SIGINT and SIGTERM ask the run to stop cleanly.
 *
 * The first signal sets a flag: the files being read are finished, what is
 * done is committed, and the run exits with 130. A second signal ends the
 * process at once; the database then stays at its last commit, which is
 * always consistent. SIGPIPE is ignored so a closed stdout is an error
 * return, not a silent death.
 */
#ifndef KENSAKU_INDEXER_SIGNALS_H
#define KENSAKU_INDEXER_SIGNALS_H

#include <signal.h>

/* Non-zero once SIGINT or SIGTERM arrived. */
extern volatile sig_atomic_t signals_interrupted;

/* Install the handlers; QUIET drops the note printed on the first signal. */
void signals_install(int quiet);

#endif
