"""Sources -> articles: files, folders, URLs and feeds read, decoded, parsed and cleaned."""
