"""The Chinese text front end: inline markup, normalisation, G2P and segmentation.

Pure functions of text and lexicon: no audio, no I/O beyond loading bundled dictionaries and models once.
"""
