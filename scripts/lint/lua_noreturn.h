/* Force-included by scripts/lint.sh into every file clang-tidy analyses (never
 * by the compiler): Lua's error functions longjmp out of the caller and never
 * return, but lauxlib.h/lua.h do not say so. Without this the analyzer follows
 * the impossible path after `luaL_error(L, ...)` and reports null dereferences
 * and leaks on it. cppcheck knows it from its own lua.cfg (--library=lua). */
#ifndef TZ_LINT_LUA_NORETURN_H
#define TZ_LINT_LUA_NORETURN_H
#include <lua.h>
#include <lauxlib.h>

int lua_error(lua_State *L) __attribute__((noreturn));
int luaL_error(lua_State *L, const char *fmt, ...) __attribute__((noreturn));
int luaL_argerror(lua_State *L, int arg, const char *extramsg) __attribute__((noreturn));
int luaL_typeerror(lua_State *L, int arg, const char *tname) __attribute__((noreturn));
#endif
