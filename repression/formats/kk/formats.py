# Dates as Kazakh sources write them: the year first, in the genitive-like
# "жылғы" form, then the day and the month in lower case: "2011 жылғы
# 14 қыркүйек", "2011 жылғы қыркүйек" (not Django's "Қыр. 14, 2011"). Letters
# outside ASCII are not format characters, so "жылғы" needs no escaping.
DATE_FORMAT = "Y жылғы j F"
YEAR_MONTH_FORMAT = "Y жылғы F"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "Y жылғы j F, H:i"
