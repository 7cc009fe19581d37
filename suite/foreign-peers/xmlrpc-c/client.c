/* client.c - xmlrpc-c's client library (curl transport) as a conformance client.
 *
 *   bin/client --url URL [--timeout SECONDS]      (normally started by client.py)
 *
 * Reads one call per line on stdin and answers one JSON line on stdout per call. A line is
 *
 *   m<method name, hex of UTF-8> <param count> <value>...
 *
 * with each value one space-separated token (compound values are followed by their items):
 *
 *   i<decimal>   an integer (model "int"): xmlrpc_int_new if it fits 32 bits, else xmlrpc_i8_new
 *   I<decimal>   model "i8": xmlrpc_i8_new
 *   b0 | b1      xmlrpc_bool_new
 *   d<text>      xmlrpc_double_new(strtod(text))
 *   t<hex>       model "dateTime.iso8601": xmlrpc_datetime_new_str(text)
 *   N<Y>,<M>,<D>,<h>,<m>,<s>,<us>   model "datetime" (a native date-time): xmlrpc_datetime_new
 *   s<hex>       xmlrpc_string_new_lp(bytes)
 *   B<hex>       xmlrpc_base64_new(bytes)
 *   n            xmlrpc_nil_new
 *   a<count>     xmlrpc_array_new, then <count> values
 *   S<count>     xmlrpc_struct_new, then <count> times: k<hex key> <value>
 *   D<text>      model "bigdecimal": xmlrpc-c has no such type (sendError)
 *
 * The call is exactly what xmlrpc_client_call2() does, in its three library steps, so that a
 * fault and a transport error stay apart and the XML can be shown: xmlrpc_serialize_call2()
 * (dialect i8, the client's default), xmlrpc_client_transport_call2() (curl), and
 * xmlrpc_parse_response2(). Output, one line per call:
 *
 *   {"progress":"serialized"}            (flushed before anything is sent)
 *   {"observation":OBS,"request":"...","response":"..."}
 *
 * OBS is {"response":{"result":MODEL}} | {"response":{"fault":{"code":N,"string":S}}} |
 * {"sendError":{"type":T,"message":M}} | {"error":{"type":T,"message":M[,"status":N]}}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmlrpc-c/base.h>
#include <xmlrpc-c/client.h>
#include <xmlrpc-c/util.h>

#include "model.h"

#define XML_LIMIT (16 * 1024)

static char *next_token(char **save) { return strtok_r(NULL, " \n", save); }

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* hex text -> bytes (malloc'd, NUL-terminated), length in *len */
static char *unhex(const char *h, size_t *len) {
    size_t n = strlen(h) / 2;
    char *out = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(hexval(h[2 * i]) * 16 + hexval(h[2 * i + 1]));
    out[n] = '\0';
    *len = n;
    return out;
}

static xmlrpc_value *build(xmlrpc_env *envP, char **save, const char **why);

