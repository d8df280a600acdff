// How a failed read of an input reads to the operator: one wording per errno, for every source.

/** The words for an errno (`cannot read x.log: <these>`); the error's own message otherwise. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return e instanceof Error ? e.message : typeof code === 'string' ? code.toLowerCase() : String(e);
  }
}

/** A gzip stream that ended early or holds junk, as one phrase (zlib's code and message). */
export function gzipFailureText(code: string | undefined, message: string): string {
  return code === 'Z_BUF_ERROR' ? 'truncated gzip (unexpected end of file)' : `damaged gzip (${message})`;
}
