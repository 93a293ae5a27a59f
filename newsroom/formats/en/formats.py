# Django's English formats, with the time zone on every date and time the
# admin shows: editors work across zones and must know which one they read.
DATETIME_FORMAT = "N j, Y, P T"
TIME_FORMAT = "P T"
