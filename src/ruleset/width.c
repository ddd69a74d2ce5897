/*
 * width.c - the longest text a PCRE2 pattern can match, read from its
 * syntax.
 *
 * The scanner runs a rule only near its keywords when it knows how far a
 * match can reach from one (see scanner.c). This reads the pattern the way
 * PCRE2 does, byte mode, and adds up the widest branch of everything:
 * a literal, a class, '.' or an escape is one byte; a group is its widest
 * branch; a bounded repeat multiplies; '*', '+', '{n,}', back references and
 * anything not understood make the pattern unbounded (the rule then runs on
 * the whole buffer, as it always may). Lookaheads do not widen the match but
 * look past it: what they may read counts in the reach.
 *
 * tests/unit/test_width.c checks every rule against Vectorscan's own
 * analysis of the same pattern.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "leakscan/ruleset.h"

#define UNBOUNDED ((size_t)-1)
#define CAP (1u << 24) /* wider than this counts as unbounded */

struct wparse {
    const char *p, *end;
    int bad;
    unsigned depth; /* groups open: bounded as PCRE2 bounds them (250) */
};

#define MAX_DEPTH 250

static size_t add(size_t a, size_t b)
{
    return a == UNBOUNDED || b == UNBOUNDED || a + b > CAP ? UNBOUNDED : a + b;
}

static size_t mul(size_t a, size_t n)
{
    if (a == UNBOUNDED || n == UNBOUNDED)
        return a == 0 ? 0 : UNBOUNDED;
    return n && a > CAP / n ? UNBOUNDED : a * n;
}

static size_t maxw(size_t a, size_t b)
{
    return a == UNBOUNDED || b == UNBOUNDED ? UNBOUNDED : a > b ? a : b;
}

static void alternation(struct wparse *w, size_t *width, size_t *reach);

/* Move past the next `c` (a closing brace, bracket...); 0, or -1 (bad) when there is none. */
static int skip_past(struct wparse *w, char c)
{
    const char *close = memchr(w->p, c, (size_t)(w->end - w->p));

    if (!close) {
        w->bad = 1;
        return -1;
    }
    w->p = close + 1;
    return 0;
}

/* A decimal number at p (digits only); UNBOUNDED if none. */
static size_t number(struct wparse *w)
{
    size_t n = 0;
    int any = 0;

    while (w->p < w->end && isdigit((unsigned char)*w->p)) {
        n = n * 10 + (size_t)(*w->p - '0');
        if (n > CAP)
            n = CAP;
        w->p++;
        any = 1;
    }
    return any ? n : UNBOUNDED;
}

/* A quantifier after an item: its maximum count (1 when there is none). */
static size_t quantifier(struct wparse *w)
{
    size_t hi = 1;

    if (w->p >= w->end)
        return 1;
    if (*w->p == '?') {
        w->p++;
    } else if (*w->p == '*' || *w->p == '+') {
        w->p++;
        hi = UNBOUNDED;
    } else if (*w->p == '{') {
        /*
         * {n}, {n,}, {n,m}. PCRE2 10.42 reads anything else as a literal
         * brace, but 10.43 also takes {,m} and spaces: not read here.
         */
        size_t lo;
        w->p++;
        lo = number(w);
        if (lo == UNBOUNDED || w->p >= w->end) {
            w->bad = 1;
            return 1;
        }
        if (*w->p == '}') {
            hi = lo;
        } else if (*w->p == ',') {
            w->p++;
            hi = number(w);
            if (w->p >= w->end || *w->p != '}') {
                w->bad = 1;
                return 1;
            }
        } else {
            w->bad = 1;
            return 1;
        }
        w->p++;
    } else {
        return 1;
    }
    /* lazy or possessive */
    if (w->p < w->end && (*w->p == '?' || *w->p == '+'))
        w->p++;
    return hi;
}

/* A character class: the parser stands after '['. */
static void class_(struct wparse *w)
{
    if (w->p < w->end && *w->p == '^')
        w->p++;
    if (w->p < w->end && *w->p == ']')
        w->p++; /* a leading ']' is literal */
    while (w->p < w->end && *w->p != ']') {
        if (*w->p == '\\' && w->p + 1 < w->end) {
            w->p += 2;
        } else if (*w->p == '[' && w->p + 1 < w->end && w->p[1] == ':') {
            /* [:name:] as PCRE2 reads it: ended by ":]" before any other ']' */
            const char *q = w->p + 2;
            while (q + 1 < w->end && *q != ']' && !(q[0] == ':' && q[1] == ']'))
                q++;
            w->p = q + 1 < w->end && q[0] == ':' && q[1] == ']' ? q + 2 : w->p + 1;
        } else {
            w->p++;
        }
    }
    if (w->p >= w->end)
        w->bad = 1;
    else
        w->p++;
}

