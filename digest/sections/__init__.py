"""Stories -> sections: configured sections, or sections discovered in the day's news."""
