package newsroom

import "unicode/utf8"

// The checks every aggregate's Validate shares, so that a rule (and its
// sentence) is written once. Each returns nil or an Invalid error on field.

// checkRequired refuses an empty s, and one longer than max characters.
func checkRequired(field, s string, max int) error {
	if s == "" {
		return Errorf(Invalid, field, "%s is required", field)
	}
	return checkLength(field, s, max)
}

// checkLength refuses s longer than max characters.
func checkLength(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return Errorf(Invalid, field, "%s is longer than %d characters", field, max)
	}
	return nil
}

// checkSlug refuses a slug that is not lower-case letters, digits and
// hyphens, or is one of reserved (the site's own paths).
func checkSlug(slug string, reserved ...map[string]bool) error {
	if !ValidSlug(slug) {
		return Errorf(Invalid, "slug", "slug must be lower-case letters, digits and hyphens")
	}
	for _, r := range reserved {
		if r[slug] {
			return Errorf(Invalid, "slug", "the slug %q is reserved for the site's own pages", slug)
		}
	}
	return nil
}

// checkPosition refuses a menu position outside 0..1,000,000.
func checkPosition(field string, n int) error {
	if n < 0 || n > 1_000_000 {
		return Errorf(Invalid, field, "menu position must be between 0 and 1000000")
	}
	return nil
}
