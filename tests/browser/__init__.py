"""Browser tests of the teachers' page, and the helpers every web test shares (``support``)."""
