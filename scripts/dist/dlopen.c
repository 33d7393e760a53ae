/*
 * dlopen.c LIBRARY: loads the library at run time as PHP's FFI does (dlopen + dlsym), calls it
 * once and frees the answer. Built with musl-gcc (or zig cc for aarch64 musl) by test-cross.sh,
 * it shows that the musl library loads into a musl process the way Alpine's PHP would load it.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef char *(*build_fn)(const char *, const char *, const char *);
typedef void (*free_fn)(char *);
typedef const char *(*version_fn)(void);

int main(int argc, char **argv) {
    void *lib;
    build_fn build;
    free_fn release;
    version_fn version;
    char *answer;
    int ok;

    if (argc != 2) {
        fprintf(stderr, "usage: %s LIBRARY\n", argv[0]);
        return 2;
    }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    *(void **)&build = dlsym(lib, "inpost_returns_build_request");
    *(void **)&release = dlsym(lib, "inpost_returns_free");
    *(void **)&version = dlsym(lib, "inpost_returns_version");
    if (build == NULL || release == NULL || version == NULL || dlsym(lib, "inpost_returns_parse_response") == NULL) {
        fprintf(stderr, "dlsym: %s\n", dlerror());
        return 1;
    }
    answer = build("getReport", "{\"environment\":\"production\",\"email\":\"a@b.pl\",\"password\":\"x\"}", "{}");
    ok = answer != NULL && strstr(answer, "\"ok\":true") != NULL && strstr(answer, "revloggetreport") != NULL;
    printf("dlopen: library %s, getReport request %s\n", version(), ok ? "built" : "NOT built");
    release(answer);
    return ok ? 0 : 1;
}
