#ifndef KB_CSYSTEM_H
#define KB_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (EINVAL/ENOSYS where unsupported).
int kb_rename_exchange(const char *from, const char *to);

/// Copies up to `length` bytes from `from` at `*fromOffset` to `to` at its file position,
/// inside the kernel (Linux copy_file_range), and advances `*fromOffset`. Returns the bytes
/// copied, 0 at the end of `from`, or -1 with errno set (EXDEV/ENOSYS/EINVAL where unsupported).
long long kb_copy_file_range(int from, long long *fromOffset, int to, unsigned long length);

#endif