/* Sets *why (static text) when the value cannot be expressed with xmlrpc-c at all. */
static xmlrpc_value *build_raw(xmlrpc_env *envP, char **save, const char **why) {
    char *tok = next_token(save);
    if (!tok) {
        xmlrpc_faultf(envP, "driver protocol: value missing");
        return NULL;
    }
    char *arg = tok + 1;
    size_t len;
    switch (tok[0]) {
    case 'i':
    case 'I': {
        errno = 0;
        char *end;
        long long x = strtoll(arg, &end, 10);
        if (errno == ERANGE || *end) {
            *why = "xmlrpc-c's integer types are int (<i4>) and 64-bit xmlrpc_int64 (<i8>): "
                   "an integer beyond 64 bits cannot be given to the library";
            return NULL;
        }
        if (tok[0] == 'i' && x >= XMLRPC_INT32_MIN && x <= XMLRPC_INT32_MAX)
            return xmlrpc_int_new(envP, (int)x);
        return xmlrpc_i8_new(envP, x);
    }
    case 'b':
        return xmlrpc_bool_new(envP, arg[0] == '1');
    case 'd':
        return xmlrpc_double_new(envP, strtod(arg, NULL));
    case 't': {
        char *text = unhex(arg, &len);
        xmlrpc_value *v = xmlrpc_datetime_new_str(envP, text);
        free(text);
        return v;
    }
    case 'N': {
        xmlrpc_datetime dt;
        memset(&dt, 0, sizeof dt);
        sscanf(arg, "%u,%u,%u,%u,%u,%u,%u", &dt.Y, &dt.M, &dt.D, &dt.h, &dt.m, &dt.s, &dt.u);
        return xmlrpc_datetime_new(envP, dt);
    }
    case 's': {
        char *text = unhex(arg, &len);
        xmlrpc_value *v = xmlrpc_string_new_lp(envP, len, text);
        free(text);
        return v;
    }
    case 'B': {
        char *bytes = unhex(arg, &len);
        xmlrpc_value *v = xmlrpc_base64_new(envP, len, (const unsigned char *)bytes);
        free(bytes);
        return v;
    }
    case 'n':
        return xmlrpc_nil_new(envP);
    case 'a': {
        int n = atoi(arg);
        xmlrpc_value *arr = xmlrpc_array_new(envP);
        for (int i = 0; i < n && !envP->fault_occurred && !*why; i++) {
            xmlrpc_value *item = build(envP, save, why);
            if (item) {
                xmlrpc_array_append_item(envP, arr, item);
                xmlrpc_DECREF(item);
            }
        }
        if (envP->fault_occurred || *why) {
            xmlrpc_DECREF(arr);
            return NULL;
        }
        return arr;
    }
    case 'S': {
        int n = atoi(arg);
        xmlrpc_value *st = xmlrpc_struct_new(envP);
        for (int i = 0; i < n && !envP->fault_occurred && !*why; i++) {
            char *khex = next_token(save);
            if (!khex || khex[0] != 'k') {
                xmlrpc_faultf(envP, "driver protocol: struct key missing");
                break;
            }
            size_t klen;
            char *key = unhex(khex + 1, &klen);
            xmlrpc_value *item = build(envP, save, why);
            if (item) {
                xmlrpc_struct_set_value_n(envP, st, key, klen, item);
                /* A key with a character beyond U+FFFD: xmlrpc-c 1.33.14's set_value_n itself
                   crashes (SIGSEGV in xmlrpc_DECREF, called from xmlrpc_struct_set_value_n; gdb).
                   client.py reports the dead helper as a sendError of type "crash". */
                if (!envP->fault_occurred)
                    xmlrpc_DECREF(item);
            }
            free(key);
        }
        if (envP->fault_occurred || *why) {
            xmlrpc_DECREF(st);
            return NULL;
        }
        return st;
    }
    case 'D':
        *why = "xmlrpc-c has no <bigdecimal> type: the value cannot be given to the library";
        return NULL;
    default:
        xmlrpc_faultf(envP, "driver protocol: unknown token %s", tok);
        return NULL;
    }
}

/* xmlrpc-c's constructors return an undefined pointer when they set a fault: NULL it. */
static xmlrpc_value *build(xmlrpc_env *envP, char **save, const char **why) {
    xmlrpc_value *v = build_raw(envP, save, why);
    return (envP->fault_occurred || *why) ? NULL : v;
}

static void put_error(sbuf *out, const char *kind, const char *type, const char *message, int status) {
    sbuf_printf(out, "{\"%s\":{\"type\":", kind);
    json_string(out, type, strlen(type));
    sbuf_puts(out, ",\"message\":");
    json_string(out, message, strlen(message));
    if (status > 0)
        sbuf_printf(out, ",\"status\":%d", status);
    sbuf_puts(out, "}}");
}

static void put_xml(sbuf *out, const char *name, xmlrpc_mem_block *mb) {
    if (!mb)
        return;
    size_t n = XMLRPC_MEMBLOCK_SIZE(char, mb);
    const char *text = XMLRPC_MEMBLOCK_CONTENTS(char, mb);
    while (n > 0 && text[n - 1] == '\0')  /* the transport NUL-terminates the block; not on the wire */
        n--;
    sbuf_printf(out, ",\"%s\":", name);
    json_string(out, XMLRPC_MEMBLOCK_CONTENTS(char, mb), n > XML_LIMIT ? XML_LIMIT : n);
}

/* "HTTP response code is 404, not 200" (curl transport) -> 404 */
static int http_status(const char *msg) {
    const char *p = strstr(msg, "HTTP response code is ");
    return p ? atoi(p + strlen("HTTP response code is ")) : 0;
}

