// File calls that Swift's Glibc module does not export, because glibc declares them only
// under _GNU_SOURCE (sync_file_range); elsewhere they are no-ops.
#ifndef CFILEIO_H
#define CFILEIO_H

#include <stdint.h>

/// Starts writing `count` bytes of `fd` from `offset` to the disk and returns at once, without
/// waiting for the pages or for a journal commit. 0, or the errno of the call.
int cfileio_start_writeback(int fd, int64_t offset, int64_t count);

#endif
