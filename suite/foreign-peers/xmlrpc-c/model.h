/* model.h - the catalog's value model (fixtures/README.md) for xmlrpc-c values.
 *
 * Shared by server.c (describe) and client.c (printing what the library decoded).
 * Only *reads* xmlrpc_value objects the library built; never writes XML-RPC XML.
 */
#ifndef FOREIGN_MODEL_H
#define FOREIGN_MODEL_H

#include <stddef.h>
#include <xmlrpc-c/base.h>

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} sbuf;

void sbuf_init(sbuf *b);
void sbuf_free(sbuf *b);
void sbuf_putn(sbuf *b, const char *s, size_t n);
void sbuf_puts(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...);

/* A JSON string literal of UTF-8 bytes, ASCII-only like Python's json.dumps(ensure_ascii=True):
   \" \\ \n \r \t \b \f, other characters outside ' '..'~' as \uXXXX (lower-case hex, surrogate
   pairs above U+FFFF). Invalid UTF-8 bytes are written as U+FFFD. */
void json_string(sbuf *b, const char *s, size_t n);

/* Python's repr() of a double (shortest round-trip digits; "1e-07", "1e+16", "0.1", "100.0",
   "inf", "-inf", "nan"). */
void python_float_repr(sbuf *b, double d);

/* The canonical model JSON of a decoded value: {"int":5}, {"struct":[["a",{"int":1}]]} ...
   Returns 0, or -1 with envP set. */
void model_json(xmlrpc_env *envP, sbuf *b, xmlrpc_value *v);

/* The xmlrpc-c fault code constant's name (XMLRPC_TYPE_ERROR ...) or "xmlrpc-c fault <code>". */
const char *xmlrpc_c_error_name(int code, char *buf, size_t bufsize);

#endif
