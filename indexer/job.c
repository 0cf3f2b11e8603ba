/* job.c — allocation of jobs; see job.h. */
#include "indexer/job.h"

#include <stdlib.h>
#include <string.h>

job *job_new(const char *path, size_t len, size_t shard, const known_file *known)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->path = malloc(len + 1);
    if (!j->path) {
        free(j);
        return NULL;
    }
    memcpy(j->path, path, len);
    j->path[len] = '\0';
    j->path_len = len;
    j->shard = shard;
    if (known)
        j->known = *known;
    j->format = "";
    return j;
}

void job_free(job *j)
{
    if (!j)
        return;
    prepared_chunk_free(j->chunks);
    free(j->path);
    free(j);
}
