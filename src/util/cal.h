/* cal.h - the calendar: leap years, month lengths, civil dates as day
 * numbers, and Excel serial dates.
 *
 * Owns: every computation on the proleptic Gregorian calendar. There is one
 * leap-year rule and one serial-date conversion in the program.
 * Does not own: parsing or wording dates (ledger/validate.c, metrics/period.c).
 */
#ifndef TZ_CAL_H
#define TZ_CAL_H

/* 1 when y is a leap year (divisible by 4, and not by 100 unless by 400). */
int tz_cal_leap(int y);

/* Days in month m (1..12) of year y; 0 for a month out of range. */
int tz_cal_mdays(int y, int m);

/* 1 when y-m-d is a date of the calendar (any year), else 0. */
int tz_cal_valid(int y, int m, int d);

/* Day number of y-m-d: days since 1970-01-01 (negative before it). The
 * date must be valid. */
long tz_cal_days(int y, int m, int d);

/* The civil date of day number `days` (as tz_cal_days). */
void tz_cal_civil(long days, int *y, int *m, int *d);

/* Last serial number Excel shows as a date: 9999-12-31 in the 1900 system. */
#define TZ_CAL_SERIAL_MAX 2958465

/* The date of Excel serial `serial` (its fraction, the time of day, is
 * ignored): in the 1900 date system 1 is 1900-01-01 and 60 is Excel's
 * fictitious 1900-02-29, kept for Lotus compatibility; in the 1904 system
 * (date1904 1) 0 is 1904-01-01. Returns 0; -1 for a serial before the first
 * day or after 9999-12-31, and for serial 60 of the 1900 system (a day that
 * does not exist; y/m/d are set to 1900-02-29 for the message). */
int tz_cal_from_serial(double serial, int date1904, int *y, int *m, int *d);

/* The Excel serial of y-m-d (a valid date from 1900-01-01, or 1904-01-01
 * in the 1904 system, to 9999-12-31), counting the fictitious 1900-02-29
 * in the 1900 system; -1 outside that range. */
long tz_cal_to_serial(int y, int m, int d, int date1904);

#endif
