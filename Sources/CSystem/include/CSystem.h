#ifndef KB_CSYSTEM_H
#define KB_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (EINVAL/ENOSYS where unsupported).
int kb_rename_exchange(const char *from, const char *to);

#endif
