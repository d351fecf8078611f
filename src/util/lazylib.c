/* lazylib.c - loading a shared library at its first use (see lazylib.h). */
#include "util/lazylib.h"
#include <dlfcn.h>
#include <stdio.h>

/* pthread_once takes no argument: the library being loaded, per thread
 * (a thread runs one once-routine at a time) */
static _Thread_local tz_lazylib *_loading;

static void _load(void)
{
    tz_lazylib *lib = _loading;
    lib->rc = -1;
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(lib->err, sizeof lib->err, "%s", e ? e : lib->soname);
        return;
    }
    for (size_t i = 0; i < lib->n; i++) {
        dlerror();
        lib->fn[i] = dlsym(h, lib->names[i]);
        if (!lib->fn[i]) {
            const char *e = dlerror();
            snprintf(lib->err, sizeof lib->err, "%s: %s", lib->names[i], e ? e : "not found");
            return; /* h stays open: a process keeps what it loaded */
        }
    }
    lib->rc = 0;
}

int tz_lazylib_load(tz_lazylib *lib, const char *file, tz_diags *d)
{
    _loading = lib;
    (void)pthread_once(&lib->once, _load);
    _loading = NULL;
    if (lib->rc == 0)
        return 0;
    tz_diags_error(d, file, 0, NULL, NULL, "无法加载%s(%s),请安装 %s 软件包: %s", lib->what,
                   lib->soname, lib->package, lib->err);
    return -1;
}
