/*
 * test_secret.c - entropy, placeholders, CRC-32 validation, preview,
 * fingerprint.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "leakscan/secret.h"

static int placeholder(const char *s)
{
    return leakscan_is_placeholder(s, strlen(s));
}

static void test_secret__entropy(void **state)
{
    (void)state;
    assert_true(leakscan_entropy("aaaaaaaa", 8) == 0.0);
    assert_true(leakscan_entropy("abab", 4) > 0.99 && leakscan_entropy("abab", 4) < 1.01);
    /* 16 distinct bytes: exactly 4 bits */
    assert_true(leakscan_entropy("0123456789abcdef", 16) > 3.99);
    assert_true(leakscan_entropy("", 0) == 0.0);
}

static void test_secret__placeholders(void **state)
{
    (void)state;
    /* the seed guide's own examples */
    assert_true(placeholder("sk-xxx"));
    assert_true(placeholder("sk-ant-xxx"));
    assert_true(placeholder("xxx"));
    assert_true(placeholder("your-api-key-here"));
    assert_true(placeholder("<your token>"));
    assert_true(placeholder("${OPENAI_API_KEY}"));
    assert_true(placeholder("$(vault read -field=token)"));
    assert_true(placeholder("{{ .Values.apiKey }}"));
    assert_true(placeholder("os.getenv(\"VAULT_TOKEN\")"));
    assert_true(placeholder("process.env.API_KEY"));
    assert_true(placeholder("$API_KEY"));
    assert_true(placeholder("AKIAIOSFODNN7EXAMPLE"));
    assert_true(placeholder("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    assert_true(placeholder("AKIAAAAAAAAAAAAAAAAA"));
    assert_true(placeholder("ghp_000000000000000000000000000000000000"));
    assert_true(placeholder("sk_live_1234567890abcdefghij"));
    assert_true(placeholder("changeme"));
    assert_true(placeholder("REDACTED"));
    assert_true(placeholder(""));
    /* real-looking random values are not placeholders */
    assert_false(placeholder("AKIAZ7QR4TWX2MNB5KLP"));
    assert_false(placeholder("ghp_R8k2LmQ9vX3nT7pW1yZ4cB6dF0hJ5sA2eG8u"));
    assert_false(placeholder("sk-ant-api03-Wq4xT9mK2vB7nL3pR8sD1fG6hJ0cY5zA"));
    assert_false(placeholder("hunter2-Qm9z"));
    /* a variable reference, not a password that starts with $ */
    assert_true(placeholder("$dbPassword"));
    assert_false(placeholder("$ecureP4ssw0rdQ9"));
    assert_true(placeholder("sk_live_yourStripeSecretKeyGoesHere12345"));
    assert_true(placeholder("sk_live_InsertYourSecretKeyHereForProd"));
    assert_true(placeholder("sk_live_fakeKeyForUnitTestsOnly9"));
}

static void test_secret__crc32(void **state)
{
    (void)state;
    /* the standard check value of CRC-32/ISO-HDLC */
    assert_int_equal(leakscan_crc32("123456789", 9), 0xcbf43926u);
    assert_int_equal(leakscan_crc32("", 0), 0u);
}

/* Build a GitHub-style token with a correct checksum, as GitHub does. */
static void make_token(char out[41], const char *prefix, const char random30[31])
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint32_t crc = leakscan_crc32(random30, 30);
    int i;

    memcpy(out, prefix, 4);
    memcpy(out + 4, random30, 30);
    for (i = 5; i >= 0; i--) {
        out[34 + i] = b62[crc % 62];
        crc /= 62;
    }
    out[40] = '\0';
}

static void test_secret__validate_crc(void **state)
{
    char tok[41];

    (void)state;
    make_token(tok, "ghp_", "R8k2LmQ9vX3nT7pW1yZ4cB6dF0hJ5s");
    assert_int_equal(leakscan_validate(LEAKSCAN_VALIDATE_GITHUB_CRC32, tok, 40), 1);
    make_token(tok, "npm_", "R8k2LmQ9vX3nT7pW1yZ4cB6dF0hJ5s");
    assert_int_equal(leakscan_validate(LEAKSCAN_VALIDATE_NPM_CRC32, tok, 40), 1);
    /* one changed character in the random part breaks it */
    tok[10] = tok[10] == 'a' ? 'b' : 'a';
    assert_int_equal(leakscan_validate(LEAKSCAN_VALIDATE_NPM_CRC32, tok, 40), 0);
    /* wrong length */
    assert_int_equal(leakscan_validate(LEAKSCAN_VALIDATE_GITHUB_CRC32, tok, 39), 0);
    assert_int_equal(leakscan_validate(LEAKSCAN_VALIDATE_NONE, tok, 40), -1);
    assert_int_equal(leakscan_validate(LEAKSCAN_VALIDATE_MARKER, tok, 40), 1);
}

static void test_secret__preview(void **state)
{
    char out[128];
    const char *ant = "sk-ant-api03-Wq4xT9mK2vB7nL3pR8sD1fG6hJ0cY5zAAA";
    const char *pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";

    (void)state;
    leakscan_preview(out, sizeof(out), ant, strlen(ant));
    assert_string_equal(out, "sk-ant-api03-Wq\xe2\x80\xa6"
                             "AA");
    leakscan_preview(out, sizeof(out), "AKIAZ7QR4TWX2MNB5KLP", 20);
    assert_string_equal(out, "AKIA\xe2\x80\xa6LP");
    leakscan_preview(out, sizeof(out), "hunter2pass", 11);
    assert_string_equal(out, "hu\xe2\x80\xa6");
    /* a passphrase: its separators are not a token prefix, a quarter at most */
    leakscan_preview(out, sizeof(out), "correct-horse-battery-staple", 28);
    assert_string_equal(out, "corr\xe2\x80\xa6le");
    leakscan_preview(out, sizeof(out), pem, strlen(pem));
    assert_string_equal(out, "-----BEGIN RSA PRIVATE KEY-----\xe2\x80\xa6");
    /* a preview never holds more than a few characters of the random part */
    assert_true(strlen(out) < strlen(pem));
    /* truncated to the buffer */
    assert_int_equal(leakscan_preview(out, 4, ant, strlen(ant)), 3);
}

static void test_secret__fingerprint(void **state)
{
    char a[41], b[41], c[41];

    (void)state;
    assert_int_equal(leakscan_fingerprint(a, "rule-a", "secret1", 7), 0);
    assert_int_equal(leakscan_fingerprint(b, "rule-a", "secret1", 7), 0);
    assert_int_equal(leakscan_fingerprint(c, "rule-b", "secret1", 7), 0);
    assert_int_equal(strlen(a), 40);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(leakscan_fingerprint(c, "rule-a", "secret2", 7), 0);
    assert_string_not_equal(a, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret__entropy), cmocka_unit_test(test_secret__placeholders),
        cmocka_unit_test(test_secret__crc32),   cmocka_unit_test(test_secret__validate_crc),
        cmocka_unit_test(test_secret__preview), cmocka_unit_test(test_secret__fingerprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
