/* server.c - xmlrpc-c's Abyss server as a conformance server peer.
 *
 *   bin/server [--host 127.0.0.1] [--port 0] [--max-lifetime 900] [--fixtures DIR]
 *
 * The conformance service (python-peers/conformance.py service_functions) registered on an
 * xmlrpc-c registry and served by xmlrpc_server_abyss_run_server at /RPC2. Every byte of XML is
 * parsed and written by xmlrpc-c; this program only implements the methods with the library's
 * value API. xmlrpc-c's own system.* methods (listMethods, methodHelp, methodSignature,
 * multicall, methodExist, capabilities, getCapabilities) stay as the library ships them.
 *
 * stdout: exactly one JSON line, the ready event, once the socket listens. Everything else: stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <xmlrpc-c/base.h>
#include <xmlrpc-c/server.h>
#include <xmlrpc-c/server_abyss.h>
#include <xmlrpc-c/util.h>

#include "model.h"

static char fixtures_dir[PATH_MAX];
static xmlrpc_server_abyss_t *the_server;

/* --- helpers --------------------------------------------------------------------------------- */

/* Exactly n params, else the library's own kind of error (as xmlrpc_decompose_value reports). */
static int want_params(xmlrpc_env *envP, xmlrpc_value *params, int n) {
    int size = xmlrpc_array_size(envP, params);
    if (envP->fault_occurred)
        return 0;
    if (size != n) {
        xmlrpc_env_set_fault_formatted(envP, XMLRPC_INDEX_ERROR,
                                       "expected %d parameter(s), got %d", n, size);
        return 0;
    }
    return 1;
}

static xmlrpc_value *param(xmlrpc_env *envP, xmlrpc_value *params, int i) {
    xmlrpc_value *v;
    xmlrpc_array_read_item(envP, params, i, &v);
    return envP->fault_occurred ? NULL : v;
}

/* The parameter of a one-parameter method (a new reference), or NULL with the fault set. */
static xmlrpc_value *only_param(xmlrpc_env *envP, xmlrpc_value *params) {
    return want_params(envP, params, 1) ? param(envP, params, 0) : NULL;
}

/* An integer of either xmlrpc-c integer type (<int>/<i4> or <i8>). */
static int read_integer(xmlrpc_env *envP, xmlrpc_value *v, long long *out) {
    if (xmlrpc_value_type(v) == XMLRPC_TYPE_I8) {
        xmlrpc_int64 x;
        xmlrpc_read_i8(envP, v, &x);
        *out = x;
    } else {
        int x;
        xmlrpc_read_int(envP, v, &x);
        *out = x;
    }
    return !envP->fault_occurred;
}

/* An integer result: <int> when it fits 32 bits, else xmlrpc-c's 64-bit <i8>. */
static xmlrpc_value *integer_value(xmlrpc_env *envP, long long x) {
    if (x >= XMLRPC_INT32_MIN && x <= XMLRPC_INT32_MAX)
        return xmlrpc_int_new(envP, (int)x);
    return xmlrpc_i8_new(envP, x);
}

static long long struct_int(xmlrpc_env *envP, xmlrpc_value *s, const char *key) {
    xmlrpc_value *v;
    long long x = 0;
    xmlrpc_struct_read_value(envP, s, key, &v);
    if (envP->fault_occurred)
        return 0;
    read_integer(envP, v, &x);
    xmlrpc_DECREF(v);
    return x;
}

/* --- the conformance service ----------------------------------------------------------------- */

static xmlrpc_value *m_echo(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    if (!want_params(envP, params, 1))
        return NULL;
    return param(envP, params, 0);
}

static xmlrpc_value *m_echo_params(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)envP; (void)s; (void)c;
    xmlrpc_INCREF(params);
    return params;
}

static xmlrpc_value *m_describe(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *v = only_param(envP, params);
    if (!v)
        return NULL;
    sbuf b;
    sbuf_init(&b);
    model_json(envP, &b, v);
    xmlrpc_DECREF(v);
    xmlrpc_value *r = envP->fault_occurred ? NULL : xmlrpc_string_new_lp(envP, b.len, b.data);
    sbuf_free(&b);
    return r;
}

static xmlrpc_value *m_fault(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    int code;
    const char *str;
    xmlrpc_decompose_value(envP, params, "(is)", &code, &str);
    if (envP->fault_occurred)
        return NULL;
    xmlrpc_env_set_fault(envP, code, str);
    free((void *)str);
    return NULL;
}

