/* num.h - whole strings to integers, with the errors atoi cannot report,
 * and integers back to decimal text without printf.
 *
 * Owns: reading a decimal integer that must be the whole string and lie in a
 * range (a schema version, a timeout from the environment), and a run of
 * exactly N ASCII digits inside a string already checked (the "07" of
 * "2015-07-31"). Does not own: dates (the calendar helper), amounts with
 * decimals (ledger/validate), user-facing messages (the caller words them).
 * atoi, atol, atoll and atof are banned (scripts/lint/banned.sh); use this.
 * (ledger.h's tz_parse_int reads ledger cells: full-width digits, thousands
 * separators, with a message for the user.)
 */
#ifndef TZ_NUM_H
#define TZ_NUM_H

/* Reads s as an optional sign and 1 or more ASCII digits, nothing before or
 * after (no spaces), with a value in [min, max]. Returns 0 and sets *out, or
 * -1 with *out untouched when s is NULL, empty, anything else, or out of
 * range. Never fails for another reason; errno is left as it was. */
int tz_num_int(const char *s, long long min, long long max, long long *out);

/* The value of the n ASCII digits at s (1 <= n <= 9), for a field of fixed
 * width such as the month of "2015-07-31". Returns -1 when n is out of that
 * range or one of the n characters (the string may end first) is not an
 * ASCII digit; what follows them is not looked at. */
int tz_num_digits(const char *s, int n);

#define TZ_NUM_TEXT 24 /* bytes tz_num_text needs: a sign, 19 digits and the NUL */
/* v in decimal ("%lld", without printf: an import writes millions), at the
 * end of buf. Returns where it starts; its length is the rest of buf but
 * the NUL. */
const char *tz_num_text(long long v, char buf[TZ_NUM_TEXT]);

#endif
