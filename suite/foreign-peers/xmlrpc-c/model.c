/* model.c - see model.h */
#include "model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmlrpc-c/util.h>

void sbuf_init(sbuf *b) { b->data = NULL; b->len = 0; b->cap = 0; }

void sbuf_free(sbuf *b) { free(b->data); sbuf_init(b); }

static void sbuf_reserve(sbuf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("out of memory\n", stderr);
        abort();
    }
    b->data = p;
    b->cap = cap;
}

void sbuf_putn(sbuf *b, const char *s, size_t n) {
    sbuf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sbuf_puts(sbuf *b, const char *s) { sbuf_putn(b, s, strlen(s)); }

void sbuf_printf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    sbuf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

/* Decode one UTF-8 sequence at s[0..n); returns its length (>= 1), *cp = U+FFFD when invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned long *cp) {
    unsigned char c = s[0];
    size_t len;
    unsigned long v, min;
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    if (len > n) { *cp = 0xFFFD; return 1; }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    /* Surrogate code points (CESU-style) are kept as they are: Python would keep them too
       (json.dumps writes \udXXX); overlong forms are invalid. */
    if (v < min || v > 0x10FFFF) { *cp = 0xFFFD; return 1; }
    *cp = v;
    return len;
}

void json_string(sbuf *b, const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    sbuf_putn(b, "\"", 1);
    while (i < n) {
        unsigned long cp;
        size_t len = utf8_next(s + i, n - i, &cp);
        i += len;
        switch (cp) {
        case '"': sbuf_puts(b, "\\\""); continue;
        case '\\': sbuf_puts(b, "\\\\"); continue;
        case '\n': sbuf_puts(b, "\\n"); continue;
        case '\r': sbuf_puts(b, "\\r"); continue;
        case '\t': sbuf_puts(b, "\\t"); continue;
        case '\b': sbuf_puts(b, "\\b"); continue;
        case '\f': sbuf_puts(b, "\\f"); continue;
        default: break;
        }
        if (cp >= 0x20 && cp <= 0x7E) {
            char ch = (char)cp;
            sbuf_putn(b, &ch, 1);
        } else if (cp < 0x10000) {
            sbuf_printf(b, "\\u%04lx", cp);
        } else {
            unsigned long v = cp - 0x10000;
            sbuf_printf(b, "\\u%04lx\\u%04lx", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
        }
    }
    sbuf_putn(b, "\"", 1);
}

void python_float_repr(sbuf *b, double d) {
    if (isnan(d)) { sbuf_puts(b, "nan"); return; }
    if (isinf(d)) { sbuf_puts(b, d < 0 ? "-inf" : "inf"); return; }
    /* Shortest %.{p}e that reads back as the same double: the digits Python's repr uses. */
    char buf[64];
    int p;
    for (p = 0; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    if (p == 17)
        snprintf(buf, sizeof buf, "%.16e", d);
    /* buf: [-]D[.DDD]e[+-]XX */
    const char *s = buf;
    int neg = 0;
    if (*s == '-') { neg = 1; s++; }
    char digits[32];
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            digits[nd++] = *s;
    digits[nd] = '\0';
    int exp10 = atoi(s + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        digits[--nd] = '\0';
    if (neg)
        sbuf_puts(b, "-");
    /* float_repr_style 'short', repr: exponent form when exp < -4 or exp >= 16 */
    if (exp10 < -4 || exp10 >= 16) {
        sbuf_putn(b, digits, 1);
        if (nd > 1) {
            sbuf_puts(b, ".");
            sbuf_putn(b, digits + 1, (size_t)nd - 1);
        }
        sbuf_printf(b, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (exp10 < 0) {
        sbuf_puts(b, "0.");
        for (int i = 0; i < -exp10 - 1; i++)
            sbuf_puts(b, "0");
        sbuf_putn(b, digits, (size_t)nd);
    } else {
        int intdigits = exp10 + 1;
        for (int i = 0; i < intdigits; i++)
            sbuf_putn(b, i < nd ? &digits[i] : "0", 1);
        sbuf_puts(b, ".");
        if (nd > intdigits)
            sbuf_putn(b, digits + intdigits, (size_t)(nd - intdigits));
        else
            sbuf_puts(b, "0");
    }
}

void model_json(xmlrpc_env *envP, sbuf *b, xmlrpc_value *v) {
    switch (xmlrpc_value_type(v)) {
    case XMLRPC_TYPE_INT: {
        int i;
        xmlrpc_read_int(envP, v, &i);
        sbuf_printf(b, "{\"int\":%d}", i);
        break;
    }
    case XMLRPC_TYPE_I8: {
        xmlrpc_int64 i;
        xmlrpc_read_i8(envP, v, &i);
        sbuf_printf(b, "{\"int\":%lld}", (long long)i);  /* the model has one integer type */
        break;
    }
    case XMLRPC_TYPE_BOOL: {
        xmlrpc_bool x;
        xmlrpc_read_bool(envP, v, &x);
        sbuf_puts(b, x ? "{\"boolean\":true}" : "{\"boolean\":false}");
        break;
    }
    case XMLRPC_TYPE_DOUBLE: {
        double d;
        xmlrpc_read_double(envP, v, &d);
        sbuf_puts(b, "{\"double\":\"");
        python_float_repr(b, d);
        sbuf_puts(b, "\"}");
        break;
    }
    case XMLRPC_TYPE_DATETIME: {
        /* xmlrpc-c keeps the decoded components, not the wire text: written back in the
           XML-RPC form (fraction only when the library holds microseconds). */
        xmlrpc_datetime dt;
        xmlrpc_read_datetime(envP, v, &dt);
        if (envP->fault_occurred)
            return;
        sbuf_printf(b, "{\"dateTime.iso8601\":\"%04u%02u%02uT%02u:%02u:%02u", dt.Y, dt.M, dt.D, dt.h, dt.m, dt.s);
        if (dt.u)
            sbuf_printf(b, ".%06u", dt.u);
        sbuf_puts(b, "\"}");
        break;
    }
    case XMLRPC_TYPE_STRING: {
        size_t len;
        const char *s;
        xmlrpc_read_string_lp(envP, v, &len, &s);
        if (envP->fault_occurred)
            return;
        sbuf_puts(b, "{\"string\":");
        json_string(b, s, len);
        sbuf_puts(b, "}");
        free((void *)s);
        break;
    }
    case XMLRPC_TYPE_BASE64: {
        size_t len;
        const unsigned char *bytes;
        xmlrpc_read_base64(envP, v, &len, &bytes);
        if (envP->fault_occurred)
            return;
        static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        sbuf_puts(b, "{\"base64\":\"");
        for (size_t i = 0; i < len; i += 3) {
            unsigned long n = (unsigned long)bytes[i] << 16;
            if (i + 1 < len) n |= (unsigned long)bytes[i + 1] << 8;
            if (i + 2 < len) n |= bytes[i + 2];
            char out[4] = {tbl[(n >> 18) & 63], tbl[(n >> 12) & 63],
                           i + 1 < len ? tbl[(n >> 6) & 63] : '=', i + 2 < len ? tbl[n & 63] : '='};
            sbuf_putn(b, out, 4);
        }
        sbuf_puts(b, "\"}");
        free((void *)bytes);
        break;
    }
    case XMLRPC_TYPE_NIL:
        sbuf_puts(b, "{\"nil\":null}");
        break;
    case XMLRPC_TYPE_ARRAY: {
        int n = xmlrpc_array_size(envP, v);
        sbuf_puts(b, "{\"array\":[");
        for (int i = 0; i < n && !envP->fault_occurred; i++) {
            xmlrpc_value *item;
            xmlrpc_array_read_item(envP, v, i, &item);
            if (envP->fault_occurred)
                return;
            if (i)
                sbuf_puts(b, ",");
            model_json(envP, b, item);
            xmlrpc_DECREF(item);
        }
        sbuf_puts(b, "]}");
        break;
    }
    case XMLRPC_TYPE_STRUCT: {
        int n = xmlrpc_struct_size(envP, v);
        sbuf_puts(b, "{\"struct\":[");
        for (int i = 0; i < n && !envP->fault_occurred; i++) {
            xmlrpc_value *key, *item;
            xmlrpc_struct_read_member(envP, v, (unsigned int)i, &key, &item);
            if (envP->fault_occurred)
                return;
            size_t klen;
            const char *k;
            xmlrpc_read_string_lp(envP, key, &klen, &k);
            if (!envP->fault_occurred) {
                if (i)
                    sbuf_puts(b, ",");
                sbuf_puts(b, "[");
                json_string(b, k, klen);
                sbuf_puts(b, ",");
                model_json(envP, b, item);
                sbuf_puts(b, "]");
                free((void *)k);
            }
            xmlrpc_DECREF(key);
            xmlrpc_DECREF(item);
        }
        sbuf_puts(b, "]}");
        break;
    }
    default:
        sbuf_printf(b, "{\"xmlrpc-c\":\"%s\"}", xmlrpc_type_name(xmlrpc_value_type(v)));
        break;
    }
}

const char *xmlrpc_c_error_name(int code, char *buf, size_t bufsize) {
    switch (code) {
    case XMLRPC_INTERNAL_ERROR: return "XMLRPC_INTERNAL_ERROR";
    case XMLRPC_TYPE_ERROR: return "XMLRPC_TYPE_ERROR";
    case XMLRPC_INDEX_ERROR: return "XMLRPC_INDEX_ERROR";
    case XMLRPC_PARSE_ERROR: return "XMLRPC_PARSE_ERROR";
    case XMLRPC_NETWORK_ERROR: return "XMLRPC_NETWORK_ERROR";
    case XMLRPC_TIMEOUT_ERROR: return "XMLRPC_TIMEOUT_ERROR";
    case XMLRPC_NO_SUCH_METHOD_ERROR: return "XMLRPC_NO_SUCH_METHOD_ERROR";
    case XMLRPC_REQUEST_REFUSED_ERROR: return "XMLRPC_REQUEST_REFUSED_ERROR";
    case XMLRPC_INTROSPECTION_DISABLED_ERROR: return "XMLRPC_INTROSPECTION_DISABLED_ERROR";
    case XMLRPC_LIMIT_EXCEEDED_ERROR: return "XMLRPC_LIMIT_EXCEEDED_ERROR";
    case XMLRPC_INVALID_UTF8_ERROR: return "XMLRPC_INVALID_UTF8_ERROR";
    default:
        snprintf(buf, bufsize, "xmlrpc-c fault %d", code);
        return buf;
    }
}