/* C has no exceptions: an application error is a fault the method sets; xmlrpc_faultf() is the
   library's shorthand for it (code XMLRPC_INTERNAL_ERROR, -500). */
static xmlrpc_value *m_raise_error(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    const char *msg;
    xmlrpc_decompose_value(envP, params, "(s)", &msg);
    if (envP->fault_occurred)
        return NULL;
    xmlrpc_faultf(envP, "%s", msg);
    free((void *)msg);
    return NULL;
}

static xmlrpc_value *m_today(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    if (!want_params(envP, params, 0))
        return NULL;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    xmlrpc_datetime dt = {(unsigned)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday,
                          (unsigned)tm.tm_hour, (unsigned)tm.tm_min, (unsigned)tm.tm_sec, 0};
    return xmlrpc_datetime_new(envP, dt);
}

static xmlrpc_value *m_python_logo(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    if (!want_params(envP, params, 0))
        return NULL;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/seed/python-logo.png", fixtures_dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        xmlrpc_faultf(envP, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    sbuf b;
    sbuf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sbuf_putn(&b, chunk, n);
    fclose(f);
    xmlrpc_value *r = xmlrpc_base64_new(envP, b.len, (const unsigned char *)(b.data ? b.data : ""));
    sbuf_free(&b);
    return r;
}

enum arith { ADD, SUB, MUL, DIV };

static xmlrpc_value *arithmetic(xmlrpc_env *envP, xmlrpc_value *params, enum arith op) {
    if (!want_params(envP, params, 2))
        return NULL;
    xmlrpc_value *a = param(envP, params, 0);
    if (!a)
        return NULL;
    xmlrpc_value *b = param(envP, params, 1);
    if (!b) {
        xmlrpc_DECREF(a);
        return NULL;
    }
    xmlrpc_value *r = NULL;
    if (xmlrpc_value_type(a) == XMLRPC_TYPE_DOUBLE || xmlrpc_value_type(b) == XMLRPC_TYPE_DOUBLE) {
        double x, y;
        xmlrpc_read_double(envP, a, &x);
        if (!envP->fault_occurred)
            xmlrpc_read_double(envP, b, &y);
        if (!envP->fault_occurred) {
            if (op == DIV && y == 0)
                xmlrpc_faultf(envP, "float divmod()");
            else
                r = xmlrpc_double_new(envP, op == ADD ? x + y : op == SUB ? x - y : op == MUL ? x * y : floor(x / y));
        }
    } else {
        long long x, y;
        if (read_integer(envP, a, &x) && read_integer(envP, b, &y)) {
            __int128 z;
            if (op == ADD) z = (__int128)x + y;
            else if (op == SUB) z = (__int128)x - y;
            else if (op == MUL) z = (__int128)x * y;
            else if (y == 0) { xmlrpc_faultf(envP, "integer division or modulo by zero"); z = 0; }
            else {  /* Python's floor division */
                long long q = x / y;
                if ((x % y != 0) && ((x < 0) != (y < 0)))
                    q--;
                z = q;
            }
            if (!envP->fault_occurred) {
                if (z > LLONG_MAX || z < LLONG_MIN)
                    xmlrpc_faultf(envP, "integer result does not fit 64 bits");
                else
                    r = integer_value(envP, (long long)z);
            }
        }
    }
    xmlrpc_DECREF(a);
    xmlrpc_DECREF(b);
    return r;
}

static xmlrpc_value *m_add(xmlrpc_env *e, xmlrpc_value *p, void *s, void *c) { (void)s; (void)c; return arithmetic(e, p, ADD); }
static xmlrpc_value *m_subtract(xmlrpc_env *e, xmlrpc_value *p, void *s, void *c) { (void)s; (void)c; return arithmetic(e, p, SUB); }
static xmlrpc_value *m_multiply(xmlrpc_env *e, xmlrpc_value *p, void *s, void *c) { (void)s; (void)c; return arithmetic(e, p, MUL); }
static xmlrpc_value *m_divide(xmlrpc_env *e, xmlrpc_value *p, void *s, void *c) { (void)s; (void)c; return arithmetic(e, p, DIV); }

