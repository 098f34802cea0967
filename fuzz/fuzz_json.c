/* SPDX-License-Identifier: MIT */
/* Fuzzes JSON parsing with the depth limit, and re-printing what parsed. */
#include <stdint.h>
#include <stdlib.h>

#include "base/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pjson *v = pjson_parse((const char *)data, size, 64);

    if (v) {
        free(pjson_print(v, NULL));
        (void)pjson_str(pjson_get(v, "command"));
        pjson_free(v);
    }
    return 0;
}
