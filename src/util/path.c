/* path.c - file-name part and extension tests of a path; the binary's folder. */
#include "util/path.h"
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

int tz_path_exe_dir(char *out, size_t sz)
{
    if (sz < 2)
        return -1;
    ssize_t n = readlink("/proc/self/exe", out, sz - 1);
    if (n <= 0 || (size_t)n >= sz - 1)
        return -1;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}
