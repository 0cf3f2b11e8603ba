/* json_bytes.c — paths in JSON with a base64 fallback; see json_bytes.h. */
#include "indexer/json_bytes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

bool json_set_bytes(json_t *object, const char *key, const char *bytes, size_t len)
{
    if (g_utf8_validate(bytes, (gssize)len, NULL))
        return json_object_set_new(object, key, json_stringn(bytes, len)) == 0;
    char bytes_key[128];
    snprintf(bytes_key, sizeof bytes_key, "%s_bytes", key);
    gchar *encoded = g_base64_encode((const guchar *)bytes, len);
    bool ok = json_object_set_new(object, bytes_key, json_string(encoded)) == 0;
    g_free(encoded);
    return ok;
}

char *json_get_bytes(const json_t *object, const char *key)
{
    const json_t *plain = json_object_get(object, key);
    if (json_is_string(plain)) {
        size_t len = json_string_length(plain);
        const char *s = json_string_value(plain);
        return memchr(s, '\0', len) ? NULL : strndup(s, len);
    }
    char bytes_key[128];
    snprintf(bytes_key, sizeof bytes_key, "%s_bytes", key);
    const json_t *encoded = json_object_get(object, bytes_key);
    if (!json_is_string(encoded))
        return NULL;
    gsize len = 0;
    guchar *raw = g_base64_decode(json_string_value(encoded), &len);
    char *bytes = raw && !memchr(raw, '\0', len) ? strndup((const char *)raw, len) : NULL;
    g_free(raw);
    return bytes;
}
