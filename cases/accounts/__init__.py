"""Editors' accounts: the admin's login with a second factor, and how long a
session lasts.

Editors of a register like this one are targets of state actors, so an
account that can publish must not open with a password alone.

  two_factor.py   who must use a second factor; enrolling, checking a code,
                  recovery codes, resetting a lost device (django-otp)
  views.py        the login's second step, enrolment, the recovery codes page
  admin_site.py   the admin site that asks for them (apps.AdminConfig installs it)
  sessions.py     staff sessions end when idle or old
"""
