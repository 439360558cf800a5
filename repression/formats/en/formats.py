# Dates as the sources and the people using the site write them:
# "14 September 2011", never "Sept. 14, 2011".
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
