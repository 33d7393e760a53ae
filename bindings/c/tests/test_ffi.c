/*
 * C test of the library's C ABI, built against include/inpost_quick_returns.h and linked with
 * target/release/libinpost_quick_returns.so. `make test-c` runs it under valgrind
 * (--leak-check=full --error-exitcode=1), so an over-read, a double free or a leak fails it.
 */
#include "inpost_quick_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond, ...)                                                                        \
    do {                                                                                        \
        checks++;                                                                               \
        if (!(cond)) {                                                                          \
            failures++;                                                                         \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
            fprintf(stderr, __VA_ARGS__);                                                       \
            fputc('\n', stderr);                                                                \
        }                                                                                       \
    } while (0)

/* Checks that `json` contains every needle (NULL-terminated list), then frees it. */
static void expect(const char *what, char *json, const char *const *needles) {
    size_t i;
    CHECK(json != NULL, "%s: got NULL", what);
    if (json == NULL) {
        return;
    }
    for (i = 0; needles[i] != NULL; i++) {
        CHECK(strstr(json, needles[i]) != NULL, "%s: missing %s in %s", what, needles[i], json);
    }
    inpost_returns_free(json);
}

/* Checks that `json` contains none of the needles; does not free. */
static void refuse(const char *what, const char *json, const char *const *needles) {
    size_t i;
    for (i = 0; json != NULL && needles[i] != NULL; i++) {
        CHECK(strstr(json, needles[i]) == NULL, "%s: must not contain %s: %s", what, needles[i],
              json);
    }
}

/* Parses `len` bytes of `text` (NUL bytes allowed) from an exactly-sized heap copy with no
 * terminator, so that valgrind reports any read past the end; checks the envelope as expect(). */
static void expect_unterminated(const char *what, const char *operation, const char *text,
                                size_t len, const char *const *needles) {
    char *body = malloc(len);
    CHECK(body != NULL, "%s: malloc", what);
    if (body != NULL) {
        memcpy(body, text, len);
        expect(what, inpost_returns_parse_response(operation, 200, body, len), needles);
        free(body);
    }
}

static const char *const CONFIG =
    "{\"environment\":\"production\",\"email\":\"shop@example.com\",\"password\":\"s3cret&+\"}";
static const char *const SANDBOX_CONFIG =
    "{\"baseUrl\":\"http://127.0.0.1:8787/\",\"email\":\"demo@example.com\","
    "\"password\":\"demo-password\"}";

static const char *const ACTIVE_INPUT =
    "{\"rma\":\"123\",\"packType\":\"a\",\"expirationDate\":\"2030-10-10T11:00:00\","
    "\"senderPhone\":\"+48 600-100-200\",\"senderEmail\":\"jan@example.com\","
    "\"returnDescription1\":\"Zam\xc3\xb3wienie:312\"}";

/* The documented answer of revloggenerateinactivecodes, items named <0> and <1>. */
static const char *const INACTIVE_ANSWER =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<paczkomaty><return>\n"
    " <0><code>1414764219</code><active>false</active>"
    "<uuid>12091fa7-61c0-4ebf-abf7-0fa80c53a3a5</uuid><labelAttached>false</labelAttached></0>\n"
    " <1><code>2687720481</code><active>false</active>"
    "<uuid>8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14</uuid><labelAttached>false</labelAttached></1>\n"
    "</return></paczkomaty>\n";