/* An escape: the parser stands after '\'. Sets the width it matches. */
static void escape(struct wparse *w, size_t *width)
{
    char c;

    if (w->p >= w->end) {
        w->bad = 1;
        return;
    }
    c = *w->p++;
    switch (c) {
    case 'b':
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
    case 'K':
        *width = 0;
        return;
    case 'R': /* \r\n is two */
        *width = 2;
        return;
    case 'Q': { /* \Q...\E: literal */
        const char *e = w->p;
        while (e + 1 < w->end && !(e[0] == '\\' && e[1] == 'E'))
            e++;
        if (e + 1 >= w->end) {
            *width = (size_t)(w->end - w->p);
            w->p = w->end;
        } else {
            *width = (size_t)(e - w->p);
            w->p = e + 2;
        }
        return;
    }
    case 'E':
        *width = 0;
        return;
    case 'x':
        if (w->p < w->end && *w->p == '{') {
            if (skip_past(w, '}'))
                return;
        } else {
            int k;
            for (k = 0; k < 2 && w->p < w->end && isxdigit((unsigned char)*w->p); k++)
                w->p++;
        }
        *width = 1;
        return;
    case 'o':
    case 'p':
    case 'P':
    case 'N':
        if (w->p < w->end && *w->p == '{') {
            if (skip_past(w, '}'))
                return;
        } else if (c == 'p' || c == 'P') {
            w->p++;
        }
        *width = 1;
        return;
    case 'c':
        if (w->p < w->end)
            w->p++;
        *width = 1;
        return;
    case 'g':
    case 'k': /* back references (and subroutine calls) */
    case 'X': /* an extended grapheme cluster: any length */
        w->bad = 1;
        return;
    default:
        if (c >= '1' && c <= '9') {
            w->bad = 1; /* a back reference */
            return;
        }
        if (c == '0') { /* octal \0nn */
            int k;
            for (k = 0; k < 2 && w->p < w->end && *w->p >= '0' && *w->p <= '7'; k++)
                w->p++;
        }
        *width = 1; /* \d \w \s \h \v \n \t \. ... */
        return;
    }
}

/* A group: the parser stands after '('. */
static void group(struct wparse *w, size_t *width, size_t *reach)
{
    int look = 0; /* 1 lookahead, 2 lookbehind */
    size_t iw = 0, ir = 0;

    *width = *reach = 0;
    if (w->p < w->end && *w->p == '*') {
        /* (*UTF) widens '.' to four bytes, (*ACCEPT)...: not read here */
        w->bad = 1;
        return;
    }
    if (w->p < w->end && *w->p == '?') {
        w->p++;
        if (w->p >= w->end) {
            w->bad = 1;
            return;
        }
        switch (*w->p) {
        case ':':
        case '|':
        case '>':
            w->p++;
            break;
        case '=':
        case '!':
            w->p++;
            look = 1;
            break;
        case '<':
            w->p++;
            if (w->p < w->end && (*w->p == '=' || *w->p == '!')) {
                w->p++;
                look = 2;
            } else {
                /* (?<name>...) */
                if (skip_past(w, '>'))
                    return;
            }
            break;
        case 'P':
            if (w->p + 1 < w->end && w->p[1] == '<') {
                if (skip_past(w, '>'))
                    return;
                break;
            }
            w->bad = 1; /* (?P=name) (?P>name) */
            return;
        case '#':
            skip_past(w, ')');
            return;
        default: {
            /* option letters: (?i) (?i-s) (?^) alone, or (?i:...) as a group */
            const char *q = w->p;
            /* PCRE2's option letters; (?R), (?C), (?(...)... are not */
            while (q < w->end && *q && strchr("imnsxJU-^", *q))
                q++;
            if (q == w->p || q >= w->end) {
                w->bad = 1; /* recursion, conditionals, callouts... */
                return;
            }
            if (memchr(w->p, 'x', (size_t)(q - w->p))) {
                w->bad = 1; /* extended mode: white space and comments are not text */
                return;
            }
            if (*q == ')') {
                w->p = q + 1;
                return;
            }
            if (*q != ':') {
                w->bad = 1;
                return;
            }
            w->p = q + 1;
            break;
        }
        }
    }
    alternation(w, &iw, &ir);
    if (w->bad)
        return;
    if (w->p >= w->end || *w->p != ')') {
        w->bad = 1;
        return;
    }
    w->p++;
    /*
     * A lookahead reads ahead without consuming; a lookbehind reads before (the subject
     * is whole there), and a lookahead inside it reads forward. Neither widens the match.
     */
    *width = look ? 0 : iw;
    *reach = ir;
}

