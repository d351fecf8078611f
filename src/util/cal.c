/* cal.c - leap years, day numbers and Excel serial dates (see cal.h). */
#include "util/cal.h"
#include <math.h>

int tz_cal_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tz_cal_mdays(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && tz_cal_leap(y) ? 29 : days[m - 1];
}

int tz_cal_valid(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= tz_cal_mdays(y, m);
}

/* Days from civil, after Howard Hinnant's chrono algorithms: years start
 * on 1 March so the leap day comes last, and 400-year eras repeat. */
long tz_cal_days(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;                                   /* 0..399 */
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* 0..146096 */
    return era * 146097 + doe - 719468;
}

void tz_cal_civil(long days, int *y, int *m, int *d)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Day numbers of the 1900 system's day 0 (1899-12-31; from serial 61 on,
 * 1899-12-30, past the fictitious leap day) and the 1904 system's day 0. */
#define CAL_EPOCH_1900 (-25568L) /* 1899-12-31 */
#define CAL_EPOCH_1904 (-24107L) /* 1904-01-01 */

int tz_cal_from_serial(double serial, int date1904, int *y, int *m, int *d)
{
    long first = date1904 ? 0 : 1;
    long last = date1904 ? TZ_CAL_SERIAL_MAX - 1462 : TZ_CAL_SERIAL_MAX;
    if (!(serial >= (double)first && serial < (double)last + 1))
        return -1;
    long s = (long)floor(serial);
    if (date1904) {
        tz_cal_civil(CAL_EPOCH_1904 + s, y, m, d);
        return 0;
    }
    if (s == 60) {
        *y = 1900, *m = 2, *d = 29;
        return -1;
    }
    tz_cal_civil(CAL_EPOCH_1900 + s - (s > 60), y, m, d);
    return 0;
}

long tz_cal_to_serial(int y, int m, int d, int date1904)
{
    if (!tz_cal_valid(y, m, d) || y > 9999)
        return -1;
    long days = tz_cal_days(y, m, d);
    if (date1904)
        return days < CAL_EPOCH_1904 ? -1 : days - CAL_EPOCH_1904;
    if (days <= CAL_EPOCH_1900)
        return -1;
    long s = days - CAL_EPOCH_1900;
    return s >= 60 ? s + 1 : s;
}
