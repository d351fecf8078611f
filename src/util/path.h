/* path.h - the questions every module asks of a file path.
 *
 * Owns: the file-name part of a path (for diagnostics), extension tests
 * (for choosing a format) and the folder of the running binary (where the
 * data files and examples are looked for). Does not own: opening or
 * creating files, or the search order over those places.
 */
#ifndef TZ_PATH_H
#define TZ_PATH_H
#include <stddef.h>

/* The part after the last '/', or path itself; never NULL. */
const char *tz_path_base(const char *path);
/* 1 when path ends with ext (".xlsx"; case-insensitive), with something before it. */
int tz_path_has_ext(const char *path, const char *ext);
/* The folder of the running binary (/proc/self/exe without its last part)
 * into out. Returns 0, or -1 when it cannot be read or does not fit. */
int tz_path_exe_dir(char *out, size_t sz);

#endif
