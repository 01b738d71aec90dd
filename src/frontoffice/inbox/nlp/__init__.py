"""Understanding messages offline in en, de, ja, ko, ru and zh: language, category, sentiment."""
