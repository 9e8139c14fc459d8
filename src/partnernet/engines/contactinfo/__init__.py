"""Contact details: phone numbers (E.164) and web / e-mail domains.

- :mod:`.phones` — :func:`~.phones.normalise_phone`, :func:`~.phones.find_phones`;
- :mod:`.domains` — :func:`~.domains.registered_domain`, :func:`~.domains.is_public_mail_domain`,
  :func:`~.domains.is_hosting_domain`, :func:`~.domains.domains_in`.
"""
