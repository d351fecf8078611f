/* path.h - the two questions every module asks of a file path.
 *
 * Owns: the file-name part of a path (for diagnostics) and extension tests
 * (for choosing a format). Does not own: opening or creating files.
 */
#ifndef TZ_PATH_H
#define TZ_PATH_H

/* The part after the last '/', or path itself; never NULL. */
const char *tz_path_base(const char *path);
/* 1 when path ends with ext (".xlsx"; case-insensitive), with something before it. */
int tz_path_has_ext(const char *path, const char *ext);

#endif