static void one_call(xmlrpc_client *client, xmlrpc_server_info *server, char *line) {
    char *save;
    char *mhex = strtok_r(line, " \n", &save);
    char *count = next_token(&save);
    if (!mhex || !count || mhex[0] != 'm') {
        puts("{\"observation\":{\"sendError\":{\"type\":\"driver\",\"message\":\"bad request line\"}}}");
        fflush(stdout);
        return;
    }
    size_t mlen;
    char *method = unhex(mhex + 1, &mlen);
    char errname[64];
    sbuf out;
    sbuf_init(&out);
    sbuf_puts(&out, "{\"observation\":");

    xmlrpc_env env;
    xmlrpc_env_init(&env);
    const char *why = NULL;
    xmlrpc_value *params = xmlrpc_array_new(&env);
    int n = atoi(count);
    for (int i = 0; i < n && !env.fault_occurred && !why; i++) {
        xmlrpc_value *v = build(&env, &save, &why);
        if (v) {
            xmlrpc_array_append_item(&env, params, v);
            xmlrpc_DECREF(v);
        }
    }
    xmlrpc_mem_block *callXml = NULL, *respXml = NULL;
    if (why) {
        put_error(&out, "sendError", "xmlrpc-c: no such type", why, 0);
    } else if (env.fault_occurred) {
        put_error(&out, "sendError", xmlrpc_c_error_name(env.fault_code, errname, sizeof errname), env.fault_string, 0);
    } else {
        callXml = XMLRPC_MEMBLOCK_NEW(char, &env, 0);
        xmlrpc_serialize_call2(&env, callXml, method, params, xmlrpc_dialect_i8);
        if (env.fault_occurred) {
            put_error(&out, "sendError", xmlrpc_c_error_name(env.fault_code, errname, sizeof errname), env.fault_string, 0);
        } else {
            fputs("{\"progress\":\"serialized\"}\n", stdout);
            fflush(stdout);
            xmlrpc_client_transport_call2(&env, client, server, callXml, &respXml);
            if (env.fault_occurred) {
                respXml = NULL;
                put_error(&out, "error", xmlrpc_c_error_name(env.fault_code, errname, sizeof errname), env.fault_string,
                          http_status(env.fault_string));
            } else {
                xmlrpc_value *result = NULL;
                int faultCode = 0;
                const char *faultString = NULL;
                xmlrpc_parse_response2(&env, XMLRPC_MEMBLOCK_CONTENTS(char, respXml), XMLRPC_MEMBLOCK_SIZE(char, respXml),
                                       &result, &faultCode, &faultString);
                if (env.fault_occurred) {
                    put_error(&out, "error", xmlrpc_c_error_name(env.fault_code, errname, sizeof errname), env.fault_string, 0);
                } else if (faultString) {
                    sbuf_printf(&out, "{\"response\":{\"fault\":{\"code\":%d,\"string\":", faultCode);
                    json_string(&out, faultString, strlen(faultString));
                    sbuf_puts(&out, "}}}");
                    free((void *)faultString);
                } else {
                    sbuf model;
                    sbuf_init(&model);
                    model_json(&env, &model, result);
                    if (env.fault_occurred)
                        put_error(&out, "error", "model", env.fault_string, 0);
                    else {
                        sbuf_puts(&out, "{\"response\":{\"result\":");
                        sbuf_putn(&out, model.data, model.len);
                        sbuf_puts(&out, "}}");
                    }
                    sbuf_free(&model);
                    xmlrpc_DECREF(result);
                }
            }
        }
    }
    put_xml(&out, "request", callXml);
    put_xml(&out, "response", respXml);
    sbuf_puts(&out, "}\n");
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    sbuf_free(&out);
    if (callXml) XMLRPC_MEMBLOCK_FREE(char, callXml);
    if (respXml) XMLRPC_MEMBLOCK_FREE(char, respXml);
    xmlrpc_DECREF(params);
    xmlrpc_env_clean(&env);
    free(method);
}

int main(int argc, char **argv) {
    const char *url = NULL;
    unsigned timeout = 10;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--url") == 0 && i + 1 < argc) url = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) timeout = (unsigned)atof(argv[++i]);
        else if (strcmp(argv[i], "--version") == 0) {
            unsigned major, minor, point;
            xmlrpc_version(&major, &minor, &point);
            printf("%u.%u.%u\n", major, minor, point);
            return 0;
        } else {
            fprintf(stderr, "usage: client --url URL [--timeout SECONDS] | --version\n");
            return 2;
        }
    }
    if (!url) {
        fprintf(stderr, "client: --url is required\n");
        return 2;
    }
    xmlrpc_env env;
    xmlrpc_env_init(&env);
    xmlrpc_client_setup_global_const(&env);
    struct xmlrpc_curl_xportparms curlParms;
    memset(&curlParms, 0, sizeof curlParms);
    curlParms.timeout = timeout * 1000;  /* milliseconds (xmlrpc-c's curl transport) */
    struct xmlrpc_clientparms clientParms;
    memset(&clientParms, 0, sizeof clientParms);
    clientParms.transport = "curl";
    clientParms.transportparmsP = &curlParms;
    clientParms.transportparm_size = XMLRPC_CXPSIZE(timeout);
    xmlrpc_client *client;
    xmlrpc_client_create(&env, XMLRPC_CLIENT_NO_FLAGS, "xmlrpc-conformance", "1", &clientParms,
                         XMLRPC_CPSIZE(transportparm_size), &client);
    if (env.fault_occurred) {
        fprintf(stderr, "client: %s\n", env.fault_string);
        return 1;
    }
    xmlrpc_server_info *server = xmlrpc_server_info_new(&env, url);
    if (env.fault_occurred) {
        fprintf(stderr, "client: %s\n", env.fault_string);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0)
        one_call(client, server, line);
    free(line);
    xmlrpc_server_info_free(server);
    xmlrpc_client_destroy(client);
    xmlrpc_client_teardown_global_const();
    return 0;
}
