/* main.c — kensaku-index: index folders of documents into a Xapian database.
 * See indexer.h for the run and options.h for the command line. */
#include <stdio.h>

#include "indexer/indexer.h"
#include "indexer/options.h"

int main(int argc, char **argv)
{
    index_options options;
    options_result parsed = options_parse(argc, argv, &options, stdout, stderr);
    int status = parsed == OPTIONS_RUN ? indexer_run(&options)
                                       : parsed == OPTIONS_EXIT_OK ? 0 : 2;
    options_free(&options);
    if (fflush(stdout) != 0 && status == 0)
        status = 2;
    return status;
}
