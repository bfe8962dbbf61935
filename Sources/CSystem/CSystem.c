#define _GNU_SOURCE
#include "CSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int kb_rename_exchange(const char *from, const char *to) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

long long kb_copy_file_range(int from, long long *fromOffset, int to, unsigned long length) {
#ifdef SYS_copy_file_range
    long long offset = *fromOffset;  // the kernel's loff_t: 64 bits
    long long copied = (long long)syscall(SYS_copy_file_range, from, &offset, to, NULL, (size_t)length, 0u);
    if (copied > 0) *fromOffset = (long long)offset;
    return copied;
#else
    errno = ENOSYS;
    return -1;
#endif
}