static xmlrpc_value *m_sleep(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *v = only_param(envP, params);
    if (!v)
        return NULL;
    double secs;
    if (xmlrpc_value_type(v) == XMLRPC_TYPE_DOUBLE)
        xmlrpc_read_double(envP, v, &secs);
    else {
        long long x = 0;
        read_integer(envP, v, &x);
        secs = (double)x;
    }
    if (envP->fault_occurred) {
        xmlrpc_DECREF(v);
        return NULL;
    }
    if (secs > 10) secs = 10;
    if (secs > 0) {
        struct timespec ts = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
        nanosleep(&ts, NULL);
    }
    return v;
}

static xmlrpc_value *m_make_string(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *v = only_param(envP, params);
    if (!v)
        return NULL;
    long long n = 0;
    read_integer(envP, v, &n);
    xmlrpc_DECREF(v);
    if (envP->fault_occurred)
        return NULL;
    if (n < 0) n = 0;
    if (n > 16 * 1024 * 1024) n = 16 * 1024 * 1024;
    char *buf = malloc((size_t)n + 1);
    memset(buf, 'x', (size_t)n);
    xmlrpc_value *r = xmlrpc_string_new_lp(envP, (size_t)n, buf);
    free(buf);
    return r;
}

/* validator1: the UserLand validator suite */
static xmlrpc_value *m_array_of_structs(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *arr = only_param(envP, params);
    if (!arr)
        return NULL;
    long long sum = 0;
    int n = xmlrpc_array_size(envP, arr);
    for (int i = 0; i < n && !envP->fault_occurred; i++) {
        xmlrpc_value *item;
        xmlrpc_array_read_item(envP, arr, i, &item);
        if (envP->fault_occurred)
            break;
        sum += struct_int(envP, item, "curly");
        xmlrpc_DECREF(item);
    }
    xmlrpc_DECREF(arr);
    return envP->fault_occurred ? NULL : integer_value(envP, sum);
}

static xmlrpc_value *m_count_entities(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    size_t len;
    const char *str;
    xmlrpc_decompose_value(envP, params, "(s#)", &str, &len);
    if (envP->fault_occurred)
        return NULL;
    int lt = 0, gt = 0, amp = 0, apos = 0, quot = 0;
    for (size_t i = 0; i < len; i++) {
        switch (str[i]) {
        case '<': lt++; break;
        case '>': gt++; break;
        case '&': amp++; break;
        case '\'': apos++; break;
        case '"': quot++; break;
        default: break;
        }
    }
    free((void *)str);
    return xmlrpc_build_value(envP, "{s:i,s:i,s:i,s:i,s:i}", "ctLeftAngleBrackets", lt, "ctRightAngleBrackets", gt,
                              "ctAmpersands", amp, "ctApostrophes", apos, "ctQuotes", quot);
}

static xmlrpc_value *moe_larry_curly(xmlrpc_env *envP, xmlrpc_value *st) {
    long long sum = struct_int(envP, st, "moe");
    if (!envP->fault_occurred) sum += struct_int(envP, st, "larry");
    if (!envP->fault_occurred) sum += struct_int(envP, st, "curly");
    return envP->fault_occurred ? NULL : integer_value(envP, sum);
}

static xmlrpc_value *m_easy_struct(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *st = only_param(envP, params);
    if (!st)
        return NULL;
    xmlrpc_value *r = moe_larry_curly(envP, st);
    xmlrpc_DECREF(st);
    return r;
}

static xmlrpc_value *m_echo_struct(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *st = only_param(envP, params);
    if (st && xmlrpc_value_type(st) != XMLRPC_TYPE_STRUCT) {
        xmlrpc_env_set_fault(envP, XMLRPC_TYPE_ERROR, "expected a struct");
        xmlrpc_DECREF(st);
        return NULL;
    }
    return st;
}

static xmlrpc_value *m_many_types(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    if (!want_params(envP, params, 6))
        return NULL;
    xmlrpc_INCREF(params);
    return params;
}

