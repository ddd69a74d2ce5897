/*
 * secret.h - judgements about a candidate secret: placeholders, entropy,
 * structural validation, fingerprint and redacted preview. Pure functions.
 */
#ifndef LEAKSCAN_SECRET_H
#define LEAKSCAN_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include "ruleset.h"

/* Shannon entropy in bits per byte (0 for an empty string). */
double leakscan_entropy(const char *s, size_t len);

/*
 * 1 when the value is a placeholder rather than a secret (docs/rules.md,
 * "Placeholders"): template references, vendor EXAMPLE keys, placeholder
 * words, one dominant character, or a run of 6 ascending characters.
 */
int leakscan_is_placeholder(const char *s, size_t len);

/* CRC-32 (IEEE, as zlib's crc32()). */
uint32_t leakscan_crc32(const void *data, size_t len);

/*
 * Structural validation of a token: 1 confirmed, 0 failed, -1 when `how` is
 * LEAKSCAN_VALIDATE_NONE.
 */
int leakscan_validate(enum leakscan_validate how, const char *s, size_t len);

/* Hex SHA-1 of "rule id NUL secret" into out[41]. 0, or LEAKSCAN_ERROR. */
int leakscan_fingerprint(char out[41], const char *rule_id, const char *s, size_t len);

/*
 * A redacted preview: the token's structural prefix plus two characters, an
 * ellipsis and the last two characters ("sk-ant-api03-Wq…AA"); multi-line
 * secrets show their first line. Writes at most outsz-1 bytes plus NUL into
 * out and returns the length.
 */
size_t leakscan_preview(char *out, size_t outsz, const char *s, size_t len);

#endif
