"""Articles -> stories: copies of one text merged into one story."""