static xmlrpc_value *m_moderate_array(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *arr = only_param(envP, params);
    if (!arr)
        return NULL;
    int n = xmlrpc_array_size(envP, arr);
    xmlrpc_value *r = NULL;
    if (!envP->fault_occurred && n < 1)
        xmlrpc_env_set_fault(envP, XMLRPC_INDEX_ERROR, "empty array");
    if (!envP->fault_occurred) {
        xmlrpc_value *first, *last;
        const char *a = NULL, *b = NULL;
        size_t alen = 0, blen = 0;
        xmlrpc_array_read_item(envP, arr, 0, &first);
        if (!envP->fault_occurred) {
            xmlrpc_read_string_lp(envP, first, &alen, &a);
            xmlrpc_DECREF(first);
        }
        if (!envP->fault_occurred) {
            xmlrpc_array_read_item(envP, arr, n - 1, &last);
            if (!envP->fault_occurred) {
                xmlrpc_read_string_lp(envP, last, &blen, &b);
                xmlrpc_DECREF(last);
            }
        }
        if (!envP->fault_occurred) {
            sbuf out;
            sbuf_init(&out);
            sbuf_putn(&out, a, alen);
            sbuf_putn(&out, b, blen);
            r = xmlrpc_string_new_lp(envP, out.len, out.data);
            sbuf_free(&out);
        }
        free((void *)a);
        free((void *)b);
    }
    xmlrpc_DECREF(arr);
    return r;
}

static xmlrpc_value *m_nested_struct(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *cal = only_param(envP, params);
    if (!cal)
        return NULL;
    xmlrpc_value *year = NULL, *month = NULL, *day = NULL, *r = NULL;
    xmlrpc_struct_read_value(envP, cal, "2000", &year);
    if (!envP->fault_occurred)
        xmlrpc_struct_read_value(envP, year, "04", &month);
    if (!envP->fault_occurred)
        xmlrpc_struct_read_value(envP, month, "01", &day);
    if (!envP->fault_occurred)
        r = moe_larry_curly(envP, day);
    if (day) xmlrpc_DECREF(day);
    if (month) xmlrpc_DECREF(month);
    if (year) xmlrpc_DECREF(year);
    xmlrpc_DECREF(cal);
    return r;
}

static xmlrpc_value *m_simple_struct_return(xmlrpc_env *envP, xmlrpc_value *params, void *s, void *c) {
    (void)s; (void)c;
    xmlrpc_value *v = only_param(envP, params);
    if (!v)
        return NULL;
    long long n = 0;
    read_integer(envP, v, &n);
    xmlrpc_DECREF(v);
    if (envP->fault_occurred)
        return NULL;
    xmlrpc_value *r = xmlrpc_struct_new(envP);
    const char *names[3] = {"times10", "times100", "times1000"};
    long long mult[3] = {10, 100, 1000};
    for (int i = 0; i < 3 && !envP->fault_occurred; i++) {
        xmlrpc_value *x = integer_value(envP, n * mult[i]);
        if (!envP->fault_occurred) {
            xmlrpc_struct_set_value(envP, r, names[i], x);
            xmlrpc_DECREF(x);
        }
    }
    if (envP->fault_occurred) {
        xmlrpc_DECREF(r);
        return NULL;
    }
    return r;
}

struct method { const char *name; xmlrpc_method2 fn; const char *help; };

/* Sorted by name; help texts are conformance.py's docstrings (system.methodHelp). */
static const struct method methods[] = {
    {"add", m_add, "Return x + y."},
    {"describe", m_describe, "Return the catalog model (canonical JSON text) of what this server decoded."},
    {"divide", m_divide, "Return x // y (integer division)."},
    {"echo", m_echo, "Return the argument unchanged."},
    {"echo_params", m_echo_params, "Return all parameters as an array."},
    {"fault", m_fault, "Raise a Fault with this code and string."},
    {"make_string", m_make_string, "Return a string of `length` 'x' characters (at most 16 MiB)."},
    {"multiply", m_multiply, "Return x * y."},
    {"nested.echo", m_echo, "Return the argument unchanged."},
    {"python_logo", m_python_logo, "Return the Python logo image (the Python xmlrpc tutorial's python_logo())."},
    {"raise_error", m_raise_error, "Raise ValueError(message): CPython's server sends Fault 1 '<class 'ValueError'>:message'."},
    {"sleep", m_sleep, "Sleep (at most 10 seconds), then return the seconds slept."},
    {"subtract", m_subtract, "Return x - y."},
    {"today", m_today, "Return the current local date and time (the Python xmlrpc tutorial's today())."},
    {"validator1.arrayOfStructsTest", m_array_of_structs, "Sum the 'curly' members of an array of structs."},
    {"validator1.countTheEntities", m_count_entities, "Count < > & ' and \" characters of a string."},
    {"validator1.easyStructTest", m_easy_struct, "Return moe + larry + curly of a struct."},
    {"validator1.echoStructTest", m_echo_struct, "Return the struct unchanged."},
    {"validator1.manyTypesTest", m_many_types, "Return the six parameters as an array."},
    {"validator1.moderateSizeArrayCheck", m_moderate_array, "Return the first and the last string of an array, concatenated."},
    {"validator1.nestedStructTest", m_nested_struct, "Return moe + larry + curly of calendar['2000']['04']['01']."},
    {"validator1.simpleStructReturnTest", m_simple_struct_return, "Return n times 10, 100 and 1000 in a struct."},
};

