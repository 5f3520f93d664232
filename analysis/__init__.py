"""Expert Lens analysis: from a folder of articles to a pre-parsed dataset.

Plain Python, never imports streamlit. Data flows one way:
corpus -> clean -> spaCy pipeline -> per-article records -> dataset tables.
"""

PIPELINE_VERSION = "1"