/* One branch: a sequence of quantified items, up to '|' or ')'. */
static void sequence(struct wparse *w, size_t *width, size_t *reach)
{
    size_t pos = 0, far = 0; /* pos: widest end so far; far: widest look past it */

    while (!w->bad && w->p < w->end && *w->p != '|' && *w->p != ')') {
        size_t iw = 0, ir = 0, n;
        char c = *w->p++;

        switch (c) {
        case '(':
            group(w, &iw, &ir);
            break;
        case '[':
            class_(w);
            iw = ir = 1;
            break;
        case '\\':
            escape(w, &iw);
            ir = iw;
            break;
        case '^':
        case '$':
            iw = ir = 0;
            break;
        case '*':
        case '+':
        case '?':
            w->bad = 1; /* a quantifier with nothing to repeat */
            break;
        default:
            iw = ir = 1;
            break;
        }
        if (w->bad)
            break;
        n = quantifier(w);
        /* a repeated item reaches as far as its last copy's look-ahead */
        if (n == 0) {
            iw = ir = 0;
        } else if (n != 1) {
            size_t rest = mul(iw, n - 1);
            ir = add(rest, ir > iw ? ir : iw);
            iw = mul(iw, n);
        }
        far = maxw(far, add(pos, ir));
        pos = add(pos, iw);
    }
    *width = pos;
    *reach = maxw(far, pos);
}

static void branches(struct wparse *w, size_t *width, size_t *reach)
{
    size_t bw = 0, br = 0;

    for (;;) {
        sequence(w, &bw, &br);
        if (w->bad)
            return;
        *width = maxw(*width, bw);
        *reach = maxw(*reach, br);
        if (w->p < w->end && *w->p == '|') {
            w->p++;
            continue;
        }
        return;
    }
}

static void alternation(struct wparse *w, size_t *width, size_t *reach)
{
    *width = *reach = 0;
    if (w->depth >= MAX_DEPTH) {
        w->bad = 1; /* PCRE2 refuses deeper nesting too; the stack is not spent on it */
        return;
    }
    w->depth++;
    branches(w, width, reach);
    w->depth--;
}

int leakscan_pattern_reach(const char *pattern, size_t *width, size_t *reach)
{
    struct wparse w;
    size_t iw = 0, ir = 0;

    w.p = pattern;
    w.end = pattern + strlen(pattern);
    w.bad = 0;
    w.depth = 0;
    alternation(&w, &iw, &ir);
    if (w.bad || w.p != w.end || iw == UNBOUNDED || ir == UNBOUNDED)
        return -1;
    if (width)
        *width = iw;
    if (reach)
        *reach = ir;
    return 0;
}

/* Past the ')' of a group whose '(' was read; *alt when a '|' is at the group's own level. */
static void skip_group(struct wparse *w, int *alt)
{
    int depth = 0;

    *alt = 0;
    while (w->p < w->end) {
        char c = *w->p++;
        if (c == '\\') {
            if (w->p < w->end)
                w->p++;
        } else if (c == '[') {
            class_(w);
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (!depth)
                return;
            depth--;
        } else if (c == '|' && !depth) {
            *alt = 1;
        }
    }
    w->bad = 1;
}

/* 1 when the item that ends at p is quantified so that it may match less than once, or repeat. */
static int quantified(const struct wparse *w)
{
    return w->p < w->end && (*w->p == '?' || *w->p == '*' || *w->p == '{' || *w->p == '+');
}

/*
 * 0 for syntax this reader does not follow as PCRE2 does, where it could see
 * a literal start that is not one: quoting (\Q..\E), comments (?#..), \cX,
 * extended mode (x) set anywhere, and backtracking verbs ((*COMMIT) and the
 * like make a search differ from a try at each place).
 */
static int prefix_readable(const char *pattern)
{
    const char *p;

    if (strstr(pattern, "\\Q") || strstr(pattern, "\\E") || strstr(pattern, "\\c") ||
        strstr(pattern, "(?#") || strstr(pattern, "(*"))
        return 0;
    for (p = pattern; (p = strstr(p, "(?")) != NULL; p += 2) {
        const char *q = p + 2;
        while (isalpha((unsigned char)*q) || *q == '-' || *q == '^') {
            if (*q == 'x')
                return 0;
            q++;
        }
    }
    return 1;
}

