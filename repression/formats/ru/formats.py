# Dates as Russian sources write them: "14 сентября 2011 г." (the month in the
# genitive, Django's "E"), "сентябрь 2011 г." (month names are not capitalised
# in Russian: see repression/formats/month_names.py).
DATE_FORMAT = "j E Y г."
YEAR_MONTH_FORMAT = "F Y г."
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j E Y г., H:i"