static void test_success(void) {
    {
        const char *n[] = {"\"ok\":true", "\"method\":\"POST\"",
                           "\"url\":\"https://api.paczkomaty.pl/?do=revloggenerateactivecode\"",
                           "application/x-www-form-urlencoded", "600100200", NULL};
        expect("build generateActiveCode",
               inpost_returns_build_request("generateActiveCode", CONFIG, ACTIVE_INPUT), n);
    }
    {
        const char *n[] = {"\"ok\":true",
                           "\"url\":\"http://127.0.0.1:8787/?do=revloggetreport\"", NULL};
        expect("build getReport (empty input)",
               inpost_returns_build_request("getReport", SANDBOX_CONFIG, "{}"), n);
    }
    {
        const char *n[] = {"\"ok\":true", "revloggenerateinactivecodes", NULL};
        expect("build generateInactiveCodes",
               inpost_returns_build_request("generateInactiveCodes", CONFIG,
                                            "{\"numberOfCodes\":2}"),
               n);
    }
    {
        const char *n[] = {"\"ok\":true",
                           "\"code\":\"1414764219\"",
                           "\"code\":\"2687720481\"",
                           "\"uuid\":\"12091fa7-61c0-4ebf-abf7-0fa80c53a3a5\"",
                           "\"uuid\":\"8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14\"",
                           "\"active\":false",
                           "\"labelAttached\":false",
                           NULL};
        expect("parse the documented <0>/<1> answer",
               inpost_returns_parse_response("generateInactiveCodes", 200, INACTIVE_ANSWER,
                                             strlen(INACTIVE_ANSWER)),
               n);
    }
    {
        const char *body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                           "<paczkomaty><error key=\"NoPackageFound\">Nie znaleziono</error>"
                           "</paczkomaty>";
        const char *n[] = {"\"ok\":false", "\"kind\":\"api\"", "\"key\":\"NoPackageFound\"",
                           "\"status\":200", NULL};
        expect("parse <error key=...>",
               inpost_returns_parse_response("getReport", 200, body, strlen(body)), n);
    }
    {
        const char *text = "<paczkomaty><valid>false</valid></paczkomaty>";
        const char *n[] = {"\"ok\":true", "\"valid\":false", NULL};
        expect_unterminated("parse an unterminated body", "invalidateCode", text, strlen(text), n);
    }
    {
        const char *v = inpost_returns_version();
        CHECK(v != NULL && strlen(v) >= 5 && strchr(v, '.') != NULL, "version: %s",
              v ? v : "(null)");
        CHECK(v == inpost_returns_version(), "version is one static string");
    }
}

static void test_errors(void) {
    const char *usage[] = {"\"ok\":false", "\"kind\":\"usage\"", NULL};
    {
        const char *n[] = {"\"ok\":false", "\"kind\":\"usage\"", "operation", NULL};
        expect("NULL operation (build)", inpost_returns_build_request(NULL, CONFIG, "{}"), n);
    }
    {
        const char *n[] = {"\"ok\":false", "\"kind\":\"usage\"", "config_json", NULL};
        expect("NULL config", inpost_returns_build_request("getReport", NULL, "{}"), n);
    }
    {
        const char *n[] = {"\"ok\":false", "\"kind\":\"usage\"", "input_json", NULL};
        expect("NULL input", inpost_returns_build_request("getReport", CONFIG, NULL), n);
    }
    {
        const char *n[] = {"\"ok\":false", "\"kind\":\"usage\"", "operation", NULL};
        expect("NULL operation (parse)",
               inpost_returns_parse_response(NULL, 200, "<paczkomaty/>", 13), n);
    }
    {
        const char *n[] = {"\"ok\":false", "\"kind\":\"usage\"", "body", NULL};
        expect("NULL body with a length", inpost_returns_parse_response("getReport", 200, NULL, 42),
               n);
    }
    {
        /* NULL with length 0 is an empty body: not a usage error, an unexpected response. */
        const char *n[] = {"\"ok\":false", "\"kind\":\"unexpected_response\"", "\"status\":502",
                           NULL};
        expect("NULL body, length 0", inpost_returns_parse_response("getReport", 502, NULL, 0), n);
    }
    {
        const char op[] = {'g', 'e', 't', (char)0xff, (char)0xfe, 0};
        const char *n[] = {"\"ok\":false", "\"kind\":\"usage\"", "UTF-8", NULL};
        expect("non-UTF-8 operation (build)", inpost_returns_build_request(op, CONFIG, "{}"), n);
        expect("non-UTF-8 operation (parse)",
               inpost_returns_parse_response(op, 200, "<paczkomaty/>", 13), n);
    }
    {
        const char cfg[] = {'{', '"', 'e', (char)0xc3, '"', ':', '1', '}', 0};
        expect("non-UTF-8 config", inpost_returns_build_request("getReport", cfg, "{}"), usage);
    }
    expect("unknown operation (build)", inpost_returns_build_request("fly", CONFIG, "{}"), usage);
    expect("unknown operation (parse)",
           inpost_returns_parse_response("fly", 200, "<paczkomaty/>", 13), usage);
    expect("malformed config JSON",
           inpost_returns_build_request("getReport", "{\"email\":", "{}"), usage);
    expect("malformed input JSON", inpost_returns_build_request("getReport", CONFIG, "[1,"),
           usage);
    {
        /*
         * An embedded NUL and no terminator: all body_len bytes are read (the record after the
         * NUL is there) and the NUL comes back escaped in the JSON, not as a C terminator.
         */
        const char text[] = "<paczkomaty><valid>false</valid><note>a\0b</note><after>yes</after>"
                            "</paczkomaty>";
        const char *n[] = {"\"ok\":true", "\"valid\":false", "\"note\":\"a\\u0000b\"",
                           "\"after\":\"yes\"", NULL};
        expect_unterminated("embedded NUL, no terminator", "invalidateCode", text, sizeof text - 1,
                            n);
    }
    {
        /* A config the core rejects: the password must not appear in the error. */
        const char *cfg = "{\"baseUrl\":\"http://example.com/\",\"email\":\"shop@example.com\","
                          "\"password\":\"Sup3rSecretPw\"}";
        char *json = inpost_returns_build_request("getReport", cfg, "{}");
        const char *secret[] = {"Sup3rSecretPw", NULL};
        const char *n[] = {"\"ok\":false", "\"kind\":\"invalid_input\"",
                           "\"field\":\"config.baseUrl\"", NULL};
        refuse("plain http to a remote host", json, secret);
        expect("plain http to a remote host", json, n);
    }
    {
        const char *n[] = {"\"ok\":false", "\"kind\":\"invalid_input\"",
                           "\"field\":\"senderPhone\"", NULL};
        const char *input = "{\"rma\":\"1\",\"packType\":\"A\",\"expirationDate\":"
                            "\"2030-10-10T11:00:00\",\"senderPhone\":\"12\","
                            "\"senderEmail\":\"jan@example.com\"}";
        expect("bad phone", inpost_returns_build_request("generateActiveCode", CONFIG, input), n);
    }
    inpost_returns_free(NULL);
}