/* leakscan_pattern_prefix; *endp: where the literal start ends in the pattern (when n > 0) */
static size_t prefix_at(const char *pattern, char *out, size_t outsz, const char **endp)
{
    struct wparse w, t;
    size_t n = 0;
    int alt;

    if (!outsz)
        return 0;
    out[0] = '\0';
    w.p = pattern;
    w.end = pattern + strlen(pattern);
    w.bad = 0;
    w.depth = 0;
    if (!prefix_readable(pattern))
        return 0;
    /* an alternation at the top: no common start (the walk ends without a ')' to close) */
    t = w;
    skip_group(&t, &alt);
    if (alt || !t.bad)
        return 0;
    /* zero-width items and the groups the match starts inside */
    for (;;) {
        const char *p = w.p;
        size_t left = (size_t)(w.end - p);
        /* not \G: it holds where a search starts, which a try at each place changes */
        if (left >= 2 && p[0] == '\\' && (p[1] == 'b' || p[1] == 'B' || p[1] == 'A')) {
            w.p += 2;
        } else if (left >= 1 && p[0] == '^') {
            w.p++;
        } else if (left >= 3 && p[0] == '(' && p[1] == '?' &&
                   (p[2] == '=' || p[2] == '!' ||
                    (left >= 4 && p[2] == '<' && (p[3] == '=' || p[3] == '!')))) {
            /* a lookaround: read, not matched */
            w.p += p[2] == '<' ? 4 : 3;
            skip_group(&w, &alt);
            if (w.bad || quantified(&w))
                return 0;
        } else if (left >= 2 && p[0] == '(') {
            /* a group the match starts in: (  (?:  (?<name>  (?P<name>  (?flags:  (?flags) */
            const char *q = p + 1;
            int setting = 0;
            if (*q == '?') {
                q++;
                if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
                    char close = *q == '\'' ? '\'' : '>';
                    q = strchr(q + 1, close);
                    if (!q)
                        return 0;
                    q++;
                } else {
                    while (q < w.end && (isalpha((unsigned char)*q) || *q == '-' || *q == '^')) {
                        if (*q == 'x')
                            return 0; /* extended syntax: literals read differently */
                        q++;
                    }
                    if (q >= w.end || (*q != ':' && *q != ')'))
                        return 0; /* (?| (?> (?( (?R) verbs...: not read here */
                    setting = *q == ')';
                    q++;
                }
            }
            if (setting) {
                w.p = q; /* (?i) and the like: flags for what follows */
                continue;
            }
            t = w;
            t.p = p + 1;
            skip_group(&t, &alt);
            if (t.bad || alt || quantified(&t))
                return 0;
            w.p = q;
        } else {
            break;
        }
    }
    /* the literal text every match starts with */
    while (w.p < w.end && n + 1 < outsz) {
        const char *p = w.p, *next;
        char lit;
        if (*p == '\\') {
            if (p + 1 >= w.end || isalnum((unsigned char)p[1]))
                break; /* \d \s \w \x.. classes and codes */
            lit = p[1];
            next = p + 2;
        } else if (strchr(".[()|?*+{^$", *p)) {
            break;
        } else {
            lit = *p;
            next = p + 1;
        }
        w.p = next;
        if (quantified(&w)) {
            /* "ab?" or "ab{2}": the last byte is not certain; "ab+" starts with "ab" */
            if (*w.p == '+')
                out[n++] = lit;
            break;
        }
        out[n++] = lit;
    }
    out[n] = '\0';
    if (endp)
        *endp = w.p;
    return n;
}

size_t leakscan_pattern_prefix(const char *pattern, char *out, size_t outsz)
{
    return prefix_at(pattern, out, outsz, NULL);
}

