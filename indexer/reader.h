/* reader.h — one file read, extracted and prepared on a reader thread.
 *
 * The file is opened without following the walk's word for it: it is
 * fstat'ed again and the signature recorded is that of what was read. A file
 * that vanished is gone, a file over the size limit is not read, a read error
 * is a failure with its reason. Files over a few megabytes are read one at a
 * time across all readers, so the memory of several huge files is never
 * held at once.
 */
#ifndef KENSAKU_INDEXER_READER_H
#define KENSAKU_INDEXER_READER_H

#include "indexer/job.h"
#include "indexer/prepare.h"

/* Read JOB's file and hand its chunks of documents to EMIT; sets the job's
 * outcome, signature, passages, bytes and reason. */
void reader_process(preparer *preparer, job *job, prepare_emit_fn emit, void *context);

#endif
