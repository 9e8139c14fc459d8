"""Company and person names.

- :mod:`.legal_forms` — find and split off legal forms (ООО, АО, LLC…) wherever they stand;
- :mod:`.normalise` — the matching key, the display form and the tokens of a company name;
- :mod:`.translit` — transliteration (iuliia) and a transliteration-insensitive key;
- :mod:`.person` — person names (surname, first name, patronymic, gender).
"""