static void set_bit(unsigned char set[32], unsigned c)
{
    set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static void set_range(unsigned char set[32], unsigned lo, unsigned hi)
{
    for (; lo <= hi; lo++)
        set_bit(set, lo);
}

/* \d \w \s into set; 0, or -1 for any other letter escape */
static int set_escape(unsigned char set[32], char e)
{
    if (e == 'd' || e == 'w') {
        set_range(set, '0', '9');
        if (e == 'w') {
            set_range(set, 'A', 'Z');
            set_range(set, 'a', 'z');
            set_bit(set, '_');
        }
        return 0;
    }
    if (e == 's') {
        set_range(set, '\t', '\r');
        set_bit(set, ' ');
        return 0;
    }
    if (isalnum((unsigned char)e))
        return -1; /* \x41, \p{..}, \D...: not read here */
    set_bit(set, (unsigned char)e);
    return 0;
}

/* A [...] class at *pp into set (negated as written); 0, or -1 when not read here. */
static int class_set(const char **pp, const char *end, unsigned char set[32])
{
    const char *p = *pp + 1;
    int neg = 0, first = 1, i;

    if (p < end && *p == '^')
        neg = 1, p++;
    while (p < end && (*p != ']' || first)) {
        unsigned lo = (unsigned char)*p, hi;
        first = 0;
        if (*p == '[')
            return -1; /* [:alpha:] and the like */
        if (*p == '\\') {
            if (p + 1 >= end || set_escape(set, p[1]))
                return -1;
            p += 2;
            continue;
        }
        p++;
        if (p + 1 < end && *p == '-' && p[1] != ']') {
            if (p[1] == '\\' || p[1] == '[')
                return -1;
            hi = (unsigned char)p[1];
            if (hi < lo)
                return -1;
            set_range(set, lo, hi);
            p += 2;
            continue;
        }
        set_bit(set, lo);
    }
    if (p >= end)
        return -1;
    if (neg)
        for (i = 0; i < 32; i++)
            set[i] = (unsigned char)~set[i];
    *pp = p + 1;
    return 0;
}

/*
 * The class right after the pattern's literal start (prefix_len bytes) into
 * set, and its repeat count: min to max (SIZE_MAX: no bound). *pp: what
 * follows it. 0, or -1 when the pattern does not go so (or has caseless parts).
 */
static int class_after_prefix(const char *pattern, size_t prefix_len, unsigned char set[32],
                              size_t *min, size_t *max, const char **pp)
{
    char pre[128];
    const char *p = NULL, *end = pattern + strlen(pattern), *q;

    memset(set, 0, 32);
    if (prefix_at(pattern, pre, sizeof(pre), &p) != prefix_len || !prefix_len || !p)
        return -1;
    /* caseless anywhere: the class would fold too */
    for (q = pattern; (q = strstr(q, "(?")) != NULL; q += 2) {
        const char *f = q + 2;
        while (isalpha((unsigned char)*f) || *f == '-' || *f == '^')
            if (*f++ == 'i')
                return -1;
    }
    if (*p == '[') {
        if (class_set(&p, end, set))
            return -1;
    } else if (*p == '\\' && p + 1 < end && (p[1] == 'd' || p[1] == 'w' || p[1] == 's')) {
        set_escape(set, p[1]);
        p += 2;
    } else {
        return -1;
    }
    /* the repeat: once, unless a quantifier says otherwise */
    *min = *max = 1;
    if (p < end && (*p == '?' || *p == '*' || *p == '+')) {
        *min = *p == '+';
        *max = *p == '?' ? 1 : SIZE_MAX;
        p++;
    } else if (p < end && *p == '{') {
        const char *d = p + 1;
        size_t m = 0, x;
        if (!isdigit((unsigned char)*d))
            return -1;
        while (isdigit((unsigned char)*d) && m < 100000)
            m = m * 10 + (size_t)(*d++ - '0');
        x = m;
        if (*d == ',') {
            d++;
            x = isdigit((unsigned char)*d) ? 0 : SIZE_MAX;
            while (isdigit((unsigned char)*d) && x < 100000)
                x = x * 10 + (size_t)(*d++ - '0');
        }
        if (*d != '}' || x < m)
            return -1;
        *min = m;
        *max = x;
        p = d + 1;
    }
    *pp = p;
    return 0;
}

size_t leakscan_pattern_follow(const char *pattern, size_t prefix_len, unsigned char set[32])
{
    const char *p;
    size_t min, max;

    if (class_after_prefix(pattern, prefix_len, set, &min, &max, &p)) {
        memset(set, 0, 32);
        return 0;
    }
    return min < 8 ? min : 8;
}

int leakscan_pattern_stop(const char *pattern, size_t prefix_len, unsigned char set[32],
                          size_t *min, size_t *max, unsigned char *stop)
{
    const char *p;
    unsigned char c;

    if (class_after_prefix(pattern, prefix_len, set, min, max, &p))
        return 0;
    if (*p == '?' || *p == '+')
        p++; /* lazy or possessive: the same runs can match */
    if (*p == '\\' && p[1] && !isalnum((unsigned char)p[1])) {
        c = (unsigned char)p[1];
        p += 2;
    } else if (*p && !strchr("\\^$.|?*+()[]{}", *p)) {
        c = (unsigned char)*p++;
    } else {
        return 0;
    }
    /* the byte itself repeated (={0,3}: maybe none) or one side of an alternation: not needed */
    if (*p && strchr("?*+{|", *p))
        return 0;
    /* a byte the class holds would make the run end anywhere */
    if (set[c >> 3] & (1u << (c & 7)))
        return 0;
    *stop = c;
    return 1;
}
