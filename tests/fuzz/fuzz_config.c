/*
 * libFuzzer target: the configuration parser on arbitrary text. Includes are
 * resolved against a directory that does not exist, so the parser never
 * reads anything but the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_result res;
	char *text = malloc(size + 1);
	char buf[1024];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cfg_load_string(text, "fuzz.conf", "/nonexistent-vipd-fuzz", &res);
	/* A usable config never comes with errors, and every diag formats. */
	if (res.config && res.nerrors)
		abort();
	for (size_t i = 0; i < res.ndiags; i++)
		cfg_diag_format(&res.diags[i], buf, sizeof(buf));
	cfg_result_free(&res);
	free(text);
	return 0;
}