/* xmlrpc-c 1.33.14 crashes (SIGSEGV in xmlrpc_serialize_value) when a response holds an infinite
   double; one echo(inf) would end the whole server and fail every later case. So a result holding
   +-inf is refused with a fault that says why (--no-guard: let the library crash, to reproduce). */
static int guard = 1;

static int holds_infinity(xmlrpc_env *envP, xmlrpc_value *v) {
    switch (xmlrpc_value_type(v)) {
    case XMLRPC_TYPE_DOUBLE: {
        double d;
        xmlrpc_read_double(envP, v, &d);
        return isinf(d);
    }
    case XMLRPC_TYPE_ARRAY: {
        int n = xmlrpc_array_size(envP, v);
        for (int i = 0; i < n && !envP->fault_occurred; i++) {
            xmlrpc_value *item;
            xmlrpc_array_read_item(envP, v, i, &item);
            if (envP->fault_occurred)
                return 0;
            int r = holds_infinity(envP, item);
            xmlrpc_DECREF(item);
            if (r)
                return 1;
        }
        return 0;
    }
    case XMLRPC_TYPE_STRUCT: {
        int n = xmlrpc_struct_size(envP, v);
        for (int i = 0; i < n && !envP->fault_occurred; i++) {
            xmlrpc_value *key, *item;
            xmlrpc_struct_read_member(envP, v, (unsigned int)i, &key, &item);
            if (envP->fault_occurred)
                return 0;
            int r = holds_infinity(envP, item);
            xmlrpc_DECREF(key);
            xmlrpc_DECREF(item);
            if (r)
                return 1;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static xmlrpc_value *guarded(xmlrpc_env *envP, xmlrpc_value *params, void *serverInfo, void *callInfo) {
    const struct method *m = serverInfo;
    xmlrpc_value *r = m->fn(envP, params, NULL, callInfo);
    if (r && guard) {
        xmlrpc_env probe;
        xmlrpc_env_init(&probe);
        if (holds_infinity(&probe, r)) {
            xmlrpc_DECREF(r);
            r = NULL;
            xmlrpc_env_set_fault(envP, XMLRPC_INTERNAL_ERROR,
                                 "peer guard: the result holds an infinite double, and xmlrpc-c 1.33.14 crashes "
                                 "(SIGSEGV) serializing one; refused so that the server keeps serving");
        }
        xmlrpc_env_clean(&probe);
    }
    return r;
}

/* --- process: flags, fixtures, lifetime ------------------------------------------------------- */

static void usage(const char *msg) {
    fprintf(stderr, "server: %s\nusage: server [--host 127.0.0.1] [--port 0] [--max-lifetime 900] [--fixtures DIR] [--no-guard]\n", msg);
    exit(2);
}

static int is_loopback(const char *host, struct in_addr *out) {
    if (strcmp(host, "localhost") == 0) {
        inet_pton(AF_INET, "127.0.0.1", out);
        return 1;
    }
    if (inet_pton(AF_INET, host, out) != 1)
        return 0;
    return (ntohl(out->s_addr) >> 24) == 127;
}

static int has_schema(const char *dir) {
    char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/case.schema.json", dir);
    return access(p, R_OK) == 0;
}

static void find_fixtures(const char *given) {
    const char *env = getenv("CONFORMANCE_FIXTURES");
    char exe[PATH_MAX];
    char guess[PATH_MAX + 64] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* <repo>/suite/foreign-peers/xmlrpc-c/bin/server -> <repo>/fixtures */
        char *p = exe;
        for (int i = 0; i < 5 && p; i++) {
            p = strrchr(exe, '/');
            if (p) *p = '\0';
        }
        snprintf(guess, sizeof guess, "%s/fixtures", exe);
    }
    const char *candidates[] = {given, env, guess, "/fixtures"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        if (candidates[i] && *candidates[i] && has_schema(candidates[i])) {
            if (!realpath(candidates[i], fixtures_dir))
                snprintf(fixtures_dir, sizeof fixtures_dir, "%s", candidates[i]);
            return;
        }
        if (i == 0 && given)
            usage("--fixtures: no case.schema.json there");
    }
    fixtures_dir[0] = '\0';  /* only python_logo needs it */
    fprintf(stderr, "server: fixtures/ not found; python_logo will fault\n");
}

static void hard_exit(int sig) {
    (void)sig;
    _exit(0);
}

static void stop(int sig) {
    (void)sig;
    /* xmlrpc_server_abyss_terminate is meant for signal handlers (it only sets a flag and
       interrupts the wait); the request in progress gets 5 s. */
    xmlrpc_env env;
    xmlrpc_env_init(&env);
    if (the_server)
        xmlrpc_server_abyss_terminate(&env, the_server);
    signal(SIGALRM, hard_exit);
    alarm(5);
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    long port = 0;
    double lifetime = 900;
    const char *fixtures = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (strcmp(a, "--host") == 0 && v) { host = v; i++; }
        else if (strcmp(a, "--port") == 0 && v) {
            port = strtol(v, &end, 10);
            if (*end || port < 0 || port > 65535) usage("--port: 0..65535");
            i++;
        } else if (strcmp(a, "--max-lifetime") == 0 && v) {
            lifetime = strtod(v, &end);
            if (*end || lifetime < 0) usage("--max-lifetime must be >= 0");
            i++;
        } else if (strcmp(a, "--fixtures") == 0 && v) { fixtures = v; i++; }
        else usage(a);
    }
    struct in_addr addr;
    if (!is_loopback(host, &addr)) {
        fprintf(stderr, "server: --host %s is not a loopback address (127.0.0.0/8, localhost); refused\n", host);
        return 2;
    }
    find_fixtures(fixtures);

    xmlrpc_env env;
    xmlrpc_env_init(&env);
    xmlrpc_server_abyss_global_init(&env);
    if (env.fault_occurred) { fprintf(stderr, "server: %s\n", env.fault_string); return 1; }

    xmlrpc_registry *registry = xmlrpc_registry_new(&env);
    for (size_t i = 0; i < sizeof methods / sizeof methods[0] && !env.fault_occurred; i++) {
        struct xmlrpc_method_info3 info;
        memset(&info, 0, sizeof info);
        info.methodName = methods[i].name;
        info.methodFunction = guarded;
        info.serverInfo = (void *)&methods[i];
        info.help = methods[i].help;
        xmlrpc_registry_add_method3(&env, registry, &info);
    }
    if (env.fault_occurred) { fprintf(stderr, "server: %s\n", env.fault_string); return 1; }

    /* Our own socket, bound to the loopback address only, so the ready line can name the port. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr = addr;
    sa.sin_port = htons((unsigned short)port);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0) {
        fprintf(stderr, "server: cannot listen on %s:%ld: %s\n", host, port, strerror(errno));
        return 1;
    }
    socklen_t salen = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &salen);
    unsigned actual = ntohs(sa.sin_port);

    xmlrpc_server_abyss_parms parms;
    memset(&parms, 0, sizeof parms);
    parms.config_file_name = NULL;
    parms.registryP = registry;
    parms.socket_bound = 1;
    parms.socket_handle = fd;
    parms.uri_path = "/RPC2";
    xmlrpc_server_abyss_create(&env, &parms, XMLRPC_APSIZE(uri_path), &the_server);
    if (env.fault_occurred) { fprintf(stderr, "server: %s\n", env.fault_string); return 1; }

    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    if (lifetime > 0) {
        signal(SIGALRM, stop);
        alarm((unsigned)(lifetime < 1 ? 1 : lifetime));
    }

    char addrtext[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr, addrtext, sizeof addrtext);
    unsigned major, minor, point;
    xmlrpc_version(&major, &minor, &point);
    printf("{\"event\": \"ready\", \"role\": \"server\", \"port\": %u, \"url\": \"http://%s:%u/RPC2\", "
           "\"implementation\": \"xmlrpc-c\", \"version\": \"%u.%u.%u\", \"build\": \"xmlrpc-c %u.%u.%u Abyss server\"}\n",
           actual, addrtext, actual, major, minor, point, major, minor, point);
    fflush(stdout);

    xmlrpc_server_abyss_run_server(&env, the_server);
    if (env.fault_occurred)
        fprintf(stderr, "server: %s\n", env.fault_string);
    fprintf(stderr, "server: exiting\n");
    _exit(0);  /* the run loop has ended: no need to wait for the library's teardown */
}
