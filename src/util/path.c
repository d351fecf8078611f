/* path.c - file-name part and extension tests of a path. */
#include "util/path.h"
#include <string.h>
#include <strings.h>

const char *tz_path_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int tz_path_has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), k = strlen(ext);
    return n > k && strcasecmp(path + n - k, ext) == 0;
}