/* True when the `len` bytes at `text` contain the `needle_len` bytes of `needle`. */
static int contains(const char *text, size_t len, const char *needle, size_t needle_len) {
    size_t i;
    for (i = 0; needle_len <= len && i <= len - needle_len; i++) {
        if (memcmp(text + i, needle, needle_len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The envelope in PHP's serialize() format: its length, NUL bytes inside text, errors. */
static void test_php_format(void) {
    size_t len = 0;
    char *php = inpost_returns_parse_response_php("generateInactiveCodes", 200, INACTIVE_ANSWER,
                                                  strlen(INACTIVE_ANSWER), &len);
    static const char head[] = "a:2:{s:2:\"ok\";b:1;s:5:\"value\";a:1:{s:5:\"codes\";a:2:{";
    CHECK(php != NULL, "php: got NULL");
    if (php != NULL) {
        CHECK(len == strlen(php), "php: length %zu, strlen %zu", len, strlen(php));
        CHECK(strncmp(php, head, strlen(head)) == 0, "php: starts %.60s", php);
        CHECK(strstr(php, "s:4:\"code\";s:10:\"1414764219\";") != NULL, "php: %s", php);
        CHECK(php[len - 1] == '}' && php[len] == '\0', "php: ends %s", php + len - 4);
        inpost_returns_free(php);
    }

    {
        /* A NUL byte in the answer's text is copied: the length, not strlen, tells the end. */
        static const char body[] = "<paczkomaty><return><code>12\0" "34</code></return></paczkomaty>";
        static const char code[] = "s:5:\"12\0" "34\";";
        php = inpost_returns_parse_response_php("generateActiveCode", 200, body, sizeof body - 1,
                                                &len);
        CHECK(php != NULL && len > strlen(php), "php with NUL: length %zu", len);
        CHECK(php != NULL && contains(php, len, code, sizeof code - 1), "php with NUL: no code");
        inpost_returns_free(php);
    }

    /* Errors are envelopes in the same format; out_len may be NULL. */
    php = inpost_returns_parse_response_php("getReport", 502, "<html>Bad Gateway</html>", 24, NULL);
    CHECK(php != NULL && strstr(php, "s:4:\"kind\";s:19:\"unexpected_response\";") != NULL,
          "php 502: %s", php == NULL ? "(null)" : php);
    inpost_returns_free(php);
    php = inpost_returns_parse_response_php(NULL, 200, NULL, 5, &len);
    CHECK(php != NULL && len == strlen(php) && strstr(php, "s:5:\"usage\";") != NULL,
          "php NULL operation: %s", php == NULL ? "(null)" : php);
    inpost_returns_free(php);
}

int main(void) {
    test_success();
    test_errors();
    test_php_format();
    /* The closing line test runners read: "N passed, N failed". */
    printf("test_ffi: library %s\n", inpost_returns_version());
    printf("test_ffi: %d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
